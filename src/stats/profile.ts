/**
 * Profile-likelihood confidence intervals for maximum-likelihood logistic regression (as R's
 * `confint()` on a glm, but with the exact roots of the profile instead of confint's spline
 * interpolation), the root finder they share with the Firth version (firth-profile.ts), and the rule
 * that decides when profile intervals should replace Wald intervals.
 *
 * The profile deviance of coefficient j at value b is the smallest deviance over the other
 * coefficients with beta_j held at b. The level-(1 - alpha) limits are the two values of b where it
 * exceeds the minimum deviance by qchisq(1 - alpha, 1). When the profile never rises that far on one
 * side (separation, or a flat likelihood), that limit is infinite.
 */
import type { DesignMatrix } from './design.js';
import { qChiSq } from './distributions.js';
import { newtonFit, newtonPass } from './newton.js';

/** Profile at one value of the held coefficient(s): the minimised criterion and where it was reached. */
export interface ProfilePoint {
  /** Minimised -2 x (penalised) log-likelihood with the held coefficients fixed. */
  dev: number;
  /** Coefficients at that minimum (all p, held ones included). */
  beta: Float64Array;
  converged: boolean;
}

/** Evaluates the profile at `value`, starting the inner fit from `start` (coefficients over all p columns). */
export type ProfileFn = (value: number, start: Float64Array) => ProfilePoint;

/** One profile limit: a finite root, or ±Infinity when the profile stays below the cut-off on that side. */
export interface ProfileLimit {
  value: number;
  /** False when an inner fit failed to converge near the limit (the limit is then unreliable). */
  converged: boolean;
  /** Profile evaluations spent on this limit. */
  evaluations: number;
}

/** Profile interval of one coefficient. */
export interface ProfileInterval {
  name: string;
  estimate: number;
  lower: ProfileLimit;
  upper: ProfileLimit;
}

/**
 * Find the root of profile(b) - devMin - cut on one side of the estimate (direction ±1): step out
 * from the estimate in multiples of `scale` (doubling) until the profile passes the cut-off, then
 * refine the bracket by the Illinois variant of regula falsi to |Δb| <= tol (1 + |b|).
 */
export function profileRoot(
  profile: ProfileFn,
  beta: Float64Array,
  j: number,
  devMin: number,
  cut: number,
  direction: 1 | -1,
  scale: number,
  tol = 1e-10,
): ProfileLimit {
  const est = beta[j];
  let evaluations = 0;
  let converged = true;
  const f = (b: number, start: Float64Array): ProfilePoint & { f: number } => {
    const pt = profile(b, start);
    evaluations++;
    if (!pt.converged) converged = false;
    return { ...pt, f: pt.dev - devMin - cut };
  };
  // bracket: inside point (f < 0) and outside point (f >= 0)
  let bIn = est;
  let fIn = -cut;
  let startIn = beta;
  let step = scale;
  let out: (ProfilePoint & { f: number }) | null = null;
  let bOut = NaN;
  for (let k = 0; k < 60; k++) {
    const b = est + direction * step;
    const pt = f(b, startIn);
    if (!Number.isFinite(pt.f)) break;
    if (pt.f >= 0) {
      out = pt;
      bOut = b;
      break;
    }
    // the profile has flattened: rising by less than 1e-7 over a doubling means it never reaches the cut
    if (k > 4 && pt.f - fIn < 1e-7) break;
    bIn = b;
    fIn = pt.f;
    startIn = pt.beta;
    step *= 2;
  }
  if (!out) return { value: direction * Infinity, converged, evaluations };
  let fOut = out.f;
  let startOut = out.beta;
  let side = 0;
  for (let it = 0; it < 200 && Math.abs(bOut - bIn) > tol * (1 + Math.abs(bOut)); it++) {
    const b = bIn - (fIn * (bOut - bIn)) / (fOut - fIn);
    const bb = Number.isFinite(b) && (b - bIn) * (b - bOut) < 0 ? b : (bIn + bOut) / 2;
    const pt = f(bb, Math.abs(bb - bIn) < Math.abs(bb - bOut) ? startIn : startOut);
    if (pt.f < 0) {
      bIn = bb;
      fIn = pt.f;
      startIn = pt.beta;
      if (side === -1) fOut /= 2;
      side = -1;
    } else {
      bOut = bb;
      fOut = pt.f;
      startOut = pt.beta;
      if (side === 1) fIn /= 2;
      side = 1;
    }
  }
  // linear interpolation within the final (tiny) bracket
  const value = fOut === fIn ? (bIn + bOut) / 2 : bIn - (fIn * (bOut - bIn)) / (fOut - fIn);
  return { value, converged, evaluations };
}

/**
 * The ML profile of a logistic model: deviance minimised over all columns but `held`. The first held
 * column takes `value`; further held columns keep their values in `start` (zeros for a test of a
 * several-column term). Inner fits are warm-started Newton fits (newton.ts).
 */
export function mlProfile(X: DesignMatrix, y: Float64Array, held: readonly number[], epsilon = 1e-13): ProfileFn {
  const free = Int32Array.from({ length: X.p }, (_, k) => k).filter((k) => !held.includes(k));
  return (value, start) => {
    const beta = Float64Array.from(start);
    beta[held[0]] = value;
    const fit = newtonFit(X.data, X.n, X.p, y, free, newtonPass(X.data, X.n, X.p, y, beta), { epsilon, maxit: 100 });
    return { dev: fit.deviance, beta: fit.state.beta, converged: fit.converged && !fit.singular };
  };
}

/**
 * Profile-likelihood CIs of the ML logistic coefficients `columns` (default all), given the ML
 * estimates `beta`, their deviance and standard errors (from `fitLogistic`). Exact roots: they differ
 * from R's `confint()` by its spline interpolation (up to about 1e-4 relative).
 */
export function profileConfint(
  X: DesignMatrix,
  y: Float64Array,
  fit: { beta: ArrayLike<number>; deviance: number; se: ArrayLike<number> },
  opts: { level?: number; columns?: readonly number[] } = {},
): ProfileInterval[] {
  const level = opts.level ?? 0.95;
  const cut = qChiSq(level, 1);
  const beta = Float64Array.from(fit.beta);
  const columns = opts.columns ?? Array.from({ length: X.p }, (_, j) => j);
  return columns.map((j) => {
    const prof = mlProfile(X, y, [j]);
    const scale = Math.sqrt(cut) * fit.se[j];
    return {
      name: X.names[j],
      estimate: beta[j],
      lower: profileRoot(prof, beta, j, fit.deviance, cut, -1, scale),
      upper: profileRoot(prof, beta, j, fit.deviance, cut, 1, scale),
    };
  });
}

/** Why profile intervals were chosen over Wald intervals. */
export type ProfileReason = 'low-epv' | 'large-estimate';

/** Decision of {@link chooseCiMethod}. */
export interface CiMethodChoice {
  method: 'profile' | 'wald';
  /** Events per variable: the smaller outcome class over the number of non-intercept coefficients. */
  epv: number;
  /** Largest |log odds ratio| among the non-intercept coefficients. */
  maxAbsEstimate: number;
  reasons: ProfileReason[];
}

/**
 * The default CI method of an ML logistic fit: profile likelihood when the events per variable are
 * under 20 or any |log OR| exceeds 3 (where Wald intervals are known to mislead), Wald otherwise.
 * `estimates` and `names` exclude nothing: the intercept (name `(Intercept)`) is skipped here.
 */
export function chooseCiMethod(fit: { n: number; nEvents: number; coefficients: ReadonlyArray<{ name: string; estimate: number }> }): CiMethodChoice {
  const slopes = fit.coefficients.filter((c) => c.name !== '(Intercept)');
  const minority = Math.min(fit.nEvents, fit.n - fit.nEvents);
  const epv = slopes.length > 0 ? minority / slopes.length : Infinity;
  const maxAbsEstimate = slopes.reduce((m, c) => Math.max(m, Math.abs(c.estimate)), 0);
  const reasons: ProfileReason[] = [];
  if (epv < 20) reasons.push('low-epv');
  if (maxAbsEstimate > 3) reasons.push('large-estimate');
  return { method: reasons.length ? 'profile' : 'wald', epv, maxAbsEstimate, reasons };
}
