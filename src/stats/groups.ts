/**
 * Comparison of a score between outcome-positive and outcome-negative respondents: means and SDs,
 * Welch's t test (R: `t.test(x[y == 1], x[y == 0])`), Cohen's d with pooled SD and a 95% CI, and the
 * AUC (Mann–Whitney, ties count one half) as a plain discrimination figure.
 *
 * Cohen's d = (mean1 - mean0) / s_pooled, s_pooled² = ((n1 - 1) s1² + (n0 - 1) s0²) / (n1 + n0 - 2).
 * Its CI is the usual large-sample normal approximation (Hedges & Olkin 1985, eq. 5.15):
 * d ± z(0.975) sqrt((n1 + n0) / (n1 n0) + d² / (2 (n1 + n0))).
 */
import { pTTwoSided, qNormal } from './distributions.js';
import { aucSorted } from './auc.js';
import { sortInPlace } from './quantile.js';

/** Summary of one group. */
export interface GroupSummary {
  n: number;
  mean: number;
  sd: number;
}

/** Result of {@link compareGroups}. */
export interface GroupComparison {
  ok: true;
  /** Outcome-positive (y = 1) and outcome-negative (y = 0) groups. */
  positive: GroupSummary;
  negative: GroupSummary;
  /** mean(positive) - mean(negative). */
  meanDifference: number;
  welch: { t: number; df: number; p: number };
  cohensD: { d: number; lower: number; upper: number; level: number; ciMethod: 'normal approximation (Hedges & Olkin)' };
  /** P(score of a positive > score of a negative) + 0.5 P(tie). */
  auc: number;
}

export interface GroupComparisonFailure {
  ok: false;
  code: 'group-too-small' | 'no-variance';
  reason: string;
  nPositive: number;
  nNegative: number;
}

function summary(v: Float64Array): { n: number; mean: number; variance: number } {
  const n = v.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += v[i];
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (v[i] - mean) * (v[i] - mean);
  return { n, mean, variance: n > 1 ? ss / (n - 1) : NaN };
}

/**
 * Compare `x` between y = 1 and y = 0 (rows with NaN in either are skipped). Each group needs at
 * least 2 respondents; a score with no variance in either group gives `ok: false`.
 */
export function compareGroups(x: ArrayLike<number>, y: ArrayLike<number>, level = 0.95): GroupComparison | GroupComparisonFailure {
  if (x.length !== y.length) throw new RangeError(`compareGroups: ${x.length} scores but ${y.length} outcomes.`);
  let n1 = 0;
  let n0 = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
    if (y[i] === 1) n1++;
    else if (y[i] === 0) n0++;
    else throw new RangeError(`compareGroups: outcome must be 0 or 1, got ${y[i]} at position ${i}.`);
  }
  const pos = new Float64Array(n1);
  const neg = new Float64Array(n0);
  for (let i = 0, a = 0, b = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
    if (y[i] === 1) pos[a++] = x[i];
    else neg[b++] = x[i];
  }
  if (pos.length < 2 || neg.length < 2)
    return {
      ok: false,
      code: 'group-too-small',
      reason: `Each outcome group needs at least 2 respondents with a score; there are ${pos.length} with the outcome and ${neg.length} without.`,
      nPositive: pos.length,
      nNegative: neg.length,
    };
  const a = summary(pos);
  const b = summary(neg);
  if (!(a.variance > 0) && !(b.variance > 0))
    return {
      ok: false,
      code: 'no-variance',
      reason: 'The score is constant within both outcome groups, so the t test and effect size are undefined.',
      nPositive: a.n,
      nNegative: b.n,
    };
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const diff = a.mean - b.mean;
  const t = diff / Math.sqrt(va + vb);
  const df = ((va + vb) * (va + vb)) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  const sp = Math.sqrt(((a.n - 1) * a.variance + (b.n - 1) * b.variance) / (a.n + b.n - 2));
  const d = diff / sp;
  const se = Math.sqrt((a.n + b.n) / (a.n * b.n) + (d * d) / (2 * (a.n + b.n)));
  const z = qNormal(1 - (1 - level) / 2);
  // the groups' own arrays, sorted in place (their summaries are taken above)
  const au = aucSorted(sortInPlace(pos), sortInPlace(neg));
  return {
    ok: true,
    positive: { n: a.n, mean: a.mean, sd: Math.sqrt(a.variance) },
    negative: { n: b.n, mean: b.mean, sd: Math.sqrt(b.variance) },
    meanDifference: diff,
    welch: { t, df, p: pTTwoSided(t, df) },
    cohensD: { d, lower: d - z * se, upper: d + z * se, level, ciMethod: 'normal approximation (Hedges & Olkin)' },
    auc: au,
  };
}
