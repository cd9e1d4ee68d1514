/**
 * Random-intercept logistic regression (patients nested in clinicians) by maximum likelihood, with
 * the integral over each cluster's random intercept approximated as `lme4::glmer` does:
 * the Laplace approximation (`nAGQ = 1`, the default) or adaptive Gauss–Hermite quadrature with
 * `nAGQ` points, centred at the conditional mode and scaled by its curvature (as glmer, nAGQ > 1).
 *
 * Model: logit P(y_i = 1) = x_i'beta + theta u_g, u_g ~ N(0, 1) (theta = random-intercept SD, as
 * lme4's theta for a scalar random effect). For one cluster, with h(u) = sum_i log p(y_i | u) - u^2/2
 * and the conditional mode u^ (h'(u^) = 0), D = 1 + theta^2 sum_i w_i(u^) (w = mu (1 - mu)) and
 * s = D^-1/2:
 *   Laplace:  log L_g = h(u^) - 0.5 log D            (deviance = -2 sum_g log L_g, glmer's)
 *   AGQ:      log L_g = log s + log sum_k c_k exp(h(u^ + sqrt(2) s z_k)),  c_k = w_k exp(z_k^2)/sqrt(pi)
 * with (z_k, w_k) the Gauss–Hermite rule for exp(-z^2); with one point (z = 0, w = sqrt(pi)) the AGQ
 * formula is the Laplace one, so one routine serves both.
 *
 * Speed: everything is per cluster and scalar in the random effect. Rows are sorted by cluster once
 * (a counting sort into a row-major copy); each evaluation finds every cluster's mode by safeguarded
 * Newton (warm-started at the previous evaluation's modes) and returns the deviance with its exact
 * gradient in (theta, beta) (implicit differentiation through u^ and s; see clusterTerm). The outer
 * problem is solved by a Newton-type iteration on that gradient (Hessian: theta column by a
 * difference of gradients, beta block from the same pass; see outerHessian), and the covariance of
 * (theta, beta) is twice the inverse of the central-difference Hessian of the deviance at the
 * optimum (differences of the exact gradient): the full-Hessian covariance `vcov(glmer)` reports by
 * default (`use.hessian = TRUE`), not the conditional one (see r-reference-notes.md).
 * The SD's interval here is Wald on log SD from that covariance (cheap, always available off the
 * boundary); glmm-profile.ts gives the profile-likelihood interval (exact roots), which also has a
 * lower limit of 0 at the boundary.
 *
 * The deviance is even in theta (theta -> -theta, u -> -u), so theta is optimised unconstrained and
 * reported as |theta|; |theta| < 1e-4 is the boundary (lme4's isSingular tolerance): the fit is then
 * the ordinary logistic fit with theta = 0, flagged `boundary`.
 */
import { cholesky, cholInverse, cholSolve, symmetrize } from './linalg.js';
import { qNormal } from './distributions.js';
import { waldEstimate, waldMultiplier, type WaldEstimate } from './wald.js';
import { gaussHermite } from './gauss-hermite.js';
import { irlsLogit } from './irls.js';

export interface GlmmInput {
  /** Predictor columns (an intercept is added first), each of length n, finite. */
  columns: readonly Float64Array[];
  /** Names of the columns (for the result rows); default x1, x2, ... */
  names?: readonly string[];
  /** Outcome, 0/1. */
  y: Float64Array;
  /** Cluster of each row, a whole number >= 0 (e.g. the index of the clinician's label). */
  cluster: Int32Array;
}

export interface GlmmOptions {
  /** Quadrature points: 1 = Laplace (default), > 1 adaptive Gauss–Hermite (odd numbers as glmer advises). */
  nAGQ?: number;
  /** Confidence level of the intervals (default 0.95). */
  level?: number;
  /** Stop when the Newton decrement of the deviance is below this (default 1e-13). */
  tolerance?: number;
  maxit?: number;
}

export interface GlmmCoefficient extends WaldEstimate {
  name: string;
}

export type GlmmFlag = 'boundary' | 'not-converged' | 'hessian-not-positive-definite';

export interface GlmmFit {
  ok: true;
  nAGQ: number;
  n: number;
  /** Non-empty clusters. */
  clusters: number;
  clusterSize: { min: number; median: number; max: number };
  coefficients: GlmmCoefficient[];
  /** Covariance of the fixed effects, row-major p x p (intercept first). */
  vcov: Float64Array;
  /** Random-intercept SD (theta) and variance on the logit scale. */
  sd: number;
  variance: number;
  /** Wald interval on log SD from the full Hessian, transformed back; null at the boundary. */
  sdCi: [number, number] | null;
  /** SE of the SD from the full Hessian (delta method gives se(log sd) = se / sd). */
  sdSe: number | null;
  /** Latent-scale ICC tau^2 / (tau^2 + pi^2/3) with the interval from sdCi. */
  icc: number;
  iccCi: [number, number] | null;
  /** Median odds ratio exp(sqrt(2 tau^2) qnorm(0.75)) with the interval from sdCi. */
  medianOddsRatio: number;
  morCi: [number, number] | null;
  /** -2 log-likelihood (Laplace or AGQ approximation), as deviance(glmer) / -2 logLik. */
  deviance: number;
  logLik: number;
  /** Conditional modes b_g = theta u^_g (ranef) and their conditional SDs, per cluster id (NaN for an empty id). */
  modes: Float64Array;
  modeSd: Float64Array;
  converged: boolean;
  boundary: boolean;
  iterations: number;
  /** Deviance evaluations (each one pass over the data). */
  evaluations: number;
  flags: GlmmFlag[];
}

export interface GlmmFailure {
  ok: false;
  code: 'bad-input' | 'one-outcome-class' | 'too-few-clusters' | 'singular';
  reason: string;
}

/** Rows sorted by cluster: row-major design (intercept first), outcome, cluster offsets. */
export interface ClusteredData {
  n: number;
  p: number;
  G: number;
  x: Float64Array;
  y: Float64Array;
  /** Rows of cluster g are offsets[g] .. offsets[g + 1] - 1 (sorted order). */
  offsets: Int32Array;
  /** Original cluster id of sorted cluster g. */
  ids: Int32Array;
  maxSize: number;
}

/** The columns `from`.. of a row-major n x p design as separate arrays (GlmmInput.columns from a design with an intercept column 0). */
export function designColumns(data: Float64Array, n: number, p: number, from = 1): Float64Array[] {
  const out: Float64Array[] = [];
  for (let j = from; j < p; j++) {
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) c[i] = data[i * p + j];
    out.push(c);
  }
  return out;
}

/** Counting sort of the rows by cluster into a row-major design with an intercept column. */
export function clusterData(columns: readonly Float64Array[], y: Float64Array, cluster: Int32Array): ClusteredData {
  const n = y.length;
  const p = columns.length + 1;
  let maxId = -1;
  for (let i = 0; i < n; i++) if (cluster[i] > maxId) maxId = cluster[i];
  const counts = new Int32Array(maxId + 2);
  for (let i = 0; i < n; i++) counts[cluster[i] + 1]++;
  const ids: number[] = [];
  for (let c = 0; c <= maxId; c++) if (counts[c + 1] > 0) ids.push(c);
  const G = ids.length;
  const offsets = new Int32Array(G + 1);
  const slot = new Int32Array(maxId + 1);
  for (let g = 0; g < G; g++) {
    offsets[g + 1] = offsets[g] + counts[ids[g] + 1];
    slot[ids[g]] = offsets[g];
  }
  const x = new Float64Array(n * p);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = slot[cluster[i]]++;
    ys[r] = y[i];
    const b = r * p;
    x[b] = 1;
    for (let j = 1; j < p; j++) x[b + j] = columns[j - 1][i];
  }
  let maxSize = 0;
  for (let g = 0; g < G; g++) maxSize = Math.max(maxSize, offsets[g + 1] - offsets[g]);
  return { n, p, G, x, y: ys, offsets, ids: Int32Array.from(ids), maxSize };
}

function checkInput(inp: GlmmInput): GlmmFailure | null {
  const n = inp.y.length;
  if (inp.cluster.length !== n) return { ok: false, code: 'bad-input', reason: `${inp.cluster.length} cluster ids for ${n} outcomes.` };
  let events = 0;
  for (let i = 0; i < n; i++) {
    const v = inp.y[i];
    if (v !== 0 && v !== 1) return { ok: false, code: 'bad-input', reason: `The outcome must be coded 0/1, but row ${i + 1} has ${v}.` };
    events += v;
    if (!(inp.cluster[i] >= 0)) return { ok: false, code: 'bad-input', reason: `Row ${i + 1} has cluster id ${inp.cluster[i]}; ids must be whole numbers from 0.` };
  }
  for (const [j, c] of inp.columns.entries()) {
    if (c.length !== n) return { ok: false, code: 'bad-input', reason: `Column ${j + 1} has ${c.length} values for ${n} outcomes.` };
    for (let i = 0; i < n; i++) if (!Number.isFinite(c[i])) return { ok: false, code: 'bad-input', reason: `Column ${j + 1} is missing or not finite in row ${i + 1}; drop incomplete rows first.` };
  }
  if (events === 0 || events === n) return { ok: false, code: 'one-outcome-class', reason: `All ${n} respondents have outcome ${events === 0 ? 0 : 1}; a logistic model needs both outcomes.` };
  return null;
}

/** Everything one evaluation needs besides the parameters. */
export interface GlmmWork {
  d: ClusteredData;
  /** Current conditional modes (warm starts), per sorted cluster. */
  u: Float64Array;
  /** Conditional SD scale s_g = D_g^-1/2 at the last evaluation. */
  s: Float64Array;
  nodes: Float64Array;
  /** log c_k. */
  logc: Float64Array;
  off: Float64Array;
  /** Scratch for the fused kernel's scalar results, and per-node scratch of the gradient. */
  out: Float64Array;
  q: Float64Array;
  uk: Float64Array;
  hp: Float64Array;
  evaluations: number;
}

export function glmmWork(d: ClusteredData, nAGQ: number): GlmmWork {
  const gh = gaussHermite(nAGQ);
  const logc = Float64Array.from(gh.weights, (w, k) => Math.log(w) + gh.nodes[k] * gh.nodes[k] - 0.5 * Math.log(Math.PI));
  return { d, u: new Float64Array(d.G), s: new Float64Array(d.G), nodes: gh.nodes, logc, off: new Float64Array(d.maxSize), out: new Float64Array(4), q: new Float64Array(nAGQ), uk: new Float64Array(nAGQ), hp: new Float64Array(nAGQ), evaluations: 0 };
}

/**
 * The Laplace case's fused pass over one cluster's rows at its mode (see clusterTerm), generated for p
 * columns with every accumulator in a local variable (as the IRLS kernels in irls.ts: several times
 * faster than indexed accumulation into typed arrays). Writes B, C, A (p each), adds the cluster's
 * 2 X'WX into info (lower triangle) when given, and returns W, sum w(1-2mu), sum(y-mu), log-likelihood in out.
 */
type FusedKernel = (x: Float64Array, y: Float64Array, off: Float64Array, r0: number, m: number, tu: number, B: Float64Array, C: Float64Array, A: Float64Array, info: Float64Array | null, out: Float64Array) => void;
const fusedCache = new Map<string, FusedKernel>();
const MAX_UNROLLED = 16;

/** Per-row arithmetic shared by both kernel shapes (R's logit clamp at |eta| > 30). */
const ROW = `
      let eta = off[i] + tu;
      eta = eta > 30 ? 30 : eta < -30 ? -30 : eta;
      const e = Math.exp(-eta);
      const mu = 1 / (1 + e);
      const yi = y[r0 + i];
      const w = mu * (1 - mu);
      const r = yi - mu;
      const v = w * (1 - 2 * mu);
      W += w; V += v; S += r;
      // the log-likelihood as the log of a running product of the probabilities (1 - mu = e mu
      // exactly), one log per ~250 rows instead of one per row; every factor is >= 1e-13 (clamp)
      prod *= yi === 1 ? mu : e * mu;
      if (prod < 1e-250) { ll += Math.log(prod); prod = 1; }
`;

/** Unrolled (p <= MAX_UNROLLED: every accumulator a local) or looped source of the fused pass. */
function fusedSource(p: number, withInfo: boolean): string {
  if (p > MAX_UNROLLED)
    return `
    let W = 0, V = 0, S = 0, ll = 0, prod = 1;
    B.fill(0); C.fill(0); A.fill(0);
    for (let i = 0, base = r0 * ${p}; i < m; i++, base += ${p}) {
      ${ROW}
      for (let j = 0; j < ${p}; j++) { const xj = x[base + j]; B[j] += w * xj; C[j] += v * xj; A[j] += r * xj; }
      ${withInfo ? `for (let j = 0; j < ${p}; j++) { const wx = 2 * w * x[base + j]; for (let k = 0; k <= j; k++) info[j * ${p} + k] += wx * x[base + k]; }` : ''}
    }
    out[0] = W; out[1] = V; out[2] = S; out[3] = ll + Math.log(prod);`;
  const J = Array.from({ length: p }, (_, j) => j);
  const pairs: [number, number][] = [];
  if (withInfo) for (const j of J) for (let k = 0; k <= j; k++) pairs.push([j, k]);
  return `
    let W = 0, V = 0, S = 0, ll = 0, prod = 1;
    ${J.map((j) => `let b${j} = 0, c${j} = 0, a${j} = 0;`).join(' ')}
    ${pairs.map(([j, k]) => `let i${j}_${k} = 0;`).join(' ')}
    for (let i = 0, base = r0 * ${p}; i < m; i++, base += ${p}) {
      ${ROW}
      ${J.map((j) => `const x${j} = x[base + ${j}]; b${j} += w * x${j}; c${j} += v * x${j}; a${j} += r * x${j};`).join(' ')}
      ${withInfo ? J.map((j) => `const w${j} = w * x${j};`).join(' ') : ''}
      ${pairs.map(([j, k]) => `i${j}_${k} += w${j} * x${k};`).join(' ')}
    }
    ${J.map((j) => `B[${j}] = b${j}; C[${j}] = c${j}; A[${j}] = a${j};`).join(' ')}
    ${pairs.map(([j, k]) => `info[${j * p + k}] += 2 * i${j}_${k};`).join(' ')}
    out[0] = W; out[1] = V; out[2] = S; out[3] = ll + Math.log(prod);`;
}

function fusedKernel(p: number, withInfo: boolean): FusedKernel {
  const key = `${p}:${withInfo}`;
  const hit = fusedCache.get(key);
  if (hit) return hit;
  const f = new Function('x', 'y', 'off', 'r0', 'm', 'tu', 'B', 'C', 'A', 'info', 'out', `"use strict";\n${fusedSource(p, withInfo)}`) as FusedKernel;
  fusedCache.set(key, f);
  return f;
}

/** log p(y | eta) for a 0/1 outcome, with glm's clamping of the logit at |eta| > 30. */
function logLik1(yi: number, eta: number): number {
  const e = eta > 30 ? 30 : eta < -30 ? -30 : eta;
  return yi === 1 ? -Math.log1p(Math.exp(-e)) : -Math.log1p(Math.exp(e));
}
function expit(eta: number): number {
  const e = eta > 30 ? 30 : eta < -30 ? -30 : eta;
  return 1 / (1 + Math.exp(-e));
}

/**
 * The conditional mode of one cluster: Newton on h'(u) = theta sum(y - mu) - u, which is strictly
 * decreasing, safeguarded by bisection inside the bracket the signs of h' have established.
 */
function clusterMode(y: Float64Array, off: Float64Array, r0: number, m: number, theta: number, u0: number): number {
  let u = u0;
  let lo = -Infinity;
  let hi = Infinity;
  for (let it = 0; it < 200; it++) {
    let S = 0;
    let W = 0;
    for (let i = 0; i < m; i++) {
      const mu = expit(off[i] + theta * u);
      S += y[r0 + i] - mu;
      W += mu * (1 - mu);
    }
    const g = theta * S - u;
    if (g > 0) lo = u;
    else if (g < 0) hi = u;
    else return u;
    let next = u + g / (theta * theta * W + 1);
    if (!(next > lo && next < hi)) next = Number.isFinite(lo) && Number.isFinite(hi) ? 0.5 * (lo + hi) : next;
    // Newton's error after a step d is about |h'''/(2h'')| d^2 <= theta d^2 / 2: a step below 1e-7
    // leaves an error near 1e-14, so no confirming pass is needed (inside a bisection bracket: 1e-13)
    if (Math.abs(next - u) <= (next === 0.5 * (lo + hi) ? 1e-13 : 1e-7 / Math.max(1, theta)) * (1 + Math.abs(u))) return next;
    u = next;
  }
  return u;
}

/**
 * Deviance of the model at phi = (theta, beta) and, into `grad` (length p + 1) when given, its
 * exact gradient. Updates the warm-start modes in `work`.
 */
export function glmmDeviance(work: GlmmWork, phi: Float64Array, grad: Float64Array | null, info: Float64Array | null = null): number {
  const { d, off } = work;
  const { p, G, x, y, offsets } = d;
  const theta = phi[0];
  const K = work.nodes.length;
  // per-cluster accumulators: A_k (p per node), B, C (p), scalars
  const A = new Float64Array(K * p);
  const B = new Float64Array(p);
  const C = new Float64Array(p);
  const hk = new Float64Array(K);
  const Sk = new Float64Array(K);
  if (grad) grad.fill(0);
  if (info) info.fill(0);
  let dev = 0;
  for (let g = 0; g < G; g++) {
    const r0 = offsets[g];
    const m = offsets[g + 1] - r0;
    for (let i = 0; i < m; i++) {
      let e = 0;
      const b = (r0 + i) * p;
      for (let j = 0; j < p; j++) e += x[b + j] * phi[1 + j];
      off[i] = e;
    }
    const u = clusterMode(y, off, r0, m, theta, work.u[g]);
    work.u[g] = u;
    dev -= 2 * clusterTerm(work, g, r0, m, theta, u, A, B, C, hk, Sk, grad, info);
  }
  work.evaluations++;
  if (info) for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) info[k * p + j] = info[j * p + k];
  return dev;
}

/**
 * One cluster's log-likelihood contribution at its mode u (Laplace or AGQ), adding its gradient
 * times -2 into grad. Derivatives by implicit differentiation of h'(u^) = 0:
 *   du^/dbeta = -theta sum w x / D,  du^/dtheta = (sum(y - mu) - theta u^ W) / D,
 *   dD/dbeta = theta^2 (sum w(1-2mu) x + theta du^/dbeta sum w(1-2mu)),
 *   dD/dtheta = 2 theta W + theta^2 sum w(1-2mu) (u^ + theta du^/dtheta),
 *   dlogL/dphi = -0.5 dD/D + sum_k q_k [dh/dphi(u_k) + h'(u_k) (du^/dphi + sqrt2 z_k s dlog s/dphi)],
 * q_k the normalised quadrature terms (one term with z = 0 for Laplace, where h'(u^) = 0).
 * With `info`, adds 2 (sum w x x' - theta^2 B B' / D) (B = sum w x): the Hessian of the deviance
 * in beta without the log-determinant's second derivatives (the outer iteration's approximation).
 * The rows are visited once by the fused kernel (plus once per node for AGQ).
 */
function clusterTerm(
  work: GlmmWork, g: number, r0: number, m: number, theta: number, u: number,
  A: Float64Array, B: Float64Array, C: Float64Array, hk: Float64Array, Sk: Float64Array, grad: Float64Array | null, info: Float64Array | null,
): number {
  const { off, nodes, logc } = work;
  const { p, x, y } = work.d;
  const K = nodes.length;
  const laplace = K === 1;
  // the mode's quantities (and, for Laplace, the log-likelihood and the node's A) in one pass
  const o = work.out;
  fusedKernel(p, info !== null)(x, y, off, r0, m, theta * u, B, C, A, info, o);
  const W = o[0];
  const C0 = o[1];
  const S0 = o[2];
  const ll = o[3];
  const D = 1 + theta * theta * W;
  const s = 1 / Math.sqrt(D);
  work.s[g] = s;
  if (info) for (let j = 0; j < p; j++) for (let k = 0; k <= j; k++) info[j * p + k] -= (2 * theta * theta * B[j] * B[k]) / D;
  if (laplace) {
    hk[0] = logc[0] + ll - 0.5 * u * u;
    Sk[0] = S0;
  } else agqNodes(work, r0, m, theta, u, s, A, Sk, hk, grad !== null);
  let hmax = -Infinity;
  for (let k = 0; k < K; k++) if (hk[k] > hmax) hmax = hk[k];
  let sum = 0;
  for (let k = 0; k < K; k++) sum += Math.exp(hk[k] - hmax);
  const logL = hmax + Math.log(sum) + Math.log(s);
  if (grad) clusterGradient(work, u, s, theta, W, C0, S0, D, A, B, C, hk, Sk, hmax, sum, grad);
  return logL;
}

/** The quadrature terms h(u_k) (+ log c_k) and, for the gradient, sum (y - mu) and sum (y - mu) x at each node. */
function agqNodes(work: GlmmWork, r0: number, m: number, theta: number, u: number, s: number, A: Float64Array, Sk: Float64Array, hk: Float64Array, grad: boolean): void {
  const { off, nodes, logc } = work;
  const { p, x, y } = work.d;
  if (grad) A.fill(0);
  for (let k = 0; k < nodes.length; k++) {
    const uk = u + Math.SQRT2 * s * nodes[k];
    let ll = 0;
    let S = 0;
    for (let i = 0; i < m; i++) {
      const eta = off[i] + theta * uk;
      const yi = y[r0 + i];
      ll += logLik1(yi, eta);
      if (grad) {
        const r = yi - expit(eta);
        S += r;
        const b = (r0 + i) * p;
        for (let j = 0; j < p; j++) A[k * p + j] += r * x[b + j];
      }
    }
    hk[k] = logc[k] + ll - 0.5 * uk * uk;
    Sk[k] = S;
  }
}

function clusterGradient(
  work: GlmmWork, u: number, s: number, theta: number, W: number, C0: number, S0: number, D: number,
  A: Float64Array, B: Float64Array, C: Float64Array, hk: Float64Array, Sk: Float64Array, hmax: number, sum: number, grad: Float64Array,
): void {
  const { nodes } = work;
  const p = work.d.p;
  const K = nodes.length;
  // per node: its normalised weight q_k, position u_k and h'(u_k)
  const q = work.q;
  const uk = work.uk;
  const hp = work.hp;
  for (let k = 0; k < K; k++) {
    q[k] = Math.exp(hk[k] - hmax) / sum;
    uk[k] = u + Math.SQRT2 * s * nodes[k];
    hp[k] = theta * Sk[k] - uk[k];
  }
  /** dlogL/dphi given dh/dphi at node k, du^/dphi and dD/dphi. */
  const total = (dh: (k: number) => number, du: number, dD: number): number => {
    const dls = (-0.5 * dD) / D;
    let t = dls;
    for (let k = 0; k < K; k++) t += q[k] * (dh(k) + hp[k] * (du + Math.SQRT2 * nodes[k] * s * dls));
    return t;
  };
  const duT = (S0 - theta * u * W) / D;
  grad[0] -= 2 * total((k) => Sk[k] * uk[k], duT, 2 * theta * W + theta * theta * C0 * (u + theta * duT));
  for (let j = 0; j < p; j++) {
    const duB = (-theta * B[j]) / D;
    grad[1 + j] -= 2 * total((k) => A[k * p + j], duB, theta * theta * (C[j] + theta * duB * C0));
  }
}

/** Hessian of the deviance by differences of the exact gradient (central or forward), symmetrised. */
function fdHessian(work: GlmmWork, phi: Float64Array, g0: Float64Array, central: boolean): Float64Array {
  const q = phi.length;
  const H = new Float64Array(q * q);
  const gp = new Float64Array(q);
  const gm = new Float64Array(q);
  const u0 = Float64Array.from(work.u);
  for (let j = 0; j < q; j++) {
    const h = (central ? 1e-5 : 1e-6) * Math.max(1, Math.abs(phi[j]));
    const t = Float64Array.from(phi);
    t[j] = phi[j] + h;
    glmmDeviance(work, t, gp);
    if (central) {
      t[j] = phi[j] - h;
      glmmDeviance(work, t, gm);
    }
    for (let i = 0; i < q; i++) H[i * q + j] = central ? (gp[i] - gm[i]) / (2 * h) : (gp[i] - g0[i]) / h;
  }
  work.u.set(u0);
  return symmetrize(H, q);
}

/** Cholesky factor of H + lambda I with the smallest lambda (0, then growing) that makes it positive definite. */
function dampedCholesky(H: Float64Array, q: number): { L: Float64Array; lambda: number } {
  let scale = 0;
  for (let j = 0; j < q; j++) scale = Math.max(scale, Math.abs(H[j * q + j]));
  for (let lambda = 0, t = 1e-8; ; lambda = t * scale, t *= 10) {
    const L = Float64Array.from(H);
    for (let j = 0; j < q; j++) L[j * q + j] += lambda;
    if (cholesky(L, q, 1e-14) < 0) return { L, lambda };
    if (t > 1e8) return { L: Float64Array.from({ length: q * q }, (_, k) => (k % (q + 1) === 0 ? scale || 1 : 0)), lambda: Infinity };
  }
}

interface OuterResult { phi: Float64Array; dev: number; grad: Float64Array; converged: boolean; iterations: number }

/**
 * The outer iteration's Hessian: the theta row and column by a forward difference of the exact
 * gradient (one evaluation), the beta block from `info` (2 (X'WX - theta^2 B B'/D) summed over
 * clusters: exact but for the log-determinant's curvature, a relative O(1 / cluster size) term).
 */
function outerHessian(work: GlmmWork, phi: Float64Array, grad: Float64Array, info: Float64Array): Float64Array {
  const q = phi.length;
  const p = q - 1;
  const H = new Float64Array(q * q);
  for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) H[(j + 1) * q + k + 1] = info[j * p + k];
  const h = 1e-6 * Math.max(1, Math.abs(phi[0]));
  const t = Float64Array.from(phi);
  t[0] += h;
  const u0 = Float64Array.from(work.u);
  const gt = new Float64Array(q);
  glmmDeviance(work, t, gt);
  work.u.set(u0);
  for (let j = 0; j < q; j++) {
    const v = (gt[j] - grad[j]) / h;
    H[j] = v;
    H[j * q] = v;
  }
  return H;
}

/**
 * Newton-type minimisation of the deviance in phi = (theta, beta) with the Hessian of
 * outerHessian (damped to positive definite), backtracking on the deviance; stops when the
 * decrement g'H^-1 g (the predicted fall of the deviance) is below `tol`.
 */
function newtonOuter(work: GlmmWork, phi0: Float64Array, tol: number, maxit: number): OuterResult {
  const q = phi0.length;
  const p = q - 1;
  let phi = Float64Array.from(phi0);
  let grad = new Float64Array(q);
  let info = new Float64Array(p * p);
  let dev = glmmDeviance(work, phi, grad, info);
  for (let iter = 1; iter <= maxit; iter++) {
    const { L } = dampedCholesky(outerHessian(work, phi, grad, info), q);
    const step = cholSolve(L, q, grad);
    let dec = 0;
    for (let j = 0; j < q; j++) dec += grad[j] * step[j];
    if (dec < tol) return { phi, dev, grad, converged: true, iterations: iter - 1 };
    const trialGrad = new Float64Array(q);
    const trialInfo = new Float64Array(p * p);
    let accepted = false;
    for (let t = 1; t > 1e-10; t /= 2) {
      const trial = Float64Array.from(phi, (v, j) => v - t * step[j]);
      const d = glmmDeviance(work, trial, trialGrad, trialInfo);
      // near the optimum the fall is below the rounding of a large deviance: take the full step
      if (d <= dev - 1e-4 * t * dec || (t === 1 && dec < 1e-6)) {
        phi = trial;
        dev = d;
        grad = Float64Array.from(trialGrad);
        info = Float64Array.from(trialInfo);
        accepted = true;
        break;
      }
    }
    if (!accepted) return { phi, dev, grad, converged: dec < 1e-6, iterations: iter };
  }
  return { phi, dev, grad, converged: false, iterations: maxit };
}

function median(sorted: Int32Array): number {
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) >> 1] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
}

const PI2_3 = (Math.PI * Math.PI) / 3;
const Q75 = qNormal(0.75);
const iccOf = (sd: number): number => (sd * sd) / (sd * sd + PI2_3);
const morOf = (sd: number): number => Math.exp(Math.SQRT2 * sd * Q75);

/**
 * Fit the random-intercept logistic model (see module doc). Degenerate input gives `ok: false`
 * with a reason; non-convergence and the tau = 0 boundary are flags on the fit.
 */
export function fitGlmm(inp: GlmmInput, opts: GlmmOptions = {}): GlmmFit | GlmmFailure {
  const bad = checkInput(inp);
  if (bad) return bad;
  const nAGQ = opts.nAGQ ?? 1;
  if (!Number.isInteger(nAGQ) || nAGQ < 1 || nAGQ > 99) return { ok: false, code: 'bad-input', reason: `nAGQ must be a whole number from 1 to 99, got ${nAGQ}.` };
  const d = clusterData(inp.columns, inp.y, inp.cluster);
  if (d.G < 2) return { ok: false, code: 'too-few-clusters', reason: `Only ${d.G} cluster; a random-intercept model needs at least 2 (in practice 20 or more).` };
  const start = glmStart(d);
  if (!start) return { ok: false, code: 'singular', reason: 'The predictors are perfectly collinear; remove one of them.' };
  const tol = opts.tolerance ?? 1e-13;
  const maxit = opts.maxit ?? 100;
  // glmer's strategy: Laplace first, adaptive quadrature from the Laplace optimum
  const lap = glmmWork(d, 1);
  let work = lap;
  let res = newtonOuter(lap, Float64Array.of(1, ...start), tol, maxit);
  let evaluations = lap.evaluations;
  if (nAGQ > 1) {
    work = glmmWork(d, nAGQ);
    work.u.set(lap.u);
    res = newtonOuter(work, res.phi, tol, maxit);
    evaluations += work.evaluations;
  }
  return assemble(inp, opts, d, work, res, nAGQ, evaluations);
}

/** glm estimates (the start of the outer iteration), or null when X'WX is singular. */
function glmStart(d: ClusteredData): Float64Array | null {
  const fit = irlsLogit({ data: d.x, n: d.n, stride: d.p, cols: Int32Array.from({ length: d.p }, (_, j) => j) }, d.y, { epsilon: 1e-10, maxit: 50 });
  return fit.singularColumn >= 0 ? null : fit.beta;
}

function assemble(inp: GlmmInput, opts: GlmmOptions, d: ClusteredData, work: GlmmWork, res: OuterResult, nAGQ: number, evaluations: number): GlmmFit {
  const p = d.p;
  const q = p + 1;
  const flags: GlmmFlag[] = [];
  const before = work.evaluations;
  const boundary = Math.abs(res.phi[0]) < 1e-4;
  const phi = Float64Array.from(res.phi);
  phi[0] = Math.abs(phi[0]);
  if (boundary) phi[0] = 0;
  const grad = new Float64Array(q);
  const dev = glmmDeviance(work, phi, grad);
  const H = fdHessian(work, phi, grad, true);
  let V: Float64Array | null = null;
  // at the boundary theta is fixed at 0: the fixed effects' covariance comes from their block alone
  const idx = boundary ? Array.from({ length: p }, (_, j) => j + 1) : Array.from({ length: q }, (_, j) => j);
  const m = idx.length;
  const Hs = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) Hs[a * m + b] = H[idx[a] * q + idx[b]];
  if (cholesky(Hs, m, 1e-14) < 0) V = cholInverse(Hs, m).map((v) => 2 * v);
  else flags.push('hessian-not-positive-definite');
  if (!res.converged) flags.push('not-converged');
  if (boundary) flags.push('boundary');
  const vOff = boundary ? 0 : 1;
  const vcov = new Float64Array(p * p).fill(NaN);
  if (V) for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) vcov[a * p + b] = V[(a + vOff) * m + b + vOff];
  const z = waldMultiplier(opts.level);
  const names = ['(Intercept)', ...(inp.names ?? inp.columns.map((_, j) => `x${j + 1}`))];
  const coefficients = names.map((name, j) => {
    return { name, ...waldEstimate(phi[1 + j], Math.sqrt(vcov[j * p + j]), z) };
  });
  const sd = phi[0];
  const sdSe = V && !boundary ? Math.sqrt(V[0]) : null;
  const sdCi: [number, number] | null = sdSe !== null && sd > 0 ? [sd * Math.exp((-z * sdSe) / sd), sd * Math.exp((z * sdSe) / sd)] : null;
  return {
    ok: true, nAGQ, n: d.n, clusters: d.G, clusterSize: sizes(d), coefficients, vcov,
    sd, variance: sd * sd, sdCi, sdSe,
    icc: iccOf(sd), iccCi: sdCi ? [iccOf(sdCi[0]), iccOf(sdCi[1])] : null,
    medianOddsRatio: morOf(sd), morCi: sdCi ? [morOf(sdCi[0]), morOf(sdCi[1])] : null,
    deviance: dev, logLik: -dev / 2,
    ...modesOf(d, work, sd),
    converged: res.converged, boundary, iterations: res.iterations, evaluations: evaluations + work.evaluations - before, flags,
  };
}

function sizes(d: ClusteredData): { min: number; median: number; max: number } {
  const s = Int32Array.from({ length: d.G }, (_, g) => d.offsets[g + 1] - d.offsets[g]).sort();
  return { min: s[0], median: median(s), max: s[s.length - 1] };
}

/** Conditional modes theta u^ and conditional SDs theta s per original cluster id (as ranef / condVar). */
function modesOf(d: ClusteredData, work: GlmmWork, sd: number): { modes: Float64Array; modeSd: Float64Array } {
  const len = d.G ? d.ids[d.G - 1] + 1 : 0;
  const modes = new Float64Array(len).fill(NaN);
  const modeSd = new Float64Array(len).fill(NaN);
  for (let g = 0; g < d.G; g++) {
    modes[d.ids[g]] = sd * work.u[g];
    modeSd[d.ids[g]] = sd * work.s[g];
  }
  return { modes, modeSd };
}
