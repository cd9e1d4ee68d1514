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

/** Above this many distinct values sortInPlace sorts instead of counting (also boxSummary's limit). */
const DISTINCT_MAX = 4096;

/** Slots of sortInPlace's hash table (a power of two, twice DISTINCT_MAX). */
const SLOTS = 2 * DISTINCT_MAX;
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

/**
 * Sort NaN-free values in place, ascending, and return them. Survey scores take few distinct values:
 * up to DISTINCT_MAX of them are counted in an open-addressing table keyed by the value's bits (O(n),
 * no allocation per value) and written back in order, several times faster than a comparison sort
 * of a million values; with more distinct values the array is sorted. The result is identical.
 */
export function sortInPlace(a: Float64Array): Float64Array {
  const keys = new Float64Array(SLOTS);
  const lo = new Uint32Array(SLOTS);
  const hi = new Uint32Array(SLOTS);
  const counts = new Int32Array(SLOTS); // 0 = empty slot
  let distinct = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    bits[0] = v;
    const w0 = words[0];
    const w1 = words[1];
    let h = Math.imul(w0 ^ Math.imul(w1, 0x85ebca6b), 0x9e3779b1) >>> 19; // 13 bits
    for (;;) {
      if (counts[h] === 0) {
        if (++distinct > DISTINCT_MAX) return a.sort();
        keys[h] = v;
        lo[h] = w0;
        hi[h] = w1;
        counts[h] = 1;
        break;
      }
      if (lo[h] === w0 && hi[h] === w1) {
        counts[h]++;
        break;
      }
      h = (h + 1) & (SLOTS - 1);
    }
  }
  const order = new Int32Array(distinct);
  for (let h = 0, k = 0; h < SLOTS; h++) if (counts[h] > 0) order[k++] = h;
  order.sort((x, y) => keys[x] - keys[y] || (Object.is(keys[x], -0) ? -1 : Object.is(keys[y], -0) ? 1 : 0));
  let o = 0;
  for (let k = 0; k < distinct; k++) {
    const c = counts[order[k]];
    a.fill(keys[order[k]], o, o + c);
    o += c;
  }
  return a;
}

/** Type-7 quantiles of the non-missing values of x (NaN = missing). */
export function quantiles(x: ArrayLike<number>, probs: readonly number[]): number[] {
  const v: number[] = [];
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i])) v.push(x[i]);
  const s = sortInPlace(Float64Array.from(v));
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
const BOX_DISTINCT_MAX = DISTINCT_MAX;

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
