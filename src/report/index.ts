/**
 * The report: load (src/report/load.ts) → analyze (analyze.ts, one module per section under
 * sections/) → render (text, CSV, JSON, HTML; every sentence from facts.ts).
 * `renderReportFiles` gives every output file's name and text; the run time appears only in
 * summary.json under `run`, so every other file is byte-identical for the same input.
 */
import { DYAD_FILES, dyadFiles } from './dyads-csv.js';
import { descriptivesCsv, groupsCsv, modelCsv, predictorsCsv, reliabilityCsv, reliabilityItemsCsv } from './csv.js';
import { renderHtml } from './html.js';
import { clusterReliabilityCsv, clustersCsv } from './cluster-csv.js';
import { summaryJson, type RunInfo } from './json.js';
import { renderText } from './text.js';
import type { ReportResult } from './types.js';

/** The name of every file the report may write (the CLI checks them against the inputs before reading). */
export const REPORT_FILES = ['report.txt', 'report.html', 'summary.json', 'model.csv', 'predictors.csv', 'reliability.csv', 'reliability_items.csv', 'descriptives.csv', 'groups.csv', 'cluster_reliability.csv', 'clusters.csv', ...DYAD_FILES, 'report.xlsx'] as const;

/** Every output file (groups.csv only with --group-by; each name is in REPORT_FILES). */
export function renderReportFiles(r: ReportResult, run?: RunInfo): Record<string, string> {
  const files: Record<string, string> = {
    'report.txt': renderText(r),
    'report.html': renderHtml(r),
    'summary.json': summaryJson(r, run),
    'model.csv': modelCsv(r),
    'predictors.csv': predictorsCsv(r),
    'reliability.csv': reliabilityCsv(r),
    'reliability_items.csv': reliabilityItemsCsv(r),
    'descriptives.csv': descriptivesCsv(r),
  };
  if (r.groups) files['groups.csv'] = groupsCsv(r);
  if (r.clustering) Object.assign(files, { 'cluster_reliability.csv': clusterReliabilityCsv(r), 'clusters.csv': clustersCsv(r) });
  if (r.dyads) Object.assign(files, dyadFiles(r.dyads));
  return files;
}
