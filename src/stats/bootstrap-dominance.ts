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
 *
 * Refitting costs about one dominance analysis per resample. For large n (distinct rows x 2^p x
 * resamples above 1e8) the default is the first-order bootstrap instead (see linearisedWeights): the
 * same resamples, each resample's deviances taken at the full-data estimates, one sweep per resample.
 * It leaves out each model's re-estimation gain on the resample (about a chi-square on the model's
 * degrees of freedom, in deviance units), so its error in a weight is a few units over the null
 * deviance: 0.02 at n = 300 (hence refits there), about 1e-5 at a million respondents (8.6e-6 in
 * bench/bootstrap-dominance.mjs), where the 95% CI half-widths are about 3e-4. The result says which
 * method was used.
 */
import type { DesignMatrix } from './design.js';
import { dominanceFits, dominanceSetup, generalDominance, modelColumns, type DominanceFailure, type DominanceFits, type DominanceSetup } from './dominance.js';
import { newtonStep } from './newton.js';
import { quantileSorted } from './quantile.js';
import { Rng } from './rng.js';

const DBL_EPSILON = 2.220446049250313e-16;
const TWO32 = 4294967296;
const INV32 = 1 / TWO32;

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
  /**
   * 'refit': every model refitted on every resample (exact). 'linearised': each resample's deviances
   * evaluated at the full-data estimates (first-order bootstrap, one sweep per resample; its error in
   * a weight is a few units over the null deviance, far below the bootstrap spread once n is large). 'auto' (default):
   * refit while distinct rows x 2^p x resamples <= 1e8, linearised beyond.
   */
  method?: 'refit' | 'linearised' | 'auto';
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
  /** How the resamples were fitted (see BootstrapDominanceOptions.method). */
  method: 'refit' | 'linearised';
  resamples: number;
  seed: number;
  level: number;
  /** Resamples in which some model did not converge (kept out of the summaries). */
  failed: number;
  /** Rows each resample's passes run over: the distinct design rows for refits, all n for the first-order bootstrap. */
  rows: number;
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
 * First-order (linearised) bootstrap of the general weights. GD_j = sum_m a_jm R²_m with
 * sum_m a_jm = 0, so GD_j = -sum_m a_jm D_m / D0. Each resample's deviance of model m is taken at the
 * full-data estimates, D_m = sum_k c_k d_k(m) (c_k: the resample's counts, d_k(m): row k's deviance
 * contribution), so GD_j = -sum_k c_k e_kj / D0 with e_kj = sum_m a_jm d_k(m) computed once: a
 * resample costs one sweep over p + 1 numbers per distinct row. D0 is exact (closed form).
 */
function linearisedWeights(setup: DominanceSetup, base: DominanceFits): (cnt: Uint16Array) => Float64Array {
  const { X, y } = setup;
  const { n: D, p: P, data } = X;
  const p = setup.traits.length;
  const M = 1 << p;
  const coef = new Float64Array(p * M); // a_jm
  const binom = (nn: number, kk: number): number => {
    let c = 1;
    for (let i = 1; i <= kk; i++) c = (c * (nn - kk + i)) / i;
    return c;
  };
  for (let j = 0; j < p; j++)
    for (let mask = 0; mask < M; mask++) {
      if (mask & (1 << j)) continue;
      let size = 0;
      for (let k = 0; k < p; k++) if (mask & (1 << k)) size++;
      const a = 1 / (p * binom(p - 1, size));
      coef[j * M + (mask | (1 << j))] += a;
      coef[j * M + mask] -= a;
    }
  // the estimates after the final Newton step (each state holds its last evaluated point)
  const betas = new Float64Array(M * P);
  for (let mask = 0; mask < M; mask++) {
    const st = base.states[mask];
    betas.set(st.beta, mask * P);
    const cols = modelColumns(setup, mask);
    const step = newtonStep(st, P, cols);
    if (step) cols.forEach((c, a) => (betas[mask * P + c] += step.delta[a]));
  }
  const coefT = new Float64Array(M * p);
  for (let j = 0; j < p; j++) for (let mask = 0; mask < M; mask++) coefT[mask * p + j] = coef[j * M + mask];
  // one pass over the rows for all models (each row is read once)
  const e = new Float64Array(D * p);
  const ek = new Float64Array(p);
  for (let k = 0; k < D; k++) {
    const row = k * P;
    const yk = y[k];
    for (let mask = 0; mask < M; mask++) {
      let eta = 0;
      for (let c = 0; c < P; c++) eta += data[row + c] * betas[mask * P + c];
      // binomial deviance contribution, with glm's clamping of the fitted value (as newton.ts)
      let dk: number;
      if (eta <= 30 && eta >= -30) dk = 2 * Math.log1p(Math.exp(yk === 1 ? -eta : eta));
      else {
        const t = eta < 0 ? DBL_EPSILON : 1 / DBL_EPSILON;
        const m = t / (1 + t);
        dk = yk === 1 ? -2 * Math.log(m) : -2 * Math.log(1 - m);
      }
      for (let j = 0; j < p; j++) ek[j] += coefT[mask * p + j] * dk;
    }
    for (let j = 0; j < p; j++) e[k * p + j] = ek[j];
    ek.fill(0);
  }
  const acc = new Float64Array(p);
  return (cnt) => {
    acc.fill(0);
    let nw = 0;
    let sy = 0;
    for (let k = 0; k < D; k++) {
      const c = cnt[k];
      if (c === 0) continue;
      nw += c;
      sy += c * y[k];
      for (let j = 0; j < p; j++) acc[j] += c * e[k * p + j];
    }
    const m = sy / nw;
    const dev0 = (m > 0 ? -2 * sy * Math.log(m) : 0) + (m < 1 ? -2 * (nw - sy) * Math.log(1 - m) : 0);
    return Float64Array.from(acc, (v) => -v / dev0);
  };
}

/**
 * A resample leaves about 37% of the distinct rows undrawn (weight 0). They add exactly nothing to
 * any fit's sums, so the fits run over the drawn rows only, copied into buffers allocated once: the
 * same fits on about 63% of the rows (the sums differ only in rounding, by the changed blocking).
 */
function compactor(setup: DominanceSetup): { of: (w: Float64Array) => { setup: DominanceSetup; weights: Float64Array } } {
  const { X, y } = setup;
  const P = X.p;
  const data = new Float64Array(X.n * P);
  const yb = new Float64Array(X.n);
  const wb = new Float64Array(X.n);
  return {
    of(w) {
      let m = 0;
      for (let i = 0; i < X.n; i++) {
        if (w[i] === 0) continue;
        data.set(X.data.subarray(i * P, (i + 1) * P), m * P);
        yb[m] = y[i];
        wb[m] = w[i];
        m++;
      }
      const Xc: DesignMatrix = { ...X, n: m, data: data.subarray(0, m * P) };
      return { setup: { ...setup, X: Xc, y: yb.subarray(0, m) }, weights: wb.subarray(0, m) };
    },
  };
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
  const p = traits.length;
  const n = X.n;
  const choice = opts.method ?? 'auto';
  const method = choice === 'auto' ? (n * 2 ** p * B <= 1e8 ? 'refit' : 'linearised') : choice;
  const fitOpts = { epsilon: opts.epsilon };
  // refits run over the distinct rows (weights = counts); the first-order bootstrap sweeps the rows as they are
  const dr = method === 'refit' ? distinctRows(X, y) : null;
  const setup = dr ? (dominanceSetup(dr.X, dr.y, traits) as DominanceSetup) : full;
  const base = dominanceFits(setup, { ...fitOpts, weights: dr ? dr.counts : null });
  const point = weightsOf(setup, base);
  if (!point) return { ok: false, reason: 'Some dominance model did not converge on the full data (possible separation); the bootstrap needs converged fits.' };
  const linear = method === 'linearised' ? linearisedWeights(setup, base) : null;
  const compact = compactor(setup);
  const rng = new Rng(seed, 0xb007);
  const w = new Float64Array(dr ? dr.X.n : 0);
  const reject = TWO32 % n;
  const exact = n <= 2 ** 21;
  const cnt = new Uint16Array(n); // a row drawn 65536 times in n draws is beyond any realistic n
  const samples: Float64Array[] = [];
  const first = new Float64Array(p);
  const draws: { rows: Uint32Array; general: Float64Array }[] | null = opts.keepResamples ? [] : null;
  let failed = 0;
  for (let b = 0; b < B; b++) {
    cnt.fill(0);
    const rows = opts.keepResamples ? new Uint32Array(n) : null;
    for (let i = 0; i < n; i++) {
      // Lemire's multiply-and-reject: x n / 2^32 for a 32-bit x, rejecting the (rare) x whose low
      // part falls below 2^32 mod n, is exactly uniform on 0..n-1 with one draw and no division
      let r: number;
      if (exact) {
        // (the low part is m - r 2^32: no floating-point remainder, which V8 computes by a slow call)
        for (;;) {
          const m = rng.nextU32() * n;
          r = Math.floor(m * INV32);
          if (m - r * TWO32 >= reject) break;
        }
      } else r = Math.floor(rng.uniform() * n); // n > 2^21: x n would not be exact in a double

      if (rows) rows[i] = r;
      cnt[r]++;
    }
    let g: Float64Array | null = null;
    if (linear) g = linear(cnt);
    else if (dr) {
      w.fill(0);
      for (let i = 0; i < n; i++) w[dr.of[i]] += cnt[i];
      const c = compact.of(w);
      g = weightsOf(c.setup, dominanceFits(c.setup, { ...fitOpts, weights: c.weights, starts: base.states }));
    }
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
  return { ok: true, method, resamples: B, seed, level, failed, rows: dr ? dr.X.n : n, traits: out, draws };
}
