/**
 * Profile-likelihood interval of the random-intercept SD of a fitted random-intercept logistic
 * model (glmm.ts), as lme4's `confint(fit, parm = "theta_", method = "profile")` but with exact roots
 * instead of its spline interpolation: the limits are the SDs theta at which the profile deviance
 * d(theta) = min over beta of the model's deviance (Laplace or AGQ, as fitted) exceeds the minimum by
 * qchisq(level, 1). The lower limit is 0 when d(0) (the ordinary logistic model) is within that
 * distance, so the interval is honest at and near the tau = 0 boundary, where the Wald interval on
 * log SD (GlmmFit.sdCi) is not defined.
 * d(theta) is computed by Newton steps in beta with theta fixed (beta block of the Hessian from the
 * same pass, exact gradient), warm-started from the neighbouring point; roots by bisection safeguarded
 * secant steps (Illinois) to 1e-8 in theta.
 */
import { qChiSq } from './distributions.js';
import { cholesky, cholSolve } from './linalg.js';
import { clusterData, glmmDeviance, glmmWork, type GlmmFit, type GlmmInput, type GlmmWork } from './glmm.js';

/** min over beta of the deviance at a fixed theta, from beta (updated in place to the minimiser). */
function profileDeviance(work: GlmmWork, theta: number, beta: Float64Array): number {
  const p = beta.length;
  const phi = Float64Array.of(theta, ...beta);
  const grad = new Float64Array(p + 1);
  const info = new Float64Array(p * p);
  let dev = glmmDeviance(work, phi, grad, info);
  for (let it = 0; it < 100; it++) {
    const L = Float64Array.from(info);
    if (cholesky(L, p, 1e-14) >= 0) break;
    const step = cholSolve(L, p, grad.subarray(1));
    let dec = 0;
    for (let j = 0; j < p; j++) dec += grad[1 + j] * step[j];
    if (dec < 1e-12) break;
    let t = 1;
    for (; t > 1e-8; t /= 2) {
      const trial = Float64Array.from(phi);
      for (let j = 0; j < p; j++) trial[1 + j] -= t * step[j];
      const tg = new Float64Array(p + 1);
      const ti = new Float64Array(p * p);
      const d = glmmDeviance(work, trial, tg, ti);
      if (d <= dev - 1e-4 * t * dec || (t === 1 && dec < 1e-6)) {
        phi.set(trial);
        grad.set(tg);
        info.set(ti);
        dev = d;
        break;
      }
    }
    if (t <= 1e-8) break;
  }
  beta.set(phi.subarray(1));
  return dev;
}

/** Root of f in [a, b] (f(a), f(b) of opposite signs) by the Illinois method, to tol in x. */
function illinois(f: (x: number) => number, a: number, b: number, fa: number, fb: number, tol: number): number {
  let side = 0;
  for (let it = 0; it < 200 && Math.abs(b - a) > tol; it++) {
    const c = (a * fb - b * fa) / (fb - fa);
    const fc = f(c);
    if (fc * fb > 0) {
      b = c;
      fb = fc;
      if (side === -1) fa /= 2;
      side = -1;
    } else {
      a = c;
      fa = fc;
      if (side === 1) fb /= 2;
      side = 1;
    }
    if (fc === 0) return c;
  }
  return 0.5 * (a + b);
}

export interface SdProfileInterval {
  lower: number;
  upper: number;
  /** The minimum deviance the limits are measured from (the fit's). */
  deviance: number;
  /** Deviance evaluations used. */
  evaluations: number;
}

/** Profile interval of the SD for a fit of `inp` (same input and nAGQ as the fit). */
export function glmmSdProfile(inp: GlmmInput, fit: GlmmFit, level = 0.95): SdProfileInterval {
  const d = clusterData(inp.columns, inp.y, inp.cluster);
  const work = glmmWork(d, fit.nAGQ);
  const betaHat = Float64Array.from(fit.coefficients, (c) => c.estimate);
  const target = fit.deviance + qChiSq(level, 1);
  const theta = fit.sd;
  const beta = Float64Array.from(betaHat);
  const f = (t: number): number => profileDeviance(work, t, beta) - target;
  // lower limit
  beta.set(betaHat);
  const f0 = f(0);
  let lower = 0;
  if (f0 > 0 && theta > 0) {
    beta.set(betaHat);
    lower = illinois(f, 0, theta, f0, fit.deviance - target, 1e-8 * Math.max(theta, 1e-3));
  }
  // upper limit: step out from the estimate until the profile deviance passes the target
  beta.set(betaHat);
  let lo = theta;
  let flo = fit.deviance - target;
  let hi = Math.max(2 * theta, theta + 0.5);
  let fhi = f(hi);
  while (fhi < 0 && hi < 100) {
    lo = hi;
    flo = fhi;
    hi *= 2;
    fhi = f(hi);
  }
  const upper = fhi < 0 ? Infinity : illinois(f, lo, hi, flo, fhi, 1e-8 * hi);
  return { lower, upper, deviance: fit.deviance, evaluations: work.evaluations };
}
