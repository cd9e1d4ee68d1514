/**
 * Area under the ROC curve (Mann–Whitney, ties count one half) and its DeLong variance and 95% CI.
 *
 * The DeLong variance is that of DeLong, DeLong & Clarke-Pearson (1988), computed with the
 * placement values of Sun & Xu (2014) in O(n log n): for a positive i, V10_i = P(score of a negative
 * < score_i) + 0.5 P(tie); for a negative j, V01_j = P(score of a positive > score_j) + 0.5 P(tie);
 * var(AUC) = var(V10) / n1 + var(V01) / n0 (sample variances, denominator n - 1). This is what
 * `pROC::var(roc)` returns. The CI is AUC ± z(0.975) SE on the AUC scale, clipped to [0, 1], as
 * `pROC::ci.auc(method = "delong")` does.
 */
import { qNormal } from './distributions.js';

/** AUC with its DeLong variance and Wald-type CI. */
export interface AucResult {
  ok: true;
  /** Area under the ROC curve = P(score_pos > score_neg) + 0.5 P(tie). */
  auc: number;
  /** DeLong variance of the AUC (null when a group has a single member: variance undefined). */
  variance: number | null;
  se: number | null;
  /** CI bounds on the AUC scale, clipped to [0, 1] (null when the variance is undefined). */
  lower: number | null;
  upper: number | null;
  level: number;
  method: 'DeLong';
  nPositive: number;
  nNegative: number;
}

/** AUC not computable: a group is empty. */
export interface AucFailure {
  ok: false;
  reason: string;
  nPositive: number;
  nNegative: number;
}

/** Count, for each value of `a` (sorted), how many of `b` (sorted) are below it and how many tie. */
function placements(aSorted: Float64Array, bSorted: Float64Array): Float64Array {
  const out = new Float64Array(aSorted.length);
  const nb = bSorted.length;
  let lo = 0; // first index in b with b >= a[i]
  let hi = 0; // first index in b with b > a[i]
  for (let i = 0; i < aSorted.length; i++) {
    const v = aSorted[i];
    while (lo < nb && bSorted[lo] < v) lo++;
    if (hi < lo) hi = lo;
    while (hi < nb && bSorted[hi] <= v) hi++;
    out[i] = (lo + 0.5 * (hi - lo)) / nb;
  }
  return out;
}

/** AUC = mean over positives of P(neg < pos) + 0.5 P(tie), from the sorted scores of each group (both non-empty). */
export function aucSorted(posSorted: Float64Array, negSorted: Float64Array): number {
  const v10 = placements(posSorted, negSorted);
  let s = 0;
  for (let i = 0; i < v10.length; i++) s += v10[i];
  return s / v10.length;
}

function sampleVar(x: Float64Array): number {
  const n = x.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i];
  m /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (x[i] - m) * (x[i] - m);
  return s / (n - 1);
}

/**
 * AUC of `scores` for `labels` (1 = positive, 0 = negative; rows where either is NaN are skipped),
 * with the DeLong variance and a `level` CI (default 0.95).
 */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>, level = 0.95): AucResult | AucFailure {
  if (scores.length !== labels.length) throw new RangeError(`auc: ${scores.length} scores but ${labels.length} labels.`);
  let n1 = 0;
  let n0 = 0;
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i]) || Number.isNaN(labels[i])) continue;
    if (labels[i] === 1) n1++;
    else if (labels[i] === 0) n0++;
    else throw new RangeError(`auc: labels must be 0 or 1, got ${labels[i]} at position ${i}.`);
  }
  if (n1 === 0 || n0 === 0)
    return { ok: false, reason: n1 === 0 ? 'no positive outcomes' : 'no negative outcomes', nPositive: n1, nNegative: n0 };
  const pos = new Float64Array(n1);
  const neg = new Float64Array(n0);
  for (let i = 0, a = 0, b = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i]) || Number.isNaN(labels[i])) continue;
    if (labels[i] === 1) pos[a++] = scores[i];
    else neg[b++] = scores[i];
  }
  pos.sort();
  neg.sort();
  const v10 = placements(pos, neg); // P(neg < pos_i) + 0.5 P(tie)
  const below = placements(neg, pos); // P(pos < neg_j) + 0.5 P(tie)
  const v01 = new Float64Array(n0);
  for (let j = 0; j < n0; j++) v01[j] = 1 - below[j];
  let s = 0;
  for (let i = 0; i < n1; i++) s += v10[i];
  const a = s / n1;
  if (n1 < 2 || n0 < 2)
    return { ok: true, auc: a, variance: null, se: null, lower: null, upper: null, level, method: 'DeLong', nPositive: n1, nNegative: n0 };
  const variance = sampleVar(v10) / n1 + sampleVar(v01) / n0;
  const se = Math.sqrt(variance);
  const z = qNormal(1 - (1 - level) / 2);
  return {
    ok: true,
    auc: a,
    variance,
    se,
    lower: Math.max(0, a - z * se),
    upper: Math.min(1, a + z * se),
    level,
    method: 'DeLong',
    nPositive: n1,
    nNegative: n0,
  };
}

/** Alias of {@link auc}: the DeLong CI of the AUC (c statistic). */
export const delongCI = auc;
