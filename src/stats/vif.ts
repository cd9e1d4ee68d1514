/**
 * Variance inflation factors, in the two forms in use, each saying which it is (`basis`):
 *
 * - `vif(X)`, basis 'design': from the correlation matrix of the (unweighted) predictor columns.
 *   VIF_j = 1 / (1 - R²_j), R²_j from regressing column j on the other non-intercept columns
 *   (the diagonal of the inverse correlation matrix).
 * - `modelVif(X, covariance)`, basis 'model': from the correlation matrix of the coefficient
 *   estimates of a fitted model (intercept excluded), which is what `car::vif` computes for a glm;
 *   for a logistic fit that is the IRLS-weighted correlation, and it differs from the design VIF
 *   (for example 1.118 against 1.064).
 *
 * For every term, the generalised VIF of Fox & Monette (1992), GVIF = det(R11) det(R22) / det(R)
 * (R11: the term's columns, R22: the others), once per variable however many dummy columns it has,
 * with GVIF^(1/(2 df)) for comparison across terms (comparable to sqrt(VIF)), as `car::vif` reports.
 * Per-dummy VIFs of a factor depend on the reference level; the GVIF does not.
 */
import { cholesky, cholInverse, cholLogDet } from './linalg.js';
import type { DesignMatrix } from './design.js';

export interface VifColumn { name: string; vif: number }
export interface VifTerm { term: string; df: number; gvif: number; gvifAdjusted: number }
export interface VifResult {
  ok: true;
  /** 'design': unweighted predictor correlations; 'model': correlations of the coefficient estimates (car::vif on a glm). */
  basis: 'design' | 'model';
  columns: VifColumn[];
  terms: VifTerm[];
}
export interface VifFailure { ok: false; reason: string }

function correlationOf(X: DesignMatrix, cols: number[]): { r: Float64Array; constant: number } {
  const q = cols.length;
  const n = X.n;
  const mean = new Float64Array(q);
  for (let i = 0; i < n; i++) for (let j = 0; j < q; j++) mean[j] += X.data[i * X.p + cols[j]];
  for (let j = 0; j < q; j++) mean[j] /= n;
  const c = new Float64Array(q * q);
  const d = new Float64Array(q);
  for (let i = 0; i < n; i++) {
    const base = i * X.p;
    for (let j = 0; j < q; j++) d[j] = X.data[base + cols[j]] - mean[j];
    for (let j = 0; j < q; j++) {
      const dj = d[j];
      for (let k = 0; k <= j; k++) c[j * q + k] += dj * d[k];
    }
  }
  for (let j = 0; j < q; j++) if (!(c[j * q + j] > 0)) return { r: c, constant: j };
  const r = new Float64Array(q * q);
  for (let j = 0; j < q; j++)
    for (let k = 0; k <= j; k++) {
      const v = c[j * q + k] / Math.sqrt(c[j * q + j] * c[k * q + k]);
      r[j * q + k] = v;
      r[k * q + j] = v;
    }
  return { r, constant: -1 };
}

function logDetSub(r: Float64Array, q: number, idx: number[]): number {
  const m = idx.length;
  const a = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) a[i * m + j] = r[idx[i] * q + idx[j]];
  if (cholesky(a, m, 0) >= 0) return -Infinity;
  return cholLogDet(a, m);
}

/** VIF of every non-intercept column, and GVIF of every term, from predictor correlations `r` over `cols`. */
function fromCorrelation(X: DesignMatrix, cols: number[], r: Float64Array, basis: 'design' | 'model'): VifResult | VifFailure {
  const q = cols.length;
  const l = Float64Array.from(r);
  const bad = cholesky(l, q, 1e-12);
  if (bad >= 0) return { ok: false, reason: `predictor "${X.names[cols[bad]]}" is a linear combination of the predictors before it` };
  const inv = cholInverse(l, q);
  const columns = cols.map((c, j) => ({ name: X.names[c], vif: inv[j * q + j] }));
  const logDetAll = cholLogDet(l, q);
  const terms: VifTerm[] = [];
  for (const t of X.terms) {
    if (t.kind === 'intercept' || t.columns.length === 0) continue;
    const inT = t.columns.map((c) => cols.indexOf(c));
    const outT = cols.map((_, j) => j).filter((j) => !inT.includes(j));
    const gvif = Math.exp(logDetSub(r, q, inT) + (outT.length ? logDetSub(r, q, outT) : 0) - logDetAll);
    const df = inT.length;
    terms.push({ term: t.name, df, gvif, gvifAdjusted: Math.pow(gvif, 1 / (2 * df)) });
  }
  return { ok: true, basis, columns, terms };
}

function predictorColumns(X: DesignMatrix): number[] {
  const cols: number[] = [];
  for (let j = 0; j < X.p; j++) if (!(X.hasIntercept && j === 0)) cols.push(j);
  return cols;
}

/** Design VIF of every non-intercept column, and GVIF of every term. Needs at least two predictor columns. */
export function vif(X: DesignMatrix): VifResult | VifFailure {
  const cols = predictorColumns(X);
  if (cols.length < 2) return { ok: false, reason: 'VIF needs at least two predictors' };
  const { r, constant } = correlationOf(X, cols);
  if (constant >= 0) return { ok: false, reason: `predictor "${X.names[cols[constant]]}" is constant` };
  return fromCorrelation(X, cols, r, 'design');
}

/**
 * VIF and GVIF from the covariance matrix of a fitted model's estimates (row-major p x p, in design
 * column order), as `car::vif` on a glm: the correlation matrix of the non-intercept estimates takes
 * the place of the predictors' correlation matrix.
 */
export function modelVif(X: DesignMatrix, covariance: ArrayLike<number>): VifResult | VifFailure {
  const cols = predictorColumns(X);
  const q = cols.length;
  if (q < 2) return { ok: false, reason: 'VIF needs at least two predictors' };
  if (covariance.length !== X.p * X.p) throw new RangeError(`modelVif: covariance has ${covariance.length} entries, expected ${X.p * X.p}.`);
  const r = new Float64Array(q * q);
  for (let a = 0; a < q; a++)
    for (let b = 0; b < q; b++) {
      const v = covariance[cols[a] * X.p + cols[b]];
      r[a * q + b] = v / Math.sqrt(covariance[cols[a] * X.p + cols[a]] * covariance[cols[b] * X.p + cols[b]]);
    }
  for (let a = 0; a < q; a++) if (!Number.isFinite(r[a * q + a])) return { ok: false, reason: `the estimate of "${X.names[cols[a]]}" has no finite variance` };
  return fromCorrelation(X, cols, r, 'model');
}
