/**
 * The adjusted model under clustering (`--cluster`, issue 14). The ordinary fit (ML, or Firth by the
 * usual rule) is made first, on the same design; then
 * - `--cluster-method glmm` (default): the random-intercept logistic model (stats/glmm.ts, Laplace or
 *   adaptive Gauss–Hermite with `--quadrature`), whose conditional odds ratios replace the ordinary
 *   ones, with the SD's profile-likelihood interval (stats/glmm-profile.ts);
 * - `--cluster-method robust`: the ordinary estimates with CR1 cluster-robust SEs
 *   (stats/cluster-robust.ts, vcovCL type HC1); the GLMM is still fitted to describe how much the
 *   clinicians differ (ICC, median odds ratio) when the data allow it.
 * Either way the CR1 SEs of the ordinary fit are kept for model.csv's robust_se.
 * Separated data (or a Firth fit): no GLMM is fitted; the model is the Firth (or ML, when asked) fit
 * with cluster-robust SEs, flagged `fallback: 'separation'` (or `'requested_firth'` for --method firth
 * on data that are not separated). A GLMM that cannot be fitted falls back
 * to the robust method the same way (`fallback: 'failed'`).
 */
import { clusterRobustVcov } from '../../stats/cluster-robust.js';
import type { DesignMatrix, LogisticFit } from '../../stats/index.js';
import { designColumns, fitGlmm, type GlmmFit, type GlmmInput } from '../../stats/glmm.js';
import { glmmSdProfile } from '../../stats/glmm-profile.js';
import { qNormal } from '../../stats/distributions.js';
import { waldEstimate, waldMultiplier, type WaldEstimate } from '../../stats/wald.js';
import type { ClusterModelKind, ClusterModelOptions, GlmmFallback, RandomIntercept } from '../cluster-types.js';
import type { MethodInfo, ReportWarning } from '../types.js';

const Q75 = qNormal(0.75);

export interface ClusteredModel {
  /** The fit the report shows: the ordinary fit with its coefficients replaced. */
  fit: LogisticFit;
  method: ClusterModelKind;
  fallback: GlmmFallback;
  fallbackReason: string | null;
  randomIntercept: RandomIntercept | null;
  robustSe: { term: string; se: number }[];
  clusters: number;
  clusterSize: { min: number; median: number; max: number };
  /** The GLMM input on the model rows (reused by the within–between model). */
  glmmInput: GlmmInput;
  warnings: ReportWarning[];
}

/** The design's columns without the intercept, and the cluster of each design row. */
export function glmmInputOf(X: DesignMatrix, codes: Int32Array): GlmmInput {
  const from = X.hasIntercept ? 1 : 0;
  return { columns: designColumns(X.data, X.n, X.p, from), names: X.names.slice(from), y: X.y!, cluster: Int32Array.from(X.rows, (r) => codes[r]) };
}

/** CR1 standard errors of a logistic fit on its design (bread: the fit's covariance). */
export function robustSeOf(X: DesignMatrix, fit: LogisticFit, cluster: Int32Array): Float64Array {
  const residual = Float64Array.from(X.y!, (v, i) => v - fit.fitted[i]);
  return clusterRobustVcov({ x: X.data, n: X.n, p: X.p, residual, bread: fit.covariance, cluster }).se;
}

function withCoefficients(fit: LogisticFit, rows: WaldEstimate[]): LogisticFit {
  const coefficients = fit.coefficients.map((c, j) => {
    const w = rows[j];
    return { ...c, estimate: w.estimate, se: w.se, z: w.z, p: w.p, lower: w.ciLow, upper: w.ciHigh, oddsRatio: Math.exp(w.estimate), orLower: Math.exp(w.ciLow), orUpper: Math.exp(w.ciHigh) };
  });
  return { ...fit, coefficients };
}

/** The random intercept's description from a GLMM fit, with the SD's profile interval. */
export function randomInterceptOf(inp: GlmmInput, g: GlmmFit): RandomIntercept {
  const prof = glmmSdProfile(inp, g);
  const lo = prof.lower;
  const hi = Number.isFinite(prof.upper) ? prof.upper : null;
  const icc = (sd: number) => (sd * sd) / (sd * sd + (Math.PI * Math.PI) / 3);
  const mor = (sd: number) => Math.exp(Math.SQRT2 * sd * Q75);
  return {
    variance: g.variance,
    sd: g.sd,
    sdCiLow: lo,
    sdCiHigh: hi,
    varianceCiLow: lo * lo,
    varianceCiHigh: hi === null ? null : hi * hi,
    icc: g.icc,
    iccCiLow: icc(lo),
    iccCiHigh: hi === null ? null : icc(hi),
    medianOddsRatio: g.medianOddsRatio,
    morCiLow: mor(lo),
    morCiHigh: hi === null ? null : mor(hi),
    boundary: g.boundary,
    converged: g.converged,
    nAGQ: g.nAGQ,
    deviance: g.deviance,
  };
}

function clusterSizes(cluster: Int32Array): { clusters: number; clusterSize: { min: number; median: number; max: number } } {
  const counts = new Map<number, number>();
  for (const c of cluster) counts.set(c, (counts.get(c) ?? 0) + 1);
  const s = [...counts.values()].sort((a, b) => a - b);
  const G = s.length;
  const median = G === 0 ? 0 : G % 2 ? s[(G - 1) >> 1] : 0.5 * (s[G / 2 - 1] + s[G / 2]);
  return { clusters: G, clusterSize: { min: s[0] ?? 0, median, max: s[G - 1] ?? 0 } };
}

/** The adjusted model under clustering (see the module comment). */
export function clusteredModel(X: DesignMatrix, fit: LogisticFit, method: MethodInfo, codes: Int32Array, opts: ClusterModelOptions): ClusteredModel {
  const inp = glmmInputOf(X, codes);
  const sizes = clusterSizes(inp.cluster);
  const warnings: ReportWarning[] = [];
  const robust = sizes.clusters >= 2 ? robustSeOf(X, fit, inp.cluster) : null;
  const robustSe = robust ? fit.coefficients.map((c, j) => ({ term: c.name, se: robust[j] })) : [];
  const separated = fit.method === 'firth' || method.separation.detected;
  let g: GlmmFit | null = null;
  let failure: string | null = null;
  if (!separated) {
    const r = fitGlmm(inp, { nAGQ: opts.quadrature });
    if (r.ok) g = r;
    else failure = r.reason;
  }
  const randomIntercept = g ? randomInterceptOf(inp, g) : null;
  if (g && !g.converged) warnings.push({ code: 'cluster_fit', kind: 'not_converged' });
  if (g && g.boundary) warnings.push({ code: 'cluster_fit', kind: 'boundary' });
  const z = waldMultiplier();
  let shown = fit;
  let kind: ClusterModelKind = fit.method === 'firth' ? 'firth-cluster-robust' : 'ml-cluster-robust';
  let fallback: GlmmFallback = null;
  if (opts.method === 'glmm' && g) {
    kind = 'glmm';
    shown = withCoefficients(fit, g.coefficients);
  } else if (robust) {
    shown = withCoefficients(fit, fit.coefficients.map((c, j) => waldEstimate(c.estimate, robust[j], z)));
    if (opts.method === 'glmm') fallback = method.separation.detected ? 'separation' : fit.method === 'firth' ? 'requested_firth' : 'failed';
  }
  if (fallback) warnings.push({ code: 'cluster_fallback', cause: fallback, firth: fit.method === 'firth', reason: failure });
  if (!robust) warnings.push({ code: 'cluster_fallback', cause: 'failed', firth: false, reason: `only ${sizes.clusters} clinician` });
  return { fit: shown, method: kind, fallback, fallbackReason: failure, randomIntercept, robustSe, ...sizes, glmmInput: inp, warnings };
}
