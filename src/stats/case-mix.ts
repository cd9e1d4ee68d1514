/**
 * Case-mix adjusted clinician (cluster) means and the better / about the same / worse rating, after
 * the CAHPS Analysis Program ("CAHPS macro"; Instructions for Analyzing Data from CAHPS Surveys,
 * AHRQ, section "Explanation of Statistical Calculations"; Zaslavsky et al., Health Care Financing
 * Review 2001, "Adjusting performance measures to ensure equitable plan comparisons"):
 *
 * 1. Pooled within-cluster regression of the score y on the adjusters x (a linear model with cluster
 *    fixed effects, i.e. least squares on the cluster-centred data): coefficients b, residual
 *    variance s2 = RSS / (N - G - K), Var(b) = s2 (Xc'Xc)^-1 (as vcov(lm(y ~ x + factor(g)))).
 * 2. Adjusted mean of cluster p: adj_p = ybar_p + sum_k b_k (xbar_k - xbar_pk), xbar_k the mean of
 *    adjuster k over all patients, xbar_pk among p's patients.
 * 3. Its variance: v_p = s2_p / n_p + d_p' Var(b) d_p, d_p = xbar - xbar_p, s2_p the variance
 *    (denominator n_p - 1) of the adjusted residuals e_i = y_i - b'x_i among p's patients (the
 *    unsmoothed CAHPS variance; the pooled s2 when n_p = 1). The sampling error of b is taken as
 *    independent of p's mean.
 * 4. The reference is the mean of the adjusted means, every cluster weighing the same (CAHPS's
 *    default) or weighted by patients: ref = sum_q a_q adj_q. delta_p = adj_p - ref, and since
 *    p is part of the reference, Var(delta_p) = v_i + v_o with v_i = (1 - a_p)^2 v_p and
 *    v_o = sum_{q != p} a_q^2 v_q; t = delta_p / sqrt(v_i + v_o), two-sided normal p-value.
 * 5. Rating: "too few to rate" when n_p < minCell or the reliability of p's mean
 *    (tau^2 / (tau^2 + sigma^2 / n_p), one-way REML on the score: icc-oneway.ts) is below
 *    minReliability; otherwise "better" / "worse" when p < alpha (by the sign of delta), else "same".
 * CI of an adjusted mean: adj_p -/+ z(1 - (1 - level)/2) sqrt(v_p).
 *
 * What is ours rather than the macro's: steps 1, 2 and the structure of 4 (a unit against the mean of
 * all units, itself included) are the program's; the variance terms of 3 are written here from first
 * principles (the macro also offers variance smoothing and weighted plan means, not reproduced), and
 * the test is a normal z rather than a t. The R golden (test/reference/case-mix-golden.R) implements
 * these formulas independently (b and Var(b) from lm with fixed effects).
 */
import { cholesky, cholInverse } from './linalg.js';
import { pNormalTwoSided, qNormal } from './distributions.js';
import { oneWayReml } from './icc-oneway.js';

export interface CaseMixOptions {
  alpha?: number;
  level?: number;
  minCell?: number;
  minReliability?: number;
  /** 'clusters' (default): each cluster weighs the same in the reference; 'patients': by size. */
  reference?: 'clusters' | 'patients';
}

export type CaseMixRating = 'better' | 'same' | 'worse' | 'too-few';

export interface CaseMixCluster {
  /** The cluster id (index) as given. */
  cluster: number;
  n: number;
  mean: number;
  adjusted: number;
  variance: number;
  ciLow: number;
  ciHigh: number;
  delta: number;
  t: number;
  p: number;
  reliability: number;
  rating: CaseMixRating;
}

export interface CaseMixResult {
  ok: true;
  /** Within-cluster coefficients of the adjusters and their covariance (K x K). */
  b: Float64Array;
  bVcov: Float64Array;
  residualVariance: number;
  reference: number;
  clusters: CaseMixCluster[];
}

export interface CaseMixFailure { ok: false; code: 'too-few-clusters' | 'collinear-adjusters' | 'bad-input'; reason: string }

interface Moments { ids: number[]; n: Float64Array; ybar: Float64Array; xbar: Float64Array; xall: Float64Array; slot: Int32Array }

function moments(y: Float64Array, xs: readonly Float64Array[], cluster: Int32Array): Moments {
  const N = y.length;
  const K = xs.length;
  let maxId = -1;
  for (let i = 0; i < N; i++) maxId = Math.max(maxId, cluster[i]);
  const slot = new Int32Array(maxId + 1).fill(-1);
  const ids: number[] = [];
  for (let i = 0; i < N; i++) if (slot[cluster[i]] < 0) { slot[cluster[i]] = 0; }
  for (let c = 0; c <= maxId; c++) if (slot[c] === 0) { slot[c] = ids.length; ids.push(c); }
  const G = ids.length;
  const n = new Float64Array(G);
  const ybar = new Float64Array(G);
  const xbar = new Float64Array(G * K);
  const xall = new Float64Array(K);
  for (let i = 0; i < N; i++) {
    const g = slot[cluster[i]];
    n[g]++;
    ybar[g] += y[i];
    for (let k = 0; k < K; k++) { xbar[g * K + k] += xs[k][i]; xall[k] += xs[k][i] / N; }
  }
  for (let g = 0; g < G; g++) {
    ybar[g] /= n[g];
    for (let k = 0; k < K; k++) xbar[g * K + k] /= n[g];
  }
  return { ids, n, ybar, xbar, xall, slot };
}

/** Pooled within-cluster least squares: b, (Xc'Xc)^-1 and RSS. */
function withinRegression(y: Float64Array, xs: readonly Float64Array[], cluster: Int32Array, m: Moments) {
  const K = xs.length;
  const XtX = new Float64Array(K * K);
  const Xty = new Float64Array(K);
  const xc = new Float64Array(K);
  for (let i = 0; i < y.length; i++) {
    const g = m.slot[cluster[i]];
    for (let k = 0; k < K; k++) xc[k] = xs[k][i] - m.xbar[g * K + k];
    const yc = y[i] - m.ybar[g];
    for (let a = 0; a < K; a++) {
      Xty[a] += xc[a] * yc;
      for (let c = 0; c < K; c++) XtX[a * K + c] += xc[a] * xc[c];
    }
  }
  if (K > 0 && cholesky(XtX, K) >= 0) return null;
  const inv = K > 0 ? cholInverse(XtX, K) : new Float64Array(0);
  const b = new Float64Array(K);
  for (let a = 0; a < K; a++) for (let c = 0; c < K; c++) b[a] += inv[a * K + c] * Xty[c];
  return { b, inv };
}

export function caseMixAdjust(y: Float64Array, adjusters: readonly Float64Array[], cluster: Int32Array, opts: CaseMixOptions = {}): CaseMixResult | CaseMixFailure {
  const N = y.length;
  const K = adjusters.length;
  for (let i = 0; i < N; i++) {
    if (!Number.isFinite(y[i]) || !(cluster[i] >= 0)) return { ok: false, code: 'bad-input', reason: `Row ${i + 1} has a missing score or cluster; drop incomplete rows first.` };
    for (const x of adjusters) if (!Number.isFinite(x[i])) return { ok: false, code: 'bad-input', reason: `Row ${i + 1} has a missing adjuster; drop incomplete rows first.` };
  }
  const m = moments(y, adjusters, cluster);
  const G = m.ids.length;
  if (G < 2 || N - G - K < 1) return { ok: false, code: 'too-few-clusters', reason: `${G} clusters and ${N} patients are too few for ${K} adjusters.` };
  const reg = withinRegression(y, adjusters, cluster, m);
  if (!reg) return { ok: false, code: 'collinear-adjusters', reason: 'The case-mix adjusters are collinear within clinicians (or one does not vary within any clinician); remove one.' };
  const { b, inv } = reg;
  // adjusted residuals e = y - b'x: per-cluster variance, and the pooled RSS (within SS of e)
  const eSum = new Float64Array(G);
  const eSs = new Float64Array(G);
  const e = Float64Array.from(y, (v, i) => { let s = v; for (let k = 0; k < K; k++) s -= b[k] * adjusters[k][i]; return s; });
  for (let i = 0; i < N; i++) eSum[m.slot[cluster[i]]] += e[i];
  for (let i = 0; i < N; i++) { const g = m.slot[cluster[i]]; const d = e[i] - eSum[g] / m.n[g]; eSs[g] += d * d; }
  let rss = 0;
  for (let g = 0; g < G; g++) rss += eSs[g];
  const s2 = rss / (N - G - K);
  const bVcov = inv.map((v) => v * s2);
  return rate(y, cluster, m, b, bVcov, s2, eSs, opts);
}

function rate(y: Float64Array, cluster: Int32Array, m: Moments, b: Float64Array, bVcov: Float64Array, s2: number, eSs: Float64Array, opts: CaseMixOptions): CaseMixResult {
  const G = m.ids.length;
  const K = b.length;
  const adj = new Float64Array(G);
  const v = new Float64Array(G);
  const d = new Float64Array(K);
  for (let g = 0; g < G; g++) {
    adj[g] = m.ybar[g];
    for (let k = 0; k < K; k++) { d[k] = m.xall[k] - m.xbar[g * K + k]; adj[g] += b[k] * d[k]; }
    let q = 0;
    for (let a = 0; a < K; a++) for (let c = 0; c < K; c++) q += d[a] * bVcov[a * K + c] * d[c];
    v[g] = (m.n[g] > 1 ? eSs[g] / (m.n[g] - 1) : s2) / m.n[g] + q;
  }
  const N = y.length;
  const a = Float64Array.from(m.n, (nn) => (opts.reference === 'patients' ? nn / N : 1 / G));
  let ref = 0;
  let sumA2v = 0;
  for (let g = 0; g < G; g++) { ref += a[g] * adj[g]; sumA2v += a[g] * a[g] * v[g]; }
  const icc = oneWayReml(y, cluster);
  const z = qNormal(1 - (1 - (opts.level ?? 0.95)) / 2);
  const clusters = m.ids.map((id, g): CaseMixCluster => {
    const delta = adj[g] - ref;
    const vi = (1 - a[g]) * (1 - a[g]) * v[g];
    const vo = sumA2v - a[g] * a[g] * v[g];
    const t = delta / Math.sqrt(vi + vo);
    const p = pNormalTwoSided(t);
    const reliability = icc.ok ? (icc.tau2 / (icc.tau2 + icc.sigma2 / m.n[g])) : 0;
    const few = m.n[g] < (opts.minCell ?? 11) || !(reliability >= (opts.minReliability ?? 0.7));
    const rating: CaseMixRating = few ? 'too-few' : p < (opts.alpha ?? 0.05) ? (delta > 0 ? 'better' : 'worse') : 'same';
    const se = Math.sqrt(v[g]);
    return { cluster: id, n: m.n[g], mean: m.ybar[g], adjusted: adj[g], variance: v[g], ciLow: adj[g] - z * se, ciHigh: adj[g] + z * se, delta, t, p, reliability, rating };
  });
  return { ok: true, b, bVcov, residualVariance: s2, reference: ref, clusters };
}
