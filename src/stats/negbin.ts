/**
 * Negative binomial regression for a count outcome, as MASS::glm.nb: log link, Var(Y) = mu + mu^2 /
 * theta, theta estimated by maximum likelihood, alternating (i) IRLS for the coefficients at fixed
 * theta and (ii) Newton's method for theta at fixed fitted means, until neither changes. Standard
 * errors are conditional on theta, (X'WX)^-1 with W = mu / (1 + mu / theta), as `summary()` of a
 * glm.nb fit reports them; theta's own SE is from its observed information (MASS's SE.theta).
 * Coefficients are reported as rate ratios exp(beta), per unit and per SD of the predictor.
 *
 * Counts are integers, so the gamma functions of the likelihood reduce to finite sums:
 * lgamma(theta + y) - lgamma(theta) = sum_{k<y} log(theta + k), and likewise for digamma and
 * trigamma differences; no special functions are needed.
 */
import type { DesignMatrix } from './design.js';
import { cholesky, cholInverse, cholSolve } from './linalg.js';
import { pNormalTwoSided } from './distributions.js';

export interface NegbinCoefficient {
  name: string;
  estimate: number;
  se: number;
  z: number;
  p: number;
  /** exp(estimate): multiplicative change in the expected count per unit of the predictor. */
  rateRatio: number;
  /** exp(estimate x SD of the predictor column) (NaN for the intercept). */
  rateRatioPerSd: number;
}

export interface NegbinFit {
  ok: true;
  n: number;
  coefficients: NegbinCoefficient[];
  theta: number;
  thetaSe: number;
  /** Log-likelihood at (beta, theta), including -log(y!) as R's logLik. */
  logLik: number;
  /** Residual deviance at theta (glm.nb's `deviance`) and twice the log-likelihood-based AIC. */
  deviance: number;
  aic: number;
  converged: boolean;
  iterations: number;
  covariance: Float64Array;
}

export interface NegbinFailure {
  ok: false;
  reason: string;
}

/** IRLS for the log-link NB GLM at fixed theta, from beta (null: glm's start mu = y + 1/6). */
function irlsNb(X: DesignMatrix, y: Float64Array, theta: number, beta: Float64Array | null) {
  const { n, p, data } = X;
  let b = beta;
  let L: Float64Array | null = null;
  const mu = new Float64Array(n);
  let devOld = Infinity;
  for (let it = 0; it < 100; it++) {
    const A = new Float64Array(p * p);
    const r = new Float64Array(p);
    for (let i = 0; i < n; i++) {
      let eta = 0;
      if (b) for (let j = 0; j < p; j++) eta += data[i * p + j] * b[j];
      else eta = Math.log(y[i] + 1 / 6);
      const m = Math.exp(eta);
      const w = m / (1 + m / theta);
      const z = eta + (y[i] - m) / m;
      for (let j = 0; j < p; j++) {
        const wx = w * data[i * p + j];
        r[j] += wx * z;
        for (let k = 0; k <= j; k++) A[j * p + k] += wx * data[i * p + k];
      }
    }
    if (cholesky(A, p) >= 0) return null;
    L = A;
    b = cholSolve(A, p, r);
    let dev = 0;
    for (let i = 0; i < n; i++) {
      let eta = 0;
      for (let j = 0; j < p; j++) eta += data[i * p + j] * b[j];
      mu[i] = Math.exp(eta);
      dev += unitDeviance(y[i], mu[i], theta);
    }
    if (Math.abs(dev - devOld) / (Math.abs(dev) + 0.1) < 1e-15) break;
    devOld = dev;
  }
  return { beta: b as Float64Array, mu, L: L as Float64Array };
}

function unitDeviance(y: number, m: number, theta: number): number {
  if (theta === Infinity) return 2 * ((y > 0 ? y * Math.log(y / m) : 0) - (y - m)); // Poisson
  return 2 * ((y > 0 ? y * Math.log(y / m) : 0) - (y + theta) * Math.log((1 + y / theta) / (1 + m / theta)));
}

/** Score and observed information of theta at fixed means (finite sums for the gamma-function terms). */
function thetaScore(y: Float64Array, mu: Float64Array, th: number): { score: number; info: number } {
  let score = 0;
  let info = 0;
  for (let i = 0; i < y.length; i++) {
    const yi = y[i];
    let dg = 0;
    let tg = 0;
    for (let k = 0; k < yi; k++) {
      dg += 1 / (th + k);
      tg += 1 / ((th + k) * (th + k));
    }
    const mt = mu[i] + th;
    score += dg + Math.log(th) + 1 - Math.log(mt) - (yi + th) / mt;
    info += tg - 1 / th + 2 / mt - (yi + th) / (mt * mt);
  }
  return { score, info };
}

/** theta.ml: Newton on log-likelihood of theta given the means, from the moment estimate. */
function thetaMl(y: Float64Array, mu: Float64Array, start: number | null): number {
  let th: number;
  if (start !== null) th = start;
  else {
    let s = 0;
    for (let i = 0; i < y.length; i++) s += (y[i] / mu[i] - 1) ** 2;
    th = y.length / Math.max(s, 1e-8);
  }
  for (let it = 0; it < 200; it++) {
    const { score, info } = thetaScore(y, mu, th);
    let next: number = th + score / info;
    if (!(next > 0)) next = th / 2;
    const done = Math.abs(next - th) < 1e-13 * th;
    th = next;
    if (done) break;
  }
  return th;
}

/**
 * Log-likelihood, written so that it stays accurate for a very large theta (the Poisson limit, where
 * th log th - (th + y) log(th + mu) cancels catastrophically): sum_{k<y} log((th + k) / (th + mu))
 * - log y! + y log mu - th log(1 + mu / th).
 */
function logLikNb(y: Float64Array, mu: Float64Array, th: number): number {
  let ll = 0;
  for (let i = 0; i < y.length; i++) {
    const yi = y[i];
    const m = mu[i];
    for (let k = 0; k < yi; k++) ll += Math.log1p((k - m) / (th + m)) - Math.log(k + 1);
    ll += (yi > 0 ? yi * Math.log(m) : 0) - th * Math.log1p(m / th);
  }
  return ll;
}

/** Fit the negative binomial regression of the counts `y` on X (with intercept). */
export function fitNegbin(X: DesignMatrix, y: ArrayLike<number>): NegbinFit | NegbinFailure {
  const n = X.n;
  if (y.length !== n) throw new RangeError(`negbin: ${y.length} outcomes for ${n} design rows.`);
  const yy = Float64Array.from(y);
  for (let i = 0; i < n; i++)
    if (!(Number.isInteger(yy[i]) && yy[i] >= 0)) return { ok: false, reason: `A count outcome must be a whole number >= 0, but design row ${i + 1} has ${yy[i]}.` };
  if (n <= X.p) return { ok: false, reason: `Only ${n} respondents for ${X.p} coefficients.` };
  // start as glm.nb: a Poisson fit (theta = Inf), then theta.ml
  let fit = irlsNb(X, yy, Infinity, null);
  if (!fit) return { ok: false, reason: 'The predictors are collinear; remove one.' };
  let theta = thetaMl(yy, fit.mu, null);
  let converged = false;
  let iterations = 0;
  for (let it = 1; it <= 100; it++) {
    iterations = it;
    const next = irlsNb(X, yy, theta, fit.beta);
    if (!next) return { ok: false, reason: 'The information matrix became singular; simplify the model.' };
    fit = next;
    const th = thetaMl(yy, fit.mu, theta);
    const change = Math.abs(th - theta) / theta;
    theta = th;
    if (change < 1e-12) {
      converged = true;
      break;
    }
  }
  // final weights at the converged (beta, theta)
  const { p, data } = X;
  const A = new Float64Array(p * p);
  for (let i = 0; i < n; i++) {
    const w = fit.mu[i] / (1 + fit.mu[i] / theta);
    for (let j = 0; j < p; j++) for (let k = 0; k <= j; k++) A[j * p + k] += w * data[i * p + j] * data[i * p + k];
  }
  cholesky(A, p);
  const cov = cholInverse(A, p);
  let dev = 0;
  for (let i = 0; i < n; i++) dev += unitDeviance(yy[i], fit.mu[i], theta);
  const ll = logLikNb(yy, fit.mu, theta);
  const coefficients = X.names.map((name, j): NegbinCoefficient => {
    const est = fit!.beta[j];
    const se = Math.sqrt(cov[j * p + j]);
    return { name, estimate: est, se, z: est / se, p: pNormalTwoSided(est / se), rateRatio: Math.exp(est), rateRatioPerSd: X.hasIntercept && j === 0 ? NaN : Math.exp(est * columnSd(X, j)) };
  });
  return { ok: true, n, coefficients, theta, thetaSe: 1 / Math.sqrt(thetaScore(yy, fit.mu, theta).info), logLik: ll, deviance: dev, aic: -2 * ll + 2 * (p + 1), converged, iterations, covariance: cov };
}

function columnSd(X: DesignMatrix, j: number): number {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < X.n; i++) s += X.data[i * X.p + j];
  const m = s / X.n;
  for (let i = 0; i < X.n; i++) s2 += (X.data[i * X.p + j] - m) ** 2;
  return Math.sqrt(s2 / (X.n - 1));
}
