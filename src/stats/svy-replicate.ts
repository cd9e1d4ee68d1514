/**
 * Replicate-weight variance for published replicate weights, as `survey::svrepdesign(repweights =
 * ..., weights = ~ w, type = "JK1", combined.weights = TRUE)` followed by `svyglm` (quasibinomial) or
 * `svymean`:
 * - the estimate is the full-sample one (sampling weights w);
 * - each replicate r re-estimates with its own weights (a respondent's replicate weight already
 *   includes the sampling weight: combined.weights = TRUE; a zero drops the respondent from that
 *   replicate);
 * - V = scale * sum_r rscale_r (theta_r - c)(theta_r - c)', with JK1's scale (R - 1) / R and rscales 1,
 *   and c the mean of the replicates (survey's default `mse = FALSE`) or the full-sample estimate
 *   (`mse = TRUE`, option survey.replicates.mse);
 * - the design degrees of freedom are R - 1 (survey's degf: the rank of the replicate weights minus 1,
 *   which is R - 1 for JK1 replicates that each delete a different unit).
 * The logistic fit is the same weighted pseudo-likelihood as svyglm.ts (replicates started from glm's
 * default start, converging to the same optimum as survey's start at the full estimate).
 */
import { irlsLogit } from './irls.js';
import { interceptDesign, type SvyCoefficient, type SvyFailure, type SvyFit } from './svyglm.js';
import { pNormalTwoSided } from './distributions.js';
import type { SvyMean } from './svy-mean.js';

export type ReplicateType = 'jk1';

export interface ReplicateOptions {
  type: ReplicateType;
  /** Deviations about the full-sample estimate instead of the replicates' mean (survey's mse = TRUE). */
  mse?: boolean;
}

/** The scale of a replicate type with R replicates (JK1: (R - 1) / R). */
export function replicateScale(type: ReplicateType, R: number): number {
  if (type === 'jk1') return (R - 1) / R;
  throw new Error(`unknown replicate type ${String(type)}`);
}

/**
 * Replicate covariance: thetas holds R replicate estimates of p parameters (row-major R x p),
 * full the full-sample estimate (used as the centre when mse).
 */
export function replicateVcov(thetas: Float64Array, R: number, p: number, full: ArrayLike<number>, scale: number, mse = false): Float64Array {
  const c = new Float64Array(p);
  if (mse) for (let j = 0; j < p; j++) c[j] = full[j];
  else for (let r = 0; r < R; r++) for (let j = 0; j < p; j++) c[j] += thetas[r * p + j] / R;
  const V = new Float64Array(p * p);
  for (let r = 0; r < R; r++)
    for (let a = 0; a < p; a++) {
      const da = thetas[r * p + a] - c[a];
      for (let b = 0; b < p; b++) V[a * p + b] += scale * da * (thetas[r * p + b] - c[b]);
    }
  return V;
}

export interface ReplicateInput {
  /** Predictor columns; an intercept is added first. */
  columns: readonly Float64Array[];
  names?: readonly string[];
  y: Float64Array;
  /** Full-sample sampling weights (> 0). */
  weights: Float64Array;
  /** R replicate weight columns (>= 0, each with a positive total). */
  replicates: readonly Float64Array[];
}

function checkReplicates(inp: { weights: Float64Array; replicates: readonly Float64Array[] }, n: number): SvyFailure | null {
  if (inp.replicates.length < 2) return { ok: false, code: 'bad-input', reason: 'Replicate-weight variance needs at least 2 replicate weight columns.' };
  for (let i = 0; i < n; i++)
    if (!(inp.weights[i] > 0) || !Number.isFinite(inp.weights[i])) return { ok: false, code: 'bad-input', reason: `Row ${i + 1} has weight ${inp.weights[i]}; sampling weights must be positive numbers.` };
  for (let r = 0; r < inp.replicates.length; r++) {
    const w = inp.replicates[r];
    let total = 0;
    for (let i = 0; i < n; i++) {
      if (!(w[i] >= 0) || !Number.isFinite(w[i])) return { ok: false, code: 'bad-input', reason: `Replicate ${r + 1}, row ${i + 1} has weight ${w[i]}; replicate weights must be numbers of 0 or more.` };
      total += w[i];
    }
    if (!(total > 0)) return { ok: false, code: 'bad-input', reason: `Replicate ${r + 1} has no positive weight.` };
  }
  return null;
}

function coefficients(names: readonly string[], est: ArrayLike<number>, V: Float64Array): SvyCoefficient[] {
  const p = names.length;
  return names.map((name, j) => {
    const se = Math.sqrt(V[j * p + j]);
    return { name, estimate: est[j], se, z: est[j] / se, p: pNormalTwoSided(est[j] / se) };
  });
}

/** Weighted logistic regression with replicate-weight covariance (svyglm on a svrepdesign). */
export function svyLogisticReplicate(inp: ReplicateInput, opts: ReplicateOptions = { type: 'jk1' }): SvyFit | SvyFailure {
  const n = inp.y.length;
  const bad = checkReplicates(inp, n);
  if (bad) return bad;
  for (let i = 0; i < n; i++) if (inp.y[i] !== 0 && inp.y[i] !== 1) return { ok: false, code: 'bad-input', reason: `The outcome must be coded 0/1, but row ${i + 1} has ${inp.y[i]}.` };
  const p = inp.columns.length + 1;
  const x = interceptDesign(inp.columns, n);
  const view = { data: x, n, stride: p, cols: Int32Array.from({ length: p }, (_, j) => j) };
  const fitOpts = { epsilon: 1e-14, maxit: 100 };
  const full = irlsLogit(view, inp.y, { ...fitOpts, weights: inp.weights });
  if (full.singularColumn >= 0) return { ok: false, code: 'singular', reason: 'The predictors are perfectly collinear; remove one of them.' };
  const R = inp.replicates.length;
  const thetas = new Float64Array(R * p);
  for (let r = 0; r < R; r++) {
    const f = irlsLogit(view, inp.y, { ...fitOpts, weights: inp.replicates[r] });
    if (!f.converged || f.singularColumn >= 0) return { ok: false, code: 'not-converged', reason: `Replicate ${r + 1} could not be fitted.` };
    thetas.set(f.beta, r * p);
  }
  const vcov = replicateVcov(thetas, R, p, full.beta, replicateScale(opts.type, R), opts.mse);
  const names = ['(Intercept)', ...(inp.names ?? inp.columns.map((_, j) => `x${j + 1}`))];
  return { ok: true, n, coefficients: coefficients(names, full.beta, vcov), vcov, df: R - 1, psus: R, strata: 1, converged: full.converged };
}

/** A weighted mean with its replicate SE; `df` is R - 1. */
export interface ReplicateMean extends SvyMean {
  /** For a 0/1 variable: the replicate SE of logit(p) (svyciprop's logit interval); else null. */
  logitSe: number | null;
}

/** Weighted mean (or rate) with replicate-weight SE, as svymean on a svrepdesign. */
export function svyMeanReplicate(y: Float64Array, weights: Float64Array, replicates: readonly Float64Array[], opts: ReplicateOptions = { type: 'jk1' }): ReplicateMean | SvyFailure {
  const n = y.length;
  if (n === 0) return { ok: false, code: 'bad-input', reason: 'No rows.' };
  const bad = checkReplicates({ weights, replicates }, n);
  if (bad) return bad;
  for (let i = 0; i < n; i++) if (!Number.isFinite(y[i])) return { ok: false, code: 'bad-input', reason: `Row ${i + 1} has a missing value; drop incomplete rows first.` };
  const wmean = (w: Float64Array) => {
    let sw = 0;
    let swy = 0;
    for (let i = 0; i < n; i++) {
      sw += w[i];
      swy += w[i] * y[i];
    }
    return { mean: swy / sw, sw };
  };
  const full = wmean(weights);
  const R = replicates.length;
  const thetas = Float64Array.from(replicates, (w) => wmean(w).mean);
  const scale = replicateScale(opts.type, R);
  const V = replicateVcov(thetas, R, 1, [full.mean], scale, opts.mse);
  const binary = y.every((v) => v === 0 || v === 1);
  const logit = (p: number) => Math.log(p / (1 - p));
  const lt = Float64Array.from(thetas, logit);
  const logitSe = binary && lt.every(Number.isFinite) && Number.isFinite(logit(full.mean)) ? Math.sqrt(replicateVcov(lt, R, 1, [logit(full.mean)], scale, opts.mse)[0]) : null;
  return { ok: true, mean: full.mean, se: Math.sqrt(V[0]), n, total: full.sw, df: R - 1, logitSe };
}
