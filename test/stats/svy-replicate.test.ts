/**
 * Replicate-weight variance (src/stats/svy-replicate.ts) against survey::svyglm and svymean on
 * svrepdesign(type = "JK1", combined.weights = TRUE) with the 40 published-style replicate weights of
 * test/reference/svy-design.csv (test/reference/svy-design-golden.R): mse = FALSE (survey's default)
 * and mse = TRUE, estimates 1e-8, covariance and SEs 1e-6.
 */
import { describe, expect, it } from 'vitest';
import { replicateScale, replicateVcov, svyLogisticReplicate, svyMeanReplicate } from '../../src/stats/svy-replicate.js';
import type { SvyFit } from '../../src/stats/svyglm.js';
import { expectAllRel, expectRel, readCsv, readJson } from './helpers.js';

const R = readJson('svy-design-golden.json');
const d = readCsv('svy-design.csv');
const reps = d.header.filter((h) => /^repw\d+$/.test(h)).map((h) => d.num(h));
const base = {
  columns: [d.num('trust'), d.num('communication'), d.num('age').map((a) => (a - 52) / 10), d.num('female')],
  y: d.num('portal_use'),
  weights: d.num('weight'),
  replicates: reps,
};

describe('replicate weights (svrepdesign JK1 golden values)', () => {
  for (const [key, mse] of [['rep', false], ['rep_mse', true]] as const) {
    it(`svyglm, mse = ${mse}`, () => {
      const f = svyLogisticReplicate(base, { type: 'jk1', mse });
      expect(f.ok).toBe(true);
      const fit = f as SvyFit;
      expectAllRel(fit.coefficients.map((c) => c.estimate), R[key].beta, 1e-8, 'beta');
      expectAllRel(fit.vcov, R[key].vcov, 1e-6, 'vcov');
      expectAllRel(fit.coefficients.map((c) => c.se), R[key].se, 1e-6, 'se');
      expect(fit.df).toBe(R[key].df);
    });
    it(`svymean, mse = ${mse}`, () => {
      for (const [k, v] of ['portal_use', 'score'].entries()) {
        const m = svyMeanReplicate(d.num(v), base.weights, reps, { type: 'jk1', mse });
        expect(m.ok).toBe(true);
        if (!m.ok) return;
        expectRel(m.mean, R[key].mean[k], 1e-10, `${v} mean`);
        expectRel(m.se, R[key].mean_se[k], 1e-8, `${v} se`);
      }
    });
  }

  it('JK1 scale is (R-1)/R, as survey', () => expect(replicateScale('jk1', reps.length)).toBeCloseTo(R.rep.scale, 12));

  it('hand-computed variance: three replicates of one estimate', () => {
    // thetas 1, 2, 4: mean 7/3; deviations -4/3, -1/3, 5/3; sum of squares 42/9; times 2/3
    const v = replicateVcov(Float64Array.of(1, 2, 4), 3, 1, [2], 2 / 3);
    expectRel(v[0], (2 / 3) * (42 / 9), 1e-14, 'about the mean');
    const m = replicateVcov(Float64Array.of(1, 2, 4), 3, 1, [2], 2 / 3, true);
    expectRel(m[0], (2 / 3) * (1 + 0 + 4), 1e-14, 'about the estimate (mse)');
  });

  it('bad replicate weights are a failure, not a number', () => {
    const bad = reps.map((w) => Float64Array.from(w));
    bad[3][5] = -1;
    const f = svyLogisticReplicate({ ...base, replicates: bad });
    expect(f.ok).toBe(false);
    if (!f.ok) expect(f.reason).toMatch(/Replicate 4, row 6/);
    expect(svyMeanReplicate(base.y, base.weights, [reps[0]]).ok).toBe(false);
  });
});
