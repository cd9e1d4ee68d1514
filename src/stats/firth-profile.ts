/**
 * Inference for Firth's penalised-likelihood logistic regression as `logistf` gives it by default
 * (Heinze & Schemper 2002): profile penalised-likelihood confidence limits and penalised
 * likelihood-ratio tests, both from the penalised log-likelihood l*(b) = l(b) + 0.5 log det I(b),
 * where the profile holds one coefficient (or a term's coefficients) fixed and maximises l* over the
 * others with the penalty of the full model's information matrix. Plus FLIC (Puhr et al. 2017), the
 * intercept correction that makes the average predicted probability equal the observed event rate.
 *
 * Wald intervals from the Firth fit are symmetric on the log-odds scale and too narrow or too wide
 * where the penalised likelihood is skewed (small samples, separation); the profile limits follow it.
 */
import type { DesignMatrix } from './design.js';
import { pChiSq, qChiSq } from './distributions.js';
import { firthLogit } from './irls.js';
import { viewOf } from './logistic.js';
import { profileRoot, type ProfileFn, type ProfileLimit } from './profile.js';

/** Penalised LR test of one coefficient or term: 2 (l*(full) - l*(held at 0)). */
export interface PenalizedLrTest {
  /** Column name (per coefficient) or term name (per term). */
  name: string;
  statistic: number;
  df: number;
  p: number;
  converged: boolean;
}

/** One coefficient under Firth: estimate, profile penalised-likelihood limits, penalised LR test. */
export interface FirthCoefficient {
  name: string;
  estimate: number;
  /** Wald SE from the inverse information at the estimates (for reference; not used for the CI). */
  se: number;
  lower: ProfileLimit;
  upper: ProfileLimit;
  test: PenalizedLrTest;
}

export interface FirthInference {
  ok: true;
  /** Penalised log-likelihood at the estimates. */
  penalizedLogLik: number;
  level: number;
  coefficients: FirthCoefficient[];
  /** Penalised LR test of every non-intercept term (all its columns held at 0; df = columns). */
  termTests: PenalizedLrTest[];
  converged: boolean;
}

export interface FirthInferenceFailure {
  ok: false;
  reason: string;
}

/** The penalised profile: -2 l* maximised over all columns but `held` (first held column at `value`). */
export function firthProfile(X: DesignMatrix, y: Float64Array, held: readonly number[]): ProfileFn {
  const view = viewOf(X);
  return (value, start) => {
    const s = Float64Array.from(start);
    s[held[0]] = value;
    const r = firthLogit(view, y, { start: s, held, tolerance: 1e-11, maxit: 500 });
    return { dev: -2 * r.penalizedLogLik, beta: r.beta, converged: r.converged && Number.isFinite(r.penalizedLogLik) };
  };
}

/** Penalised LR test of holding `cols` at zero. */
function penalizedTest(X: DesignMatrix, y: Float64Array, beta: Float64Array, pll: number, cols: readonly number[], name: string): PenalizedLrTest {
  const start = Float64Array.from(beta);
  for (const c of cols) start[c] = 0;
  const pt = firthProfile(X, y, cols)(0, start);
  const statistic = Math.max(0, pt.dev + 2 * pll);
  return { name, statistic, df: cols.length, p: pChiSq(statistic, cols.length, false), converged: pt.converged };
}

/**
 * Firth fit of the 0/1 outcome `y` on `X` with profile penalised-likelihood CIs and penalised LR
 * tests of every coefficient (as logistf's defaults) and of every term.
 */
export function firthInference(X: DesignMatrix, y: Float64Array, opts: { level?: number } = {}): FirthInference | FirthInferenceFailure {
  const level = opts.level ?? 0.95;
  const cut = qChiSq(level, 1);
  const fit = firthLogit(viewOf(X), y, { tolerance: 1e-11, maxit: 500 });
  if (!fit.covariance) return { ok: false, reason: 'The information matrix is singular (collinear predictors); the Firth fit cannot be computed.' };
  const { beta, penalizedLogLik: pll, covariance: cov } = fit;
  const devMin = -2 * pll;
  let converged = fit.converged;
  const coefficients = X.names.map((name, j): FirthCoefficient => {
    const se = Math.sqrt(cov[j * X.p + j]);
    const prof = firthProfile(X, y, [j]);
    const lower = profileRoot(prof, beta, j, devMin, cut, -1, Math.sqrt(cut) * se);
    const upper = profileRoot(prof, beta, j, devMin, cut, 1, Math.sqrt(cut) * se);
    const test = penalizedTest(X, y, beta, pll, [j], name);
    converged &&= lower.converged && upper.converged && test.converged;
    return { name, estimate: beta[j], se, lower, upper, test };
  });
  const termTests = X.terms
    .filter((t) => t.kind !== 'intercept' && t.columns.length > 0)
    .map((t) => penalizedTest(X, y, beta, pll, t.columns, t.name));
  return { ok: true, penalizedLogLik: pll, level, coefficients, termTests, converged };
}

/** FLIC result: the re-estimated intercept and the corrected fitted probabilities. */
export interface FlicResult {
  intercept: number;
  fitted: Float64Array;
}

/**
 * FLIC (Puhr et al. 2017): keep the Firth slopes, re-estimate the intercept by maximum likelihood
 * with the slopes' linear predictor as an offset, so that the fitted probabilities average to the
 * observed event rate (Firth's own intercept biases them towards 1/2). X must have an intercept in
 * column 0; `beta` are the Firth estimates.
 */
export function flic(X: DesignMatrix, y: Float64Array, beta: ArrayLike<number>): FlicResult {
  if (!X.hasIntercept) throw new RangeError('flic: the design has no intercept to correct.');
  const { n, p, data } = X;
  const offset = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let e = 0;
    for (let j = 1; j < p; j++) e += data[i * p + j] * beta[j];
    offset[i] = e;
  }
  let events = 0;
  for (let i = 0; i < n; i++) events += y[i];
  // Newton on the one-parameter score sum(y - mu) = 0 (concave log-likelihood; start at Firth's intercept)
  let a = beta[0];
  for (let it = 0; it < 100; it++) {
    let s = events;
    let h = 0;
    for (let i = 0; i < n; i++) {
      const m = 1 / (1 + Math.exp(-(a + offset[i])));
      s -= m;
      h += m * (1 - m);
    }
    const d = s / h;
    a += Math.max(-5, Math.min(5, d));
    if (Math.abs(d) < 1e-13 * (1 + Math.abs(a))) break;
  }
  const fitted = Float64Array.from(offset, (o) => 1 / (1 + Math.exp(-(a + o))));
  return { intercept: a, fitted };
}
