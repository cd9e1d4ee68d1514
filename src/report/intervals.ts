/**
 * The two small intervals the group table needs that the statistics core does not provide: the
 * Wilson score interval of a proportion (R: `prop.test(x, n, correct = FALSE)$conf.int`) and the
 * t interval of a mean (R: `t.test(x)$conf.int`). Quantiles come from the statistics core.
 */
import { qNormal, qT } from '../stats/index.js';

/** Wilson score interval for x successes in n trials. */
export function wilson(x: number, n: number, level = 0.95): { low: number; high: number } | null {
  if (!(n > 0)) return null;
  const z = qNormal(1 - (1 - level) / 2);
  const p = x / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Mean with its t-based confidence interval; null bounds when n < 2. */
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
