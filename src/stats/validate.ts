/**
 * Bootstrap validation of a logistic model as a predictor (Harrell's optimism correction, as
 * rms::validate with method "boot"): the apparent c statistic (AUC) and calibration intercept and
 * slope, each corrected by the average optimism over bootstrap resamples. For each resample the
 * model is refitted on the resample; optimism = (index of that fit on the resample) - (index of that
 * fit on the original data). Calibration slope and intercept on data are those of the logistic
 * regression of the outcome on the fit's linear predictor (on the fitting data, 1 and 0 exactly).
 *
 * Resamples are drawn from the seeded xoshiro128** (stats/rng.ts) as n row indices each and fitted
 * as frequency weights over the original rows (glm on the resample), so R can replay them.
 */
import { auc } from './auc.js';
import type { DesignMatrix } from './design.js';
import { irlsLogit } from './irls.js';
import { viewOf } from './logistic.js';
import { Rng } from './rng.js';

export interface ValidatedIndex {
  apparent: number;
  /** Mean over resamples of (index on the resample) - (index on the original data). */
  optimism: number;
  corrected: number;
}

export interface Validation {
  ok: true;
  resamples: number;
  /** Resamples whose fit did not converge or had one outcome class (left out). */
  failed: number;
  seed: number;
  auc: ValidatedIndex;
  calibrationIntercept: ValidatedIndex;
  calibrationSlope: ValidatedIndex;
  /** With keepResamples: each resample's drawn rows (0-based). */
  draws: Uint32Array[] | null;
}

export interface ValidationFailure {
  ok: false;
  reason: string;
}

/** Calibration intercept and slope: logistic regression of y on the linear predictor lp. */
export function calibration(lp: Float64Array, y: Float64Array): { intercept: number; slope: number; converged: boolean } {
  const n = lp.length;
  const data = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    data[2 * i] = 1;
    data[2 * i + 1] = lp[i];
  }
  const r = irlsLogit({ data, n, stride: 2, cols: Int32Array.of(0, 1) }, y, { epsilon: 1e-12, maxit: 100 });
  return { intercept: r.beta[0], slope: r.beta[1], converged: r.converged };
}

function linearPredictor(X: DesignMatrix, beta: Float64Array): Float64Array {
  const lp = new Float64Array(X.n);
  for (let i = 0; i < X.n; i++) {
    let e = 0;
    for (let j = 0; j < X.p; j++) e += X.data[i * X.p + j] * beta[j];
    lp[i] = e;
  }
  return lp;
}

function aucOf(lp: ArrayLike<number>, y: ArrayLike<number>): number {
  const r = auc(lp, y);
  return r.ok ? r.auc : NaN;
}

/**
 * Optimism-corrected AUC and calibration of the ML logistic model of `y` on `X` over `resamples`
 * bootstrap resamples (default 200), seeded.
 */
export function validateLogistic(
  X: DesignMatrix,
  y: Float64Array,
  opts: { resamples?: number; seed?: number; keepResamples?: boolean } = {},
): Validation | ValidationFailure {
  const B = opts.resamples ?? 200;
  const seed = opts.seed ?? 1;
  const n = X.n;
  const view = viewOf(X);
  const full = irlsLogit(view, y, { epsilon: 1e-12, maxit: 100 });
  if (!full.converged) return { ok: false, reason: 'The model did not converge on the full data; bootstrap validation needs a converged fit.' };
  const apparentAuc = aucOf(linearPredictor(X, full.beta), y);
  const rng = new Rng(seed, 0x7a11d);
  const w = new Float64Array(n);
  const opt = { auc: 0, intercept: 0, slope: 0 };
  let used = 0;
  const draws: Uint32Array[] | null = opts.keepResamples ? [] : null;
  for (let b = 0; b < B; b++) {
    w.fill(0);
    const rows = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      rows[i] = rng.int(n);
      w[rows[i]]++;
    }
    if (draws) draws.push(rows);
    const fit = irlsLogit(view, y, { epsilon: 1e-12, maxit: 100, weights: w });
    if (!fit.converged || !fit.covariance) continue;
    const lp = linearPredictor(X, fit.beta);
    const yb = Float64Array.from(rows, (r) => y[r]);
    const aucTrain = aucOf(Float64Array.from(rows, (r) => lp[r]), yb);
    const test = calibration(lp, y);
    if (!Number.isFinite(aucTrain) || !test.converged) continue;
    used++;
    opt.auc += aucTrain - aucOf(lp, y);
    opt.intercept += 0 - test.intercept;
    opt.slope += 1 - test.slope;
  }
  if (used === 0) return { ok: false, reason: 'No bootstrap resample gave a converged fit.' };
  const idx = (apparent: number, total: number): ValidatedIndex => ({ apparent, optimism: total / used, corrected: apparent - total / used });
  return {
    ok: true,
    resamples: B,
    failed: B - used,
    seed,
    auc: idx(apparentAuc, opt.auc),
    calibrationIntercept: idx(0, opt.intercept),
    calibrationSlope: idx(1, opt.slope),
    draws,
  };
}
