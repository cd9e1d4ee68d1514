/**
 * The pilot report's files: report.txt, report.html, summary.json and four CSV tables —
 * scales.csv (one row per scale), items.csv (one row per item), item_frequencies.csv (one row per
 * item and response category, small cells withheld as in every other output) and
 * scale_correlations.csv (one row per pair of scales). Layout only; sentences from pilot-facts.ts.
 */
import { csvText } from './csv.js';
import { ITEM_FLAG_TEXT, pilotHeadline, pilotWarningText, reviewLines } from './facts.js';
import { convert, type RunInfo } from './json.js';
import { renderPilotHtml } from './pilot-html.js';
import { renderPilotText } from './pilot-text.js';
import type { PilotResult } from './pilot-types.js';

/** Every file a pilot report may write (the CLI checks them against the inputs before reading). */
export const PILOT_FILES = ['report.txt', 'report.html', 'summary.json', 'scales.csv', 'items.csv', 'item_frequencies.csv', 'scale_correlations.csv'] as const;

/** summary.json's layout for a pilot report. */
export const PILOT_SUMMARY_SCHEMA = 'rapport.pilot/1';

export function scalesCsv(r: PilotResult): string {
  const head = ['scale', 'label', 'n_items', 'n_complete', 'alpha', 'alpha_ci_low', 'alpha_ci_high', 'omega_total', 'average_r', 'n_scored', 'mean', 'sd', 'lowest', 'highest', 'pct_floor', 'pct_ceiling', 'flags'];
  return csvText(
    head,
    r.scales.map((s) => [s.scale, s.label, s.nItems, s.nComplete, s.alpha, s.alphaCiLow, s.alphaCiHigh, s.omegaTotal, s.averageR, s.nScored, s.mean, s.sd, s.lo, s.hi, s.pctFloor, s.pctCeiling, s.flags.join(' ')]),
  );
}

export function itemsCsv(r: PilotResult): string {
  const head = ['item', 'scale', 'reverse', 'mean', 'sd', 'pct_no_answer', 'pct_lowest', 'pct_highest', 'r_drop', 'alpha_if_deleted', 'loading', 'flags'];
  return csvText(
    head,
    r.items.map((it) => [it.item, it.scale, it.reverse, it.mean, it.sd, it.pctNoAnswer, it.pctLowest, it.pctHighest, it.rDrop, it.alphaIfDeleted, it.loading, it.flags.join(' ')]),
  );
}

/** One row per item and category; `n` is the count or empty when withheld, `n_shown` what the report shows (`<11`, `>=11`). */
export function frequenciesCsv(r: PilotResult): string {
  const head = ['item', 'scale', 'category', 'value', 'label', 'n', 'n_shown', 'pct'];
  return csvText(
    head,
    r.items.flatMap((it) => it.frequencies.map((f) => [it.item, it.scale, f.kind, f.value, f.label, f.n, f.nLabel, f.pct])),
  );
}

export function correlationsCsv(r: PilotResult): string {
  return csvText(
    ['scale_a', 'scale_b', 'n', 'r', 'ci_low', 'ci_high'],
    r.correlations.map((c) => [c.a, c.b, c.n, c.r, c.ciLow, c.ciHigh]),
  );
}

export function pilotSummaryJson(r: PilotResult, run?: RunInfo): string {
  const doc = {
    schema: PILOT_SUMMARY_SCHEMA,
    ...r,
    headline: pilotHeadline(r),
    review: reviewLines(r),
    itemFlagMeanings: ITEM_FLAG_TEXT,
    warnings: r.warnings.map((w) => ({ code: w.code, message: pilotWarningText(w) })),
    ...(run ? { run: { elapsedSeconds: Math.round(run.elapsedSeconds * 1000) / 1000, startedAt: run.startedAt } } : {}),
  };
  return JSON.stringify(convert(doc), null, 2) + '\n';
}

export function renderPilotFiles(r: PilotResult, run?: RunInfo): Record<string, string> {
  return {
    'report.txt': renderPilotText(r),
    'report.html': renderPilotHtml(r),
    'summary.json': pilotSummaryJson(r, run),
    'scales.csv': scalesCsv(r),
    'items.csv': itemsCsv(r),
    'item_frequencies.csv': frequenciesCsv(r),
    'scale_correlations.csv': correlationsCsv(r),
  };
}
