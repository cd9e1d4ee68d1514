/**
 * The t interval of a mean (R: `t.test(x)$conf.int`), NaN = missing and skipped.
 */
import { qT } from './distributions.js';

/** Mean with its t-based confidence interval; null bounds when n < 2, null mean when n = 0. */
export function meanCi(values: ArrayLike<number>, level = 0.95): { n: number; mean: number | null; low: number | null; high: number | null } {
  let n = 0;
  let s = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v) {
      n++;
      s += v;
    }
  }
  if (n === 0) return { n, mean: null, low: null, high: null };
  const m = s / n;
  if (n < 2) return { n, mean: m, low: null, high: null };
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v) ss += (v - m) * (v - m);
  }
  const se = Math.sqrt(ss / (n - 1) / n);
  const t = qT(1 - (1 - level) / 2, n - 1);
  return { n, mean: m, low: m - t * se, high: m + t * se };
}
