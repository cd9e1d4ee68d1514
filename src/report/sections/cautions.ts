/**
 * Cautions about the data as a whole: a rare or very common outcome (below 5% or above 95%), where
 * odds ratios differ from risk ratios and estimates need many respondents. Only when a model was fitted.
 */
import type { ReportWarning } from '../types.js';

export function cautionWarnings(prevalence: number | null, modelFitted: boolean): ReportWarning[] {
  if (prevalence === null || !modelFitted) return [];
  return prevalence < 0.05 || prevalence > 0.95 ? [{ code: 'rare_outcome', prevalence }] : [];
}
