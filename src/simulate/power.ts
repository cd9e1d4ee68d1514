/**
 * Power by simulation, with Hsieh's closed-form approximation as a cross-check. Pure (no I/O).
 *
 * Simulation. For each sample size n and each replicate r, a data set of n respondents is drawn
 * (generator stream `n * 2^20 + r` of the seed, so a grid point's result does not depend on the
 * other points of the grid) and the report's adjusted model is fitted to it: the respondents with
 * the outcome and every scale score, each scale standardised on them (mean 0, sample SD 1), a
 * logistic regression of the outcome on all scales. Like `report --method auto`, maximum likelihood
 * is used unless it fails to converge or hits fitted probabilities of 0 or 1 and the linear-programming
 * check then finds separation, in which case Firth's fit is used. The replicate counts as a
 * detection when the named trait's two-sided Wald p-value is below alpha; a data set on which no
 * model can be fitted (for example one outcome class in a tiny sample) counts as no detection and is
 * reported in `failed`. Power = detections / reps, with the Wilson score 95% interval.
 *
 * Closed form: Hsieh (1989), "Sample size tables for logistic regression", Stat Med 8:795-802,
 * eq. (2) for one standard-normal predictor X (a standardised scale score), with the two-sided
 * z_{1-α/2} in place of the one-sided z_{1-α}:
 *     n₁ = (z_{1-α/2} + z_{1-β} e^{-β*²/4})² (1 + 2 P₁ δ) / (P₁ β*²),
 *     δ = (1 + (1 + β*²) e^{5β*²/4}) / (1 + e^{-β*²/4}),
 * where β* = ln(OR per 1 SD) and P₁ the outcome probability at the mean of X (here: every score at
 * its mean, expit(b0) of the generating model). Correlated covariates are allowed for by the
 * variance-inflation factor of Hsieh, Bloch & Larsen (1998), Stat Med 17:1623-34, eq. (5):
 * n = n₁ / (1 - ρ²), ρ² the squared multiple correlation of the trait's score with the other scale
 * scores. Solved for power at a given n:
 *     power = Φ((√(n (1 - ρ²) P₁ β*² / (1 + 2 P₁ δ)) - z_{1-α/2}) / e^{-β*²/4}).
 * n is the expected number of respondents in the model (n times the share with the outcome and
 * every score); ρ², P₁ and that share are estimated on a pilot sample of 20,000 from the same model.
 * The simpler Hsieh et al. (1998) eq. (1), n₁ = (z_{1-α/2} + z_{1-β})² / (P (1 - P) β*²), is given
 * too (`hsieh_1998`); it uses the null variance under the alternative and is optimistic for
 * moderate effects. Both formulas ignore the other traits' effects on the outcome's variance, so
 * with strong co-predictors they overstate power; the simulation is the answer, the formulas a
 * sanity check.
 */
import { pNormal, qNormal } from '../stats/distributions.js';
import { fitLogistic, type LogisticOptions } from '../stats/logistic.js';
import type { DesignMatrix, DesignTerm } from '../stats/design.js';
import { detectSeparation } from '../stats/separation.js';
import { firthDecision } from '../stats/firth-decision.js';
import { invertSpd } from '../stats/linalg.js';
import { wilson } from '../stats/proportion.js';
import { standardiseColumn } from '../stats/standardise.js';
import { allocSimData, simulateInto, simulateSteps, type SimData, type SimPlan } from './generate.js';
import { Rng } from './rng.js';

/** Seed stream of replicate r at sample size n. */
export function replicateStream(n: number, r: number): number {
  return n * 1048576 + r;
}

/** Hsieh (1989) δ for a standard-normal predictor with log odds ratio b. */
function hsiehDelta(b: number): number {
  const b2 = b * b;
  return (1 + (1 + b2) * Math.exp((5 * b2) / 4)) / (1 + Math.exp(-b2 / 4));
}

/**
 * Hsieh (1989) power for a standardised predictor, with the VIF adjustment (see module doc).
 * @param n respondents in the model  @param logOr ln(OR per SD)  @param p1 outcome probability at
 * the predictor's mean  @param rho2 squared multiple correlation with the other predictors
 */
export function hsiehPower(n: number, logOr: number, p1: number, rho2: number, alpha: number): number {
  const b2 = logOr * logOr;
  if (b2 === 0) return alpha;
  const za = qNormal(1 - alpha / 2);
  const a = Math.sqrt((n * (1 - rho2) * p1 * b2) / (1 + 2 * p1 * hsiehDelta(logOr)));
  return pNormal((a - za) / Math.exp(-b2 / 4));
}

/** Hsieh (1989) sample size (respondents in the model) for a given power, with the VIF adjustment. */
export function hsiehSampleSize(power: number, logOr: number, p1: number, rho2: number, alpha: number): number {
  const b2 = logOr * logOr;
  const za = qNormal(1 - alpha / 2);
  const zb = qNormal(power);
  const t = za + zb * Math.exp(-b2 / 4);
  return (t * t * (1 + 2 * p1 * hsiehDelta(logOr))) / (p1 * b2 * (1 - rho2));
}

/** Hsieh, Bloch & Larsen (1998) eq. (1) power with the VIF adjustment: Φ(|b| √(n (1-ρ²) P (1-P)) - z). */
export function hsieh1998Power(n: number, logOr: number, prevalence: number, rho2: number, alpha: number): number {
  const za = qNormal(1 - alpha / 2);
  return pNormal(Math.abs(logOr) * Math.sqrt(n * (1 - rho2) * prevalence * (1 - prevalence)) - za);
}

/** The report's adjusted model on one simulated data set, reusing buffers between calls. */
export class ModelFitter {
  private readonly K: number;
  private readonly names: string[];
  private readonly terms: DesignTerm[];
  private data: Float64Array;
  private y: Float64Array;
  private rows: Uint32Array;

  constructor(private readonly plan: SimPlan, capacity: number) {
    this.K = plan.K;
    this.names = ['(Intercept)', ...plan.ci.scales.map((s) => s.id)];
    this.terms = [{ name: '(Intercept)', kind: 'intercept', columns: [0] }, ...plan.ci.scales.map((s, k) => ({ name: s.id, kind: 'numeric' as const, columns: [k + 1] }))];
    this.data = new Float64Array(capacity * (this.K + 1));
    this.y = new Float64Array(capacity);
    this.rows = new Uint32Array(capacity);
  }

  /** Complete cases, standardised scales; returns the design (views into reused buffers) and outcome. */
  design(d: SimData): { X: DesignMatrix; y: Float64Array } {
    const K = this.K;
    const p = K + 1;
    const oc = d.cat[this.plan.outcome];
    let m = 0;
    for (let i = 0; i < d.n; i++) {
      if (oc[i] < 0) continue;
      let ok = true;
      for (let k = 0; k < K && ok; k++) if (Number.isNaN(d.scores[k][i])) ok = false;
      if (!ok) continue;
      this.rows[m] = i;
      this.y[m] = oc[i];
      const base = m * p;
      this.data[base] = 1;
      for (let k = 0; k < K; k++) this.data[base + k + 1] = d.scores[k][i];
      m++;
    }
    for (let k = 1; k <= K; k++) standardiseColumn(this.data, m, p, k);
    const X: DesignMatrix = {
      n: m,
      p,
      names: this.names,
      data: this.data.subarray(0, m * p),
      terms: this.terms,
      hasIntercept: true,
      rows: this.rows.subarray(0, m),
      nDropped: d.n - m,
    };
    return { X, y: this.y.subarray(0, m) };
  }

  /**
   * Fit as `report --method auto` does and return the Wald p-value of scale `trait` (NaN when no
   * model can be fitted), its estimate, and the method used.
   */
  fit(d: SimData, trait: number): { p: number; estimate: number; se: number; method: 'ml' | 'firth' | 'none'; n: number } {
    const { X, y } = this.design(d);
    const base: LogisticOptions = { termTests: false, diagnostics: false, separationCheck: false };
    let res = fitLogistic(X, y, base);
    if (!res.ok) return { p: NaN, estimate: NaN, se: NaN, method: 'none', n: X.n };
    let method: 'ml' | 'firth' = 'ml';
    if (firthDecision(res, () => detectSeparation(X, y)).useFirth) {
      const f = fitLogistic(X, y, { ...base, method: 'firth' });
      if (!f.ok) return { p: NaN, estimate: NaN, se: NaN, method: 'none', n: X.n };
      res = f;
      method = 'firth';
    }
    const c = res.coefficients[trait + 1];
    return { p: c.p, estimate: c.estimate, se: c.se, method, n: X.n };
  }
}

export interface PowerSpec {
  plan: SimPlan;
  /** Scale index of the trait whose effect is tested. */
  trait: number;
  ns: number[];
  reps: number;
  alpha: number;
  seed: number;
  /**
   * A clustered design (power --clusters; power-cluster.ts): the model fitted to each data set (in
   * place of ModelFitter.fit) and the design effect at n, which divides n in Hsieh's formulas.
   */
  clustered?: { fit: (fitter: ModelFitter, d: SimData, trait: number) => ReturnType<ModelFitter['fit']>; designEffect: (n: number) => number };
}

export interface PowerPoint {
  n: number;
  power: number;
  ci_low: number;
  ci_high: number;
  reps: number;
  significant: number;
  /** Replicates where no model could be fitted (counted as not significant). */
  failed: number;
  /** Replicates fitted with Firth's method (separation or non-convergence under ML). */
  firth: number;
  /** Mean number of respondents in the model. */
  mean_model_n: number;
  /** Hsieh (1989) approximation (VIF-adjusted) at the expected model n. */
  hsieh: number;
  /** Hsieh, Bloch & Larsen (1998) eq. (1) approximation (VIF-adjusted) at the expected model n. */
  hsieh_1998: number;
  /** Clustered designs: the design effect 1 + (m - 1) rho dividing n in both formulas. */
  design_effect?: number;
}

export interface PilotStats {
  /** Squared multiple correlation of each scale score with the other scale scores. */
  rho2: Float64Array;
  /** Share of respondents with the outcome and every scale score (in the model). */
  completeShare: number;
  /** Realised outcome prevalence among those respondents. */
  prevalence: number;
  /** Outcome probability with every score at its mean: expit(b0) of the generating model. */
  p1: number;
  n: number;
}

/**
 * ρ² of every scale score with the others, P₁, and the complete-case share, on one large pilot sample
 * (generator stream 2^52 + 1 of the seed): R²_j = 1 - 1 / (C⁻¹)_jj with C the correlation matrix of
 * the scores among complete cases.
 */
export function pilotStats(plan: SimPlan, seed: number, n = 20000): PilotStats {
  const d = allocSimData(plan, n);
  simulateInto(plan, new Rng(seed, 4503599627370497), n, d, { minimal: true });
  const K = plan.K;
  const fitter = new ModelFitter(plan, n);
  const { X, y } = fitter.design(d);
  const m = X.n;
  const p = X.p;
  // correlation matrix of standardised columns = X'X / (m - 1)
  const C = new Float64Array(K * K);
  for (let r = 0; r < m; r++) for (let a = 0; a < K; a++) for (let b = 0; b <= a; b++) C[a * K + b] += X.data[r * p + a + 1] * X.data[r * p + b + 1];
  for (let a = 0; a < K; a++) for (let b = 0; b <= a; b++) C[b * K + a] = C[a * K + b] /= m - 1;
  const inv = invertSpd(C, K);
  const rho2 = new Float64Array(K);
  for (let j = 0; j < K; j++) rho2[j] = inv ? Math.max(0, 1 - 1 / inv[j * K + j]) : NaN;
  let ev = 0;
  for (let r = 0; r < m; r++) ev += y[r];
  return { rho2, completeShare: m / n, prevalence: m > 0 ? ev / m : NaN, p1: 1 / (1 + Math.exp(-d.intercept)), n };
}

/**
 * The simulation as an iterator: yields after every replicate (so a caller can draw progress and
 * let the event loop breathe) and returns the power curve.
 */
export function* powerSteps(spec: PowerSpec, pilot: PilotStats): Generator<{ done: number; total: number }, PowerPoint[]> {
  const { plan, trait, reps, alpha, seed } = spec;
  if (plan.outcome < 0) throw new RangeError('powerSteps: the plan has no outcome item');
  const ns = [...spec.ns];
  const maxN = Math.max(...ns);
  const data = allocSimData(plan, maxN);
  const fitter = new ModelFitter(plan, maxN);
  const rng = new Rng(seed, 0);
  const total = ns.length * reps;
  let done = 0;
  const points: PowerPoint[] = [];
  const beta = plan.beta[trait];
  for (const n of ns) {
    let sig = 0;
    let failed = 0;
    let firth = 0;
    let nSum = 0;
    for (let r = 0; r < reps; r++) {
      rng.reseed(seed, replicateStream(n, r));
      // Pauses inside a large data set too, so the caller can let Ctrl-C and SIGTERM through.
      for (const _ of simulateSteps(plan, rng, n, data, { minimal: true })) yield { done, total };
      const f = spec.clustered ? spec.clustered.fit(fitter, data, trait) : fitter.fit(data, trait);
      nSum += f.n;
      if (f.method === 'none') failed++;
      else {
        if (f.method === 'firth') firth++;
        if (f.p < alpha) sig++;
      }
      done++;
      yield { done, total };
    }
    const ci = wilson(sig, reps)!; // reps >= 1 (--reps is a positive count)
    const deff = spec.clustered ? spec.clustered.designEffect(n) : 1;
    points.push({
      n,
      power: sig / reps,
      ci_low: ci.low,
      ci_high: ci.high,
      reps,
      significant: sig,
      failed,
      firth,
      mean_model_n: nSum / reps,
      hsieh: hsiehPower((n * pilot.completeShare) / deff, beta, pilot.p1, pilot.rho2[trait], alpha),
      hsieh_1998: hsieh1998Power((n * pilot.completeShare) / deff, beta, plan.prevalence, pilot.rho2[trait], alpha),
      ...(spec.clustered ? { design_effect: deff } : {}),
    });
  }
  return points;
}

/** Run the whole simulation synchronously. */
export function powerBySimulation(spec: PowerSpec, pilot: PilotStats = pilotStats(spec.plan, spec.seed)): PowerPoint[] {
  const it = powerSteps(spec, pilot);
  for (;;) {
    const s = it.next();
    if (s.done) return s.value;
  }
}

/** Smallest n of the grid whose estimated power reaches `target` (points sorted by n), or null. */
export function smallestAdequateN(points: PowerPoint[], target = 0.8): number | null {
  for (const p of [...points].sort((a, b) => a.n - b.n)) if (p.power >= target) return p.n;
  return null;
}
