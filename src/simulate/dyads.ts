/**
 * Synthetic patient–clinician pairs (issue 15): one patient form and one clinician form per visit, with a
 * known truth for the dyad report. Pure: two instruments, options and a seed in; columns out.
 *
 * The model, exactly:
 * 1. Visits i = 0..n-1; clinician g(i) = floor(i G / n) with G = ceil(n / perClinician) clinicians
 *    (equal panels, give or take one). Before the visits, every clinician draws a trait vector u_g = L e.
 * 2. Patient traits z^P = L e (one per patient scale; L the Cholesky factor of the exchangeable
 *    correlation `correlation`). Clinician traits, per clinician scale: with a patient scale of the same
 *    id, z^C = ρ z^P + sqrt(1 - ρ²) w, else z^C = w, where w = sqrt(1 - τ) (L e')_k + sqrt(τ) u_g,k
 *    (τ = clinicianShare: the part of the clinician's rating that is the clinician's own style). So
 *    corr(z^P, z^C) = ρ = `pairCorrelation` and every trait has variance 1.
 * 3. Scale items of both forms exactly as `simulate` draws them (generate.ts step 2: loadings, favourable
 *    shifts, equal-probability cuts, reverse-keyed answers stored mirrored), with the same non-response.
 * 4. Paired items (`pair:` keys on both forms): the patient's answer is option j with probability
 *    proportional to 1 / (j + 1); the clinician gives the same option with probability `concordance`,
 *    otherwise another option drawn with the same weights. So the expected percent agreement is
 *    `concordance` (before non-response).
 * 5. Scores P and C of each trait as `rapport score` computes them; in units of their pooled SD s (of the
 *    complete P and C values together) centred at the scale midpoint m: p = (P - m) / s, c = (C - m) / s.
 * 6. Outcome (the patient form's first two-option item in no scale): logit = b0 + Σ_traits (b1 p + b2 c +
 *    b3 p² + b4 p c + b5 c²), from the surface quantities put in per trait (log odds ratios per SD):
 *    a1 (agreement), a3 (disagreement), a2, a4 (their curvatures), with b1 = (a1 + a3) / 2,
 *    b2 = (a1 - a3) / 2, b4 = (a2 - a4) / 2, b3 = b5 = (a2 + a4) / 4; a pair with a missing score adds 0.
 *    b0 is solved so that the mean probability is `prevalence`.
 * 7. The patient form's other items and age/sex as in generate.ts steps 5 and 6.
 */
import { UsageError } from '../errors.js';
import type { Instrument } from '../instrument/types.js';
import { checkPairs } from '../instrument/pairs.js';
import { scoreInto } from '../scoring/score.js';
import { EMPTY, maybeMissing, otherItemCategory, planSimulation, solveIntercept, type ItemPlan, type SimPlan } from './generate.js';
import { Rng } from './rng.js';

export const DYAD_DEFAULTS = { pairCorrelation: 0.4, concordance: 0.7, perClinician: 8, clinicianShare: 0.3 } as const;

/** Surface quantities put in for one trait, as log odds ratios per pooled SD (0 when absent). */
export interface SurfaceTruth {
  agreement: number;
  disagreement: number;
  agreementCurvature: number;
  disagreementCurvature: number;
}

export interface DyadOptions {
  effects?: Record<string, Partial<SurfaceTruth>>;
  prevalence?: number;
  correlation?: number;
  missing?: number;
  pairCorrelation?: number;
  concordance?: number;
  perClinician?: number;
  clinicianShare?: number;
}

export interface DyadTrait {
  id: string;
  /** Scale index on the patient and the clinician form. */
  p: number;
  c: number;
  midpoint: number;
  truth: SurfaceTruth;
  /** b1..b5 in pooled-SD units. */
  b: Float64Array;
}

export interface DyadPlan {
  patient: SimPlan;
  clinician: SimPlan;
  traits: DyadTrait[];
  /** Item index pairs [patient item, clinician item] of the paired items. */
  pairs: [number, number][];
  /** Clinician scale k → patient scale index, or -1. */
  match: Int32Array;
  pairCorrelation: number;
  concordance: number;
  perClinician: number;
  clinicianShare: number;
}

function checkProportion(x: number, flag: string, what: string, example: string, open: boolean): void {
  if (!(open ? x > 0 && x < 1 : x >= 0 && x <= 1)) throw new UsageError(`${flag} ${x}: ${what} must be ${open ? 'strictly between 0 and 1' : 'between 0 and 1'}, e.g. ${flag} ${example}.`);
}

/** b1..b5 from the surface quantities (model step 6). */
export function surfaceCoefficients(t: SurfaceTruth): Float64Array {
  const q = (t.agreementCurvature + t.disagreementCurvature) / 4;
  return Float64Array.of((t.agreement + t.disagreement) / 2, (t.agreement - t.disagreement) / 2, q, (t.agreementCurvature - t.disagreementCurvature) / 2, q);
}

export function planDyads(patientInst: Instrument, clinicianInst: Instrument, opts: DyadOptions = {}): DyadPlan {
  const base = { prevalence: opts.prevalence, correlation: opts.correlation, missing: opts.missing };
  const patient = planSimulation(patientInst, base);
  const clinician = planSimulation(clinicianInst, base);
  const pairCorrelation = opts.pairCorrelation ?? DYAD_DEFAULTS.pairCorrelation;
  const concordance = opts.concordance ?? DYAD_DEFAULTS.concordance;
  const perClinician = opts.perClinician ?? DYAD_DEFAULTS.perClinician;
  const clinicianShare = opts.clinicianShare ?? DYAD_DEFAULTS.clinicianShare;
  if (!(pairCorrelation > -1 && pairCorrelation < 1)) throw new UsageError(`--pair-correlation ${pairCorrelation}: the patient–clinician correlation must be between -1 and 1 (exclusive), e.g. --pair-correlation 0.4.`);
  checkProportion(concordance, '--concordance', 'the agreement rate on paired items', '0.7', false);
  checkProportion(clinicianShare, '--clinician-share', "the clinician's own share of their ratings", '0.3', false);
  if (!(Number.isInteger(perClinician) && perClinician >= 1)) throw new UsageError(`--per-clinician ${perClinician}: give a whole number of visits per clinician, e.g. --per-clinician 8.`);
  if (patient.outcome < 0 && Object.keys(opts.effects ?? {}).length) throw new UsageError(`--effect: instrument ${patientInst.id} has no two-option item outside its scales to serve as the outcome; drop --effect.`);
  const pScales = patient.ci.scales.map((s) => s.id);
  const match = Int32Array.from(clinician.ci.scales, (s) => pScales.indexOf(s.id));
  const traits: DyadTrait[] = [];
  for (const [id, e] of Object.entries(opts.effects ?? {})) {
    const c = clinician.ci.scales.findIndex((s) => s.id === id);
    if (c < 0 || match[c] < 0) {
      const both = clinician.ci.scales.filter((_, k) => match[k] >= 0).map((s) => s.id);
      throw new UsageError(`--effect ${id}.…: "${id}" is not a scale of both forms (${patientInst.id} and ${clinicianInst.id}); paired traits are ${both.join(', ')}.`);
    }
    const truth: SurfaceTruth = { agreement: 0, disagreement: 0, agreementCurvature: 0, disagreementCurvature: 0, ...e };
    const sc = patient.ci.scales[match[c]];
    traits.push({ id, p: match[c], c, midpoint: (sc.lo + sc.hi) / 2, truth, b: surfaceCoefficients(truth) });
  }
  const pc = checkPairs(patientInst, clinicianInst);
  if (pc.problems.length) throw new UsageError(`${clinicianInst.id}: ${pc.problems[0].path}: ${pc.problems[0].message}.`);
  const pairs = pc.pairs.map((p): [number, number] => [p.aIndex, p.bIndex]);
  return { patient, clinician, traits, pairs, match, pairCorrelation, concordance, perClinician, clinicianShare };
}

/** One form's answers in columns (as SimData: option index, EMPTY or REFUSED) and its scale scores. */
export interface FormData {
  cat: Int16Array[];
  scores: Float64Array[];
}

export interface DyadData {
  n: number;
  clinicians: number;
  /** Clinician index per visit. */
  clinicianOf: Int32Array;
  patient: FormData;
  clinician: FormData;
  /** The patient's outcome before non-response, and the solved intercept. */
  truth: Uint8Array;
  intercept: number;
  /** Pooled SD of each effect trait's scores (plan.traits order). */
  pooledSd: Float64Array;
  age: Int16Array;
  sex: Uint8Array;
}

function allocForm(plan: SimPlan, n: number): FormData {
  return { cat: plan.items.map(() => new Int16Array(n).fill(EMPTY)), scores: plan.ci.scales.map(() => new Float64Array(n)) };
}

/** A scale item's category from its latent trait value (generate.ts step 2). */
function scaleCategory(ip: ItemPlan, z: number, rng: Rng): number {
  const ystar = ip.loading * z + Math.sqrt(1 - ip.loading * ip.loading) * rng.normal() + ip.shift;
  let c = 0;
  while (c < ip.m - 1 && ystar > ip.cuts[c]) c++;
  return ip.reverse ? ip.m - 1 - c : c;
}

/** Option j with probability proportional to 1 / (j + 1), never `skip`. */
function pairedCategory(m: number, rng: Rng, skip = -1): number {
  let total = 0;
  for (let j = 0; j < m; j++) if (j !== skip) total += 1 / (j + 1);
  let u = rng.uniform() * total;
  for (let j = 0; j < m; j++) {
    if (j === skip) continue;
    u -= 1 / (j + 1);
    if (u < 0) return j;
  }
  return skip === m - 1 ? m - 2 : m - 1;
}

/** Fill one form's scale items of visit i from latent traits z, and score them. */
function fillScales(plan: SimPlan, form: FormData, i: number, z: Float64Array, rng: Rng, row: Float64Array, sc: Float64Array): void {
  plan.items.forEach((ip, t) => {
    if (ip.kind !== 'scale') return;
    const stored = maybeMissing(rng, plan.missing, ip.canRefuse, scaleCategory(ip, z[ip.scale], rng));
    form.cat[t][i] = stored;
    row[t] = stored >= 0 ? ip.values[stored] : NaN;
  });
  scoreInto(plan.ci, row, sc);
  for (let k = 0; k < sc.length; k++) form.scores[k][i] = sc[k];
}

/** Correlated latent vector L e into out. */
function latent(chol: Float64Array, K: number, rng: Rng, out: Float64Array): Float64Array {
  const e = new Float64Array(K);
  for (let k = 0; k < K; k++) e[k] = rng.normal();
  for (let k = 0; k < K; k++) {
    let s = 0;
    for (let j = 0; j <= k; j++) s += chol[k * K + j] * e[j];
    out[k] = s;
  }
  return out;
}

/** Model steps 1-4 for every visit: traits, scale items and paired items of both forms. */
function drawForms(plan: DyadPlan, d: DyadData, rng: Rng, zbar: Float64Array): void {
  const P = plan.patient;
  const C = plan.clinician;
  const Kp = P.ci.scales.length;
  const Kc = C.ci.scales.length;
  const style = new Float64Array(d.clinicians * Kc);
  const u = new Float64Array(Kc);
  for (let g = 0; g < d.clinicians; g++) style.set(latent(C.chol, Kc, rng, u), g * Kc);
  const zp = new Float64Array(Math.max(Kp, 1));
  const zc = new Float64Array(Math.max(Kc, 1));
  const rowP = new Float64Array(P.items.length).fill(NaN);
  const rowC = new Float64Array(C.items.length).fill(NaN);
  const scP = new Float64Array(Kp);
  const scC = new Float64Array(Kc);
  const rho = plan.pairCorrelation;
  const own = Math.sqrt(1 - plan.clinicianShare);
  const shared = Math.sqrt(plan.clinicianShare);
  for (let i = 0; i < d.n; i++) {
    const g = d.clinicianOf[i];
    latent(P.chol, Kp, rng, zp);
    latent(C.chol, Kc, rng, zc);
    for (let k = 0; k < Kc; k++) {
      const w = own * zc[k] + shared * style[g * Kc + k];
      zc[k] = plan.match[k] >= 0 ? rho * zp[plan.match[k]] + Math.sqrt(1 - rho * rho) * w : w;
    }
    let zs = 0;
    for (let k = 0; k < Kp; k++) zs += zp[k];
    zbar[i] = Kp > 0 ? zs / Kp : 0;
    fillScales(P, d.patient, i, zp, rng, rowP, scP);
    fillScales(C, d.clinician, i, zc, rng, rowC, scC);
    for (const [tp, tc] of plan.pairs) {
      const m = P.items[tp].m;
      const a = pairedCategory(m, rng);
      const b = rng.uniform() < plan.concordance ? a : pairedCategory(m, rng, a);
      d.patient.cat[tp][i] = maybeMissing(rng, P.missing, P.items[tp].canRefuse, a);
      d.clinician.cat[tc][i] = maybeMissing(rng, C.missing, C.items[tc].canRefuse, b);
    }
  }
}

/** Model steps 5-6: the surface's linear predictor per visit (without b0), and the pooled SDs. */
function surfaceEta(plan: DyadPlan, d: DyadData): Float64Array {
  const eta = new Float64Array(d.n);
  plan.traits.forEach((t, q) => {
    const P = d.patient.scores[t.p];
    const C = d.clinician.scores[t.c];
    let sum = 0;
    let cnt = 0;
    for (let i = 0; i < d.n; i++) if (P[i] === P[i] && C[i] === C[i]) {
      sum += P[i] + C[i];
      cnt += 2;
    }
    const mean = sum / cnt;
    let ss = 0;
    for (let i = 0; i < d.n; i++) if (P[i] === P[i] && C[i] === C[i]) ss += (P[i] - mean) ** 2 + (C[i] - mean) ** 2;
    const s = Math.sqrt(ss / (cnt - 1));
    d.pooledSd[q] = s;
    const b = t.b;
    for (let i = 0; i < d.n; i++) {
      if (!(P[i] === P[i] && C[i] === C[i]) || !(s > 0)) continue;
      const p = (P[i] - t.midpoint) / s;
      const c = (C[i] - t.midpoint) / s;
      eta[i] += b[0] * p + b[1] * c + b[2] * p * p + b[3] * p * c + b[4] * c * c;
    }
  });
  return eta;
}

/** Simulate n visits (one patient form and one clinician form each) from a seed. */
export function simulateDyads(plan: DyadPlan, n: number, seed: number): DyadData {
  const rng = new Rng(seed, 0);
  const G = Math.ceil(n / plan.perClinician);
  const d: DyadData = {
    n,
    clinicians: G,
    clinicianOf: Int32Array.from({ length: n }, (_, i) => Math.floor((i * G) / n)),
    patient: allocForm(plan.patient, n),
    clinician: allocForm(plan.clinician, n),
    truth: new Uint8Array(n),
    intercept: NaN,
    pooledSd: new Float64Array(plan.traits.length),
    age: new Int16Array(n),
    sex: new Uint8Array(n),
  };
  const zbar = new Float64Array(n);
  drawForms(plan, d, rng, zbar);
  const P = plan.patient;
  const eta = surfaceEta(plan, d);
  if (P.outcome >= 0 && n > 0) {
    d.intercept = solveIntercept(eta, n, P.prevalence);
    for (let i = 0; i < n; i++) {
      const x = d.intercept + eta[i];
      d.truth[i] = rng.uniform() < 1 / (1 + Math.exp(-x)) ? 1 : 0;
      d.patient.cat[P.outcome][i] = maybeMissing(rng, P.missing, P.items[P.outcome].canRefuse, d.truth[i]);
    }
  }
  const paired = new Set(plan.pairs.map(([tp]) => tp));
  for (let i = 0; i < n; i++) {
    P.items.forEach((ip, t) => {
      if (paired.has(t) || (ip.kind !== 'followup' && ip.kind !== 'binary' && ip.kind !== 'ordinal')) return;
      d.patient.cat[t][i] = maybeMissing(rng, P.missing, ip.canRefuse, otherItemCategory(ip, d.truth[i], zbar[i], rng));
    });
    d.age[i] = Math.min(90, Math.max(18, Math.round(52 + 16 * rng.normal())));
    d.sex[i] = rng.uniform() < 0.56 ? 0 : 1;
  }
  return d;
}
