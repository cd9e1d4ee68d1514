/**
 * Pearson correlation of two paired columns with the Fisher-z confidence interval and the t test, as
 * R's `cor.test(x, y)`: r on the complete pairs; CI tanh(atanh(r) ± z_{1-α/2} / sqrt(n - 3)) (needs
 * n ≥ 4); t = r sqrt((n - 2) / (1 - r²)) on n - 2 df, two-sided p.
 */
import { pTTwoSided, qNormal } from './distributions.js';
import { completePairs } from './pairs.js';

export interface Correlation {
  ok: true;
  n: number;
  r: number;
  ciLow: number;
  ciHigh: number;
  t: number;
  df: number;
  p: number;
  level: number;
}

export interface CorrelationFailure {
  ok: false;
  code: 'too-few-pairs' | 'constant';
  reason: string;
  n: number;
}

export function pearsonCorrelation(x: ArrayLike<number>, y: ArrayLike<number>, level = 0.95): Correlation | CorrelationFailure {
  const d = completePairs(x, y);
  const n = d.x.length;
  if (n < 4) return { ok: false, code: 'too-few-pairs', reason: `${n} complete pairs; a correlation with a confidence interval needs at least 4`, n };
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += d.x[i];
    my += d.y[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const a = d.x[i] - mx;
    const b = d.y[i] - my;
    sxx += a * a;
    syy += b * b;
    sxy += a * b;
  }
  if (!(sxx > 0) || !(syy > 0)) return { ok: false, code: 'constant', reason: 'one side gives the same value in every pair, so the correlation is undefined', n };
  const r = Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
  const df = n - 2;
  const t = r * Math.sqrt(df / (1 - r * r));
  const z = Math.atanh(r);
  const h = qNormal(1 - (1 - level) / 2) / Math.sqrt(n - 3);
  return { ok: true, n, r, ciLow: Math.tanh(z - h), ciHigh: Math.tanh(z + h), t, df, p: pTTwoSided(t, df), level };
}
