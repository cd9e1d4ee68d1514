/**
 * Bland–Altman agreement of two paired measurements: the mean difference d̄ = mean(x - y) over complete
 * pairs, the SD of the differences (n - 1 denominator), and the 95% limits of agreement d̄ ± m SD with
 * m = 1.96 as in Bland & Altman (Lancet 1986) by default; `multiplier: 'exact'` uses qnorm(0.975) =
 * 1.959964..., which moves the limits in the sixth digit.
 */
import { qNormal } from './distributions.js';
import { completePairs } from './pairs.js';

export interface BlandAltman {
  ok: true;
  n: number;
  meanDifference: number;
  sdDifference: number;
  multiplier: number;
  loaLow: number;
  loaHigh: number;
}

export interface BlandAltmanFailure {
  ok: false;
  code: 'too-few-pairs';
  reason: string;
  n: number;
}

export function blandAltman(x: ArrayLike<number>, y: ArrayLike<number>, opts: { multiplier?: 1.96 | 'exact' } = {}): BlandAltman | BlandAltmanFailure {
  const d = completePairs(x, y);
  const n = d.x.length;
  if (n < 2) return { ok: false, code: 'too-few-pairs', reason: `${n} complete pairs; limits of agreement need at least 2`, n };
  let mean = 0;
  for (let i = 0; i < n; i++) mean += d.x[i] - d.y[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (d.x[i] - d.y[i] - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  const m = opts.multiplier === 'exact' ? qNormal(0.975) : 1.96;
  return { ok: true, n, meanDifference: mean, sdDifference: sd, multiplier: m, loaLow: mean - m * sd, loaHigh: mean + m * sd };
}
