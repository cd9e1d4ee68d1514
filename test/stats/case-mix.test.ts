/**
 * CAHPS-style case-mix adjusted clinician means (src/stats/case-mix.ts) against an R implementation of
 * the same formulas (test/reference/case-mix-golden.R; b and Var(b) there come from lm with clinician
 * fixed effects, the reliability from lmer): adjusted means, variances, CIs, deltas and t to 1e-8,
 * the reliability to 1e-4 (REML optimum), ratings exactly.
 */
import { describe, expect, it } from 'vitest';
import { caseMixAdjust, type CaseMixResult } from '../../src/stats/case-mix.js';
import { clusterIndex, expectAllRel, expectRel, readCsv, readJson } from './helpers.js';

const R = readJson('case-mix-golden.json');
const d = readCsv('cluster.csv');
const g = clusterIndex(d.str('clinician'));
const adj = [d.num('age').map((a) => (a - 52) / 10), d.num('female')];

function check(res: ReturnType<typeof caseMixAdjust>, ref: any, label: string): CaseMixResult {
  expect(res.ok, label).toBe(true);
  const r = res as CaseMixResult;
  expectAllRel(r.b, ref.b, 1e-8, `${label} b`);
  expectAllRel(r.bVcov, ref.b_vcov, 1e-8, `${label} Var(b)`);
  expectRel(r.residualVariance, ref.s2, 1e-8, `${label} s2`);
  expectRel(r.reference, ref.reference, 1e-8, `${label} reference`);
  const c = r.clusters;
  expect(c.map((x) => x.n)).toEqual(ref.n);
  expectAllRel(c.map((x) => x.mean), ref.mean, 1e-8, `${label} mean`);
  expectAllRel(c.map((x) => x.adjusted), ref.adjusted, 1e-8, `${label} adjusted`);
  expectAllRel(c.map((x) => x.variance), ref.variance, 1e-8, `${label} variance`);
  expectAllRel(c.map((x) => x.ciLow), ref.ci_low, 1e-8, `${label} ci low`);
  expectAllRel(c.map((x) => x.ciHigh), ref.ci_high, 1e-8, `${label} ci high`);
  expectAllRel(c.map((x) => x.delta), ref.delta, 1e-8, `${label} delta`);
  expectAllRel(c.map((x) => x.t), ref.t, 1e-8, `${label} t`);
  expectAllRel(c.map((x) => x.reliability), ref.reliability, 1e-4, `${label} reliability`);
  expect(c.map((x) => x.rating)).toEqual(ref.rating);
  return r;
}

describe('case-mix adjusted clinician means (R implementation of the CAHPS formulas)', () => {
  it('a score adjusted for age and sex; reference = mean of clinicians', () => {
    const r = check(caseMixAdjust(d.num('score'), adj, g), R.score, 'score');
    expect(r.clusters.some((c) => c.rating === 'better') && r.clusters.some((c) => c.rating === 'worse')).toBe(true);
  });
  it('reference weighted by patients', () => check(caseMixAdjust(d.num('score'), adj, g, { reference: 'patients' }), R.score_patients, 'patients'));
  it('the outcome rate (0/1) as a linear probability', () => check(caseMixAdjust(d.num('portal_use'), adj, g), R.outcome, 'outcome'));
  it('three adjusters', () => check(caseMixAdjust(d.num('trust'), [...adj, d.num('communication')], g), R.trust_three, 'trust'));

  it('adjusters that do not differ between clinicians leave the means unadjusted', () => {
    // an adjuster with the same mean in every cluster: adjusted = raw mean
    const y = Float64Array.of(1, 2, 3, 4, 2, 3, 5, 7, 1, 1, 2, 9);
    const x = Float64Array.of(0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1);
    const cl = Int32Array.of(0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2);
    const r = caseMixAdjust(y, [x], cl, { minCell: 1 }) as CaseMixResult;
    r.clusters.forEach((c) => expectRel(c.adjusted, c.mean, 1e-14, 'adjusted'));
  });
  it('collinear adjusters are a failure with a reason', () => {
    const r = caseMixAdjust(d.num('score'), [adj[0], adj[0].map((v) => 2 * v + 1)], g);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe('collinear-adjusters');
  });
});
