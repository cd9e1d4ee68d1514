/**
 * Design-based (weighted) mean or proportion with its linearisation SE, as `survey::svymean(~ y,
 * design)` for `svydesign(ids = ~ psu or ~ 1, strata = ~ stratum, weights = ~ w)`: the Hajek
 * estimate ybar = sum w y / sum w, and the variance of its influence values w_i (y_i - ybar) / sum w
 * by the one-stage with-replacement formula of svyglm.ts (PSU totals centred within strata, n_h /
 * (n_h - 1)). For a 0/1 variable this is the weighted rate. With `domain` (1 = in), the mean of a
 * subpopulation as svymean on subset(design, ...) or with na.rm = TRUE: rows outside it have influence
 * 0 but still count as PSUs of their strata (their y and weight are not read); `df` is then survey's
 * degf of the subset, the PSUs minus strata with domain rows.
 */
import { designUnits, linearisationMeat } from './svyglm.js';
import { qT } from './distributions.js';

export interface SvyMean {
  ok: true;
  mean: number;
  se: number;
  n: number;
  /** Sum of the weights (the estimated population size). */
  total: number;
  /** Design degrees of freedom (linearisation: PSUs minus strata among the domain's rows; replicates: R - 1). */
  df: number;
}

export interface SvyMeanFailure { ok: false; code: 'bad-input' | 'lonely-psu'; reason: string }

export function svyMean(y: Float64Array, weights: Float64Array, psu: Int32Array | null = null, strata: Int32Array | null = null, domain: Uint8Array | null = null): SvyMean | SvyMeanFailure {
  const n = y.length;
  let sw = 0;
  let swy = 0;
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (domain && !domain[i]) continue;
    m++;
    if (!Number.isFinite(y[i])) return { ok: false, code: 'bad-input', reason: `Row ${i + 1} has a missing value; drop incomplete rows first.` };
    if (!(weights[i] > 0) || !Number.isFinite(weights[i])) return { ok: false, code: 'bad-input', reason: `Row ${i + 1} has weight ${weights[i]}; sampling weights must be positive numbers.` };
    sw += weights[i];
    swy += weights[i] * y[i];
  }
  if (m === 0) return { ok: false, code: 'bad-input', reason: 'No rows.' };
  const mean = swy / sw;
  const infl = Float64Array.from(y, (v, i) => (domain && !domain[i] ? 0 : (weights[i] * (v - mean)) / sw));
  const meat = linearisationMeat(new Float64Array(n).fill(1), n, 1, infl, psu, strata);
  if ('lonely' in meat) return { ok: false, code: 'lonely-psu', reason: `Stratum ${meat.lonely} has a single primary sampling unit; its variance cannot be estimated (merge it with a neighbouring stratum).` };
  const u = designUnits(n, psu, strata, domain);
  return { ok: true, mean, se: Math.sqrt(meat.M[0]), n: m, total: sw, df: u.units - u.strata };
}

/**
 * Confidence interval of a design-based estimate with `df` design degrees of freedom: for a mean,
 * estimate ± t(df) SE (confint(svymean(...), df = degf(design))); for a proportion, the logit
 * interval of survey's svyciprop(method = "logit", df = degf(design)): logit(p) ± t(df) SE / (p (1 - p))
 * back-transformed (null when p is 0 or 1, where it is undefined). Under replicate weights svyciprop
 * takes the SE of logit(p) from the replicates themselves: pass it as `logitSe`.
 */
export function svyInterval(estimate: number, se: number, df: number, kind: 'mean' | 'proportion', logitSe: number | null = null, level = 0.95): { low: number; high: number } | null {
  if (!(df > 0) || !Number.isFinite(se)) return null;
  const t = qT((1 + level) / 2, df);
  if (kind === 'mean') return { low: estimate - t * se, high: estimate + t * se };
  if (!(estimate > 0 && estimate < 1)) return null;
  const eta = Math.log(estimate / (1 - estimate));
  const h = logitSe !== null ? t * logitSe : (t * se) / (estimate * (1 - estimate));
  const inv = (x: number) => 1 / (1 + Math.exp(-x));
  return { low: inv(eta - h), high: inv(eta + h) };
}
