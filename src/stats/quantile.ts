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

/** Five-number summary (type-7 quartiles) and mean. */
export interface BoxSummary {
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
  mean: number;
}

/** Above this many distinct values boxSummary sorts the values instead of counting them. */
const BOX_DISTINCT_MAX = 4096;

/**
 * Five-number summary and mean of the values x[i] with group[i] === which (NaN values skipped);
 * null when there are none. Survey scores take few distinct values, so they are counted (O(n)) and
 * the type-7 quantiles read off the cumulative counts; with many distinct values the group is sorted.
 */
export function boxSummary(x: ArrayLike<number>, group: ArrayLike<number>, which: number): BoxSummary | null {
  const counts = new Map<number, number>();
  let k = 0;
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (group[i] === which && v === v) {
      k++;
      sum += v;
      if (counts.size <= BOX_DISTINCT_MAX) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
  }
  if (k === 0) return null;
  const at = counts.size <= BOX_DISTINCT_MAX ? countedOrder(counts) : sortedOrder(x, group, which, k);
  const q = (p: number) => {
    const h = (k - 1) * p;
    const lo = Math.floor(h);
    const a = at(lo);
    return lo + 1 < k ? a + (h - lo) * (at(lo + 1) - a) : a;
  };
  return { min: at(0), q1: q(0.25), median: q(0.5), q3: q(0.75), max: at(k - 1), mean: sum / k };
}

/** The idx-th smallest value (0-based) from value counts. */
function countedOrder(counts: Map<number, number>): (idx: number) => number {
  const keys = Float64Array.from(counts.keys()).sort();
  const cum = new Float64Array(keys.length);
  let c = 0;
  keys.forEach((key, j) => {
    c += counts.get(key)!;
    cum[j] = c;
  });
  return (idx) => {
    let lo = 0;
    let hi = keys.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] > idx) hi = mid;
      else lo = mid + 1;
    }
    return keys[lo];
  };
}

/** The idx-th smallest value (0-based) of the group, by sorting it. */
function sortedOrder(x: ArrayLike<number>, group: ArrayLike<number>, which: number, k: number): (idx: number) => number {
  const s = new Float64Array(k);
  let j = 0;
  for (let i = 0; i < x.length; i++) if (group[i] === which && x[i] === x[i]) s[j++] = x[i];
  s.sort();
  return (idx) => s[idx];
}
