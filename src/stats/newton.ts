/**
 * Warm-started Newton fits of many nested logistic models on one design (dominance analysis, drop-one
 * tests). Internal to the statistics core.
 *
 * Every pass over the data evaluates, at coefficients `beta` over *all* p columns of the row-major
 * design (zeros for the columns a model leaves out, so eta is that model's linear predictor), the
 * deviance (R's binomial deviance, with glm's clamping of the logit at |eta| > 30), the full
 * information matrix A = X'WX (lower triangle, p x p) and the full score g = X'(y - mu). The system
 * of a model with column set S is then the sub-matrix A_SS, g_S, and:
 *
 * - the Newton step is delta = A_SS^-1 g_S;
 * - the Newton decrement dec = g_S' delta is the predicted fall of the deviance by that step (the
 *   deviance is -2 log-likelihood, and Newton's method minimises the quadratic model, whose fall is
 *   exactly g' A^-1 g); the fit stops when dec / (|dev| + 0.1) < epsilon (the scale of glm's rule)
 *   and reports dev - dec, the deviance at the optimum to third order (error of order dec^1.5, far
 *   below epsilon), without one more pass to confirm;
 * - a model one column set larger than a fitted model starts from that model's final pass: the
 *   added coefficients are 0, so eta, and hence the whole system, is the one already computed. Its
 *   first Newton step costs no pass at all.
 *
 * Steps are damped (halved until the deviance does not rise), so a start far from the optimum cannot
 * make the iteration diverge; from the warm starts above the full step is taken.
 *
 * glm itself (irls.ts) starts every fit from scratch and needs one pass after the last step to see
 * that the deviance no longer changes: typically 5 to 6 passes per model against 2 here.
 */

const THRESH = 30;
const DBL_EPSILON = 2.220446049250313e-16;
const INVEPS = 1 / DBL_EPSILON;

/** One evaluated point: coefficients over all p columns, deviance, full A (lower triangle) and g. */
export interface NewtonState {
  beta: Float64Array;
  dev: number;
  A: Float64Array;
  g: Float64Array;
}

/**
 * Accumulates rows [i0, i1) into A and g (adding to what they hold); returns their deviance. With
 * `wt` (frequency weights: row i stands for wt[i] identical respondents, 0 drops it), every row's
 * deviance, score and information contributions are multiplied by its weight.
 */
type FullKernel = (data: Float64Array, y: Float64Array, beta: Float64Array, A: Float64Array, g: Float64Array, i0: number, i1: number, wt: Float64Array | null) => number;

const MAX_UNROLLED = 14;
const cache = new Map<number, FullKernel>();

/**
 * Rows per kernel call. A pass is many short calls rather than one long one: V8 installs the
 * optimised kernel at the next call, so only the first block of the first pass runs unoptimised
 * (one long call stays in on-stack-replaced or baseline code for the first passes, 2-3x slower).
 */
const BLOCK = 1 << 14;

/** Per-row arithmetic: mu, weight, deviance contribution (R's clamped logit link). */
const ROW = `
      let m, w;
      if (eta <= ${THRESH} && eta >= ${-THRESH}) {
        const e = Math.exp(eta);
        m = e / (1 + e);
        w = m * (1 - m);
      } else {
        const t = eta < 0 ? ${DBL_EPSILON} : ${INVEPS};
        m = t / (1 + t);
        w = ${DBL_EPSILON * DBL_EPSILON} / (m * (1 - m));
      }
      const dev1 = yi === 1 ? -2 * Math.log(m) : -2 * Math.log(1 - m);
      const r = yi - m;
`;

/** A block pass specialised for p columns, every accumulator in its own local (generated code, as irls.ts). */
function unrolled(p: number, weighted: boolean): FullKernel {
  const key = weighted ? -p : p;
  const hit = cache.get(key);
  if (hit) return hit;
  const J = Array.from({ length: p }, (_, j) => j);
  const pairs: [number, number][] = [];
  for (const j of J) for (let k = 0; k <= j; k++) pairs.push([j, k]);
  const src = `
    "use strict";
    ${J.map((j) => `const b${j} = beta[${j}];`).join(' ')}
    ${pairs.map(([j, k]) => `let a${j}_${k} = A[${j * p + k}];`).join(' ')}
    ${J.map((j) => `let s${j} = g[${j}];`).join(' ')}
    let dev = 0;
    for (let i = i0, base = i0 * ${p}; i < i1; i++, base += ${p}) {
      ${J.map((j) => `const x${j} = data[base + ${j}];`).join(' ')}
      const yi = y[i];
      const eta = ${J.map((j) => `x${j} * b${j}`).join(' + ')};
      ${ROW}
      ${weighted ? 'const fw = wt[i]; if (fw === 0) continue; dev += fw * dev1; const wf = w * fw, rf = r * fw;' : 'dev += dev1; const wf = w, rf = r;'}
      ${J.map((j) => `const wx${j} = wf * x${j}; s${j} += x${j} * rf;`).join(' ')}
      ${pairs.map(([j, k]) => `a${j}_${k} += wx${j} * x${k};`).join(' ')}
    }
    ${pairs.map(([j, k]) => `A[${j * p + k}] = a${j}_${k};`).join(' ')}
    ${J.map((j) => `g[${j}] = s${j};`).join(' ')}
    return dev;
  `;
  const f = new Function('data', 'y', 'beta', 'A', 'g', 'i0', 'i1', 'wt', src) as FullKernel;
  cache.set(key, f);
  return f;
}

/** The same block pass for any p (indexed accumulation). */
function generic(p: number): FullKernel {
  return (data, y, beta, A, g, i0, i1, wt) => {
    let dev = 0;
    for (let i = i0, base = i0 * p; i < i1; i++, base += p) {
      const fw = wt === null ? 1 : wt[i];
      if (fw === 0) continue;
      let eta = 0;
      for (let j = 0; j < p; j++) eta += data[base + j] * beta[j];
      const yi = y[i];
      let m: number;
      let w: number;
      if (eta <= THRESH && eta >= -THRESH) {
        const e = Math.exp(eta);
        m = e / (1 + e);
        w = m * (1 - m);
      } else {
        const t = eta < 0 ? DBL_EPSILON : INVEPS;
        m = t / (1 + t);
        w = (DBL_EPSILON * DBL_EPSILON) / (m * (1 - m));
      }
      dev += fw * (yi === 1 ? -2 * Math.log(m) : -2 * Math.log(1 - m));
      const r = fw * (yi - m);
      w *= fw;
      for (let j = 0; j < p; j++) {
        const xj = data[base + j];
        g[j] += xj * r;
        const wx = w * xj;
        const row = j * p;
        for (let k = 0; k <= j; k++) A[row + k] += wx * data[base + k];
      }
    }
    return dev;
  };
}

/**
 * Computes the blocks of one pass, possibly sharing them with another thread (shared-pass.ts). It
 * returns null when it cannot take this pass (then the pass is computed here, block by block); when
 * it takes it, every block's partial sums are the ones computePartial() gives, added in block order,
 * so the result is the same bit for bit whoever computed which block.
 */
export interface PassPool {
  pass(data: Float64Array, n: number, p: number, y: Float64Array, beta: Float64Array, weights: Float64Array | null): NewtonState | null;
}

/** Number of blocks of a pass over n rows. */
export const blockCount = (n: number): number => Math.ceil(n / BLOCK);

/** Floats of one block's partial sums: A (p x p), g (p), deviance. */
export const partialSize = (p: number): number => p * p + p + 1;

/**
 * Block b's partial sums (from zero) into out[o .. o + partialSize(p)): A, then g, then the deviance.
 */
export function computePartial(data: Float64Array, n: number, p: number, y: Float64Array, beta: Float64Array, weights: Float64Array | null, b: number, out: Float64Array, o: number): void {
  const kernel = p <= MAX_UNROLLED ? unrolled(p, weights !== null) : generic(p);
  const A = out.subarray(o, o + p * p);
  const g = out.subarray(o + p * p, o + p * p + p);
  A.fill(0);
  g.fill(0);
  out[o + p * p + p] = kernel(data, y, beta, A, g, b * BLOCK, Math.min(n, (b + 1) * BLOCK), weights);
}

/** Sum of the blocks' partial sums in block order (the same order whoever computed them). */
export function sumPartials(partials: Float64Array, nBlocks: number, p: number, beta: Float64Array): NewtonState {
  const size = partialSize(p);
  const A = new Float64Array(p * p);
  const g = new Float64Array(p);
  let dev = 0;
  for (let b = 0, o = 0; b < nBlocks; b++, o += size) {
    for (let k = 0; k < p * p; k++) A[k] += partials[o + k];
    for (let j = 0; j < p; j++) g[j] += partials[o + p * p + j];
    dev += partials[o + p * p + p];
  }
  return { beta, dev, A, g };
}

/**
 * One pass over the row-major n x p design at `beta` (length p), with optional frequency weights:
 * each block of BLOCK rows is summed from zero and the blocks are added in order, so that a pool
 * sharing the blocks between threads gives exactly the same numbers.
 */
export function newtonPass(data: Float64Array, n: number, p: number, y: Float64Array, beta: Float64Array, weights: Float64Array | null = null, pool: PassPool | null = null): NewtonState {
  const shared = pool ? pool.pass(data, n, p, y, beta, weights) : null;
  if (shared) return shared;
  const nBlocks = blockCount(n);
  const size = partialSize(p);
  if (nBlocks <= 1) {
    const out = new Float64Array(size);
    if (nBlocks === 1) computePartial(data, n, p, y, beta, weights, 0, out, 0);
    return sumPartials(out, nBlocks, p, beta);
  }
  const partials = new Float64Array(nBlocks * size);
  for (let b = 0; b < nBlocks; b++) computePartial(data, n, p, y, beta, weights, b, partials, b * size);
  return sumPartials(partials, nBlocks, p, beta);
}

/** Newton step and decrement of the model with columns `cols` (ascending) at `st`; null if A_SS is not positive definite. */
export function newtonStep(st: NewtonState, p: number, cols: Int32Array): { delta: Float64Array; dec: number } | null {
  const q = cols.length;
  const L = new Float64Array(q * q);
  for (let a = 0; a < q; a++) for (let b = 0; b <= a; b++) L[a * q + b] = st.A[cols[a] * p + cols[b]];
  // Cholesky with a relative pivot check (as linalg.cholesky)
  for (let j = 0; j < q; j++) {
    const orig = L[j * q + j];
    let d = orig;
    for (let k = 0; k < j; k++) d -= L[j * q + k] * L[j * q + k];
    if (!(d > 1e-10 * Math.abs(orig)) || !(d > 0)) return null;
    const ljj = Math.sqrt(d);
    L[j * q + j] = ljj;
    for (let i = j + 1; i < q; i++) {
      let s = L[i * q + j];
      for (let k = 0; k < j; k++) s -= L[i * q + k] * L[j * q + k];
      L[i * q + j] = s / ljj;
    }
  }
  const x = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    let s = st.g[cols[i]];
    for (let k = 0; k < i; k++) s -= L[i * q + k] * x[k];
    x[i] = s / L[i * q + i];
  }
  let dec = 0;
  for (let i = 0; i < q; i++) dec += x[i] * x[i]; // g' A^-1 g = |L^-1 g|^2
  for (let i = q - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < q; k++) s -= L[k * q + i] * x[k];
    x[i] = s / L[i * q + i];
  }
  return { delta: x, dec };
}

export interface NewtonFit {
  /** Deviance at the optimum (last evaluated deviance minus the final decrement). */
  deviance: number;
  converged: boolean;
  /** Passes over the data made by this fit. */
  passes: number;
  /** Last evaluated point (its system serves as the start of larger models). */
  state: NewtonState;
  /** True when A_SS was not positive definite (the caller should fall back to a plain fit). */
  singular: boolean;
}

/**
 * Fit the model with columns `cols` (ascending) by Newton's method from `start`, whose beta must be
 * zero outside `cols`.
 */
export function newtonFit(
  data: Float64Array,
  n: number,
  p: number,
  y: Float64Array,
  cols: Int32Array,
  start: NewtonState,
  opts: { maxit?: number; epsilon?: number; weights?: Float64Array | null; pool?: PassPool | null } = {},
): NewtonFit {
  const maxit = opts.maxit ?? 25;
  const epsilon = opts.epsilon ?? 1e-8;
  let st = start;
  let passes = 0;
  for (;;) {
    const step = newtonStep(st, p, cols);
    if (!step || !Number.isFinite(step.dec) || !Number.isFinite(st.dev)) return { deviance: st.dev, converged: false, passes, state: st, singular: true };
    if (step.dec / (Math.abs(st.dev) + 0.1) < epsilon) return { deviance: st.dev - step.dec, converged: true, passes, state: st, singular: false };
    if (passes >= maxit) return { deviance: st.dev, converged: false, passes, state: st, singular: false };
    // Damped Newton: a full step from a poor start can overshoot (and, undamped, diverge); halve it
    // until the deviance does not rise. The Newton direction descends, so a short enough step does.
    let t = 1;
    for (let halving = 0; ; halving++) {
      const beta = Float64Array.from(st.beta);
      for (let a = 0; a < cols.length; a++) beta[cols[a]] += t * step.delta[a];
      const next = newtonPass(data, n, p, y, beta, opts.weights ?? null, opts.pool ?? null);
      passes++;
      if (next.dev <= st.dev + 1e-9 * Math.abs(st.dev)) {
        st = next;
        break;
      }
      if (halving >= 30 || passes >= maxit) return { deviance: st.dev, converged: false, passes, state: st, singular: false };
      t /= 2;
    }
  }
}
