/**
 * Cohen's kappa and weighted kappa of two raters' categorical ratings, as `psych::cohen.kappa(x,
 * levels = ...)`: the k x k table of complete pairs over the given ordered levels (proportions p_ij,
 * margins r_i, c_j), po = Σ p_ii, pc = Σ r_i c_i, kappa = (po - pc) / (1 - pc); weighted kappa with
 * psych's default agreement weights w_ij = 1 - (i - j)² / (k - 1)² (quadratic, for ordered levels):
 * (wpo - wpc) / (1 - wpc) with wpo = Σ w p, wpc = Σ w r c'. Confidence intervals: estimate ± z SE
 * from the large-sample variances of Fleiss, Cohen & Everitt (1969), clipped to [-1, 1] as psych does.
 *
 * The weighted variance: `variance: 'fce'` (default) is the 1969 formula, with w̄_i. = Σ_j c_j w_ij and
 * w̄_.j = Σ_i r_i w_ij. psych 2.2.9 computes the second as r_j Σ_i w_ji (`rowSums(w * rs)`), which is not
 * the formula and can come out negative (psych then sets it to 0); `variance: 'psych'` reproduces psych
 * exactly, for comparison. The unweighted variance is the same in both.
 */
import { qNormal } from './distributions.js';
import { completePairs } from './pairs.js';

export interface KappaOptions {
  /** Ordered category codes (e.g. a response set's option values). Default: the sorted distinct values seen. */
  levels?: readonly number[];
  /** Agreement weights, k x k row-major, for weighted kappa (default quadratic, psych's). */
  weights?: Float64Array;
  variance?: 'fce' | 'psych';
  level?: number;
}

export interface Kappa {
  ok: true;
  n: number;
  levels: number[];
  /** Share of pairs in exact agreement (po). */
  percentAgreement: number;
  kappa: number;
  kappaVariance: number;
  kappaCiLow: number;
  kappaCiHigh: number;
  weightedKappa: number;
  weightedVariance: number;
  weightedCiLow: number;
  weightedCiHigh: number;
  /** A variance came out negative and was set to 0 (as psych does). */
  varianceClipped: boolean;
  level: number;
}

export interface KappaFailure {
  ok: false;
  code: 'too-few-pairs' | 'unknown-level' | 'one-category';
  reason: string;
  n: number;
}

/** psych's default agreement weights: 1 - (i - j)² / (k - 1)². */
export function quadraticWeights(k: number): Float64Array {
  const w = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) w[i * k + j] = 1 - (i - j) ** 2 / Math.max(1, (k - 1) ** 2);
  return w;
}

/** Table of proportions over the levels, or the first value that is not a level. */
function proportions(a: Float64Array, b: Float64Array, levels: number[]): Float64Array | number {
  const k = levels.length;
  const at = new Map(levels.map((v, i) => [v, i]));
  const p = new Float64Array(k * k);
  for (let t = 0; t < a.length; t++) {
    const i = at.get(a[t]);
    const j = at.get(b[t]);
    if (i === undefined) return a[t];
    if (j === undefined) return b[t];
    p[i * k + j] += 1 / a.length;
  }
  return p;
}

/** The large-sample variance of (weighted) kappa; `wi`, `wj` are the weighted margins of the formula. */
function fceVariance(p: Float64Array, w: Float64Array, k: number, n: number, wi: Float64Array, wj: Float64Array): number {
  let po = 0;
  let pe = 0;
  const r = new Float64Array(k);
  const c = new Float64Array(k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
    r[i] += p[i * k + j];
    c[j] += p[i * k + j];
  }
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
    po += w[i * k + j] * p[i * k + j];
    pe += w[i * k + j] * r[i] * c[j];
  }
  let s = 0;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) s += p[i * k + j] * (w[i * k + j] * (1 - pe) - (wi[i] + wj[j]) * (1 - po)) ** 2;
  return (s - (po * pe - 2 * pe + po) ** 2) / (n * (1 - pe) ** 4);
}

/** Weighted margins: FCE's w̄_i. = Σ_j c_j w_ij and w̄_.j = Σ_i r_i w_ij, or psych's variant. */
function margins(p: Float64Array, w: Float64Array, k: number, psych: boolean): [Float64Array, Float64Array] {
  const r = new Float64Array(k);
  const c = new Float64Array(k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
    r[i] += p[i * k + j];
    c[j] += p[i * k + j];
  }
  const wi = new Float64Array(k);
  const wj = new Float64Array(k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
    if (psych) {
      // colSums(w * cs)[i] and rowSums(w * rs)[j]
      wi[i] += w[j * k + i] * c[j];
      wj[j] += r[j] * w[j * k + i];
    } else {
      wi[i] += w[i * k + j] * c[j];
      wj[j] += r[i] * w[i * k + j];
    }
  }
  return [wi, wj];
}

/** Kappa, its variance and CI for weights w. */
function kappaWith(p: Float64Array, w: Float64Array, k: number, n: number, psych: boolean, z: number) {
  let po = 0;
  let pe = 0;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
    let ri = 0;
    let cj = 0;
    for (let t = 0; t < k; t++) {
      ri += p[i * k + t];
      cj += p[t * k + j];
    }
    po += w[i * k + j] * p[i * k + j];
    pe += w[i * k + j] * ri * cj;
  }
  const est = (po - pe) / (1 - pe);
  const [wi, wj] = margins(p, w, k, psych);
  let v = fceVariance(p, w, k, n, wi, wj);
  const clipped = !(v >= 0);
  if (clipped) v = 0;
  const clip = (x: number) => Math.max(-1, Math.min(1, x));
  return { est, v, clipped, lo: clip(est - z * Math.sqrt(v)), hi: clip(est + z * Math.sqrt(v)) };
}

export function cohenKappa(x: ArrayLike<number>, y: ArrayLike<number>, opts: KappaOptions = {}): Kappa | KappaFailure {
  const d = completePairs(x, y);
  const n = d.x.length;
  if (n < 2) return { ok: false, code: 'too-few-pairs', reason: `${n} complete pairs; kappa needs at least 2`, n };
  const levels = opts.levels ? [...opts.levels] : [...new Set([...d.x, ...d.y])].sort((a, b) => a - b);
  const k = levels.length;
  if (k < 2) return { ok: false, code: 'one-category', reason: 'every answer on both sides is the same category, so chance agreement is 1 and kappa is undefined', n };
  const p = proportions(d.x, d.y, levels);
  if (typeof p === 'number') return { ok: false, code: 'unknown-level', reason: `the value ${p} is not one of the levels ${levels.join(', ')}`, n };
  const level = opts.level ?? 0.95;
  const z = qNormal(1 - (1 - level) / 2);
  const psych = opts.variance === 'psych';
  const identity = new Float64Array(k * k);
  for (let i = 0; i < k; i++) identity[i * k + i] = 1;
  const u = kappaWith(p, identity, k, n, psych, z);
  const wt = kappaWith(p, opts.weights ?? quadraticWeights(k), k, n, psych, z);
  let po = 0;
  for (let i = 0; i < k; i++) po += p[i * k + i];
  return {
    ok: true, n, levels, percentAgreement: po,
    kappa: u.est, kappaVariance: u.v, kappaCiLow: u.lo, kappaCiHigh: u.hi,
    weightedKappa: wt.est, weightedVariance: wt.v, weightedCiLow: wt.lo, weightedCiHigh: wt.hi,
    varianceClipped: u.clipped || wt.clipped, level,
  };
}
