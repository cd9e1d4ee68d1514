/**
 * The Wilson score interval of a proportion (R: `prop.test(x, n, correct = FALSE)$conf.int`).
 * With no trials there is no interval: R's prop.test refuses n = 0, and so does this (null), rather
 * than inventing [0, 1].
 */
import { qNormal } from './distributions.js';

/** Wilson score interval for x successes in n trials; null when n is not positive. */
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
