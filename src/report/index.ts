/**
 * The report: load (src/report/load.ts) → analyze (analyze.ts, one module per section under
 * sections/) → render (text, CSV, JSON, HTML; every sentence from facts.ts).
 * `renderReportFiles` gives every output file's name and text; the run time appears only in
 * summary.json under `run`, so every other file is byte-identical for the same input.
 */
import { descriptivesCsv, groupsCsv, modelCsv, predictorsCsv, reliabilityCsv, reliabilityItemsCsv } from './csv.js';
import { renderHtml } from './html.js';
import { summaryJson, type RunInfo } from './json.js';
import { renderText } from './text.js';
import type { ReportResult } from './types.js';

/** Every output file (groups.csv only with --group-by). */
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
  return files;
}
