/**
 * Dominance analysis of the trait predictors of a logistic model (Budescu 1993; Azen & Traxel 2009
 * for logistic regression), with McFadden's R² = 1 - LL / LL0 (LL0: intercept-only model on the
 * same respondents) and the covariates C in every model.
 *
 * For trait j, the conditional dominance at subset size s is the mean, over all subsets S of the
 * other traits with |S| = s, of R²(S ∪ {j} ∪ C) - R²(S ∪ C); the general dominance weight is the
 * mean of the conditional dominances over s = 0..p-1. The weights sum to R²(all traits ∪ C) - R²(C).
 * Rank 1 = largest weight. All 2^p models are fitted on the same respondents (the design's rows) by
 * the same IRLS as `glm`.
 */
import type { DesignMatrix } from './design.js';
import { pChiSq } from './distributions.js';
import { irlsLogit, nullDeviance } from './irls.js';
import { checkLogisticInput, viewOf } from './logistic.js';
import { newtonFit, newtonPass, newtonStep, type NewtonState, type PassPool } from './newton.js';

function popcount(m: number): number {
  let c = 0;
  while (m) {
    m &= m - 1;
    c++;
  }
  return c;
}

/** Dominance of one trait. */
export interface TraitDominance {
  term: string;
  /** General dominance weight (McFadden R² units). */
  general: number;
  /** general / (R²(all) - R²(C)): the trait's share of the variance the traits explain together. */
  share: number;
  /** 1 = largest weight. Ties share the smaller rank. */
  rank: number;
  /** Conditional dominance for subset sizes 0..p-1 (index = size of the subset of other traits). */
  conditional: number[];
}

export interface DominanceResult {
  ok: true;
  n: number;
  /** Traits in the order given. */
  traits: TraitDominance[];
  /** McFadden R² of the model with all traits and the covariates, and of the covariates alone. */
  r2Full: number;
  r2Covariates: number;
  /** Covariate terms included in every model. */
  covariates: string[];
  /** Number of models fitted (2^p). */
  models: number;
  /** Trait subsets (term names joined by '+', covariates implied) whose fit did not converge. */
  nonConverged: string[];
  /**
   * With `termTests`: the drop-one likelihood-ratio test of every term of the full model (traits and
   * covariates; R's `drop1(test = "LRT")`), from the same fits (a trait's reduced model is one of the
   * 2^p models; a covariate's is fitted from the full model's estimates). Null otherwise.
   */
  termTests: DominanceTermTest[] | null;
}

/** Drop-one likelihood-ratio test of one term of the full model. */
export interface DominanceTermTest {
  term: string;
  df: number;
  /** Deviance of the model without the term, minus that of the full model. */
  statistic: number;
  p: number;
  /** Deviance of the model without the term. */
  deviance: number;
  converged: boolean;
}

export interface DominanceFailure {
  ok: false;
  reason: string;
}

/** Fixed structure of a dominance analysis: design, traits' columns, covariate columns. */
export interface DominanceSetup {
  X: DesignMatrix;
  y: Float64Array;
  traits: readonly string[];
  termCols: number[][];
  covCols: number[];
  covariates: string[];
}

/** Check the inputs of a dominance analysis; a failure, or the setup of the 2^p fits. */
export function dominanceSetup(X: DesignMatrix, y: Float64Array, traits: readonly string[]): DominanceSetup | DominanceFailure {
  if (!X.hasIntercept) return { ok: false, reason: 'Dominance analysis needs a model with an intercept.' };
  const p = traits.length;
  if (p < 1) return { ok: false, reason: 'Dominance analysis needs at least one trait.' };
  if (p > 15) return { ok: false, reason: `Dominance analysis over ${p} traits would need 2^${p} models; use at most 15.` };
  const termCols = traits.map((t) => {
    const term = X.terms.find((u) => u.name === t);
    if (!term) throw new RangeError(`dominance: "${t}" is not a term of the design (terms: ${X.terms.map((u) => u.name).join(', ')}).`);
    if (term.kind === 'intercept') throw new RangeError('dominance: the intercept cannot be a trait.');
    return term.columns;
  });
  const bad = checkLogisticInput(X, y);
  if (bad) return { ok: false, reason: bad.reason };
  const traitCols = new Set(termCols.flat());
  const covCols: number[] = [];
  for (let j = 0; j < X.p; j++) if (!traitCols.has(j)) covCols.push(j);
  const covariates = X.terms.filter((t) => t.kind !== 'intercept' && t.columns.length > 0 && !traits.includes(t.name)).map((t) => t.name);
  return { X, y, traits, termCols, covCols, covariates };
}

/** Design columns (ascending) of the model with the traits in bit mask `mask` and all covariates. */
export function modelColumns(setup: DominanceSetup, mask: number): Int32Array {
  const cols = setup.covCols.slice();
  setup.termCols.forEach((tc, j) => {
    if (mask & (1 << j)) cols.push(...tc);
  });
  return Int32Array.from(cols.sort((a, b) => a - b));
}

/** Deviances of all 2^p models (index = bit mask of the traits in the model) and their final states. */
export interface DominanceFits {
  /** Intercept-only deviance. */
  dev0: number;
  devs: Float64Array;
  conv: Uint8Array;
  /** Final Newton state of every model (warm start of larger models, or of the same model on a resample). */
  states: NewtonState[];
}

/**
 * Fit the 2^p models. `weights`: frequency weights of the design rows (a bootstrap resample's counts).
 * `starts`: the final states of the same models on other weights (the full data), used as warm
 * starts instead of the smaller nested models.
 */
export function dominanceFits(
  setup: DominanceSetup,
  opts: { maxit?: number; epsilon?: number; weights?: Float64Array | null; starts?: readonly NewtonState[]; pool?: PassPool | null } = {},
): DominanceFits {
  const { X, y, termCols } = setup;
  const p = termCols.length;
  const weights = opts.weights ?? null;
  const pool = opts.pool ?? null;
  const fitOpts = { maxit: opts.maxit, epsilon: opts.epsilon, weights, pool };
  const dev0 = weights ? weightedNullDeviance(y, weights) : nullDeviance(y, true);
  const M = 1 << p;
  const devs = new Float64Array(M);
  const conv = new Uint8Array(M);
  const states: NewtonState[] = new Array(M);
  const { data, n, p: P } = X;
  const colsOf = (mask: number): Int32Array => modelColumns(setup, mask);
  // Warm-started Newton fits (newton.ts), level by level (number of traits in the model): each model
  // starts from the final pass of the one-trait-smaller model whose start is closest to its optimum
  // (smallest Newton decrement). The covariates-only model starts from the intercept-only optimum.
  let evW = 0;
  let nW = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    evW += w * y[i];
    nW += w;
  }
  const beta0 = new Float64Array(P);
  beta0[0] = Math.log(evW / (nW - evW));
  const base = opts.starts ? null : newtonPass(data, n, P, y, beta0, weights, pool);
  const byCount: number[][] = Array.from({ length: p + 1 }, () => []);
  for (let mask = 0; mask < M; mask++) byCount[popcount(mask)].push(mask);
  for (let k = 0; k <= p; k++) {
    for (const mask of byCount[k]) {
      const cols = colsOf(mask);
      let start: NewtonState | undefined;
      if (opts.starts) start = newtonPass(data, n, P, y, opts.starts[mask].beta, weights, pool);
      else if (k === 0) start = base!;
      else {
        let best = Infinity;
        for (let j = 0; j < p; j++) {
          if (!(mask & (1 << j))) continue;
          const cand = states[mask ^ (1 << j)];
          const s = newtonStep(cand, P, cols);
          const d = s ? s.dec : Infinity;
          if (start === undefined || d < best) {
            best = d;
            start = cand;
          }
        }
      }
      let dev: number;
      let converged: boolean;
      const fit = newtonFit(data, n, P, y, cols, start!, fitOpts);
      states[mask] = fit.state;
      if (cols.length === 1) {
        dev = dev0; // intercept only: closed form
        converged = true;
      } else if (fit.converged) {
        dev = fit.deviance;
        converged = true;
      } else {
        // not converged or singular along the way: the plain glm fit from its own start decides
        const r = irlsLogit(viewOf(X, Array.from(cols)), y, { maxit: opts.maxit, epsilon: opts.epsilon, weights: weights ?? undefined });
        dev = r.deviance;
        converged = r.converged;
      }
      devs[mask] = dev;
      conv[mask] = converged ? 1 : 0;
    }
  }
  return { dev0, devs, conv, states };
}

/** Intercept-only deviance with frequency weights. */
function weightedNullDeviance(y: Float64Array, w: Float64Array): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < y.length; i++) {
    s += w[i] * y[i];
    n += w[i];
  }
  const m = s / n;
  return (m > 0 ? -2 * s * Math.log(m) : 0) + (m < 1 ? -2 * (n - s) * Math.log(1 - m) : 0);
}

/** Conditional dominances (per subset size) and general dominance of every trait from the 2^p R² values. */
export function generalDominance(r2: Float64Array, p: number): { general: Float64Array; conditional: number[][] } {
  const M = 1 << p;
  const binom = (nn: number, kk: number): number => {
    let c = 1;
    for (let i = 1; i <= kk; i++) c = (c * (nn - kk + i)) / i;
    return c;
  };
  const general = new Float64Array(p);
  const conditional: number[][] = [];
  for (let j = 0; j < p; j++) {
    const sums = new Float64Array(p);
    const bit = 1 << j;
    for (let mask = 0; mask < M; mask++) {
      if (mask & bit) continue;
      sums[popcount(mask)] += r2[mask | bit] - r2[mask];
    }
    conditional.push(Array.from(sums, (s, size) => s / binom(p - 1, size)));
    general[j] = conditional[j].reduce((a, b) => a + b, 0) / p;
  }
  return { general, conditional };
}

/**
 * General dominance of `traits` (term names of X) with every other term of X as a covariate.
 * X must have an intercept. At most 15 traits (2^15 models). `weights`: a weight per row of X
 * (sampling weights: every R² is then that of the weighted pseudo-likelihood, as survey's psrsq);
 * the drop-one term tests are likelihood-ratio tests of unweighted fits, so none are made with weights.
 */
export function dominance(
  X: DesignMatrix,
  y: Float64Array,
  traits: readonly string[],
  opts: { maxit?: number; epsilon?: number; termTests?: boolean; weights?: Float64Array | null; pool?: PassPool | null } = {},
): DominanceResult | DominanceFailure {
  const setup = dominanceSetup(X, y, traits);
  if ('ok' in setup) return setup;
  const p = traits.length;
  const M = 1 << p;
  const { dev0, devs, conv, states } = dominanceFits(setup, opts);
  const r2 = Float64Array.from(devs, (d) => 1 - d / dev0); // = 1 - LL/LL0 since LL = -dev/2
  const nonConverged: string[] = [];
  for (let mask = 0; mask < M; mask++)
    if (!conv[mask]) nonConverged.push(traits.filter((_, j) => mask & (1 << j)).join('+') || '(covariates only)');
  const termTests = opts.termTests && !opts.weights ? dropOneTests(setup, devs, conv, states[M - 1], opts) : null;
  const { general, conditional } = generalDominance(r2, p);
  const result: TraitDominance[] = traits.map((term, j) => ({ term, general: general[j], share: 0, rank: 0, conditional: conditional[j] }));
  const r2Full = r2[M - 1];
  const r2Covariates = r2[0];
  const explained = r2Full - r2Covariates;
  for (const t of result) {
    t.share = explained > 0 ? t.general / explained : 0;
    t.rank = 1 + result.filter((u) => u.general > t.general).length;
  }
  return { ok: true, n: X.n, traits: result, r2Full, r2Covariates, covariates: setup.covariates, models: M, nonConverged, termTests };
}

/** Drop-one LR tests of every term of the full model from the 2^p fits (a covariate's reduced model is fitted here). */
function dropOneTests(setup: DominanceSetup, devs: Float64Array, conv: Uint8Array, full: NewtonState, opts: { maxit?: number; epsilon?: number; pool?: PassPool | null }): DominanceTermTest[] {
  const { X, y, traits } = setup;
  const { data, n, p: P } = X;
  const M = devs.length;
  const termTests: DominanceTermTest[] = [];
  for (const t of X.terms) {
    if (t.kind === 'intercept' || t.columns.length === 0) continue;
    const j = traits.indexOf(t.name);
    let dev: number;
    let converged: boolean;
    if (j >= 0) {
      dev = devs[(M - 1) ^ (1 << j)];
      converged = conv[(M - 1) ^ (1 << j)] === 1;
    } else {
      // the full model without this covariate, from the full model's estimates
      const keep: number[] = [];
      for (let c = 0; c < P; c++) if (!t.columns.includes(c)) keep.push(c);
      const beta = Float64Array.from(full.beta);
      for (const c of t.columns) beta[c] = 0;
      const fit = newtonFit(data, n, P, y, Int32Array.from(keep), newtonPass(data, n, P, y, beta, null, opts.pool ?? null), opts);
      if (fit.converged) {
        dev = fit.deviance;
        converged = true;
      } else {
        const r = irlsLogit(viewOf(X, keep), y, { maxit: opts.maxit, epsilon: opts.epsilon });
        dev = r.deviance;
        converged = r.converged;
      }
    }
    const statistic = dev - devs[M - 1];
    const df = t.columns.length;
    termTests.push({ term: t.name, df, statistic, p: pChiSq(Math.max(statistic, 0), df, false), deviance: dev, converged: converged && conv[M - 1] === 1 });
  }
  return termTests;
}
