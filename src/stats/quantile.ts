/**
 * Sample quantiles, R's default definition (`quantile(x, probs, type = 7)`): for sorted values
 * x[0..n-1], h = (n - 1) p, Q(p) = x[floor(h)] + (h - floor(h)) (x[floor(h) + 1] - x[floor(h)]).
 */

/** Quantile of already-sorted, NaN-free values (type 7). Returns NaN for an empty array. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantileSorted: probability must be in [0, 1], got ${p}.`);
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const frac = h - lo;
  return frac === 0 ? sorted[lo] : sorted[lo] + frac * (sorted[hi] - sorted[lo]);
}

/** Type-7 quantiles of the non-missing values of x (NaN = missing). */
export function quantiles(x: ArrayLike<number>, probs: readonly number[]): number[] {
  const v: number[] = [];
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i])) v.push(x[i]);
  const s = Float64Array.from(v).sort();
  return probs.map((p) => quantileSorted(s, p));
}
