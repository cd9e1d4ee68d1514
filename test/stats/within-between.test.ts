/**
 * Within/between decomposition and the contextual effect (src/stats/within-between.ts) with the
 * random-intercept model, against glmer (test/reference/within-between-golden.R): estimates to 1e-4
 * relative (floor 1e-4 SE), SEs and the contextual effect's SE to 1e-4, decomposition to 1e-12.
 */
import { describe, expect, it } from 'vitest';
import { contextualEffect, withinBetween } from '../../src/stats/within-between.js';
import { fitGlmm, type GlmmFit } from '../../src/stats/glmm.js';
import { clusterIndex, expectAllRel, expectRel, readCsv, readJson } from './helpers.js';

const R = readJson('within-between-golden.json');

describe('within- and between-clinician effects (glmer golden values)', () => {
  const d = readCsv('cluster.csv');
  const g = clusterIndex(d.str('clinician'));
  const wb = withinBetween(d.num('trust'), g);

  it('splits x into the cluster mean and the deviation from it', () => {
    expectAllRel(wb.between.subarray(0, 5), R.between_first, 1e-12, 'between');
    expectAllRel(wb.within.subarray(0, 5), R.within_first, 1e-12, 'within');
    // deviations sum to 0 within each cluster
    const s = new Map<number, number>();
    g.forEach((c, i) => s.set(c, (s.get(c) ?? 0) + wb.within[i]));
    for (const v of s.values()) expect(Math.abs(v)).toBeLessThan(1e-12);
  });

  it('the hybrid model and the contextual effect (between - within) with its SE', () => {
    const f = fitGlmm({
      columns: [wb.within, wb.between, d.num('age').map((a) => (a - 52) / 10), d.num('female')],
      y: d.num('portal_use'),
      cluster: g,
    }) as GlmmFit;
    expect(f.ok).toBe(true);
    f.coefficients.forEach((c, j) => expect(Math.abs(c.estimate - R.beta[j])).toBeLessThanOrEqual(1e-4 * Math.max(Math.abs(R.beta[j]), R.se[j])));
    expectAllRel(f.coefficients.map((c) => c.se), R.se, 1e-4, 'se');
    expectRel(f.sd, R.sd, 1e-3, 'sd');
    const ctx = contextualEffect(f.coefficients.map((c) => c.estimate), f.vcov, 5, 2, 1);
    expect(Math.abs(ctx.estimate - R.contextual)).toBeLessThanOrEqual(1e-4 * R.contextual_se);
    expectRel(ctx.se, R.contextual_se, 1e-4, 'contextual se');
    expect(ctx.ciLow).toBeLessThan(ctx.estimate);
    expectRel(ctx.ciHigh - ctx.estimate, 1.959963984540054 * ctx.se, 1e-12, 'CI half-width');
  });
});
