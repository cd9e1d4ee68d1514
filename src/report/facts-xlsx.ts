/**
 * The words of the report's Excel workbook (report.xlsx): the summary sheet's title, labels and the
 * key table's headers. Re-exported by facts.ts, the one home of the report's sentences.
 */
import { reportTitle } from './facts-lead.js';
import type { ReportResult } from './types.js';

/** The report's title, as in report.txt and report.html: `--title`, else the question it answers. */
export function workbookTitle(r: ReportResult): string {
  return reportTitle(r).title;
}

/** The period the report covers (`--period`), when it has one. */
export function workbookPeriod(r: ReportResult): string | undefined {
  return r.options.period ?? undefined;
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
