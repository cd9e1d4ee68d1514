/**
 * The synthetic-data generator: realistic survey responses for any instrument, with a known truth.
 * Pure: an instrument, options and a seed in; typed-array columns out (no I/O, no clock).
 *
 * The model, exactly (also summarised in fixtures/sample/README.md):
 * 1. Latent traits. One standard-normal trait per scale, exchangeable correlation r between every
 *    pair: z = L e with L the Cholesky factor of R = (1 - r) I + r 11' (positive definite exactly when
 *    -1/(K-1) < r < 1).
 * 2. Scale items. For the j-th item (0-based) of scale k with m options: y* = λ_j z_k + √(1-λ_j²) ε +
 *    s_k, λ_j = 0.85, 0.80, 0.75, 0.70 (cycling), s_k a favourable shift (0.8, 0.6, 0.7, 0.5, 0.4, 0.5,
 *    cycling), and the category is the number of cuts Φ⁻¹(1/m), ..., Φ⁻¹((m-1)/m) below y*. Without
 *    the shift every category would be equally likely; with it ratings bunch at the favourable end
 *    (for 5 options and s = 0.8: 5%, 10%, 15%, 22%, 48%). Reverse-keyed items store the mirrored
 *    category (as a respondent answers a negatively worded item).
 * 3. Non-response. Every item cell independently is left unanswered with probability `missing`; a
 *    quarter of those (REFUSAL_SHARE) are refusals written as the response set's first missing code (when it has
 *    one), the rest empty.
 * 4. Outcome: the first two-option item in no scale (portal_use for the built-in instrument). Scale
 *    scores are computed from the generated answers exactly as `rapport score` computes them
 *    (scoreValues: reverse keys, min_answered, proration), standardised on the sample (mean 0, sample
 *    SD 1; a missing score counts as the mean), and P(outcome = second option) = expit(b0 + Σ_k β_k
 *    zscore_k) with β_k = ln(OR_k) from `--effect`; b0 is solved (safeguarded Newton/bisection) so that the mean of the
 *    probabilities over the sample equals `prevalence`.
 * 4b. With outcomeType 'ordinal' (`simulate --outcome-type ordinal`), the outcome's first follow-up
 *    with m >= 3 options (portal_frequency) is instead drawn from the proportional-odds model
 *    P(Y >= j) = expit(b0 - (j - 1) + η), j = 1..m-1, with the same latent draw as the yes/no outcome
 *    (so the yes/no outcome is exactly "above the lowest category", and every other column is as
 *    without the option): the odds ratios of --effect are then also the cumulative odds ratios.
 * 5. Other items in no scale: items sharing the outcome's id prefix (`portal_frequency` for
 *    `portal_use`) are follow-ups: their lowest option when the outcome is negative, otherwise one of
 *    the others, higher for more engaged respondents; other two-option items are more often "yes" for
 *    outcome-positive respondents (logit -1 + 1.2 y + 0.3 z̄); other multi-option items are ordered
 *    categories from 0.8 (y - 0.35) + ε with equal-probability cuts.
 * 6. Demographics: age = round(N(52, 16)) clipped to 18..90, sex F with probability 0.56; both
 *    independent of everything else (so the adjusted and unadjusted models have the same truth).
 * 7. Clinicians (only with `clusters` > 0; without, nothing above changes and no random number is
 *    drawn for it): respondent i (0-based) belongs to clinician floor(i C / n) (C clusters of equal
 *    size, give or take one). Before the respondents, every clinician draws K trait deviates c_g and
 *    one outcome deviate v_g, all N(0, 1), from the same stream. Traits become
 *    z = sqrt(1 - s) L e + sqrt(s) L c_g (the same correlation, variance 1, a share s = `traitShare`
 *    of it between clinicians), and the outcome's linear predictor gains tau v_g with
 *    tau^2 = rho / (1 - rho) pi^2 / 3, so the latent-scale ICC tau^2 / (tau^2 + pi^2 / 3) is rho
 *    (`icc`). v_g is independent of the traits, so a random-intercept logistic model on the
 *    standardised scores is the true model (conditional effects ln OR, random-intercept SD tau); the
 *    intercept is still solved for the marginal prevalence.
 */
import { UsageError } from '../errors.js';
import { chooseOutcome } from './outcome.js';
import type { Instrument } from '../instrument/types.js';
import { responseSetOf } from '../instrument/types.js';
import { compileInstrument, scoreInto, type CompiledInstrument } from '../scoring/score.js';
import { qNormal } from '../stats/distributions.js';
import { meanSdPresent } from '../stats/standardise.js';
import { Rng } from './rng.js';

/** Category codes stored in SimData.cat for a cell without a value. */
export const EMPTY = -1;
export const REFUSED = -2;

export const DEFAULTS = {
  seed: 1,
  prevalence: 0.3,
  correlation: 0.45,
  missing: 0.03,
} as const;

/** Share of unanswered cells written as a refusal code (when the response set has one). */
export const REFUSAL_SHARE = 0.25;
const LOADINGS = [0.85, 0.8, 0.75, 0.7];
const SHIFTS = [0.8, 0.6, 0.7, 0.5, 0.4, 0.5];

export interface SimOptions {
  /** Odds ratio per 1 SD of a scale score, by scale id; unnamed scales have OR 1. */
  effects?: Record<string, number>;
  prevalence?: number;
  correlation?: number;
  missing?: number;
  /** Number of clinicians (0 or absent: respondents are not clustered). */
  clusters?: number;
  /** Latent-scale ICC of the outcome between clinicians (default 0.1 when clustered). */
  icc?: number;
  /** Share of each trait's variance between clinicians (default 0.1 when clustered). */
  traitShare?: number;
  /**
   * 'ordinal': the outcome's first follow-up with 3 or more options (portal_frequency) follows a
   * proportional-odds model with the same effects (see step 4b); default 'binary'.
   */
  outcomeType?: 'binary' | 'ordinal';
  /** --outcome: the item drawn as the outcome (default: the first two-option item in no scale). */
  outcome?: string;
}

export type ItemKind = 'scale' | 'outcome' | 'followup' | 'binary' | 'ordinal';

export interface ItemPlan {
  kind: ItemKind;
  /** Number of options. */
  m: number;
  /** Scale index for scale items, else -1. */
  scale: number;
  loading: number;
  shift: number;
  /** m - 1 cuts on the latent scale (for scale and ordinal items; m - 2 for follow-ups). */
  cuts: Float64Array;
  reverse: boolean;
  /** The response set has a missing code (refusals possible). */
  canRefuse: boolean;
  /** Numeric value of each option (NaN for letter codes), for scoring. */
  values: Float64Array;
}

export interface SimPlan {
  inst: Instrument;
  ci: CompiledInstrument;
  /** Number of scales (latent traits). */
  K: number;
  /** Cholesky factor of the trait correlation matrix, K x K row-major lower triangle. */
  chol: Float64Array;
  /** ln(OR) per scale. */
  beta: Float64Array;
  prevalence: number;
  correlation: number;
  missing: number;
  items: ItemPlan[];
  /** Index of the outcome item, or -1 when the instrument has no two-option item outside its scales. */
  outcome: number;
  /** Clinicians (0 = not clustered), the SD of their outcome intercepts, and the between share of traits. */
  clusters: number;
  clusterTau: number;
  traitShare: number;
  /** With outcomeType 'ordinal': index of the ordinal outcome item (step 4b), else -1. */
  ordinal: number;
}

/** Cuts Φ⁻¹(1/m) .. Φ⁻¹((m-1)/m): equal probabilities for a standard-normal latent value. */
function equalCuts(m: number): Float64Array {
  const c = new Float64Array(Math.max(0, m - 1));
  for (let j = 1; j < m; j++) c[j - 1] = qNormal(j / m);
  return c;
}

/** Cholesky factor of the exchangeable correlation matrix, or undefined when it is not positive definite. */
export function exchangeableCholesky(K: number, r: number): Float64Array | undefined {
  const a = new Float64Array(K * K);
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) a[i * K + j] = i === j ? 1 : r;
  for (let j = 0; j < K; j++) {
    let d = a[j * K + j];
    for (let k = 0; k < j; k++) d -= a[j * K + k] * a[j * K + k];
    if (!(d > 1e-10)) return undefined;
    const ljj = Math.sqrt(d);
    a[j * K + j] = ljj;
    for (let i = j + 1; i < K; i++) {
      let s = a[i * K + j];
      for (let k = 0; k < j; k++) s -= a[i * K + k] * a[j * K + k];
      a[i * K + j] = s / ljj;
    }
    for (let k = j + 1; k < K; k++) a[j * K + k] = 0;
  }
  return a;
}

function idPrefix(id: string): string | undefined {
  const i = id.indexOf('_');
  return i > 0 ? id.slice(0, i + 1) : undefined;
}

/**
 * Check options against the instrument and precompute everything the generator needs.
 * Bad values are UsageErrors naming the option, the value and the fix.
 */
export function planSimulation(inst: Instrument, opts: SimOptions = {}): SimPlan {
  const open = inst.items.filter((it) => it.type === 'number' || it.type === 'text' || it.multiple === true);
  if (open.length > 0)
    throw new UsageError(`instrument ${inst.id} has number, text or multiple-choice items (${open.slice(0, 5).map((it) => it.id).join(', ')}${open.length > 5 ? ', ...' : ''}), which simulate cannot generate yet; simulate an instrument of choice items only.`);
  const ci = compileInstrument(inst);
  const K = ci.scales.length;
  const prevalence = opts.prevalence ?? DEFAULTS.prevalence;
  const correlation = opts.correlation ?? DEFAULTS.correlation;
  const missing = opts.missing ?? DEFAULTS.missing;
  if (!(prevalence > 0 && prevalence < 1)) throw new UsageError(`--prevalence ${prevalence}: the outcome prevalence must be a proportion strictly between 0 and 1, e.g. --prevalence 0.3.`);
  if (!(missing >= 0 && missing < 1)) throw new UsageError(`--missing ${missing}: the share of unanswered items must be at least 0 and below 1, e.g. --missing 0.03.`);
  if (!(correlation > -1 && correlation < 1)) throw new UsageError(`--correlation ${correlation}: the correlation between traits must be between -1 and 1 (exclusive), e.g. --correlation 0.45.`);
  const chol = exchangeableCholesky(Math.max(K, 1), correlation);
  if (!chol) {
    const lo = K > 1 ? -1 / (K - 1) : -1;
    throw new UsageError(`--correlation ${correlation}: with ${K} traits a common correlation must be above ${formatBound(lo)} for the correlation matrix to be positive definite; choose a larger value.`);
  }
  const beta = new Float64Array(K);
  const outcome = chooseOutcome(inst, ci, opts.outcome);
  const effects = opts.effects ?? {};
  for (const [trait, or] of Object.entries(effects)) {
    const k = ci.scales.findIndex((s) => s.id === trait);
    if (k < 0) throw new UsageError(`--effect ${trait}=${or}: "${trait}" is not a scale of instrument ${inst.id}; its scales are ${ci.scales.map((s) => s.id).join(', ')}.`);
    if (!(or > 0) || !Number.isFinite(or)) throw new UsageError(`--effect ${trait}=${or}: an odds ratio must be a positive number, e.g. ${trait}=1.8 (1 means no effect).`);
    beta[k] = Math.log(or);
  }
  if (outcome < 0 && Object.keys(effects).length > 0) {
    throw new UsageError(`--effect: instrument ${inst.id} has no two-option item outside its scales to serve as the outcome, so effects cannot be simulated; drop --effect.`);
  }
  const outPrefix = outcome >= 0 ? idPrefix(ci.items[outcome].id) : undefined;
  const items: ItemPlan[] = ci.items.map((it) => {
    const rs = responseSetOf(inst, inst.items[it.index]);
    const m = it.codes.length;
    const values = Float64Array.from(it.codes, (c) => (typeof c === 'number' ? c : NaN));
    const base = { m, values, canRefuse: rs.missing.length > 0, reverse: it.reverse, scale: it.scale, loading: 0, shift: 0 };
    if (it.scale >= 0) {
      const pos = ci.scales[it.scale].items.indexOf(it.index);
      return { ...base, kind: 'scale', loading: LOADINGS[pos % LOADINGS.length], shift: SHIFTS[it.scale % SHIFTS.length], cuts: equalCuts(m) };
    }
    if (it.index === outcome) return { ...base, kind: 'outcome', cuts: new Float64Array(0) };
    if (outPrefix !== undefined && it.id.startsWith(outPrefix) && m >= 2) return { ...base, kind: 'followup', cuts: equalCuts(m - 1) };
    if (m === 2) return { ...base, kind: 'binary', cuts: new Float64Array(0) };
    return { ...base, kind: 'ordinal', cuts: equalCuts(m) };
  });
  return { inst, ci, K, chol, beta, prevalence, correlation, missing, items, outcome, ...clusterPlan(opts), ordinal: ordinalItem(opts, items, inst.id) };
}

/** Step 4b's item: the outcome's first follow-up with 3 or more options, when --outcome-type ordinal. */
function ordinalItem(opts: SimOptions, items: ItemPlan[], id: string): number {
  if (opts.outcomeType !== 'ordinal') return -1;
  const k = items.findIndex((ip) => ip.kind === 'followup' && ip.m >= 3);
  if (k < 0) throw new UsageError(`--outcome-type ordinal: instrument ${id} has no item with 3 or more options that follows its outcome item (such as portal_frequency after portal_use); drop --outcome-type.`);
  return k;
}

export const CLUSTER_DEFAULTS = { icc: 0.1, traitShare: 0.1 } as const;

function clusterPlan(opts: SimOptions): { clusters: number; clusterTau: number; traitShare: number } {
  const clusters = opts.clusters ?? 0;
  if (!(Number.isInteger(clusters) && clusters >= 0)) throw new UsageError(`--clusters ${clusters}: give a whole number of clinicians, e.g. --clusters 40.`);
  const icc = opts.icc ?? CLUSTER_DEFAULTS.icc;
  const traitShare = opts.traitShare ?? CLUSTER_DEFAULTS.traitShare;
  if (!(icc >= 0 && icc < 1)) throw new UsageError(`--icc ${icc}: the intraclass correlation must be at least 0 and below 1, e.g. --icc 0.1.`);
  if (!(traitShare >= 0 && traitShare < 1)) throw new UsageError(`--trait-share ${traitShare}: the between-clinician share of trait variance must be at least 0 and below 1, e.g. --trait-share 0.1.`);
  return { clusters, clusterTau: Math.sqrt((icc / (1 - icc)) * (Math.PI * Math.PI) / 3), traitShare };
}

function formatBound(x: number): string {
  return String(Number.parseFloat(x.toFixed(4)));
}

/** Simulated responses in columns. Reusable: allocate once for the largest n, fill many times. */
export interface SimData {
  /** Rows filled by the last simulation (≤ capacity). */
  n: number;
  capacity: number;
  /** Per item: option index 0..m-1 as stored (reverse-keyed items mirrored), EMPTY or REFUSED. */
  cat: Int16Array[];
  /** Per scale: the score as `rapport score` computes it (NaN when min_answered is not met). */
  scores: Float64Array[];
  /** The outcome as drawn, before non-response (0/1); all 0 without an outcome item. */
  truth: Uint8Array;
  /** With an ordinal plan: the ordinal outcome's category as drawn (step 4b), else null. */
  ordinal: Uint8Array | null;
  /** Mean latent trait per respondent (engagement, drives the other non-scale items). */
  zbar: Float64Array;
  /** Linear predictor of the outcome model without the intercept (scratch, reused). */
  eta: Float64Array;
  age: Int16Array;
  /** 0 = F, 1 = M. */
  sex: Uint8Array;
  /** The solved intercept b0 of the outcome model, and the model's mean probability. */
  intercept: number;
  /** Clinician index (0-based) per respondent when the plan is clustered, else null. */
  cluster: Int32Array | null;
  /** The clinicians' outcome intercepts tau v_g (truth, for tests), or null. */
  clusterEffects: Float64Array | null;
}

export function allocSimData(plan: SimPlan, capacity: number): SimData {
  return {
    n: 0,
    capacity,
    cat: plan.items.map(() => new Int16Array(capacity)),
    scores: plan.ci.scales.map(() => new Float64Array(capacity)),
    truth: new Uint8Array(capacity),
    ordinal: plan.ordinal >= 0 ? new Uint8Array(capacity) : null,
    zbar: new Float64Array(capacity),
    eta: new Float64Array(capacity),
    age: new Int16Array(capacity),
    sex: new Uint8Array(capacity),
    intercept: NaN,
    cluster: plan.clusters > 0 ? new Int32Array(capacity) : null,
    clusterEffects: plan.clusters > 0 ? new Float64Array(plan.clusters) : null,
  };
}

export interface SimulateOptions {
  /** Only what the outcome model needs (scale items, scores, outcome): for `power`. */
  minimal?: boolean;
}

function expit(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/**
 * Non-response draw for one cell: returns EMPTY, REFUSED or the given category. One uniform u:
 * missing when u < missing, and then (u / missing being uniform again) a refusal when
 * u / missing < REFUSAL_SHARE and the response set has a missing code.
 */
export function maybeMissing(rng: Rng, missing: number, canRefuse: boolean, cat: number): number {
  const u = rng.uniform();
  if (u >= missing) return cat;
  return canRefuse && u < missing * REFUSAL_SHARE ? REFUSED : EMPTY;
}

/** The scale items' parameters as flat typed arrays, for the hot loop. */
interface ScaleItemTable {
  count: number;
  item: Int32Array;
  scale: Int32Array;
  loading: Float64Array;
  resid: Float64Array;
  shift: Float64Array;
  m: Int32Array;
  reverse: Uint8Array;
  canRefuse: Uint8Array;
  /** Cuts of item j at cutStart[j] .. cutStart[j] + m[j] - 2. */
  cutStart: Int32Array;
  cuts: Float64Array;
}

const tables = new WeakMap<SimPlan, ScaleItemTable>();

function scaleItemTable(plan: SimPlan): ScaleItemTable {
  let t = tables.get(plan);
  if (t) return t;
  const idx = plan.items.map((ip, i) => (ip.kind === 'scale' ? i : -1)).filter((i) => i >= 0);
  const count = idx.length;
  const cutStart = new Int32Array(count);
  let total = 0;
  idx.forEach((i, j) => {
    cutStart[j] = total;
    total += plan.items[i].cuts.length;
  });
  const cuts = new Float64Array(total);
  idx.forEach((i, j) => cuts.set(plan.items[i].cuts, cutStart[j]));
  t = {
    count,
    item: Int32Array.from(idx),
    scale: Int32Array.from(idx, (i) => plan.items[i].scale),
    loading: Float64Array.from(idx, (i) => plan.items[i].loading),
    resid: Float64Array.from(idx, (i) => Math.sqrt(1 - plan.items[i].loading * plan.items[i].loading)),
    shift: Float64Array.from(idx, (i) => plan.items[i].shift),
    m: Int32Array.from(idx, (i) => plan.items[i].m),
    reverse: Uint8Array.from(idx, (i) => (plan.items[i].reverse ? 1 : 0)),
    canRefuse: Uint8Array.from(idx, (i) => (plan.items[i].canRefuse ? 1 : 0)),
    cutStart,
    cuts,
  };
  tables.set(plan, t);
  return t;
}

/**
 * Solve b0 so that mean(expit(b0 + eta_i)) = p. The mean is increasing in b0, so the root is kept
 * in a bracket [lo, hi] that shrinks every step; each step is Newton's (derivative mean(p_i (1 -
 * p_i))) when it lands inside the bracket, else bisection. Converges to about 1e-12 in a handful
 * of passes over the sample. Exported for tests.
 */
export function solveIntercept(eta: Float64Array, n: number, p: number): number {
  let lo = -50;
  let hi = 50;
  let etaMean = 0;
  for (let i = 0; i < n; i++) etaMean += eta[i];
  etaMean /= n;
  let b = Math.log(p / (1 - p)) - etaMean;
  if (!(b > lo && b < hi)) b = 0;
  for (let iter = 0; iter < 200; iter++) {
    let s = 0;
    let d = 0;
    for (let i = 0; i < n; i++) {
      const q = expit(b + eta[i]);
      s += q;
      d += q * (1 - q);
    }
    const f = s / n - p;
    if (f < 0) lo = b;
    else hi = b;
    if (Math.abs(f) < 1e-14 || hi - lo < 1e-13) break;
    const step = d > 0 ? (f * n) / d : NaN;
    let next = b - step;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    b = next;
  }
  return b;
}

/**
 * Fill `data` with n simulated respondents drawn from `rng`. Allocation-free apart from small
 * per-call scratch arrays, so `power` can call it thousands of times.
 */
export function simulateInto(plan: SimPlan, rng: Rng, n: number, data: SimData, opts: SimulateOptions = {}): SimData {
  const steps = simulateSteps(plan, rng, n, data, opts);
  for (;;) {
    const s = steps.next();
    if (s.done) return s.value;
  }
}

/** Rows between two pauses of simulateSteps. */
const STEP_ROWS = 8192;

/**
 * simulateInto as an iterator that pauses every STEP_ROWS rows, so a caller can yield to the event
 * loop (Ctrl-C and SIGTERM are handled there) while millions of respondents are drawn.
 */
export function* simulateSteps(plan: SimPlan, rng: Rng, n: number, data: SimData, opts: SimulateOptions = {}): Generator<void, SimData> {
  if (n > data.capacity) throw new RangeError(`simulateInto: n = ${n} exceeds the buffer capacity ${data.capacity}`);
  const { K, chol, items, missing, ci } = plan;
  const nItems = items.length;
  const e = new Float64Array(K);
  const z = new Float64Array(K);
  const row = new Float64Array(nItems).fill(NaN);
  const sc = new Float64Array(K);
  const tab = scaleItemTable(plan);
  data.n = n;
  const cl = plan.clusters > 0 ? drawClusters(plan, rng, n, data) : null;
  const within = cl ? Math.sqrt(1 - plan.traitShare) : 1;

  // Pass 1: latent traits, scale items, scores.
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) e[k] = rng.normal();
    let zs = 0;
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let j = 0; j <= k; j++) s += chol[k * K + j] * e[j];
      if (cl) s = within * s + cl[data.cluster![i] * K + k];
      z[k] = s;
      zs += s;
    }
    data.zbar[i] = K > 0 ? zs / K : 0;
    for (let j = 0; j < tab.count; j++) {
      const ystar = tab.loading[j] * z[tab.scale[j]] + tab.resid[j] * rng.normal() + tab.shift[j];
      const m = tab.m[j];
      const c0 = tab.cutStart[j];
      let c = 0;
      while (c < m - 1 && ystar > tab.cuts[c0 + c]) c++;
      if (tab.reverse[j] === 1) c = m - 1 - c;
      const t = tab.item[j];
      const stored = maybeMissing(rng, missing, tab.canRefuse[j] === 1, c);
      data.cat[t][i] = stored;
      row[t] = stored >= 0 ? items[t].values[stored] : NaN;
    }
    scoreInto(ci, row, sc);
    for (let k = 0; k < K; k++) data.scores[k][i] = sc[k];
    if (i % STEP_ROWS === STEP_ROWS - 1) yield;
  }

  // Outcome: logistic model on the standardised scores, intercept solved for the prevalence.
  const eta = data.eta;
  eta.fill(0, 0, n);
  for (let k = 0; k < K; k++) {
    const b = plan.beta[k];
    if (b === 0) continue;
    const s = data.scores[k];
    // the linear predictor uses each scale standardised on the respondents who have it
    const { mean, sd } = meanSdPresent(s.subarray(0, n));
    if (!(sd > 0)) continue;
    for (let i = 0; i < n; i++) {
      const v = s[i];
      if (v === v) eta[i] += (b * (v - mean)) / sd;
    }
  }
  if (cl) for (let i = 0; i < n; i++) eta[i] += data.clusterEffects![data.cluster![i]];
  const hasOutcome = plan.outcome >= 0;
  data.intercept = hasOutcome && n > 0 ? solveIntercept(eta, n, plan.prevalence) : NaN;
  if (hasOutcome) {
    const oc = data.cat[plan.outcome];
    const op = items[plan.outcome];
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      const y = u < expit(data.intercept + eta[i]) ? 1 : 0;
      if (data.ordinal) data.ordinal[i] = ordinalCategory(data.intercept + eta[i] - Math.log(u / (1 - u)), items[plan.ordinal].m);
      data.truth[i] = y;
      oc[i] = maybeMissing(rng, missing, op.canRefuse, y);
    }
  } else {
    data.truth.fill(0, 0, n);
  }
  if (opts.minimal) return data;

  // Pass 2: the other items in no scale, then demographics.
  for (let i = 0; i < n; i++) {
    const y = data.truth[i];
    const zb = data.zbar[i];
    for (let t = 0; t < nItems; t++) {
      const ip = items[t];
      if (ip.kind !== 'followup' && ip.kind !== 'binary' && ip.kind !== 'ordinal') continue;
      const c = otherItemCategory(ip, y, zb, rng); // drawn in every case: the stream stays the same
      data.cat[t][i] = maybeMissing(rng, missing, ip.canRefuse, t === plan.ordinal ? data.ordinal![i] : c);
    }
    let age = Math.round(52 + 16 * rng.normal());
    if (age < 18) age = 18;
    if (age > 90) age = 90;
    data.age[i] = age;
    data.sex[i] = rng.uniform() < 0.56 ? 0 : 1;
    if (i % STEP_ROWS === STEP_ROWS - 1) yield;
  }
  return data;
}

/** Step 4b's cut points on the latent logit scale: 0, 1, 2, ... (the first is the yes/no outcome's). */
export const ORDINAL_STEP = 1;

/**
 * Category of the ordinal outcome from its latent value y* = b0 + eta - logit(u), u the yes/no
 * outcome's uniform draw: the number of cuts 0, ORDINAL_STEP, 2 ORDINAL_STEP ... below y*, so that
 * category 0 is exactly the negative yes/no outcome and P(Y >= j) = expit(b0 - (j - 1) ORDINAL_STEP + eta):
 * a proportional-odds model with the yes/no model's odds ratios.
 */
export function ordinalCategory(ystar: number, m: number): number {
  let c = 0;
  while (c < m - 1 && ystar > c * ORDINAL_STEP) c++;
  return c;
}

/**
 * Category of an item in no scale other than the outcome (model step 5): a follow-up of the outcome, a
 * two-option or a multi-option item, for a respondent with outcome y and mean latent trait zb.
 */
export function otherItemCategory(ip: ItemPlan, y: number, zb: number, rng: Rng): number {
  if (ip.kind === 'followup') {
    if (y === 0) {
      rng.normal(); // keep the stream aligned whatever the outcome
      return 0;
    }
    const ystar = 0.5 * zb + Math.sqrt(0.75) * rng.normal();
    let c = 0;
    while (c < ip.cuts.length && ystar > ip.cuts[c]) c++;
    return c + 1;
  }
  if (ip.kind === 'binary') return rng.uniform() < expit(-1 + 1.2 * y + 0.3 * zb) ? 1 : 0;
  const ystar = 0.8 * (y - 0.35) + rng.normal();
  let c = 0;
  while (c < ip.cuts.length && ystar > ip.cuts[c]) c++;
  return c;
}

/**
 * Clinician membership and effects (model step 7): fills data.cluster and data.clusterEffects and
 * returns the between-clinician trait components sqrt(s) L c_g, C x K row-major.
 */
function drawClusters(plan: SimPlan, rng: Rng, n: number, data: SimData): Float64Array {
  const { K, chol, clusters: C } = plan;
  const between = Math.sqrt(plan.traitShare);
  const comp = new Float64Array(C * K);
  const c = new Float64Array(K);
  for (let g = 0; g < C; g++) {
    for (let k = 0; k < K; k++) c[k] = rng.normal();
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let j = 0; j <= k; j++) s += chol[k * K + j] * c[j];
      comp[g * K + k] = between * s;
    }
    data.clusterEffects![g] = plan.clusterTau * rng.normal();
  }
  for (let i = 0; i < n; i++) data.cluster![i] = Math.floor((i * C) / n);
  return comp;
}

/** Simulate n respondents from a seed (stream 0 of the seed). */
export function simulate(plan: SimPlan, n: number, seed: number = DEFAULTS.seed): SimData {
  const data = allocSimData(plan, n);
  return simulateInto(plan, new Rng(seed, 0), n, data);
}

/**
 * simulate, calling `pause` (which may yield to the event loop) every few thousand rows, and
 * `onProgress(done, total)` with the steps done out of about 2 n / STEP_ROWS (two passes).
 */
export async function simulatePausing(plan: SimPlan, n: number, seed: number, pause: () => Promise<void>, onProgress?: (done: number, total: number) => void): Promise<SimData> {
  const steps = simulateSteps(plan, new Rng(seed, 0), n, allocSimData(plan, n));
  const total = Math.max(1, 2 * Math.floor(n / STEP_ROWS));
  let done = 0;
  for (;;) {
    const s = steps.next();
    if (s.done) return s.value;
    onProgress?.(++done, total);
    await pause();
  }
}
