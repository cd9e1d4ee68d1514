/**
 * Logistic regression for a binary outcome: maximum likelihood (IRLS, as R's `glm`) or Firth's
 * bias-reduced fit, with everything the report needs in one plain result object (like R's
 * `summary.glm`): coefficient table with Wald z tests, Wald CIs and odds ratios; deviances,
 * log-likelihood and AIC; likelihood-ratio tests of the whole model and of each term (drop one);
 * McFadden and Nagelkerke R²; the c statistic with its DeLong CI; Hosmer–Lemeshow; VIF; and a
 * separation check.
 */
import { pChiSq, pNormalTwoSided, qNormal } from './distributions.js';
import type { DesignMatrix } from './design.js';
import { firthLogit, irlsLogit, nullDeviance, singularColumn, type DesignView } from './irls.js';
import { auc, type AucFailure, type AucResult } from './auc.js';
import { hosmerLemeshow, type HosmerLemeshowFailure, type HosmerLemeshowResult } from './hosmer-lemeshow.js';
import { vif, type VifFailure, type VifResult } from './vif.js';
import { detectSeparation, type SeparationResult } from './separation.js';

/** Options of {@link fitLogistic}. */
export interface LogisticOptions {
  /** 'ml' (default): maximum likelihood by IRLS. 'firth': Firth's bias-reduced estimates. */
  method?: 'ml' | 'firth';
  /** IRLS iteration limit (default 25 as glm.control; 200 for Firth). */
  maxit?: number;
  /** IRLS convergence tolerance on the relative deviance change (default 1e-8 as glm.control). */
  epsilon?: number;
  /** Confidence level of the Wald and DeLong intervals (default 0.95). */
  level?: number;
  /** Likelihood-ratio test of each term, dropping it (default true; ML only). */
  termTests?: boolean;
  /** c statistic, Hosmer–Lemeshow, VIF (default true). */
  diagnostics?: boolean;
  /** Run the linear-programming separation check (default true). */
  separationCheck?: boolean;
  /** Hosmer–Lemeshow groups (default 10). */
  hlGroups?: number;
}

/** One row of the coefficient table. */
export interface CoefficientRow {
  /** Column name: `(Intercept)`, a numeric variable, or `variable=level`. */
  name: string;
  /** The term (variable) this column belongs to. */
  term: string;
  estimate: number;
  se: number;
  z: number;
  /** Two-sided Wald p-value, 2 P[Z > |z|]. */
  p: number;
  /** Wald CI: estimate ± z(1 - (1 - level)/2) SE (R's `confint.default`). */
  lower: number;
  upper: number;
  oddsRatio: number;
  orLower: number;
  orUpper: number;
}

/** A likelihood-ratio chi-square test. */
export interface LrTest {
  statistic: number;
  df: number;
  p: number;
}

/** Drop-one likelihood-ratio test of a term (R: `drop1(fit, test = "LRT")`). */
export interface TermTest extends LrTest {
  term: string;
  /** Design columns of the term. */
  columns: string[];
  /** Residual deviance of the model without the term. */
  deviance: number;
  /** False when the reduced model did not converge (the test is then unreliable). */
  converged: boolean;
}

/** A fitted logistic regression. */
export interface LogisticFit {
  ok: true;
  method: 'ml' | 'firth';
  /** Respondents used, and how many had the outcome (y = 1). */
  n: number;
  nEvents: number;
  converged: boolean;
  iterations: number;
  /** Fitted probabilities numerically 0 or 1 occurred (R's glm warning; a sign of separation). */
  boundary: boolean;
  coefficients: CoefficientRow[];
  /** Covariance matrix of the estimates, row-major p x p, in coefficient order. */
  covariance: Float64Array;
  /** Confidence intervals are Wald intervals (for Firth too: profile-penalised-likelihood intervals are not computed). */
  ciMethod: 'Wald';
  level: number;
  /** Residual and null deviance (-2 log-likelihood; the null model is intercept-only on the same respondents). */
  deviance: number;
  nullDeviance: number;
  dfResidual: number;
  dfNull: number;
  /** Log-likelihood at the estimates (unpenalised, also for Firth). */
  logLik: number;
  /** Firth only: penalised log-likelihood l + 0.5 log det(I). */
  penalizedLogLik: number | null;
  /** AIC = deviance + 2 p (ML; for Firth computed the same way from the unpenalised deviance). */
  aic: number;
  /** LR test of all predictors against the intercept-only model (ML only; null for Firth). */
  lrTest: LrTest | null;
  /** Drop-one LR test per term (ML only; null for Firth or when disabled). */
  termTests: TermTest[] | null;
  /** McFadden 1 - LL/LL0 and Nagelkerke R² (from the unpenalised log-likelihood). */
  r2McFadden: number;
  r2Nagelkerke: number;
  /** c statistic (AUC of the fitted probabilities) with DeLong CI; null when diagnostics are off. */
  cStatistic: AucResult | AucFailure | null;
  hosmerLemeshow: HosmerLemeshowResult | HosmerLemeshowFailure | null;
  vif: VifResult | VifFailure | null;
  /** Separation check (null when disabled). */
  separation: SeparationResult | null;
  /** Fitted probabilities and linear predictor, one per design row. */
  fitted: Float64Array;
  linearPredictor: Float64Array;
}

/** Why a model could not be fitted. */
export type LogisticFailureCode =
  | 'no-respondents'
  | 'outcome-not-binary'
  | 'one-outcome-class'
  | 'too-few-respondents'
  | 'constant-predictor'
  | 'collinear-predictors'
  | 'missing-values';

/** A model that could not be fitted, with a sentence saying why. */
export interface LogisticFailure {
  ok: false;
  code: LogisticFailureCode;
  reason: string;
  n: number;
}

export type LogisticResult = LogisticFit | LogisticFailure;

/** Full-design view for the IRLS engines. */
export function viewOf(X: DesignMatrix, cols?: readonly number[]): DesignView {
  return { data: X.data, n: X.n, stride: X.p, cols: Int32Array.from(cols ?? Array.from({ length: X.p }, (_, j) => j)) };
}

function termOf(X: DesignMatrix): string[] {
  const t = new Array<string>(X.p).fill('');
  for (const term of X.terms) for (const c of term.columns) t[c] = term.name;
  return t;
}

/**
 * Check the design and outcome for the degenerate cases; returns a failure or null.
 * Exported for dominance analysis.
 */
export function checkLogisticInput(X: DesignMatrix, y: ArrayLike<number>): LogisticFailure | null {
  const n = X.n;
  if (y.length !== n) throw new RangeError(`fitLogistic: ${y.length} outcomes for ${n} design rows.`);
  if (n === 0) return { ok: false, code: 'no-respondents', n, reason: 'No respondent has complete data for this model.' };
  let events = 0;
  for (let i = 0; i < n; i++) {
    const v = y[i];
    if (v === 1) events++;
    else if (v !== 0) {
      if (Number.isNaN(v)) return { ok: false, code: 'missing-values', n, reason: `The outcome is missing for design row ${i + 1}; drop incomplete rows first (buildDesign does).` };
      return { ok: false, code: 'outcome-not-binary', n, reason: `The outcome must be coded 0/1, but design row ${i + 1} has ${v}; recode it.` };
    }
  }
  for (let k = 0; k < X.data.length; k++)
    if (!Number.isFinite(X.data[k]))
      return { ok: false, code: 'missing-values', n, reason: `Predictor "${X.names[k % X.p]}" is missing or not finite in design row ${Math.floor(k / X.p) + 1}; drop incomplete rows first.` };
  if (events === 0 || events === n)
    return { ok: false, code: 'one-outcome-class', n, reason: `All ${n} respondents have outcome ${events === 0 ? 0 : 1}; a logistic model needs both outcomes.` };
  if (n <= X.p)
    return { ok: false, code: 'too-few-respondents', n, reason: `Only ${n} respondents for ${X.p} coefficients; a model needs more respondents than coefficients (and in practice about 10 events per predictor).` };
  // constant predictors (other than the intercept)
  for (let j = 0; j < X.p; j++) {
    if (X.hasIntercept && j === 0) continue;
    const v0 = X.data[j];
    let constant = true;
    for (let i = 1; i < n && constant; i++) if (X.data[i * X.p + j] !== v0) constant = false;
    if (constant)
      return { ok: false, code: 'constant-predictor', n, reason: `Predictor "${X.names[j]}" has the same value (${v0}) for all ${n} respondents; remove it from the model.` };
  }
  // exact collinearity (pivot of the Cholesky factor of X'X below 1e-10 of its diagonal)
  const sing = singularColumn(viewOf(X), y as Float64Array);
  if (sing >= 0)
    return {
      ok: false,
      code: 'collinear-predictors',
      n,
      reason: `Predictor "${X.names[sing]}" is a linear combination of the predictors before it (perfect collinearity); remove it or one of those it depends on.`,
    };
  return null;
}

/** The coefficient table: Wald z tests, Wald CIs and odds ratios (summary.glm, confint.default). */
function coefficientTable(X: DesignMatrix, beta: Float64Array, cov: Float64Array, level: number): CoefficientRow[] {
  const p = X.p;
  const z = qNormal(1 - (1 - level) / 2);
  const terms = termOf(X);
  const coefficients: CoefficientRow[] = [];
  for (let j = 0; j < p; j++) {
    const est = beta[j];
    const se = Math.sqrt(cov[j * p + j]);
    const zz = est / se;
    const lower = est - z * se;
    const upper = est + z * se;
    coefficients.push({
      name: X.names[j],
      term: terms[j],
      estimate: est,
      se,
      z: zz,
      p: pNormalTwoSided(zz),
      lower,
      upper,
      oddsRatio: Math.exp(est),
      orLower: Math.exp(lower),
      orUpper: Math.exp(upper),
    });
  }
  return coefficients;
}

/** Drop-one likelihood-ratio test of each term (R: drop1(fit, test = "LRT")). */
function dropOneTests(X: DesignMatrix, y: Float64Array, deviance: number, opts: LogisticOptions): TermTest[] {
  const p = X.p;
  const termTests: TermTest[] = [];
  for (const t of X.terms) {
    if (t.kind === 'intercept' || t.columns.length === 0) continue;
    const keep = [];
    for (let j = 0; j < p; j++) if (!t.columns.includes(j)) keep.push(j);
    let devR: number;
    let conv = true;
    if (keep.length === 0) devR = nullDeviance(y, false);
    else {
      const r = irlsLogit(viewOf(X, keep), y, { maxit: opts.maxit, epsilon: opts.epsilon });
      devR = r.deviance;
      conv = r.converged;
    }
    const stat1 = devR - deviance;
    const df1 = t.columns.length;
    termTests.push({
      term: t.name,
      columns: t.columns.map((c) => X.names[c]),
      deviance: devR,
      statistic: stat1,
      df: df1,
      p: pChiSq(Math.max(stat1, 0), df1, false),
      converged: conv,
    });
  }
  return termTests;
}

/**
 * Fit a logistic regression of the 0/1 outcome `y` on the design matrix `X` (build it with
 * `buildDesign`, which also drops incomplete rows). Degenerate inputs (one outcome class, a
 * constant or collinear predictor, no more respondents than coefficients) give `ok: false` with a
 * reason, never NaN. Non-convergence, fitted probabilities at 0 or 1 and separation are reported in
 * `converged`, `boundary` and `separation`, never hidden; the caller words them.
 */
export function fitLogistic(X: DesignMatrix, y: Float64Array, opts: LogisticOptions = {}): LogisticResult {
  const bad = checkLogisticInput(X, y);
  if (bad) return bad;
  const method = opts.method ?? 'ml';
  const level = opts.level ?? 0.95;
  const n = X.n;
  const p = X.p;
  const view = viewOf(X);

  let beta: Float64Array;
  let cov: Float64Array | null;
  let deviance: number;
  let converged: boolean;
  let iterations: number;
  let mu: Float64Array;
  let eta: Float64Array;
  let boundary: boolean;
  let pll: number | null = null;
  if (method === 'ml') {
    const r = irlsLogit(view, y, { maxit: opts.maxit, epsilon: opts.epsilon, keepFitted: true });
    ({ beta, covariance: cov, deviance, converged, iterations, boundary } = r);
    mu = r.mu as Float64Array;
    eta = r.eta as Float64Array;
  } else {
    const r = firthLogit(view, y, { maxit: opts.maxit });
    ({ beta, covariance: cov, deviance, converged, iterations, mu, eta, boundary } = r);
    pll = r.penalizedLogLik;
  }
  if (!cov) {
    return { ok: false, code: 'collinear-predictors', n, reason: 'The information matrix became singular during fitting (near-perfect collinearity or extreme separation); simplify the model.' };
  }

  const coefficients = coefficientTable(X, beta, cov, level);

  const nullDev = nullDeviance(y, X.hasIntercept);
  let events = 0;
  for (let i = 0; i < n; i++) events += y[i];
  const logLik = -deviance / 2;
  const ll0 = -nullDev / 2;
  const r2McFadden = 1 - logLik / ll0;
  const r2Nagelkerke = (1 - Math.exp((deviance - nullDev) / n)) / (1 - Math.exp(-nullDev / n));
  const dfNull = X.hasIntercept ? n - 1 : n;
  const dfResidual = n - p;

  let lrTest: LrTest | null = null;
  let termTests: TermTest[] | null = null;
  if (method === 'ml') {
    const df = dfNull - dfResidual;
    const stat = nullDev - deviance;
    lrTest = { statistic: stat, df, p: df > 0 ? pChiSq(Math.max(stat, 0), df, false) : 1 };
    if (opts.termTests !== false) termTests = dropOneTests(X, y, deviance, opts);
  }

  const diag = opts.diagnostics !== false;
  // a converged ML fit usually certifies that there is no separation, without the linear programs
  const separation = opts.separationCheck === false ? null : detectSeparation(X, y, method === 'ml' && converged ? { fitted: mu } : {});

  return {
    ok: true,
    method,
    n,
    nEvents: events,
    converged,
    iterations,
    boundary,
    coefficients,
    covariance: cov,
    ciMethod: 'Wald',
    level,
    deviance,
    nullDeviance: nullDev,
    dfResidual,
    dfNull,
    logLik,
    penalizedLogLik: pll,
    aic: deviance + 2 * p,
    lrTest,
    termTests,
    r2McFadden,
    r2Nagelkerke,
    cStatistic: diag ? auc(mu, y, level) : null,
    hosmerLemeshow: diag ? hosmerLemeshow(y, mu, opts.hlGroups ?? 10) : null,
    vif: diag ? vif(X) : null,
    separation,
    fitted: mu,
    linearPredictor: eta,
  };
}
