/**
 * The numerical engines of logistic regression, over a row-major design matrix:
 *
 * - {@link irlsLogit}: maximum likelihood by iteratively reweighted least squares, a line-by-line
 *   re-implementation of R's `glm.fit` for `binomial(link = "logit")` (same start
 *   `mustart = (y + 0.5) / 2`, same clamping of the inverse link at |eta| > 30, same convergence rule
 *   |dev - devold| / (|dev| + 0.1) < epsilon, default epsilon 1e-8 and maxit 25), except that each
 *   weighted least-squares step is solved by a Cholesky factorisation of X'WX instead of a QR
 *   decomposition. The covariance matrix is (X'WX)^-1 with the weights of the last IRLS step, which
 *   is what `summary.glm` uses.
 * - {@link firthLogit}: Firth's bias-reduced estimates (maximum penalised likelihood with the
 *   Jeffreys prior, l*(b) = l(b) + 0.5 log det(X'WX)), by modified-score Fisher steps with
 *   step-halving on l* and steps capped at 5 (as logistf); equal to `brglm2::brglmFit` with
 *   `type = "AS_mean"` and to `logistf`.
 *
 * Hot loops touch only typed arrays: no per-row objects.
 */
import { cholesky, cholInverse, cholLogDet, cholSolve } from './linalg.js';

const THRESH = 30;
const MTHRESH = -30;
const DBL_EPSILON = 2.220446049250313e-16;
const INVEPS = 1 / DBL_EPSILON;
const LOG3 = Math.log(3);

/** Row-major design data with an optional column subset (indices into the full row). */
export interface DesignView {
  data: Float64Array;
  n: number;
  /** Row stride (number of columns of the full matrix). */
  stride: number;
  /** Columns used, in order. */
  cols: Int32Array;
}

export interface IrlsResult {
  beta: Float64Array;
  /** (X'WX)^-1, row-major q x q (null if the last system was singular). */
  covariance: Float64Array | null;
  deviance: number;
  converged: boolean;
  iterations: number;
  /** Fitted probabilities at beta (only when requested). */
  mu: Float64Array | null;
  /** Linear predictor at beta (only when requested). */
  eta: Float64Array | null;
  /** Some fitted probability is within 10 * DBL_EPSILON of 0 or 1 (R's warning). */
  boundary: boolean;
  /** Column (index into cols) found to be linearly dependent on earlier ones, or -1. */
  singularColumn: number;
}


type Kernel = (
  data: Float64Array,
  stride: number,
  cols: Int32Array,
  n: number,
  y: Float64Array,
  coef: Float64Array,
  start: boolean,
  A: Float64Array,
  b: Float64Array,
  mu: Float64Array | null,
  etaOut: Float64Array | null,
  priorWeights?: Float64Array | null,
) => { dev: number; boundary: boolean };

/**
 * The per-row IRLS arithmetic, exactly as glm.fit does it for binomial(logit): returns the row's
 * deviance contribution and writes [eta, mu, w, z] into `out`.
 */
const ROW_MATH = `
  const e = Math.exp(eta);
  const big = eta > 30 || eta < -30;
  const t = eta < -30 ? EPS : eta > 30 ? INVEPS : e;
  const m = t / (1 + t);
  if (mu !== null) mu[i] = m;
  if (etaOut !== null) etaOut[i] = eta;
  if (m > HI || m < LO) boundary = true;
  dev += yi === 1 ? -2 * Math.log(m) : -2 * Math.log(1 - m);
  const ope = 1 + e;
  const mueta = big ? EPS : e / (ope * ope);
  const w = (mueta * mueta) / (m * (1 - m));
  const z = eta + (yi - m) / mueta;
`;

const MAX_UNROLLED = 16;
const kernelCache = new Map<number, Kernel>();

type BlockFn = (
  data: Float64Array,
  stride: number,
  cols: Int32Array,
  y: Float64Array,
  coef: Float64Array,
  start: boolean,
  A: Float64Array,
  b: Float64Array,
  mu: Float64Array | null,
  etaOut: Float64Array | null,
  i0: number,
  i1: number,
  flags: Uint8Array,
) => number;

/**
 * Rows per call of a generated pass. A pass is many short calls rather than one long one: V8 installs
 * the optimised code at the next call, so only the first block of the first pass runs unoptimised (one
 * long call stays in on-stack-replaced or baseline code for the first passes, 2-3x slower).
 */
const BLOCK = 1 << 14;

/**
 * A pass specialised for q columns: every entry of X'WX and X'Wz is accumulated in its own local
 * variable (generated code), which V8 keeps in registers or on the stack; several times faster than
 * indexed accumulation into a typed array.
 */
function unrolledKernel(q: number): Kernel {
  const cached = kernelCache.get(q);
  if (cached) return cached;
  const J = Array.from({ length: q }, (_, j) => j);
  const pairs: [number, number][] = [];
  for (const j of J) for (let k = 0; k <= j; k++) pairs.push([j, k]);
  const src = `
    "use strict";
    const EPS = ${DBL_EPSILON}, INVEPS = ${INVEPS}, LOG3 = ${LOG3};
    const LO = 10 * EPS, HI = 1 - 10 * EPS;
    ${J.map((j) => `const c${j} = cols[${j}], b${j} = coef[${j}];`).join('\n')}
    ${pairs.map(([j, k]) => `let a${j}_${k} = A[${j * q + k}];`).join(' ')}
    ${J.map((j) => `let s${j} = b[${j}];`).join(' ')}
    let dev = 0, boundary = false;
    for (let i = i0; i < i1; i++) {
      const base = i * stride;
      ${J.map((j) => `const x${j} = data[base + c${j}];`).join(' ')}
      const yi = y[i];
      const eta = start ? (yi === 1 ? LOG3 : -LOG3) : ${J.map((j) => `x${j} * b${j}`).join(' + ')};
      ${ROW_MATH}
      ${J.map((j) => `const wx${j} = w * x${j}; s${j} += wx${j} * z;`).join(' ')}
      ${pairs.map(([j, k]) => `a${j}_${k} += wx${j} * x${k};`).join(' ')}
    }
    ${pairs.map(([j, k]) => `A[${j * q + k}] = a${j}_${k};`).join(' ')}
    ${J.map((j) => `b[${j}] = s${j};`).join(' ')}
    if (boundary) flags[0] = 1;
    return dev;
  `;
  const block = new Function('data', 'stride', 'cols', 'y', 'coef', 'start', 'A', 'b', 'mu', 'etaOut', 'i0', 'i1', 'flags', src) as BlockFn;
  const flags = new Uint8Array(1);
  // A pass is many short calls (see BLOCK), accumulating into A and b.
  const f: Kernel = (data, stride, cols, n, y, coef, start, A, b, mu, etaOut) => {
    A.fill(0);
    b.fill(0);
    flags[0] = 0;
    let dev = 0;
    for (let i0 = 0; i0 < n; i0 += BLOCK) dev += block(data, stride, cols, y, coef, start, A, b, mu, etaOut, i0, Math.min(n, i0 + BLOCK), flags);
    return { dev, boundary: flags[0] === 1 };
  };
  kernelCache.set(q, f);
  return f;
}

/** The same pass for any number of columns (indexed accumulation). */
const genericKernel: Kernel = (data, stride, cols, n, y, coef, start, A, b, mu, etaOut, priorWeights = null) => {
  const q = cols.length;
  const xr = new Float64Array(q);
  A.fill(0);
  b.fill(0);
  let dev = 0;
  let boundary = false;
  const LO = 10 * DBL_EPSILON;
  const HI = 1 - LO;
  for (let i = 0; i < n; i++) {
    const base = i * stride;
    let eta = 0;
    for (let j = 0; j < q; j++) {
      xr[j] = data[base + cols[j]];
      eta += xr[j] * coef[j];
    }
    const yi = y[i];
    if (start) eta = yi === 1 ? LOG3 : -LOG3; // linkfun((y + 0.5) / 2)
    const e = Math.exp(eta);
    const big = eta > THRESH || eta < MTHRESH;
    const t = eta < MTHRESH ? DBL_EPSILON : eta > THRESH ? INVEPS : e;
    const m = t / (1 + t);
    if (mu !== null) mu[i] = m;
    if (etaOut !== null) etaOut[i] = eta;
    if (m > HI || m < LO) boundary = true;
    // prior weights (counts of identical rows): each row counts pw times, as in glm(weights = )
    const pw = priorWeights === null ? 1 : priorWeights[i];
    dev += pw * (yi === 1 ? -2 * Math.log(m) : -2 * Math.log(1 - m));
    const ope = 1 + e;
    const mueta = big ? DBL_EPSILON : e / (ope * ope);
    const w = (pw * (mueta * mueta)) / (m * (1 - m));
    const z = eta + (yi - m) / mueta;
    for (let j = 0; j < q; j++) {
      const wx = w * xr[j];
      b[j] += wx * z;
      const row = j * q;
      for (let k = 0; k <= j; k++) A[row + k] += wx * xr[k];
    }
  }
  return { dev, boundary };
};

/** Test hook: run the generic (non-generated) pass instead of the unrolled one. */
export const __kernels = { unrolledKernel, genericKernel };

/**
 * Maximum-likelihood logistic regression by IRLS (see module doc). `y` holds 0/1.
 * With `keepFitted`, the fitted probabilities and linear predictor are returned too.
 */
export function irlsLogit(
  X: DesignView,
  y: Float64Array,
  opts: {
    maxit?: number;
    epsilon?: number;
    keepFitted?: boolean;
    /**
     * Row counts: row i stands for weights[i] identical respondents (the fit, deviance and
     * covariance are those of the expanded data; each respondent starts at glm's mustart, so the
     * iterations are glm's on the expanded data too).
     */
    weights?: Float64Array;
  } = {},
): IrlsResult {
  const maxit = opts.maxit ?? 25;
  const epsilon = opts.epsilon ?? 1e-8;
  const { data, n, stride, cols } = X;
  const q = cols.length;
  const A = new Float64Array(q * q);
  const b = new Float64Array(q);
  const mu = opts.keepFitted ? new Float64Array(n) : null;
  const etaOut = opts.keepFitted ? new Float64Array(n) : null;
  let beta: Float64Array = new Float64Array(q);

  /**
   * One pass over the data: eta (from beta, or the glm start when beta is null), mu, deviance, and
   * the normal equations X'WX, X'Wz of the next WLS step.
   */
  const weights = opts.weights ?? null;
  const kernel = q <= MAX_UNROLLED && !weights ? unrolledKernel(q) : genericKernel;
  const pass = (coef: Float64Array | null): { dev: number; boundary: boolean } =>
    kernel(data, stride, cols, n, y, coef ?? new Float64Array(q), coef === null, A, b, mu, etaOut, weights);

  let { dev: devold } = pass(null);
  let converged = false;
  let iterations = 0;
  let boundary = false;
  let dev = devold;
  let lastChol: Float64Array | null = null;
  let singularColumn = -1;
  for (let iter = 1; iter <= maxit; iter++) {
    iterations = iter;
    const L = Float64Array.from(A);
    const bad = cholesky(L, q);
    if (bad >= 0) {
      singularColumn = bad;
      break;
    }
    lastChol = L;
    const start = cholSolve(L, q, b);
    // glm.fit halves the step when the deviance is not finite; with the logit link clamped at
    // |eta| > 30 the deviance is always finite, so no halving is needed.
    const r = pass(start);
    dev = r.dev;
    boundary = r.boundary;
    beta = start;
    if (Math.abs(dev - devold) / (Math.abs(dev) + 0.1) < epsilon) {
      converged = true;
      break;
    }
    devold = dev;
  }
  return {
    beta,
    covariance: lastChol && singularColumn < 0 ? cholInverse(lastChol, q) : null,
    deviance: dev,
    converged,
    iterations,
    mu,
    eta: etaOut,
    boundary,
    singularColumn,
  };
}

/**
 * Exact-collinearity check: one pass with the glm starting weights (all equal, so X'WX is a
 * multiple of X'X) and a Cholesky factorisation. Returns the index (into cols) of the first column
 * that is a linear combination of the earlier ones, or -1.
 */
export function singularColumn(X: DesignView, y: Float64Array): number {
  const q = X.cols.length;
  const A = new Float64Array(q * q);
  const b = new Float64Array(q);
  const kernel = q <= MAX_UNROLLED ? unrolledKernel(q) : genericKernel;
  kernel(X.data, X.stride, X.cols, X.n, y, new Float64Array(q), true, A, b, null, null);
  return cholesky(A, q);
}

export interface FirthResult {
  beta: Float64Array;
  covariance: Float64Array | null;
  /** -2 log-likelihood (unpenalised) at the Firth estimates (brglm2's `deviance`). */
  deviance: number;
  /** Penalised log-likelihood l(b) + 0.5 log det(X'WX). */
  penalizedLogLik: number;
  converged: boolean;
  iterations: number;
  mu: Float64Array;
  eta: Float64Array;
  boundary: boolean;
  singularColumn: number;
}

/**
 * Firth's bias-reduced logistic regression (see module doc). A hot iterative kernel (one pass over the
 * rows per iteration, up to 200 iterations): its state (beta, the Cholesky factor, the hat diagonal,
 * the step-halving bookkeeping) stays in local variables of one function on purpose, so that V8 keeps
 * it in registers and no per-iteration objects are allocated; hence its length.
 */
export function firthLogit(
  X: DesignView,
  y: Float64Array,
  opts: {
    maxit?: number;
    tolerance?: number;
    maxStep?: number;
    /** Starting coefficients (length cols.length; default zeros). */
    start?: Float64Array;
    /**
     * Indices (into cols) of coefficients held at their `start` values: the penalised likelihood
     * (penalty from the full information matrix, as logistf) is maximised over the others only. For
     * profile penalised-likelihood limits and penalised likelihood-ratio tests (firth-profile.ts).
     */
    held?: readonly number[];
  } = {},
): FirthResult {
  const maxit = opts.maxit ?? 200;
  const tol = opts.tolerance ?? 1e-10;
  const maxStep = opts.maxStep ?? 5;
  const { data, n, stride, cols } = X;
  const q = cols.length;
  const xr = new Float64Array(q);
  const mu = new Float64Array(n);
  const eta = new Float64Array(n);
  const w = new Float64Array(n);

  /** Pass 1: eta, mu, weights, X'WX and its Cholesky factor, penalised log-likelihood. */
  const evaluate = (beta: Float64Array): { pll: number; ll: number; L: Float64Array | null; A: Float64Array; bad: number } => {
    const A = new Float64Array(q * q);
    let ll = 0;
    for (let i = 0; i < n; i++) {
      const base = i * stride;
      let e = 0;
      for (let j = 0; j < q; j++) {
        xr[j] = data[base + cols[j]];
        e += xr[j] * beta[j];
      }
      eta[i] = e;
      // log-likelihood computed stably: y log(p) + (1 - y) log(1 - p) = y e - log(1 + exp(e))
      const log1pexp = e > 0 ? e + Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e));
      ll += y[i] * e - log1pexp;
      const m = 1 / (1 + Math.exp(-e));
      mu[i] = m;
      const wi = m * (1 - m);
      w[i] = wi;
      for (let j = 0; j < q; j++) {
        const wx = wi * xr[j];
        const row = j * q;
        for (let k = 0; k <= j; k++) A[row + k] += wx * xr[k];
      }
    }
    const info = held.length ? Float64Array.from(A) : A;
    const bad = cholesky(A, q, 1e-14);
    if (bad >= 0) return { pll: -Infinity, ll, L: null, A: info, bad };
    return { pll: ll + 0.5 * cholLogDet(A, q), ll, L: A, A: info, bad: -1 };
  };

  /** Newton (Fisher) step on the free coefficients: I_FF^-1 U*_F, zero for the held ones (null if I_FF is singular). */
  const held = opts.held ?? [];
  const free = Array.from({ length: q }, (_, j) => j).filter((j) => !held.includes(j));
  const step = (ev: { L: Float64Array | null; A: Float64Array }, U: Float64Array): Float64Array | null => {
    if (!held.length) return cholSolve(ev.L as Float64Array, q, U);
    const f = free.length;
    const S = new Float64Array(f * f);
    for (let a = 0; a < f; a++) for (let b = 0; b <= a; b++) S[a * f + b] = ev.A[free[a] * q + free[b]];
    if (cholesky(S, f, 1e-14) >= 0) return null;
    const dF = cholSolve(S, f, free.map((k) => U[k]));
    const d = new Float64Array(q);
    free.forEach((k, a) => (d[k] = dF[a]));
    return d;
  };

  /** Pass 2: modified score U* = X'(y - mu + h (1/2 - mu)), h the hat values of W^1/2 X. */
  const modifiedScore = (L: Float64Array): Float64Array => {
    const U = new Float64Array(q);
    const v = new Float64Array(q);
    for (let i = 0; i < n; i++) {
      const base = i * stride;
      for (let j = 0; j < q; j++) xr[j] = data[base + cols[j]];
      // forward solve L v = x_i; h_i = w_i |v|^2
      let h = 0;
      for (let j = 0; j < q; j++) {
        let s = xr[j];
        const row = j * q;
        for (let k = 0; k < j; k++) s -= L[row + k] * v[k];
        v[j] = s / L[row + j];
        h += v[j] * v[j];
      }
      h *= w[i];
      const r = y[i] - mu[i] + h * (0.5 - mu[i]);
      for (let j = 0; j < q; j++) U[j] += r * xr[j];
    }
    return U;
  };

  let beta: Float64Array = opts.start ? Float64Array.from(opts.start) : new Float64Array(q);
  let cur = evaluate(beta);
  if (!cur.L) return failFirth(cur.bad);
  let converged = false;
  let iterations = 0;
  for (let iter = 1; iter <= maxit; iter++) {
    iterations = iter;
    const U = modifiedScore(cur.L as Float64Array);
    const delta = step(cur, U);
    if (!delta) break;
    let mx = 0;
    for (let j = 0; j < q; j++) mx = Math.max(mx, Math.abs(delta[j]));
    if (mx > maxStep) for (let j = 0; j < q; j++) delta[j] *= maxStep / mx;
    if (mx < tol) {
      converged = true;
      break;
    }
    let accepted = false;
    for (let halving = 0; halving < 30; halving++) {
      const next = new Float64Array(q);
      for (let j = 0; j < q; j++) next[j] = beta[j] + delta[j];
      const ev = evaluate(next);
      if (ev.L && ev.pll >= cur.pll - 1e-12 * Math.abs(cur.pll)) {
        beta = next;
        cur = ev;
        accepted = true;
        break;
      }
      for (let j = 0; j < q; j++) delta[j] /= 2;
    }
    if (!accepted) {
      // cannot improve l* any more: we are at the optimum to working precision
      cur = evaluate(beta);
      converged = mx < 1e-6;
      break;
    }
  }
  // make sure mu / eta / w correspond to the final beta
  cur = evaluate(beta);
  let boundary = false;
  for (let i = 0; i < n; i++) if (mu[i] < 10 * DBL_EPSILON || mu[i] > 1 - 10 * DBL_EPSILON) boundary = true;
  return {
    beta,
    covariance: cur.L ? cholInverse(cur.L, q) : null,
    deviance: -2 * cur.ll,
    penalizedLogLik: cur.pll,
    converged,
    iterations,
    mu,
    eta,
    boundary,
    singularColumn: -1,
  };

  function failFirth(bad: number): FirthResult {
    return {
      beta,
      covariance: null,
      deviance: NaN,
      penalizedLogLik: NaN,
      converged: false,
      iterations: 0,
      mu,
      eta,
      boundary: false,
      singularColumn: bad,
    };
  }
}

/** Closed-form null deviance: intercept-only model (fitted mean(y)), or mu = 1/2 without intercept. */
export function nullDeviance(y: Float64Array, hasIntercept: boolean): number {
  const n = y.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += y[i];
  const m = hasIntercept ? s / n : 0.5;
  let dev = 0;
  if (m > 0) dev -= 2 * s * Math.log(m);
  if (m < 1) dev -= 2 * (n - s) * Math.log(1 - m);
  return dev;
}

