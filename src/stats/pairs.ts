/**
 * Complete pairs: the rows where both of two columns have a value (NaN = missing). Shared by the
 * agreement statistics (correlation, ICC, Bland–Altman, kappa), which all use complete pairs only.
 */
export function completePairs(x: ArrayLike<number>, y: ArrayLike<number>): { x: Float64Array; y: Float64Array } {
  if (x.length !== y.length) throw new RangeError(`completePairs: the two columns have ${x.length} and ${y.length} rows; pair them row by row first.`);
  let n = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i]) && !Number.isNaN(y[i])) n++;
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  for (let i = 0, k = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
    a[k] = x[i];
    b[k++] = y[i];
  }
  return { x: a, y: b };
}
