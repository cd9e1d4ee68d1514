/**
 * Normal, Student t, chi-square and F distributions: CDFs, survival functions and quantiles that
 * stay accurate far into the tails.
 *
 * Upper tails are computed directly from the regularised incomplete gamma / beta functions with
 * their `upper` flag (never as `1 - cdf`), so a p-value of 1e-20 comes out as 1e-20 and not as 0.
 * Building blocks: `@stdlib/math-base-special-{erfc,gammainc,betainc}` (ports of Boost.Math) and
 * the `@stdlib` quantile functions as starting points, refined by a bracketed root search on the
 * log of the relevant tail, so quantiles of tiny upper-tail probabilities are exact too.
 *
 * Naming follows R: `lower = true` gives P[X <= x] (R's `lower.tail = TRUE`), `lower = false`
 * gives P[X > x].
 */
import erfc from '@stdlib/math-base-special-erfc';
import gammainc from '@stdlib/math-base-special-gammainc';
import betainc from '@stdlib/math-base-special-betainc';
import qnormStdlib from '@stdlib/stats-base-dists-normal-quantile';
import qtStdlib from '@stdlib/stats-base-dists-t-quantile';
import qchisqStdlib from '@stdlib/stats-base-dists-chisquare-quantile';
import qfStdlib from '@stdlib/stats-base-dists-f-quantile';

const SQRT1_2 = Math.SQRT1_2;

function checkP(p: number, fn: string): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`${fn}: probability must be in [0, 1], got ${p}.`);
}
function checkDf(df: number, fn: string, name = 'df'): void {
  if (!(df > 0)) throw new RangeError(`${fn}: ${name} must be positive, got ${df}.`);
}

// ---------------------------------------------------------------------------------------------
// Normal
// ---------------------------------------------------------------------------------------------

/** Standard normal CDF P[Z <= x] (R: `pnorm(x)`); `lower = false` gives P[Z > x]. */
export function pNormal(x: number, lower = true): number {
  if (Number.isNaN(x)) return NaN;
  return 0.5 * erfc((lower ? -x : x) * SQRT1_2);
}

/** Standard normal quantile (R: `qnorm(p, lower.tail = lower)`). */
export function qNormal(p: number, lower = true): number {
  checkP(p, 'qNormal');
  if (p === 0) return lower ? -Infinity : Infinity;
  if (p === 1) return lower ? Infinity : -Infinity;
  if (p === 0.5) return 0;
  // Solve in the lower half (q < 0) and use symmetry, so tiny tail probabilities keep their
  // relative precision. stdlib's quantile (via erfinv(2p - 1)) is a good start for moderate p but
  // overflows for p below about 1e-17, where the asymptotic -sqrt(-2 log p) starts the search.
  const small = p < 0.5 ? p : 1 - p;
  const s0 = qnormStdlib(small, 0, 1);
  const start = Number.isFinite(s0) ? s0 : -Math.sqrt(-2 * Math.log(small));
  const q = refine((x) => pNormal(x), small, start, -Infinity, 0);
  const lowerQ = p < 0.5 ? q : -q;
  return lower ? lowerQ : -lowerQ;
}

/** Two-sided p-value of a standard normal statistic: P[|Z| >= |z|]. */
export function pNormalTwoSided(z: number): number {
  return Math.min(1, 2 * pNormal(-Math.abs(z)));
}

// ---------------------------------------------------------------------------------------------
// Student t
// ---------------------------------------------------------------------------------------------

/** Upper tail P[T > t] for t >= 0. */
function tUpperNonNeg(t: number, df: number): number {
  if (t === Infinity) return 0;
  const t2 = t * t;
  const x = df / (df + t2); // P[T > t] = I_x(df/2, 1/2) / 2
  if (x < 0.5) return 0.5 * betainc(x, df / 2, 0.5);
  // x close to 1: use the complement I_{1-x}(1/2, df/2), with 1-x computed without cancellation
  return 0.5 * betainc(t2 / (df + t2), 0.5, df / 2, true, true);
}

/** Student t CDF (R: `pt(t, df, lower.tail = lower)`). */
export function pT(t: number, df: number, lower = true): number {
  checkDf(df, 'pT');
  if (Number.isNaN(t)) return NaN;
  const upperArg = lower ? -t : t; // P[T <= t] = P[T > -t]
  if (upperArg >= 0) return tUpperNonNeg(upperArg, df);
  return 1 - tUpperNonNeg(-upperArg, df);
}

/** Two-sided p-value of a t statistic: P[|T| >= |t|]. */
export function pTTwoSided(t: number, df: number): number {
  return Math.min(1, 2 * tUpperNonNeg(Math.abs(t), df));
}

/** Student t quantile (R: `qt(p, df, lower.tail = lower)`). */
export function qT(p: number, df: number, lower = true): number {
  checkP(p, 'qT');
  checkDf(df, 'qT');
  const pl = p; // by symmetry, the upper quantile of p is minus the lower quantile of p
  const sign = lower ? 1 : -1;
  if (pl === 0) return -Infinity * sign;
  if (pl === 1) return Infinity * sign;
  if (pl === 0.5) return 0;
  // work in the lower half and use symmetry: q(p) = -q(1-p)
  const small = pl < 0.5 ? pl : 1 - pl; // 1 - pl is exact enough when pl >= 0.5
  const start = qtStdlib(small, df);
  const q = refine((x) => pT(x, df, true), small, start, -Infinity, 0);
  return sign * (pl < 0.5 ? q : -q);
}

// ---------------------------------------------------------------------------------------------
// Chi-square
// ---------------------------------------------------------------------------------------------

/** Chi-square CDF (R: `pchisq(x, df, lower.tail = lower)`). */
export function pChiSq(x: number, df: number, lower = true): number {
  checkDf(df, 'pChiSq');
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return lower ? 0 : 1;
  if (x === Infinity) return lower ? 1 : 0;
  return gammainc(x / 2, df / 2, true, !lower);
}

/** Chi-square quantile (R: `qchisq(p, df, lower.tail = lower)`). */
export function qChiSq(p: number, df: number, lower = true): number {
  checkP(p, 'qChiSq');
  checkDf(df, 'qChiSq');
  if (p === 0) return lower ? 0 : Infinity;
  if (p === 1) return lower ? Infinity : 0;
  const start = lower ? qchisqStdlib(p, df) : p > 1e-3 ? qchisqStdlib(1 - p, df) : NaN;
  return refine((x) => pChiSq(x, df, lower), p, start, 0, Infinity, !lower);
}

// ---------------------------------------------------------------------------------------------
// F
// ---------------------------------------------------------------------------------------------

/** F CDF (R: `pf(x, df1, df2, lower.tail = lower)`). */
export function pF(x: number, df1: number, df2: number, lower = true): number {
  checkDf(df1, 'pF', 'df1');
  checkDf(df2, 'pF', 'df2');
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return lower ? 0 : 1;
  if (x === Infinity) return lower ? 1 : 0;
  const u = df1 * x;
  // P[F <= x] = I_{u/(u+df2)}(df1/2, df2/2); P[F > x] = I_{df2/(u+df2)}(df2/2, df1/2)
  if (lower) {
    const z = u / (u + df2);
    return z < 0.5 ? betainc(z, df1 / 2, df2 / 2) : betainc(df2 / (u + df2), df2 / 2, df1 / 2, true, true);
  }
  const w = df2 / (u + df2);
  return w < 0.5 ? betainc(w, df2 / 2, df1 / 2) : betainc(u / (u + df2), df1 / 2, df2 / 2, true, true);
}

/** F quantile (R: `qf(p, df1, df2, lower.tail = lower)`). */
export function qF(p: number, df1: number, df2: number, lower = true): number {
  checkP(p, 'qF');
  checkDf(df1, 'qF', 'df1');
  checkDf(df2, 'qF', 'df2');
  if (p === 0) return lower ? 0 : Infinity;
  if (p === 1) return lower ? Infinity : 0;
  const start = lower ? qfStdlib(p, df1, df2) : p > 1e-3 ? qfStdlib(1 - p, df1, df2) : NaN;
  return refine((x) => pF(x, df1, df2, lower), p, start, 0, Infinity, !lower);
}

// ---------------------------------------------------------------------------------------------
// Root search
// ---------------------------------------------------------------------------------------------

/**
 * Solve tail(x) = p for x in (lo, hi), where tail is monotone (increasing if `decreasing` is false).
 * Works on log(tail) - log(p) so that tiny probabilities are matched in relative terms. Starts
 * from `start` (may be NaN or infinite: then a default bracket is searched), expands a bracket,
 * then runs the Illinois variant of regula falsi to full double precision.
 */
function refine(
  tail: (x: number) => number,
  p: number,
  start: number,
  lo: number,
  hi: number,
  decreasing = false,
): number {
  const lp = Math.log(p);
  const g = (x: number): number => {
    const v = tail(x);
    const d = v > 0 ? Math.log(v) - lp : -Infinity;
    return decreasing ? -d : d;
  };
  let x0 = Number.isFinite(start) && start > lo && start < hi ? start : lo === 0 ? 1 : -1;
  if (lo === -Infinity && hi === 0 && !(x0 < 0)) x0 = -1;
  // bracket: find a < b with g(a) < 0 < g(b)
  let g0 = g(x0);
  if (g0 === 0) return x0;
  let a: number, b: number, ga: number, gb: number;
  const step = (x: number, up: boolean): number => {
    if (lo === 0) return up ? x * 2 : x / 2; // positive support: geometric steps
    return up ? (x >= 0 ? x + 1 : x / 2) : x < 0 ? x * 2 : x - 1;
  };
  if (g0 < 0) {
    a = x0; ga = g0;
    b = x0; gb = g0;
    // g increasing in x; move up (for non-positive support the upper end is capped by hi)
    for (let i = 0; i < 2000 && gb < 0; i++) {
      a = b; ga = gb;
      b = step(b, true);
      if (b >= hi) { b = hi; gb = Infinity; break; }
      gb = g(b);
    }
  } else {
    b = x0; gb = g0;
    a = x0; ga = g0;
    for (let i = 0; i < 2000 && ga > 0; i++) {
      b = a; gb = ga;
      a = step(a, false);
      ga = g(a);
    }
  }
  if (gb === 0) return b;
  if (ga === 0) return a;
  // Illinois iterations, with bisection whenever a function value is infinite
  let side = 0;
  for (let i = 0; i < 400; i++) {
    let c: number;
    if (Number.isFinite(ga) && Number.isFinite(gb)) c = (a * gb - b * ga) / (gb - ga);
    else c = lo === 0 && a > 0 && Number.isFinite(b) ? Math.sqrt(a * b) : (a + b) / 2;
    if (!(c > a && c < b)) c = (a + b) / 2;
    if (c <= a || c >= b) break; // no representable point in between
    const gc = g(c);
    if (gc === 0) return c;
    if (gc < 0) {
      a = c; ga = gc;
      if (side === -1) gb /= 2;
      side = -1;
    } else {
      b = c; gb = gc;
      if (side === 1) ga /= 2;
      side = 1;
    }
    if (b - a <= 4 * Number.EPSILON * Math.max(Math.abs(a), Math.abs(b))) break;
  }
  return Math.abs(ga) < Math.abs(gb) ? a : b;
}
