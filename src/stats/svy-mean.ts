/**
 * Design-based (weighted) mean or proportion with its linearisation SE, as `survey::svymean(~ y,
 * design)` for `svydesign(ids = ~ psu or ~ 1, strata = ~ stratum, weights = ~ w)`: the Hajek
 * estimate ybar = sum w y / sum w, and the variance of its influence values w_i (y_i - ybar) / sum w
 * by the one-stage with-replacement formula of svyglm.ts (PSU totals centred within strata, n_h /
 * (n_h - 1)). For a 0/1 variable this is the weighted rate.
 */
import { linearisationMeat } from './svyglm.js';

export interface SvyMean {
  ok: true;
  mean: number;
  se: number;
  n: number;
  /** Sum of the weights (the estimated population size). */
  total: number;
}

export interface SvyMeanFailure { ok: false; code: 'bad-input' | 'lonely-psu'; reason: string }

export function svyMean(y: Float64Array, weights: Float64Array, psu: Int32Array | null = null, strata: Int32Array | null = null): SvyMean | SvyMeanFailure {
  const n = y.length;
  let sw = 0;
  let swy = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i])) return { ok: false, code: 'bad-input', reason: `Row ${i + 1} has a missing value; drop incomplete rows first.` };
    if (!(weights[i] > 0) || !Number.isFinite(weights[i])) return { ok: false, code: 'bad-input', reason: `Row ${i + 1} has weight ${weights[i]}; sampling weights must be positive numbers.` };
    sw += weights[i];
    swy += weights[i] * y[i];
  }
  if (n === 0) return { ok: false, code: 'bad-input', reason: 'No rows.' };
  const mean = swy / sw;
  const infl = Float64Array.from(y, (v, i) => (weights[i] * (v - mean)) / sw);
  const meat = linearisationMeat(new Float64Array(n).fill(1), n, 1, infl, psu, strata);
  if ('lonely' in meat) return { ok: false, code: 'lonely-psu', reason: `Stratum ${meat.lonely} has a single primary sampling unit; its variance cannot be estimated (merge it with a neighbouring stratum).` };
  return { ok: true, mean, se: Math.sqrt(meat.M[0]), n, total: sw };
}
