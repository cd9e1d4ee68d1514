/**
 * Intraclass correlation for absolute agreement of single raters: Shrout & Fleiss ICC(2,1) = McGraw &
 * Wong ICC(A,1), as `psych::ICC(x, lmer = FALSE)`'s ICC2 ("single random raters"), from the two-way
 * ANOVA of n subjects (rows with every rater's value) by k raters:
 *   ICC2 = (MSB - MSE) / (MSB + (k - 1) MSE + k (MSJ - MSE) / n)
 * with the F test MSB / MSE on (n - 1, (n - 1)(k - 1)) df, and psych's confidence interval (McGraw &
 * Wong's, with Satterthwaite's df v). psych's default `lmer = TRUE` estimates the variance components by
 * REML instead and differs from these exact ANOVA values (by about 1e-6 relative on ordinary data, more
 * when a component is at 0).
 */
import { pF, qF } from './distributions.js';

export interface IccAgreement {
  ok: true;
  /** Subjects (complete rows) and raters. */
  n: number;
  k: number;
  icc: number;
  ciLow: number;
  ciHigh: number;
  level: number;
  /** F = MSB / MSE with its df and p (H0: ICC = 0). */
  f: number;
  df1: number;
  df2: number;
  p: number;
  msb: number;
  msj: number;
  mse: number;
}

export interface IccFailure {
  ok: false;
  code: 'too-few-subjects' | 'no-variation';
  reason: string;
  n: number;
}

/** Mean squares of the two-way ANOVA without interaction (subjects x raters, one value per cell). */
function meanSquares(cols: Float64Array[], n: number, k: number): { msb: number; msj: number; mse: number } {
  let grand = 0;
  const rowMean = new Float64Array(n);
  const colMean = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < n; i++) {
      rowMean[i] += cols[j][i] / k;
      colMean[j] += cols[j][i] / n;
    }
    grand += colMean[j] / k;
  }
  let ssb = 0;
  let ssj = 0;
  let sse = 0;
  for (let i = 0; i < n; i++) ssb += k * (rowMean[i] - grand) ** 2;
  for (let j = 0; j < k; j++) ssj += n * (colMean[j] - grand) ** 2;
  for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) sse += (cols[j][i] - rowMean[i] - colMean[j] + grand) ** 2;
  return { msb: ssb / (n - 1), msj: ssj / (k - 1), mse: sse / ((n - 1) * (k - 1)) };
}

/** ICC(A,1) of raters' columns (NaN = missing; only rows complete in every column are used). */
export function iccAgreement(columns: ArrayLike<number>[], level = 0.95): IccAgreement | IccFailure {
  const k = columns.length;
  if (k < 2) throw new RangeError('iccAgreement: give at least two raters (columns).');
  const keep: number[] = [];
  for (let i = 0; i < columns[0].length; i++) if (columns.every((c) => !Number.isNaN(c[i]))) keep.push(i);
  const n = keep.length;
  if (n < 3) return { ok: false, code: 'too-few-subjects', reason: `${n} complete pairs; the ICC needs at least 3`, n };
  const cols = columns.map((c) => Float64Array.from(keep, (i) => c[i]));
  const { msb, msj, mse } = meanSquares(cols, n, k);
  if (!(mse > 0) || !(msb > 0)) return { ok: false, code: 'no-variation', reason: 'the ratings do not vary within or between subjects, so the ICC is undefined', n };
  const icc = (msb - mse) / (msb + (k - 1) * mse + (k * (msj - mse)) / n);
  const df1 = n - 1;
  const df2 = (n - 1) * (k - 1);
  const f = msb / mse;
  const fj = msj / mse;
  const a = 1 - level;
  const vn = (k - 1) * (n - 1) * (k * icc * fj + n * (1 + (k - 1) * icc) - k * icc) ** 2;
  const vd = (n - 1) * k * k * icc * icc * fj * fj + (n * (1 + (k - 1) * icc) - k * icc) ** 2;
  const v = vn / vd;
  const fu = qF(1 - a / 2, n - 1, v);
  const fl = qF(1 - a / 2, v, n - 1);
  const ciLow = (n * (msb - fu * mse)) / (fu * (k * msj + (k * n - k - n) * mse) + n * msb);
  const ciHigh = (n * (fl * msb - mse)) / (k * msj + (k * n - k - n) * mse + n * fl * msb);
  return { ok: true, n, k, icc, ciLow, ciHigh, level, f, df1, df2, p: pF(f, df1, df2, false), msb, msj, mse };
}
