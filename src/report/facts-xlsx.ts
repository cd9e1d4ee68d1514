/**
 * The words of the report's Excel workbook (report.xlsx): the summary sheet's title, labels and the
 * key table's headers. Re-exported by facts.ts, the one home of the report's sentences.
 */
import type { ReportResult } from './types.js';

/** The report's title: the result's own (`--title`) when it has one, else the outcome's question. */
export function workbookTitle(r: ReportResult): string {
  const own = (r as unknown as { title?: unknown }).title;
  return typeof own === 'string' && own.trim() !== '' ? own : `rapport report: which relationship traits go with ${r.outcome.label}`;
}

/** The period the report covers (`--period`), when the result has one. */
export function workbookPeriod(r: ReportResult): string | undefined {
  const own = (r as unknown as { period?: unknown }).period;
  return typeof own === 'string' && own.trim() !== '' ? own : undefined;
}

/** Row labels of the summary sheet. */
export const WORKBOOK_LABELS = {
  period: 'Period',
  input: 'Input',
  outcome: 'Outcome',
  inShort: 'In short',
  keyTable: 'Traits in the adjusted model (odds ratios per SD unless the report says per point; withheld cells are empty, as in predictors.csv)',
  tables: 'Each CSV table of the report is a sheet of this workbook, with the same rows and the same withheld cells.',
} as const;

/** Headers of the key table, over the predictors.csv columns it shows. */
export const KEY_TABLE: [column: string, header: string][] = [
  ['predictor', 'Trait'],
  ['adjusted_or', 'Odds ratio'],
  ['adjusted_ci_low', '95% CI low'],
  ['adjusted_ci_high', '95% CI high'],
  ['adjusted_p_holm', 'Holm-adjusted p'],
  ['rank', 'Rank (dominance)'],
  ['dominance_share', 'Share of explained variation'],
];
