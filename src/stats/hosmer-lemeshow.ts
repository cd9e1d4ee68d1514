/**
 * Hosmer–Lemeshow goodness-of-fit test, grouped as `ResourceSelection::hoslem.test(y, yhat, g = 10)`:
 * groups are `cut(yhat, breaks = quantile(yhat, seq(0, 1, 1/g)), include.lowest = TRUE)` (type-7
 * quantiles of the fitted probabilities, intervals closed on the right, the first also on the left),
 * the statistic is sum over groups and both outcome classes of (O - E)^2 / E, with df = g - 2.
 *
 * When fitted probabilities have many ties some quantile breaks coincide (hoslem.test then stops
 * with "'breaks' are not unique"); here duplicate breaks are merged, empty groups dropped, and
 * `groups` and `df` report the number of groups actually used.
 */
import { pChiSq } from './distributions.js';
import { quantileSorted } from './quantile.js';

export interface HosmerLemeshowGroup {
  /** Upper break of the group (fitted probability). */
  upper: number;
  size: number;
  observed: number;
  expected: number;
}

export interface HosmerLemeshowResult {
  ok: true;
  statistic: number;
  df: number;
  p: number;
  /** Groups used (g requested, fewer when quantile breaks coincide). */
  groups: number;
  table: HosmerLemeshowGroup[];
  method: 'quantiles of fitted probabilities (as ResourceSelection::hoslem.test)';
}

export interface HosmerLemeshowFailure {
  ok: false;
  reason: string;
}

export function hosmerLemeshow(y: ArrayLike<number>, fitted: ArrayLike<number>, g = 10): HosmerLemeshowResult | HosmerLemeshowFailure {
  const n = y.length;
  if (fitted.length !== n) throw new RangeError(`hosmerLemeshow: ${n} outcomes but ${fitted.length} fitted values.`);
  if (n === 0) return { ok: false, reason: 'no respondents' };
  const sorted = Float64Array.from(fitted as ArrayLike<number>).sort();
  const breaks: number[] = [];
  for (let k = 0; k <= g; k++) {
    const b = quantileSorted(sorted, k / g);
    if (breaks.length === 0 || b > breaks[breaks.length - 1]) breaks.push(b);
  }
  const nb = breaks.length - 1;
  if (nb < 3) return { ok: false, reason: `the fitted probabilities take too few distinct values for ${g} groups (only ${Math.max(nb, 1)} group(s))` };
  const size = new Float64Array(nb);
  const obs = new Float64Array(nb);
  const exp = new Float64Array(nb);
  for (let i = 0; i < n; i++) {
    const v = fitted[i];
    // group k covers (breaks[k], breaks[k+1]]; group 0 also includes breaks[0]
    let lo = 0;
    let hi = nb - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (v <= breaks[mid + 1]) hi = mid;
      else lo = mid + 1;
    }
    size[lo] += 1;
    obs[lo] += y[i];
    exp[lo] += v;
  }
  let stat = 0;
  const table: HosmerLemeshowGroup[] = [];
  for (let k = 0; k < nb; k++) {
    if (size[k] === 0) continue;
    const o1 = obs[k], e1 = exp[k], o0 = size[k] - o1, e0 = size[k] - e1;
    stat += ((o1 - e1) * (o1 - e1)) / e1 + ((o0 - e0) * (o0 - e0)) / e0;
    table.push({ upper: breaks[k + 1], size: size[k], observed: o1, expected: e1 });
  }
  const groups = table.length;
  const df = groups - 2;
  return {
    ok: true,
    statistic: stat,
    df,
    p: pChiSq(stat, df, false),
    groups,
    table,
    method: 'quantiles of fitted probabilities (as ResourceSelection::hoslem.test)',
  };
}

/** Hosmer–Lemeshow with the number of groups chosen so that every expected count is at least 5. */
export interface HosmerLemeshowChoice {
  /** The test with the most groups (at most `maxGroups`) whose expected events and non-events are all >= 5. */
  result: HosmerLemeshowResult | HosmerLemeshowFailure;
  /** Groups requested for that test (null when no grouping from maxGroups down to 3 qualifies). */
  requested: number | null;
}

/**
 * Try g = maxGroups, maxGroups - 1, ..., 3 groups and keep the first grouping in which every group
 * expects at least `minExpected` (default 5) events and as many non-events (the chi-square
 * approximation's usual condition). When none qualifies the result is a failure saying so.
 */
export function hosmerLemeshowAuto(y: ArrayLike<number>, fitted: ArrayLike<number>, maxGroups = 10, minExpected = 5): HosmerLemeshowChoice {
  for (let g = maxGroups; g >= 3; g--) {
    const r = hosmerLemeshow(y, fitted, g);
    if (!r.ok) continue;
    if (r.groups < 3) continue;
    if (r.table.every((t) => t.expected >= minExpected && t.size - t.expected >= minExpected)) return { result: r, requested: g };
  }
  return {
    result: { ok: false, reason: `no grouping into ${maxGroups} down to 3 groups gives every group at least ${minExpected} expected events and non-events` },
    requested: null,
  };
}
