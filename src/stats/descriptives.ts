/**
 * Descriptive statistics of one scale score (or any numeric column): n, mean, SD, median,
 * quartiles (R type 7), min, max, percent at the scale's floor and ceiling, percent missing.
 */
import { quantileSorted, sortInPlace } from './quantile.js';

/** Options for {@link describe}. */
export interface DescribeOptions {
  /** Lowest possible score of the scale (e.g. 1 on a 1–5 scale); enables `pctFloor`. */
  floor?: number;
  /** Highest possible score of the scale (e.g. 5); enables `pctCeiling`. */
  ceiling?: number;
  /** Percent at floor/ceiling above which a flag is raised; default 15 (a common convention). */
  floorCeilingThreshold?: number;
}

/** A flag about a score distribution (a code and its numbers; the report words it). */
export interface DescriptiveFlag {
  code: 'floor' | 'ceiling';
  /** Percent of respondents at the bound. */
  value: number;
  /** The floor or ceiling score. */
  bound: number;
  /** The percent above which the flag is raised. */
  threshold: number;
}

/**
 * Descriptives of the non-missing values. `n` counts non-missing values; percentages of floor and
 * ceiling are out of `n`, percent missing is out of all rows. `sd` (denominator n - 1) is `null`
 * when n < 2; `pctFloor`/`pctCeiling` are `null` when the floor/ceiling was not given.
 */
export interface Descriptives {
  ok: true;
  n: number;
  nMissing: number;
  pctMissing: number;
  mean: number;
  sd: number | null;
  median: number;
  q1: number;
  q3: number;
  min: number;
  max: number;
  pctFloor: number | null;
  pctCeiling: number | null;
  flags: DescriptiveFlag[];
}

/** No non-missing value: nothing to describe (an all-missing scale). */
export interface DescriptivesEmpty {
  ok: false;
  reason: string;
  n: 0;
  nMissing: number;
  pctMissing: number;
}

export type DescribeResult = Descriptives | DescriptivesEmpty;

/** Values within this distance of the floor/ceiling count as "at" it (guards float rounding of means). */
const AT_EPS = 1e-9;

/**
 * Describe a numeric column (NaN = missing). R equivalents: `mean`, `sd`,
 * `quantile(x, c(.25, .5, .75), type = 7)`, `100 * mean(x == floor)`.
 */
export function describe(x: ArrayLike<number>, opts: DescribeOptions = {}): DescribeResult {
  const total = x.length;
  let n = 0;
  for (let i = 0; i < total; i++) if (!Number.isNaN(x[i])) n++;
  const nMissing = total - n;
  const pctMissing = total === 0 ? 0 : (100 * nMissing) / total;
  if (n === 0) {
    return { ok: false, reason: total === 0 ? 'no respondents' : 'every value is missing', n: 0, nMissing, pctMissing };
  }
  const s = new Float64Array(n);
  for (let i = 0, j = 0; i < total; i++) if (!Number.isNaN(x[i])) s[j++] = x[i];
  sortInPlace(s);
  // two-pass mean and variance (numerically stable)
  let sum = 0;
  for (let i = 0; i < n; i++) sum += s[i];
  let mean = sum / n;
  let corr = 0;
  for (let i = 0; i < n; i++) corr += s[i] - mean;
  mean += corr / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (s[i] - mean) * (s[i] - mean);
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : null;
  let atFloor = 0;
  let atCeil = 0;
  if (opts.floor !== undefined) for (let i = 0; i < n; i++) if (Math.abs(s[i] - opts.floor) <= AT_EPS) atFloor++;
  if (opts.ceiling !== undefined) for (let i = 0; i < n; i++) if (Math.abs(s[i] - opts.ceiling) <= AT_EPS) atCeil++;
  const pctFloor = opts.floor !== undefined ? (100 * atFloor) / n : null;
  const pctCeiling = opts.ceiling !== undefined ? (100 * atCeil) / n : null;
  const thr = opts.floorCeilingThreshold ?? 15;
  const flags: DescriptiveFlag[] = [];
  if (pctFloor !== null && pctFloor > thr)
    flags.push({ code: 'floor', value: pctFloor, bound: opts.floor!, threshold: thr });
  if (pctCeiling !== null && pctCeiling > thr)
    flags.push({ code: 'ceiling', value: pctCeiling, bound: opts.ceiling!, threshold: thr });
  return {
    ok: true,
    n,
    nMissing,
    pctMissing,
    mean,
    sd,
    median: quantileSorted(s, 0.5),
    q1: quantileSorted(s, 0.25),
    q3: quantileSorted(s, 0.75),
    min: s[0],
    max: s[n - 1],
    pctFloor,
    pctCeiling,
    flags,
  };
}
