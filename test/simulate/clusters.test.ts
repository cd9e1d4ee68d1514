/**
 * Clustered simulation (`simulate --clusters K --icc rho`, src/simulate/generate.ts step 7) and its
 * recovery by the random-intercept logistic model (src/stats/glmm.ts): on 60 clinicians of 50
 * patients, the latent ICC and every trait effect lie inside their 95% intervals in at least 90% of
 * the seeds. All 100 seeds run under FUZZ_LONG=1 (`npm run fuzz`-style long run); the default run
 * uses the first 30 seeds (same threshold) to keep CI time small. Deterministic: fixed seeds.
 */
import { describe, expect, it } from 'vitest';
import { loadInstrument } from '../../src/instrument/load.js';
import { planSimulation, simulate, type SimData, type SimPlan } from '../../src/simulate/generate.js';
import { csvString } from '../../src/simulate/writers.js';
import { fitGlmm, type GlmmFit } from '../../src/stats/glmm.js';
import { oneWayReml, type OneWayFit } from '../../src/stats/icc-oneway.js';

const inst = loadInstrument('relationship-engagement');
const effects = { trust: 2.0, agreement: 1.6, communication: 1.4 };
const RHO = 0.15;

function standardised(x: Float64Array): Float64Array {
  let m = 0;
  for (const v of x) m += v / x.length;
  let ss = 0;
  for (const v of x) ss += (v - m) ** 2;
  const sd = Math.sqrt(ss / (x.length - 1));
  return x.map((v) => (v - m) / sd);
}

function fitSim(plan: SimPlan, d: SimData): GlmmFit {
  const cols = plan.ci.scales.map((_, k) => standardised(d.scores[k].subarray(0, d.n)));
  const y = Float64Array.from(d.truth.subarray(0, d.n));
  const f = fitGlmm({ columns: cols, names: plan.ci.scales.map((s) => s.id), y, cluster: d.cluster!.subarray(0, d.n) });
  if (!f.ok) throw new Error(f.reason);
  return f;
}

describe('clustered simulation', () => {
  const plan = planSimulation(inst, { effects, prevalence: 0.35, missing: 0, clusters: 60, icc: RHO, traitShare: 0.2 });

  it('adds a clinician_id column in every flavour; the unclustered output has none', () => {
    const d = simulate(plan, 120, 7);
    for (const f of ['plain', 'qualtrics', 'redcap', 'limesurvey'] as const) {
      const s = csvString(plan, d, f, 7);
      expect(s, f).toContain('clinician_id');
      expect(s, f).toMatch(/C001/);
      expect(s, f).toMatch(/C060/);
    }
    const flat = planSimulation(inst, { effects, prevalence: 0.35 });
    expect(csvString(flat, simulate(flat, 50, 7), 'plain', 7)).not.toContain('clinician_id');
  });

  it('clinicians of equal size (give or take one), effects with the SD of the latent ICC', () => {
    const d = simulate(plan, 3001, 3);
    const sizes = new Map<number, number>();
    for (const c of d.cluster!.subarray(0, d.n)) sizes.set(c, (sizes.get(c) ?? 0) + 1);
    expect(sizes.size).toBe(60);
    expect(Math.max(...sizes.values()) - Math.min(...sizes.values())).toBeLessThanOrEqual(1);
    expect(plan.clusterTau ** 2 / (plan.clusterTau ** 2 + Math.PI ** 2 / 3)).toBeCloseTo(RHO, 14);
  });

  it('traits have a between-clinician share: the ICC of a scale score is clearly positive', () => {
    const d = simulate(plan, 3000, 5);
    const f = oneWayReml(d.scores[0].subarray(0, d.n), d.cluster!.subarray(0, d.n)) as OneWayFit;
    expect(f.ok).toBe(true);
    expect(f.icc).toBeGreaterThan(0.08);
    expect(f.icc).toBeLessThan(0.3);
  });

  const seeds = process.env.FUZZ_LONG ? 100 : 30;
  it(`60 clusters of 50: ICC and trait effects inside their 95% CIs in >= 90% of ${seeds} seeds`, () => {
    let iccIn = 0;
    const effIn = new Array(plan.K).fill(0);
    for (let seed = 1; seed <= seeds; seed++) {
      const d = simulate(plan, 3000, seed);
      const f = fitSim(plan, d);
      if (f.iccCi && f.iccCi[0] <= RHO && RHO <= f.iccCi[1]) iccIn++;
      plan.ci.scales.forEach((_, k) => {
        const c = f.coefficients[k + 1];
        if (c.ciLow <= plan.beta[k] && plan.beta[k] <= c.ciHigh) effIn[k]++;
      });
    }
    console.log(`coverage over ${seeds} seeds: ICC ${iccIn}, traits ${effIn.join(" ")}`);
    expect(iccIn / seeds).toBeGreaterThanOrEqual(0.9);
    effIn.forEach((v, k) => expect(v / seeds, plan.ci.scales[k].id).toBeGreaterThanOrEqual(0.9));
  });
});
