/**
 * A predictor with one value among the model respondents cannot be in the model (its coefficient is
 * not identified, and standardising it divides by an SD of 0). Said as such, rather than as "no
 * respondent has complete data", which is what the NaN scores it would become made of it.
 */
import type { ReportData } from '../data.js';
import type { ModelError } from '../types.js';
import type { ModelSample } from './sample.js';

function isConstant(values: Float64Array, use: Uint8Array): boolean {
  let first = NaN;
  for (let i = 0; i < values.length; i++) {
    if (!use[i]) continue;
    if (first !== first) first = values[i];
    else if (values[i] !== first) return false;
  }
  return true;
}

/** The first trait or numeric covariate with one value among the model respondents, as a ModelError. */
export function constantPredictor(data: ReportData, sample: ModelSample): ModelError | null {
  if (sample.n < 2) return null;
  const numeric = [...data.traits.map((t) => ({ name: t.name, values: t.values })), ...data.covariates.flatMap((c) => (c.kind === 'numeric' ? [{ name: c.name, values: c.values }] : []))];
  for (const v of numeric) if (isConstant(v.values, sample.use)) return { code: 'constant_predictor', variable: v.name, n: sample.n };
  return null;
}
