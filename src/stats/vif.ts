/**
 * Variance inflation factors of the predictors of a design matrix: VIF_j = 1 / (1 - R²_j), R²_j from
 * regressing column j on the other non-intercept columns, computed as the diagonal of the inverse
 * of the predictors' correlation matrix (identical). For a term spanning several dummy columns the
 * generalised VIF of Fox & Monette (1992), GVIF = det(R11) det(R22) / det(R), is given as well, with
 * GVIF^(1/(2 df)) for comparison across terms (as `car::vif` reports).
 */
import { cholesky, cholInverse, cholLogDet } from './linalg.js';
import type { DesignMatrix } from './design.js';

export interface VifColumn { name: string; vif: number }
export interface VifTerm { term: string; df: number; gvif: number; gvifAdjusted: number }
export interface VifResult {
  ok: true;
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

/** VIF of every non-intercept column, and GVIF of every term. Needs at least two predictor columns. */
export function vif(X: DesignMatrix): VifResult | VifFailure {
  const cols: number[] = [];
  for (let j = 0; j < X.p; j++) if (!(X.hasIntercept && j === 0)) cols.push(j);
  const q = cols.length;
  if (q < 2) return { ok: false, reason: 'VIF needs at least two predictors' };
  const { r, constant } = correlationOf(X, cols);
  if (constant >= 0) return { ok: false, reason: `predictor "${X.names[cols[constant]]}" is constant` };
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
  return { ok: true, columns, terms };
}
