/**
 * Internal-consistency reliability of one scale, on the respondents who answered every item
 * (listwise, as SPSS does), matching `psych::alpha` and `psych::omega(nfactors = 1)`:
 *
 * - Cronbach's alpha from the item covariance matrix C: k/(k-1) (1 - tr C / ΣC) (`raw_alpha`);
 * - Feldt 95% CI: 1 - (1 - alpha) F_{1-a/2} .. 1 - (1 - alpha) F_{a/2}, F with (n - 1, (n - 1)(k - 1))
 *   df (psych's `alpha.ci`, reported as `$feldt`);
 * - standardised alpha k r̄ / (1 + (k - 1) r̄) and the average inter-item correlation r̄ (`std.alpha`,
 *   `average_r`);
 * - McDonald's omega total from a one-factor minimum-residual solution: loadings λ maximise the fit
 *   of the off-diagonal correlations (psych::fa(fm = "minres"), found here by iterated principal
 *   axes to convergence, uniquenesses bounded below by 0.005 as psych does); items whose loading has
 *   the opposite sign to the factor are flipped (omega's `flip = TRUE`), and
 *   omega_t = (Vt - Σ(1 - λ²)) / Vt with Vt the sum of all elements of the (flipped) correlation
 *   matrix — psych's `omega.tot`. (Note: this is not (Σλ)² / Vt, which psych reports as omega_h.)
 * - per item: corrected item-total correlation (`r.drop`), alpha if the item is deleted
 *   (`alpha.drop$raw_alpha`), mean and SD (complete respondents), percent missing (all respondents).
 */
import { qF } from './distributions.js';
import { symmetricEigen } from './linalg.js';

/** Options of {@link reliability}. */
export interface ReliabilityOptions {
  /** Item names, in the order of the columns (default item1, item2, ...). */
  itemNames?: string[];
  /** CI level for Feldt's interval (default 0.95). */
  level?: number;
  /** Alpha below this is flagged (default 0.70). */
  alphaLow?: number;
  /** Alpha above this is flagged as redundancy (default 0.95). */
  alphaHigh?: number;
}

/** Per-item statistics. */
export interface ItemStatistics {
  name: string;
  /** Mean and SD over the listwise-complete respondents. */
  mean: number;
  sd: number;
  /** Percent of all respondents who skipped this item. */
  pctMissing: number;
  /** Corrected item-total correlation: the item against the sum of the other items. */
  rDrop: number;
  /** Cronbach's alpha of the scale without this item (null for a two-item scale). */
  alphaIfDeleted: number | null;
}

/** A reliability flag (a code and its numbers; the report words it). */
export interface ReliabilityFlag {
  code: 'alpha-low' | 'alpha-high' | 'negative-item-total';
  /** Item concerned (for negative-item-total). */
  item?: string;
  value: number;
  /** The limit crossed (alpha below alphaLow, above alphaHigh; 0 for an item-total r). */
  threshold: number;
}

/** Reliability of one scale. */
export interface Reliability {
  ok: true;
  /** Items in the scale. */
  k: number;
  /** Respondents with every item answered (used for every statistic below), and all respondents. */
  nComplete: number;
  nTotal: number;
  alpha: number;
  /** Feldt CI of alpha. */
  alphaLower: number;
  alphaUpper: number;
  alphaCiMethod: 'Feldt';
  level: number;
  standardizedAlpha: number;
  averageR: number;
  /** McDonald's omega total (one-factor minres); null for fewer than 3 items. */
  omegaTotal: number | null;
  /** One-factor minres loadings (sign-aligned so most are positive); null for fewer than 3 items. */
  loadings: number[] | null;
  items: ItemStatistics[];
  flags: ReliabilityFlag[];
}

/** Reliability not computable. */
export interface ReliabilityFailure {
  ok: false;
  code: 'too-few-items' | 'too-few-respondents' | 'constant-item';
  reason: string;
  k: number;
  nComplete: number;
  nTotal: number;
}

export type ReliabilityResult = Reliability | ReliabilityFailure;

function alphaOf(cov: Float64Array, k: number, idx: number[]): number {
  let tr = 0;
  let tot = 0;
  for (const i of idx) {
    tr += cov[i * k + i];
    for (const j of idx) tot += cov[i * k + j];
  }
  const m = idx.length;
  return (m / (m - 1)) * (1 - tr / tot);
}

/**
 * One-factor minimum-residual loadings of a correlation matrix by iterated principal axes:
 * h² <- diag of the rank-one reconstruction until the communalities stop changing. The fixed point
 * minimises the sum of squared off-diagonal residuals, psych's "minres" criterion.
 */
export function minresOneFactor(r: Float64Array, k: number): { loadings: Float64Array; iterations: number; converged: boolean } {
  // start: squared multiple correlations (psych's default start), 1 - 1/diag(R^-1)
  const h2 = new Float64Array(k);
  const { values, vectors } = symmetricEigen(r, k);
  for (let i = 0; i < k; i++) {
    let d = 0;
    for (let e = 0; e < k; e++) if (values[e] > 1e-12) d += (vectors[i * k + e] * vectors[i * k + e]) / values[e];
    h2[i] = Math.min(0.995, Math.max(0.005, 1 - 1 / d));
  }
  const a = Float64Array.from(r);
  const lam = new Float64Array(k);
  let converged = false;
  let it = 0;
  for (it = 1; it <= 10000; it++) {
    for (let i = 0; i < k; i++) a[i * k + i] = h2[i];
    const ev = symmetricEigen(a, k);
    const s = Math.sqrt(Math.max(ev.values[0], 0));
    let change = 0;
    for (let i = 0; i < k; i++) {
      lam[i] = ev.vectors[i * k] * s;
      const nh = Math.min(0.995, lam[i] * lam[i]);
      change = Math.max(change, Math.abs(nh - h2[i]));
      h2[i] = nh;
    }
    if (change < 1e-12) {
      converged = true;
      break;
    }
  }
  let sum = 0;
  for (let i = 0; i < k; i++) sum += lam[i];
  if (sum < 0) for (let i = 0; i < k; i++) lam[i] = -lam[i];
  return { loadings: lam, iterations: it, converged };
}

/** The rows with every item answered (listwise complete), as an index array. */
function completeRows(cols: Float64Array[], nTotal: number): Int32Array {
  const k = cols.length;
  const completeAll = new Int32Array(nTotal);
  let n = 0;
  for (let i = 0; i < nTotal; i++) {
    let okRow = true;
    for (let j = 0; j < k && okRow; j++) if (Number.isNaN(cols[j][i])) okRow = false;
    if (okRow) completeAll[n++] = i;
  }
  return completeAll.subarray(0, n);
}

/** Item means and the sample covariance matrix (row-major k x k) on the complete rows. */
function covarianceOf(cols: Float64Array[], complete: Int32Array): { mean: Float64Array; cov: Float64Array } {
  const k = cols.length;
  const n = complete.length;
  const mean = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const c = cols[j];
    let s = 0;
    for (let r = 0; r < n; r++) s += c[complete[r]];
    mean[j] = s;
  }
  for (let j = 0; j < k; j++) mean[j] /= n;
  const cov = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    const ca = cols[a];
    const ma = mean[a];
    for (let b = 0; b <= a; b++) {
      const cb = cols[b];
      const mb = mean[b];
      let s = 0;
      for (let r = 0; r < n; r++) {
        const i = complete[r];
        s += (ca[i] - ma) * (cb[i] - mb);
      }
      cov[a * k + b] = s;
    }
  }
  for (let a = 0; a < k; a++)
    for (let b = 0; b <= a; b++) {
      cov[a * k + b] /= n - 1;
      cov[b * k + a] = cov[a * k + b];
    }
  return { mean, cov };
}

/** Per item: mean, SD, % missing, corrected item-total r and alpha if the item is deleted. */
function itemStatistics(cols: Float64Array[], names: readonly string[], mean: Float64Array, cov: Float64Array): ItemStatistics[] {
  const k = cols.length;
  const nTotal = k ? cols[0].length : 0;
  const all = Array.from({ length: k }, (_, j) => j);
  let total = 0;
  for (let a = 0; a < k * k; a++) total += cov[a];
  return all.map((j) => {
    let colSum = 0;
    for (let b = 0; b < k; b++) colSum += cov[b * k + j];
    const cDrop = colSum - cov[j * k + j];
    const vDrop = total - 2 * colSum + cov[j * k + j];
    const rest = all.filter((b) => b !== j);
    let missing = 0;
    const c = cols[j];
    for (let i = 0; i < nTotal; i++) if (c[i] !== c[i]) missing++;
    return {
      name: names[j],
      mean: mean[j],
      sd: Math.sqrt(cov[j * k + j]),
      pctMissing: nTotal ? (100 * missing) / nTotal : 0,
      rDrop: cDrop / Math.sqrt(cov[j * k + j] * vDrop),
      alphaIfDeleted: k > 2 ? alphaOf(cov, k, rest) : null,
    };
  });

}

/** McDonald's omega total from a one-factor minres solution of the correlation matrix (k >= 3). */
function omegaOf(r: Float64Array, k: number): { omegaTotal: number; loadings: number[] } {
  const fa = minresOneFactor(r, k);
  let vt = 0;
  let uniq = 0;
  for (let a = 0; a < k; a++) {
    const sa = fa.loadings[a] < 0 ? -1 : 1;
    uniq += 1 - fa.loadings[a] * fa.loadings[a];
    for (let b = 0; b < k; b++) vt += sa * (fa.loadings[b] < 0 ? -1 : 1) * r[a * k + b];
  }
  return { omegaTotal: (vt - uniq) / vt, loadings: Array.from(fa.loadings) };
}

/**
 * Reliability of a scale from its item columns (NaN = skipped). Uses the respondents who
 * answered every item. Needs at least 2 items and 3 complete respondents; omega needs 3 items.
 */
export function reliability(items: ReadonlyArray<ArrayLike<number>>, opts: ReliabilityOptions = {}): ReliabilityResult {
  const k = items.length;
  const names = opts.itemNames ?? items.map((_, i) => `item${i + 1}`);
  if (names.length !== k) throw new RangeError(`reliability: ${names.length} item names for ${k} items.`);
  const nTotal = k ? items[0].length : 0;
  for (let j = 1; j < k; j++) if (items[j].length !== nTotal) throw new RangeError(`reliability: item ${names[j]} has ${items[j].length} values, the first item ${nTotal}.`);
  // typed columns (monomorphic hot loops) and the listwise-complete rows as an index array
  const cols: Float64Array[] = items.map((c) => (c instanceof Float64Array ? c : Float64Array.from(c)));
  const complete = completeRows(cols, nTotal);
  const n = complete.length;
  if (k < 2) return { ok: false, code: 'too-few-items', reason: `A scale needs at least 2 items for alpha; this one has ${k}.`, k, nComplete: n, nTotal };
  if (n < 3)
    return {
      ok: false,
      code: 'too-few-respondents',
      reason: `Only ${n} respondent(s) answered every item of the scale; reliability needs at least 3.`,
      k,
      nComplete: n,
      nTotal,
    };
  const { mean, cov } = covarianceOf(cols, complete);
  for (let j = 0; j < k; j++)
    if (!(cov[j * k + j] > 0))
      return {
        ok: false,
        code: 'constant-item',
        reason: `Item "${names[j]}" has the same answer from all ${n} complete respondents, so its correlations are undefined; drop it from the scale.`,
        k,
        nComplete: n,
        nTotal,
      };
  const r = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) r[a * k + b] = cov[a * k + b] / Math.sqrt(cov[a * k + a] * cov[b * k + b]);

  const all = Array.from({ length: k }, (_, j) => j);
  const alpha = alphaOf(cov, k, all);
  let rsum = 0;
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) rsum += r[a * k + b];
  const averageR = rsum / ((k * (k - 1)) / 2);
  const standardizedAlpha = (k * averageR) / (1 + (k - 1) * averageR);
  const level = opts.level ?? 0.95;
  const df1 = n - 1;
  const df2 = (n - 1) * (k - 1);
  const tail = (1 - level) / 2;
  const alphaLower = 1 - (1 - alpha) * qF(1 - tail, df1, df2);
  const alphaUpper = 1 - (1 - alpha) * qF(tail, df1, df2);

  const itemStats = itemStatistics(cols, names, mean, cov);
  const { omegaTotal, loadings } = k >= 3 ? omegaOf(r, k) : { omegaTotal: null, loadings: null };
  const flags: ReliabilityFlag[] = [];
  const lo = opts.alphaLow ?? 0.7;
  const hi = opts.alphaHigh ?? 0.95;
  if (alpha < lo) flags.push({ code: 'alpha-low', value: alpha, threshold: lo });
  if (alpha > hi) flags.push({ code: 'alpha-high', value: alpha, threshold: hi });
  for (const it of itemStats)
    if (it.rDrop < 0)
      flags.push({
        code: 'negative-item-total',
        item: it.name,
        value: it.rDrop,
        threshold: 0,
      });

  return {
    ok: true,
    k,
    nComplete: n,
    nTotal,
    alpha,
    alphaLower,
    alphaUpper,
    alphaCiMethod: 'Feldt',
    level,
    standardizedAlpha,
    averageR,
    omegaTotal,
    loadings,
    items: itemStats,
    flags,
  };
}

/** Cronbach's alpha on pairwise-complete data (psych::alpha's default `use = "pairwise"`). */
export interface PairwiseAlpha {
  ok: true;
  method: 'pairwise';
  k: number;
  /** k/(k-1) (1 - tr C / ΣC), C the pairwise-complete covariance matrix (each pair its own means). */
  alpha: number;
  /** k r̄ / (1 + (k - 1) r̄), r̄ the mean off-diagonal element of cov2cor(C). */
  standardizedAlpha: number;
  averageR: number;
  /** Fewest respondents behind any covariance (pair of items). */
  minPairN: number;
}

/**
 * Pairwise alpha: every covariance from the respondents who answered both items (R's
 * `cov(x, use = "pairwise")`), so respondents who skipped an item still count for the other pairs.
 * `reliability()` is listwise (every item answered); this is the alternative psych reports.
 */
export function pairwiseAlpha(items: ReadonlyArray<ArrayLike<number>>): PairwiseAlpha | ReliabilityFailure {
  const k = items.length;
  const nTotal = k ? items[0].length : 0;
  if (k < 2) return { ok: false, code: 'too-few-items', reason: `A scale needs at least 2 items for alpha; this one has ${k}.`, k, nComplete: 0, nTotal };
  const cov = new Float64Array(k * k);
  let minPairN = Infinity;
  for (let a = 0; a < k; a++)
    for (let b = 0; b <= a; b++) {
      const xa = items[a];
      const xb = items[b];
      let n = 0, sa = 0, sb = 0;
      for (let i = 0; i < nTotal; i++)
        if (xa[i] === xa[i] && xb[i] === xb[i]) {
          n++;
          sa += xa[i];
          sb += xb[i];
        }
      const ma = sa / n;
      const mb = sb / n;
      let s = 0;
      for (let i = 0; i < nTotal; i++) if (xa[i] === xa[i] && xb[i] === xb[i]) s += (xa[i] - ma) * (xb[i] - mb);
      minPairN = Math.min(minPairN, n);
      cov[a * k + b] = cov[b * k + a] = s / (n - 1);
    }
  if (!(minPairN >= 3)) return { ok: false, code: 'too-few-respondents', reason: `Some pair of items was answered together by only ${minPairN} respondent(s); pairwise alpha needs at least 3.`, k, nComplete: minPairN, nTotal };
  for (let j = 0; j < k; j++)
    if (!(cov[j * k + j] > 0)) return { ok: false, code: 'constant-item', reason: `Item ${j + 1} has the same answer from every respondent; drop it from the scale.`, k, nComplete: minPairN, nTotal };
  const all = Array.from({ length: k }, (_, j) => j);
  let rsum = 0;
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) rsum += cov[a * k + b] / Math.sqrt(cov[a * k + a] * cov[b * k + b]);
  const averageR = rsum / ((k * (k - 1)) / 2);
  return { ok: true, method: 'pairwise', k, alpha: alphaOf(cov, k, all), standardizedAlpha: (k * averageR) / (1 + (k - 1) * averageR), averageR, minPairN };
}
