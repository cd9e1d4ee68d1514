/**
 * Proportional-odds (cumulative logit) regression for an ordered outcome with K >= 3 categories, in
 * MASS::polr's parameterisation: logit P(Y <= k) = zeta_k - eta, eta = x'beta (no intercept; the
 * thresholds zeta_1 < ... < zeta_{K-1} take its place), so a positive beta raises the odds of the
 * higher categories. Fitted by Newton's method with the analytic Hessian, whose inverse gives the
 * standard errors (as ordinal::clm; polr's own SEs come from a finite-difference Hessian).
 *
 * The proportional-odds assumption is tested per term by a likelihood-ratio test against the partial
 * proportional-odds model in which that term has its own coefficients for every threshold
 * (logit P(Y <= k) = zeta_k + x_t' tau_k - eta_{-t}; df = (K - 2) x columns of the term), as
 * ordinal::nominal_test.
 *
 * One engine serves both models: every observation has, for each threshold k, a parameter-space row
 * w_k (indicator of zeta_k, -x for the common effects, x_t in the block of tau_k); with a = w_y'theta,
 * b = w_{y-1}'theta, P = F(a) - F(b), u = f(a)/P, v = f(b)/P, the gradient of log P is
 * u w_y - v w_{y-1} and its Hessian (f'(a)/P) w_y w_y' - (f'(b)/P) w_{y-1} w_{y-1}' - g g'.
 */
import type { DesignMatrix } from './design.js';
import { cholesky, cholInverse, cholSolve } from './linalg.js';
import { pChiSq, pNormalTwoSided } from './distributions.js';

export interface PolrCoefficient {
  name: string;
  estimate: number;
  se: number;
  z: number;
  p: number;
  /** exp(estimate): odds ratio of a higher category per unit (coefficients only). */
  oddsRatio: number;
}

export interface PolrFit {
  ok: true;
  n: number;
  /** Number of outcome categories. */
  K: number;
  /** Thresholds zeta_1..zeta_{K-1}, named `level1|level2`, ... */
  thresholds: PolrCoefficient[];
  coefficients: PolrCoefficient[];
  logLik: number;
  deviance: number;
  converged: boolean;
  iterations: number;
  /** Covariance of (thresholds, coefficients), row-major. */
  covariance: Float64Array;
}

export interface PolrFailure {
  ok: false;
  reason: string;
}

interface Engine {
  npar: number;
  /** Writes row w_k of observation i into w (k = 0..K-2 for thresholds 1..K-1). */
  row: (i: number, k: number, w: Float64Array) => void;
}

function engine(X: DesignMatrix, cols: number[], K: number, nominal: number[]): Engine {
  const common = cols.filter((c) => !nominal.includes(c));
  const nc = common.length;
  const nn = nominal.length;
  const npar = K - 1 + nc + nn * (K - 1);
  return {
    npar,
    row: (i, k, w) => {
      w.fill(0);
      w[k] = 1;
      const base = i * X.p;
      for (let a = 0; a < nc; a++) w[K - 1 + a] = -X.data[base + common[a]];
      for (let a = 0; a < nn; a++) w[K - 1 + nc + a * (K - 1) + k] = X.data[base + nominal[a]];
    },
  };
}

const F = (t: number): number => 1 / (1 + Math.exp(-t));

/** Log-likelihood, gradient and negative Hessian at theta. */
function evaluate(e: Engine, n: number, y: Int32Array, K: number, theta: Float64Array): { ll: number; g: Float64Array; H: Float64Array } {
  const q = e.npar;
  const g = new Float64Array(q);
  const H = new Float64Array(q * q);
  const wa = new Float64Array(q);
  const wb = new Float64Array(q);
  const gi = new Float64Array(q);
  let ll = 0;
  for (let i = 0; i < n; i++) {
    const k = y[i];
    let Fa = 1, fa = 0, fpa = 0, Fb = 0, fb = 0, fpb = 0;
    if (k < K - 1) {
      e.row(i, k, wa);
      let a = 0;
      for (let j = 0; j < q; j++) a += wa[j] * theta[j];
      Fa = F(a);
      fa = Fa * (1 - Fa);
      fpa = fa * (1 - 2 * Fa);
    } else wa.fill(0);
    if (k > 0) {
      e.row(i, k - 1, wb);
      let b = 0;
      for (let j = 0; j < q; j++) b += wb[j] * theta[j];
      Fb = F(b);
      fb = Fb * (1 - Fb);
      fpb = fb * (1 - 2 * Fb);
    } else wb.fill(0);
    const P = Fa - Fb;
    if (!(P > 0)) return { ll: -Infinity, g, H };
    ll += Math.log(P);
    const u = fa / P;
    const v = fb / P;
    for (let j = 0; j < q; j++) {
      gi[j] = u * wa[j] - v * wb[j];
      g[j] += gi[j];
    }
    const ca = fpa / P;
    const cb = fpb / P;
    for (let j = 0; j < q; j++)
      for (let m = 0; m <= j; m++) H[j * q + m] -= ca * wa[j] * wa[m] - cb * wb[j] * wb[m] - gi[j] * gi[m];
  }
  for (let j = 0; j < q; j++) for (let m = 0; m < j; m++) H[m * q + j] = H[j * q + m];
  return { ll, g, H };
}

/** Newton-Raphson with step halving from the marginal thresholds; returns theta, ll, covariance. */
function maximise(e: Engine, n: number, y: Int32Array, K: number, start: Float64Array, maxit = 100) {
  let theta = start;
  let cur = evaluate(e, n, y, K, theta);
  let converged = false;
  let iterations = 0;
  for (let it = 1; it <= maxit; it++) {
    iterations = it;
    const L = Float64Array.from(cur.H);
    if (cholesky(L, e.npar, 1e-14) >= 0) break;
    const d = cholSolve(L, e.npar, cur.g);
    let dec = 0;
    for (let j = 0; j < e.npar; j++) dec += d[j] * cur.g[j];
    if (dec < 1e-20 * (1 + Math.abs(cur.ll))) {
      converged = true;
      break;
    }
    let t = 1;
    for (let h = 0; h < 40; h++, t /= 2) {
      const next = Float64Array.from(theta, (v, j) => v + t * d[j]);
      const ev = evaluate(e, n, y, K, next);
      if (ev.ll >= cur.ll - 1e-12 * Math.abs(cur.ll)) {
        theta = next;
        cur = ev;
        break;
      }
    }
  }
  const L = Float64Array.from(cur.H);
  const cov = cholesky(L, e.npar, 1e-14) >= 0 ? null : cholInverse(L, e.npar);
  return { theta, ll: cur.ll, cov, converged, iterations };
}

function checkOutcome(y: ArrayLike<number>, n: number, K: number): Int32Array | PolrFailure {
  if (y.length !== n) throw new RangeError(`polr: ${y.length} outcomes for ${n} design rows.`);
  if (!(Number.isInteger(K) && K >= 3)) return { ok: false, reason: `A proportional-odds model needs an outcome with at least 3 ordered categories, got ${K}.` };
  const yi = new Int32Array(n);
  const seen = new Uint8Array(K);
  for (let i = 0; i < n; i++) {
    const v = y[i];
    if (!(Number.isInteger(v) && v >= 0 && v < K)) return { ok: false, reason: `The ordinal outcome must be coded 0..${K - 1}, but design row ${i + 1} has ${v}; recode it.` };
    yi[i] = v;
    seen[v] = 1;
  }
  const empty = seen.indexOf(0);
  if (empty >= 0) return { ok: false, reason: `Outcome category ${empty + 1} of ${K} has no respondents; merge it with a neighbour.` };
  return yi;
}

function startTheta(y: Int32Array, K: number, npar: number): Float64Array {
  const th = new Float64Array(npar);
  const counts = new Float64Array(K);
  for (const v of y) counts[v]++;
  let cum = 0;
  for (let k = 0; k < K - 1; k++) {
    cum += counts[k];
    th[k] = Math.log(cum / (y.length - cum));
  }
  return th;
}

function predictorColumns(X: DesignMatrix): number[] {
  return Array.from({ length: X.p }, (_, j) => j).filter((j) => !(X.hasIntercept && j === 0));
}

/**
 * Fit the proportional-odds model of `y` (coded 0..K-1 in order) on the columns of X (its intercept
 * column, if any, is left out: the thresholds replace it). `levels` names the categories (default
 * 1..K) for the threshold names `a|b`.
 */
export function fitPolr(X: DesignMatrix, y: ArrayLike<number>, K: number, opts: { levels?: string[] } = {}): PolrFit | PolrFailure {
  const yi = checkOutcome(y, X.n, K);
  if (!(yi instanceof Int32Array)) return yi;
  const cols = predictorColumns(X);
  const e = engine(X, cols, K, []);
  const r = maximise(e, X.n, yi, K, startTheta(yi, K, e.npar));
  if (!r.cov) return { ok: false, reason: 'The information matrix is singular (collinear predictors, or an outcome category predicted perfectly); simplify the model.' };
  const cov = r.cov;
  const lv = opts.levels ?? Array.from({ length: K }, (_, k) => String(k + 1));
  const row = (name: string, j: number, or: boolean): PolrCoefficient => {
    const se = Math.sqrt(cov[j * e.npar + j]);
    const z = r.theta[j] / se;
    return { name, estimate: r.theta[j], se, z, p: pNormalTwoSided(z), oddsRatio: or ? Math.exp(r.theta[j]) : NaN };
  };
  return {
    ok: true,
    n: X.n,
    K,
    thresholds: Array.from({ length: K - 1 }, (_, k) => row(`${lv[k]}|${lv[k + 1]}`, k, false)),
    coefficients: cols.map((c, a) => row(X.names[c], K - 1 + a, true)),
    logLik: r.ll,
    deviance: -2 * r.ll,
    converged: r.converged,
    iterations: r.iterations,
    covariance: cov,
  };
}

/** LR test of the proportional-odds assumption for one term. */
export interface ProportionalOddsTest {
  term: string;
  statistic: number;
  df: number;
  p: number;
  /** False when the partial model did not converge or has fitted probabilities <= 0 (test unavailable: NaN). */
  converged: boolean;
}

/**
 * Per-term likelihood-ratio tests of proportional odds (as ordinal::nominal_test): the term's
 * coefficients are allowed to differ between thresholds. `fit` is the proportional-odds fit.
 */
export function proportionalOddsTests(X: DesignMatrix, y: ArrayLike<number>, fit: PolrFit): ProportionalOddsTest[] {
  const yi = checkOutcome(y, X.n, fit.K) as Int32Array;
  const K = fit.K;
  const cols = predictorColumns(X);
  return X.terms
    .filter((t) => t.kind !== 'intercept' && t.columns.length > 0)
    .map((t) => {
      const e = engine(X, cols, K, t.columns);
      // start at the proportional-odds estimates: tau_k = -beta_t for every k
      const start = new Float64Array(e.npar);
      for (let k = 0; k < K - 1; k++) start[k] = fit.thresholds[k].estimate;
      const common = cols.filter((c) => !t.columns.includes(c));
      common.forEach((c, a) => (start[K - 1 + a] = fit.coefficients[cols.indexOf(c)].estimate));
      t.columns.forEach((c, a) => {
        for (let k = 0; k < K - 1; k++) start[K - 1 + common.length + a * (K - 1) + k] = -fit.coefficients[cols.indexOf(c)].estimate;
      });
      const r = maximise(e, X.n, yi, K, start);
      const df = (K - 2) * t.columns.length;
      const ok = r.converged && Number.isFinite(r.ll);
      const statistic = ok ? Math.max(0, 2 * (r.ll - fit.logLik)) : NaN;
      return { term: t.name, statistic, df, p: ok ? pChiSq(statistic, df, false) : NaN, converged: ok };
    });
}
