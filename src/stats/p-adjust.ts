/**
 * Multiple-testing adjustment: Holm's step-down and Benjamini–Hochberg step-up, identical to R's
 * `p.adjust(p, "holm")` and `p.adjust(p, "BH")`.
 */

/** Adjustment method, named as in R's `p.adjust`. */
export type PAdjustMethod = 'holm' | 'BH';

/**
 * Adjust p-values for multiple testing (R: `p.adjust(p, method)`).
 *
 * Missing p-values (NaN) are kept as NaN and do not count towards the number of tests, exactly as
 * R treats `NA` (R's default `n = length(p[!is.na(p)])`). The result has the input's order.
 */
export function pAdjust(p: ArrayLike<number>, method: PAdjustMethod): Float64Array {
  const out = new Float64Array(p.length).fill(NaN);
  const idx: number[] = [];
  for (let i = 0; i < p.length; i++) {
    const v = p[i];
    if (Number.isNaN(v)) continue;
    if (!(v >= 0 && v <= 1)) throw new RangeError(`pAdjust: p-value ${v} at position ${i} is outside [0, 1].`);
    idx.push(i);
  }
  const n = idx.length;
  if (n === 0) return out;
  if (method === 'holm') {
    // R: i <- seq_len(n); o <- order(p); pmin(1, cummax((n - i + 1L) * p[o]))[order(o)]
    const o = idx.slice().sort((a, b) => p[a] - p[b] || a - b);
    let run = 0;
    for (let k = 0; k < n; k++) {
      run = Math.max(run, (n - k) * p[o[k]]);
      out[o[k]] = Math.min(1, run);
    }
  } else if (method === 'BH') {
    // R: i <- n:1L; o <- order(p, decreasing = TRUE); pmin(1, cummin(n / i * p[o]))[order(o)]
    const o = idx.slice().sort((a, b) => p[b] - p[a] || a - b);
    let run = Infinity;
    for (let k = 0; k < n; k++) {
      const rank = n - k;
      run = Math.min(run, (n / rank) * p[o[k]]);
      out[o[k]] = Math.min(1, run);
    }
  } else {
    throw new RangeError(`pAdjust: unknown method ${String(method)}; use 'holm' or 'BH'.`);
  }
  return out;
}
