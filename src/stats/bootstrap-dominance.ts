/**
 * How sure is "matters most"? Nonparametric bootstrap of the general dominance weights
 * (dominance.ts): percentile confidence intervals of every trait's weight and the share of resamples
 * in which each trait ranks first.
 *
 * Each resample draws n design rows with replacement (seeded xoshiro128**, stats/rng.ts: the same
 * input and seed give the same resamples on every machine). Nothing is re-read or copied: identical
 * design rows (same predictors and outcome) are first collapsed into distinct rows with counts, and a
 * resample is a vector of frequency weights over those distinct rows (how often each was drawn). All
 * 2^p models of a resample are then weighted Newton passes over the distinct rows, each warm-started
 * from the same model's fit on the full data (a resample's estimates lie within a few standard errors
 * of it), which typically converges in two passes per model.
 */
import type { DesignMatrix } from './design.js';
import { dominanceFits, dominanceSetup, generalDominance, type DominanceFailure, type DominanceSetup } from './dominance.js';
import { quantileSorted } from './quantile.js';
import { Rng } from './rng.js';

export interface BootstrapDominanceOptions {
  /** Number of resamples (default 500). */
  resamples?: number;
  /** Seed of the resampling (default 1). */
  seed?: number;
  /** Level of the percentile intervals (default 0.95). */
  level?: number;
  /** Convergence tolerance of the fits (as dominance; default 1e-8). */
  epsilon?: number;
  /** Keep each resample's drawn row indices (0-based design rows) and weights, for replay in R. */
  keepResamples?: boolean;
}

/** Bootstrap summary of one trait. */
export interface TraitBootstrap {
  term: string;
  /** General dominance weight on the full data. */
  general: number;
  /** Percentile CI of the weight over the resamples (R's quantile type 7). */
  ciLow: number;
  ciHigh: number;
  /** Percentage of (usable) resamples in which this trait has the largest weight (ties share the credit). */
  rankFirstPct: number;
}

export interface BootstrapDominanceResult {
  ok: true;
  resamples: number;
  seed: number;
  level: number;
  /** Resamples in which some model did not converge (kept out of the summaries). */
  failed: number;
  /** Distinct design rows the passes run over (n when no two rows are identical). */
  distinctRows: number;
  traits: TraitBootstrap[];
  /** With keepResamples: per resample, the drawn rows (0-based) and the general weights. */
  draws: { rows: Uint32Array; general: Float64Array }[] | null;
}

/** Identical design rows collapsed: distinct rows (as a design over the same columns), counts, and row -> distinct row. */
export interface DistinctRows {
  X: DesignMatrix;
  y: Float64Array;
  counts: Float64Array;
  of: Uint32Array;
}

/**
 * Collapse identical (predictors, outcome) rows by open-addressing hashing of their bits (linear in n;
 * rows are compared exactly, so a hash collision never merges different rows).
 */
export function distinctRows(X: DesignMatrix, y: Float64Array): DistinctRows {
  const { n, p, data } = X;
  const bits = new Uint32Array(data.buffer, data.byteOffset, data.length * 2);
  const ybits = new Uint32Array(y.buffer, y.byteOffset, y.length * 2);
  let size = 1;
  while (size < 2 * n) size <<= 1;
  const table = new Int32Array(size).fill(-1); // slot -> first design row of a distinct row
  const of = new Uint32Array(n);
  const firstRows: number[] = [];
  const same = (a: number, b: number): boolean => {
    if (y[a] !== y[b]) return false;
    for (let j = 0; j < p; j++) if (data[a * p + j] !== data[b * p + j]) return false; // -0 === 0
    return true;
  };
  for (let i = 0; i < n; i++) {
    let h = ybits[2 * i] ^ Math.imul(ybits[2 * i + 1], 0x9e3779b1);
    for (let k = 2 * i * p, e = k + 2 * p; k < e; k++) h = Math.imul(h ^ (data[k >> 1] === 0 ? 0 : bits[k]), 0x85ebca6b) ^ (h >>> 13);
    let s = (h ^ (h >>> 16)) & (size - 1);
    for (;;) {
      const r = table[s];
      if (r < 0) {
        table[s] = i;
        of[i] = firstRows.length;
        firstRows.push(i);
        break;
      }
      if (same(r, i)) {
        of[i] = of[r];
        break;
      }
      s = (s + 1) & (size - 1);
    }
  }
  const D = firstRows.length;
  const dd = new Float64Array(D * p);
  const yd = new Float64Array(D);
  const counts = new Float64Array(D);
  firstRows.forEach((r, k) => {
    dd.set(data.subarray(r * p, (r + 1) * p), k * p);
    yd[k] = y[r];
  });
  for (let i = 0; i < n; i++) counts[of[i]]++;
  return { X: { ...X, n: D, data: dd, rows: Uint32Array.from(firstRows, (r) => X.rows[r]), y: yd }, y: yd, counts, of };
}

/** General weights of one resample's fits, or null when a model did not converge. */
function weightsOf(setup: DominanceSetup, fits: ReturnType<typeof dominanceFits>): Float64Array | null {
  for (const c of fits.conv) if (!c) return null;
  const r2 = Float64Array.from(fits.devs, (d) => 1 - d / fits.dev0);
  return generalDominance(r2, setup.traits.length).general;
}

/**
 * Bootstrap the general dominance weights of `traits` (see dominance()). `X` must have an intercept;
 * other terms are covariates in every model.
 */
export function bootstrapDominance(
  X: DesignMatrix,
  y: Float64Array,
  traits: readonly string[],
  opts: BootstrapDominanceOptions = {},
): BootstrapDominanceResult | DominanceFailure {
  const B = opts.resamples ?? 500;
  const seed = opts.seed ?? 1;
  const level = opts.level ?? 0.95;
  if (!(Number.isInteger(B) && B >= 1)) throw new RangeError(`bootstrapDominance: resamples must be a positive integer, got ${B}.`);
  const full = dominanceSetup(X, y, traits);
  if ('ok' in full) return full;
  const dr = distinctRows(X, y);
  const setup = dominanceSetup(dr.X, dr.y, traits) as DominanceSetup;
  const fitOpts = { epsilon: opts.epsilon };
  const base = dominanceFits(setup, { ...fitOpts, weights: dr.counts });
  const point = weightsOf(setup, base);
  if (!point) return { ok: false, reason: 'Some dominance model did not converge on the full data (possible separation); the bootstrap needs converged fits.' };
  const p = traits.length;
  const n = X.n;
  const rng = new Rng(seed, 0xb007);
  const w = new Float64Array(dr.X.n);
  const samples: Float64Array[] = [];
  const first = new Float64Array(p);
  const draws: { rows: Uint32Array; general: Float64Array }[] | null = opts.keepResamples ? [] : null;
  let failed = 0;
  for (let b = 0; b < B; b++) {
    w.fill(0);
    const rows = opts.keepResamples ? new Uint32Array(n) : null;
    for (let i = 0; i < n; i++) {
      const r = rng.int(n);
      if (rows) rows[i] = r;
      w[dr.of[r]]++;
    }
    const g = weightsOf(setup, dominanceFits(setup, { ...fitOpts, weights: w, starts: base.states }));
    if (draws && rows) draws.push({ rows, general: g ?? new Float64Array(p).fill(NaN) });
    if (!g) {
      failed++;
      continue;
    }
    samples.push(g);
    let mx = -Infinity;
    for (let j = 0; j < p; j++) mx = Math.max(mx, g[j]);
    const winners = [];
    for (let j = 0; j < p; j++) if (g[j] === mx) winners.push(j);
    for (const j of winners) first[j] += 1 / winners.length;
  }
  const used = samples.length;
  const a = (1 - level) / 2;
  const out: TraitBootstrap[] = traits.map((term, j) => {
    const v = Float64Array.from(samples, (s) => s[j]).sort();
    return { term, general: point[j], ciLow: quantileSorted(v, a), ciHigh: quantileSorted(v, 1 - a), rankFirstPct: used ? (100 * first[j]) / used : NaN };
  });
  return { ok: true, resamples: B, seed, level, failed, distinctRows: dr.X.n, traits: out, draws };
}
