/**
 * Design-based logistic regression, as `survey::svyglm(y ~ x, design, family = quasibinomial())`
 * with `svydesign(ids = ~ psu or ~ 1, strata = ~ stratum, weights = ~ w)`:
 * - estimates: the weighted maximum-likelihood (pseudo-likelihood) fit, weights w (their scale
 *   does not matter: svyglm rescales them to mean 1, which changes neither estimates nor variances);
 * - covariance: the Taylor-linearisation ("sandwich") estimator of survey's svy.varcoef + svyrecvar
 *   for a one-stage design with replacement:
 *     V = A^-1 M A^-1,  A^-1 = (X'WX)^-1 (weighted, summary(glm)$cov.unscaled),
 *     M = sum_h n_h/(n_h - 1) sum_{j in h} (z_hj - zbar_h)(z_hj - zbar_h)',  z_hj = sum_{i in PSU j} w_i x_i (y_i - mu_i),
 *   n_h the number of PSUs in stratum h (each respondent is a PSU with ids = ~1). With one stratum
 *   this is G/(G-1) times the cluster sum of squared scores, without vcovCL's (n-1)/(n-k) factor
 *   (see r-reference-notes.md). A stratum with a single PSU is an error, as survey's default
 *   `options(survey.lonely.psu = "fail")`.
 * - replicate weights (`svrepdesign(type = "JK1")`, as.svrepdesign of the same design): see {@link jk1Replicates}.
 */
import { irlsLogit } from './irls.js';
import { sandwichProduct } from './cluster-robust.js';
import { pNormalTwoSided } from './distributions.js';

export interface SvyInput {
  /** Predictor columns; an intercept is added first. */
  columns: readonly Float64Array[];
  names?: readonly string[];
  y: Float64Array;
  /** Sampling weights (> 0). */
  weights: Float64Array;
  /** Primary sampling unit (cluster) of each row; omit for ids = ~1. */
  psu?: Int32Array | null;
  /** Stratum of each row; omit for no strata. */
  strata?: Int32Array | null;
  /**
   * Domain (subpopulation) estimation, as svyglm on a subset of the design (survey's subset keeps
   * the design: rows outside the domain, 1 = in, are not fitted and add nothing to the scores, but
   * still count as PSUs of their strata; their predictors, outcome and weight are not read). The
   * design degrees of freedom count the PSUs and strata that have domain rows, as survey's degf.
   */
  domain?: Uint8Array | null;
}

export interface SvyCoefficient { name: string; estimate: number; se: number; z: number; p: number }

export interface SvyFit {
  ok: true;
  n: number;
  coefficients: SvyCoefficient[];
  vcov: Float64Array;
  /** Design degrees of freedom: PSUs minus strata (survey's degf). */
  df: number;
  psus: number;
  strata: number;
  converged: boolean;
}

export interface SvyFailure {
  ok: false;
  code: 'bad-input' | 'lonely-psu' | 'singular' | 'not-converged';
  reason: string;
}

/** Row-major design with an intercept column. */
export function interceptDesign(columns: readonly Float64Array[], n: number): Float64Array {
  const p = columns.length + 1;
  const x = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    x[i * p] = 1;
    for (let j = 1; j < p; j++) x[i * p + j] = columns[j - 1][i];
  }
  return x;
}

function weightedFit(x: Float64Array, n: number, p: number, y: Float64Array, w: Float64Array) {
  return irlsLogit({ data: x, n, stride: p, cols: Int32Array.from({ length: p }, (_, j) => j) }, y, { weights: w, epsilon: 1e-14, maxit: 100, keepFitted: true });
}

/**
 * The sampling units of a design: each row's PSU (its own row with ids = ~1) numbered densely, each
 * unit's stratum (dense too), in order of first appearance. Numeric keys (PSU codes within strata),
 * linear in the rows. `domain` (optional, 1 = in): count only the units and strata with domain rows.
 */
export function designUnits(n: number, psu: Int32Array | null, strata: Int32Array | null, domain: Uint8Array | null = null): { unit: Int32Array; stratumOf: Int32Array; units: number; strata: number } {
  const hIndex = new Map<number, number>();
  const unit = new Int32Array(n).fill(-1);
  const stratumOf = new Int32Array(n);
  const seen = psu ? new Map<number, number>() : null;
  let width = 1;
  if (psu) for (let i = 0; i < n; i++) if (psu[i] + 1 > width) width = psu[i] + 1;
  let U = 0;
  let lastCode = NaN;
  let h = 0;
  for (let i = 0; i < n; i++) {
    if (domain && !domain[i]) continue;
    const h0 = strata ? strata[i] : 0;
    if (h0 !== lastCode) {
      const k = hIndex.get(h0);
      if (k === undefined) hIndex.set(h0, (h = hIndex.size));
      else h = k;
      lastCode = h0;
    }
    if (!seen) {
      stratumOf[U] = h;
      unit[i] = U++;
      continue;
    }
    const key = h * width + psu![i];
    let u = seen.get(key);
    if (u === undefined) {
      seen.set(key, (u = U));
      stratumOf[U++] = h;
    }
    unit[i] = u;
  }
  return { unit, stratumOf: stratumOf.subarray(0, U), units: U, strata: hIndex.size };
}

/** Linearisation meat M from per-row scores (see module doc); a stratum with one PSU is reported as `lonely` (its code). */
export function linearisationMeat(
  x: Float64Array, n: number, p: number, score: Float64Array, psu: Int32Array | null, strata: Int32Array | null,
): { M: Float64Array; psus: number; strata: number } | { lonely: number } {
  const { unit, stratumOf, units: U, strata: H } = designUnits(n, psu, strata);
  const Z = new Float64Array(U * p);
  for (let i = 0; i < n; i++) {
    const s = score[i];
    if (s !== 0) for (let j = 0; j < p; j++) Z[unit[i] * p + j] += x[i * p + j] * s;
  }
  const nh = new Float64Array(H);
  const zbar = new Float64Array(H * p);
  for (let u = 0; u < U; u++) {
    const h = stratumOf[u];
    nh[h]++;
    for (let j = 0; j < p; j++) zbar[h * p + j] += Z[u * p + j];
  }
  for (let h = 0; h < H; h++) {
    if (nh[h] < 2) {
      const first = stratumOf.indexOf(h);
      const row = unit.indexOf(first);
      return { lonely: strata ? strata[row] : 0 };
    }
    for (let j = 0; j < p; j++) zbar[h * p + j] /= nh[h];
  }
  const M = new Float64Array(p * p);
  const d = new Float64Array(p);
  for (let u = 0; u < U; u++) {
    const h = stratumOf[u];
    const f = nh[h] / (nh[h] - 1);
    for (let j = 0; j < p; j++) d[j] = Z[u * p + j] - zbar[h * p + j];
    for (let a = 0; a < p; a++) {
      const da = f * d[a];
      for (let b = 0; b < p; b++) M[a * p + b] += da * d[b];
    }
  }
  return { M, psus: U, strata: H };
}

function check(inp: SvyInput): SvyFailure | null {
  const n = inp.y.length;
  for (let i = 0; i < n; i++) {
    if (inp.domain && !inp.domain[i]) continue;
    if (inp.y[i] !== 0 && inp.y[i] !== 1) return { ok: false, code: 'bad-input', reason: `The outcome must be coded 0/1, but row ${i + 1} has ${inp.y[i]}.` };
    if (!(inp.weights[i] > 0) || !Number.isFinite(inp.weights[i])) return { ok: false, code: 'bad-input', reason: `Row ${i + 1} has weight ${inp.weights[i]}; sampling weights must be positive numbers.` };
    for (const c of inp.columns) if (!Number.isFinite(c[i])) return { ok: false, code: 'bad-input', reason: `Row ${i + 1} has a missing predictor; drop incomplete rows first.` };
  }
  return null;
}

/** The rows outside the domain as zero-weight rows with zeros for data (so they are not fitted). */
function domainRows(inp: SvyInput): { columns: readonly Float64Array[]; y: Float64Array; weights: Float64Array; n: number } {
  const dom = inp.domain;
  if (!dom) return { columns: inp.columns, y: inp.y, weights: inp.weights, n: inp.y.length };
  const z = (v: Float64Array) => Float64Array.from(v, (x, i) => (dom[i] ? x : 0));
  return { columns: inp.columns.map(z), y: z(inp.y), weights: z(inp.weights), n: dom.reduce((a, b) => a + b, 0) };
}

/** Design degrees of freedom: PSUs minus strata among the rows of the domain (all rows without one). */
function designDf(inp: SvyInput): number {
  const u = designUnits(inp.y.length, inp.psu ?? null, inp.strata ?? null, inp.domain ?? null);
  return u.units - u.strata;
}

export function svyLogistic(inp: SvyInput): SvyFit | SvyFailure {
  const bad = check(inp);
  if (bad) return bad;
  const n = inp.y.length;
  const p = inp.columns.length + 1;
  const d = domainRows(inp);
  const x = interceptDesign(d.columns, n);
  const fit = weightedFit(x, n, p, d.y, d.weights);
  if (fit.singularColumn >= 0 || !fit.covariance) return { ok: false, code: 'singular', reason: 'The predictors are perfectly collinear; remove one of them.' };
  const score = Float64Array.from(fit.mu!, (m, i) => d.weights[i] * (d.y[i] - m));
  const meat = linearisationMeat(x, n, p, score, inp.psu ?? null, inp.strata ?? null);
  if ('lonely' in meat) return { ok: false, code: 'lonely-psu', reason: `Stratum ${meat.lonely} has a single primary sampling unit; its variance cannot be estimated (merge it with a neighbouring stratum).` };
  const vcov = sandwichProduct(fit.covariance, meat.M, p, 1);
  const names = ['(Intercept)', ...(inp.names ?? inp.columns.map((_, j) => `x${j + 1}`))];
  const coefficients = names.map((name, j) => {
    const se = Math.sqrt(vcov[j * p + j]);
    const est = fit.beta[j];
    return { name, estimate: est, se, z: est / se, p: pNormalTwoSided(est / se) };
  });
  return { ok: true, n: d.n, coefficients, vcov, df: designDf(inp), psus: meat.psus, strata: meat.strata, converged: fit.converged };
}

/**
 * Delete-one-PSU jackknife (JK1) covariance of the weighted fit, as svyglm on
 * `as.svrepdesign(svydesign(ids = ~ psu, weights = ~ w), type = "JK1")` (unstratified): replicate r
 * sets the weights of PSU r to 0 and multiplies the others by G / (G - 1); each replicate is refitted,
 * and V = (G - 1) / G sum_r (b_r - bbar)(b_r - bbar)' about the replicates' mean bbar (survey's
 * default `mse = FALSE`). The estimates are the full-sample ones.
 */
export function jk1Replicates(inp: SvyInput): SvyFit | SvyFailure {
  const bad = check(inp);
  if (bad) return bad;
  if (!inp.psu) return { ok: false, code: 'bad-input', reason: 'JK1 replicate weights need the primary sampling units (clusters).' };
  const n = inp.y.length;
  const p = inp.columns.length + 1;
  const x = interceptDesign(inp.columns, n);
  const full = weightedFit(x, n, p, inp.y, inp.weights);
  if (full.singularColumn >= 0) return { ok: false, code: 'singular', reason: 'The predictors are perfectly collinear; remove one of them.' };
  const units = [...new Set(inp.psu)].sort((a, b) => a - b);
  const G = units.length;
  if (G < 2) return { ok: false, code: 'lonely-psu', reason: 'JK1 needs at least 2 primary sampling units.' };
  const betas: Float64Array[] = [];
  const w = new Float64Array(n);
  for (const u of units) {
    for (let i = 0; i < n; i++) w[i] = inp.psu[i] === u ? 0 : (inp.weights[i] * G) / (G - 1);
    const r = weightedFit(x, n, p, inp.y, w);
    if (!r.converged || r.singularColumn >= 0) return { ok: false, code: 'not-converged', reason: `The replicate without cluster ${u} could not be fitted.` };
    betas.push(r.beta);
  }
  const mean = new Float64Array(p);
  for (const b of betas) for (let j = 0; j < p; j++) mean[j] += b[j] / G;
  const vcov = new Float64Array(p * p);
  for (const b of betas) for (let a = 0; a < p; a++) for (let c = 0; c < p; c++) vcov[a * p + c] += ((G - 1) / G) * (b[a] - mean[a]) * (b[c] - mean[c]);
  const names = ['(Intercept)', ...(inp.names ?? inp.columns.map((_, j) => `x${j + 1}`))];
  const coefficients = names.map((name, j) => {
    const se = Math.sqrt(vcov[j * p + j]);
    return { name, estimate: full.beta[j], se, z: full.beta[j] / se, p: pNormalTwoSided(full.beta[j] / se) };
  });
  return { ok: true, n, coefficients, vcov, df: G - 1, psus: G, strata: 1, converged: full.converged };
}
