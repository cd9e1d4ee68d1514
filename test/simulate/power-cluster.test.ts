/**
 * power --clusters (src/simulate/power-cluster.ts): Kish's design effect, Hsieh's formula at n / DE,
 * and the clustered fit of one simulated data set equal to the random-intercept fit of the same data.
 */
import { describe, expect, it } from 'vitest';
import { loadInstrument } from '../../src/instrument/load.js';
import { allocSimData, planSimulation, simulateInto } from '../../src/simulate/generate.js';
import { designEffect, fitClustered } from '../../src/simulate/power-cluster.js';
import { hsiehPower, ModelFitter, pilotStats, powerBySimulation } from '../../src/simulate/power.js';
import { Rng } from '../../src/simulate/rng.js';
import { designColumns, fitGlmm } from '../../src/stats/glmm.js';
import { distMissing, rapport } from '../helpers/cli.js';

const inst = loadInstrument('relationship-engagement');

describe('clustered power', () => {
  it('design effect 1 + (m - 1) rho', () => {
    expect(designEffect(25, 0.1)).toBeCloseTo(3.4, 12);
    expect(designEffect(1, 0.5)).toBe(1);
    expect(designEffect(40, 0)).toBe(1);
  });

  it('fits the random-intercept model on each data set and gives Hsieh at n / DE', () => {
    const plan = planSimulation(inst, { effects: { trust: 1.6 }, prevalence: 0.3, clusters: 20, icc: 0.2, traitShare: 0.1 });
    const d = allocSimData(plan, 400);
    simulateInto(plan, new Rng(5, 1), 400, d, { minimal: true });
    const fitter = new ModelFitter(plan, 400);
    const got = fitClustered(fitter, d, 0);
    const { X, y } = fitter.design(d);
    const g = fitGlmm({ columns: designColumns(X.data, X.n, X.p), y: Float64Array.from(y), cluster: Int32Array.from(X.rows, (r) => d.cluster![r]) });
    expect(g.ok).toBe(true);
    if (!g.ok) return;
    expect(got.estimate).toBe(g.coefficients[1].estimate);
    expect(got.p).toBe(g.coefficients[1].p);
    expect(g.sd).toBeGreaterThan(0.3);

    const pilot = pilotStats(plan, 9, 4000);
    const deff = (n: number) => designEffect(n / 20, 0.2);
    const [pt] = powerBySimulation({ plan, trait: 0, ns: [200], reps: 6, alpha: 0.05, seed: 9, clustered: { fit: fitClustered, designEffect: deff } }, pilot);
    expect(pt.design_effect).toBeCloseTo(2.8, 12);
    expect(pt.hsieh).toBeCloseTo(hsiehPower((200 * pilot.completeShare) / 2.8, plan.beta[0], pilot.p1, pilot.rho2[0], 0.05), 12);
    expect(pt.failed).toBe(0);
    expect(pt.significant).toBeLessThanOrEqual(6);
  });

  it.skipIf(distMissing())('CLI: --clusters K --cluster-size m1,m2 gives n = K x m with the design effect; --n is refused with it', () => {
    const r = rapport(['power', '-i', 'relationship-engagement', '--effect', 'trust=1.8', '--clusters', '12', '--cluster-size', '10,15', '--icc', '0.2', '--reps', '3', '--seed', '4', '--format', 'json', '--quiet']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.points.map((p: { n: number }) => p.n)).toEqual([120, 180]);
    expect(doc.points.map((p: { design_effect: number }) => p.design_effect)).toEqual([1 + 9 * 0.2, 1 + 14 * 0.2]);
    expect(doc.settings).toMatchObject({ clusters: 12, icc: 0.2 });
    const bad = rapport(['power', '-i', 'relationship-engagement', '--effect', 'trust=1.8', '--clusters', '12', '--cluster-size', '10', '--n', '100']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--n and --clusters do not go together');
  });
});
