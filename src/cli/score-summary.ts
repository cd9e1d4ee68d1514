/**
 * `rapport score --summary-json`: the run summary as a JSON document for scheduled jobs, in the same
 * key style as report's summary.json (snake_case) and with a top-level "schema" naming its version.
 * Keys are written out one by one (not converted): `excluded` (by reason) and `columns` (item id →
 * export column) hold data as keys, which stay as they are.
 */
import type { ScoreSummary } from '../scoring/pipeline.js';

const SCORE_SUMMARY_SCHEMA = 'rapport.score/2';

export function scoreSummaryDocument(s: ScoreSummary, status: 'ok' | 'invalid'): Record<string, unknown> {
  return {
    schema: SCORE_SUMMARY_SCHEMA,
    status,
    input: s.input,
    instrument: { id: s.instrument.id, version: s.instrument.version },
    platform: s.platform,
    platform_how: s.platformHow,
    encoding: s.encoding,
    encoding_how: s.encodingHow,
    delimiter: s.delimiter,
    bytes: s.bytes,
    ...(s.format ? { format: s.format, ...(s.sheet !== undefined ? { sheet: s.sheet } : {}) } : {}),
    rows_read: s.rowsRead,
    excluded: s.excluded,
    rows_scored: s.rowsScored,
    invalid_cells: s.invalidCells,
    empty_cells: s.emptyCells,
    refused_cells: s.refusedCells,
    scales: s.scales.map((c) => ({ id: c.id, scored: c.scored, share: c.share })),
    duplicate_ids: s.duplicateIds,
    duplicate_examples: s.duplicateExamples.map((d) => ({ first_line: d.firstLine, line: d.line })),
    columns: s.columns,
    missing_items: s.missingItems,
    blank_lines: s.blankLines,
    warnings: s.warnings,
  };
}
