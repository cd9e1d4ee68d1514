/**
 * One-way random-effects REML (src/stats/icc-oneway.ts) against lme4::lmer(y ~ 1 + (1 | g)) at tight
 * settings and lmer's own REML deviance function (test/reference/icc-oneway-golden.R), on unbalanced
 * clusters: tau^2, sigma^2, ICC, the REML criterion and the profile interval of the ICC to 1e-4 (the
 * criterion to 1e-10), reliability at the median size and the n needed for 0.70 / 0.80.
 */
import { describe, expect, it } from 'vitest';
import { oneWayReml, remlDeviance, clusterMoments, type OneWayFit } from '../../src/stats/icc-oneway.js';
import { expectAllRel, expectRel, readCsv, readJson } from './helpers.js';
import { clusterIndex } from './helpers.js';

const R = readJson('icc-oneway-golden.json');

function check(fit: ReturnType<typeof oneWayReml>, ref: any, label: string): OneWayFit {
  expect(fit.ok, label).toBe(true);
  const f = fit as OneWayFit;
  expectRel(f.tau2, ref.tau2, 1e-4, `${label} tau2`);
  expectRel(f.sigma2, ref.sigma2, 1e-4, `${label} sigma2`);
  expectRel(f.icc, ref.icc, 1e-4, `${label} icc`);
  expectRel(f.mu, ref.mu, 1e-8, `${label} mu`);
  expectRel(f.remlDeviance, ref.reml, 1e-10, `${label} REML criterion`);
  expectAllRel(f.iccCi, ref.icc_ci, 1e-4, `${label} icc CI`);
  expect(f.clusterSize.median).toBe(ref.median_size);
  expectRel(f.reliabilityAtMedian, ref.reliability_at_median, 1e-4, `${label} reliability`);
  expect(f.nFor070).toBe(ref.n_for_070);
  expect(f.nFor080).toBe(ref.n_for_080);
  return f;
}

describe('one-way REML variance components (lmer golden values)', () => {
  it('generated clinician scores (40 unbalanced clusters)', () => {
    const d = readCsv('cluster.csv');
    check(oneWayReml(d.num('score'), clusterIndex(d.str('clinician'))), R.cluster, 'cluster');
  });
  it('InstEval subset: ratings 1-5 of 60 lecturers', () => {
    const d = readCsv('insteval-subset.csv');
    check(oneWayReml(d.num('y'), clusterIndex(d.str('lecturer'))), R.insteval, 'insteval');
  });
  it('a trait with a between-clinician share', () => {
    const d = readCsv('cluster-flat.csv');
    check(oneWayReml(d.num('trust'), clusterIndex(d.str('clinician'))), R.flat_trust, 'trust');
  });
  it('balanced data: equals the closed-form ANOVA (REML) estimates', () => {
    // 3 clusters of 4: tau2 = (MSB - MSW) / m, sigma2 = MSW
    const y = Float64Array.of(1, 2, 3, 4, 3, 4, 5, 6, 6, 5, 8, 9);
    const g = Int32Array.of(0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2);
    const f = oneWayReml(y, g) as OneWayFit;
    const means = [2.5, 4.5, 7];
    const grand = 14 / 3;
    const msb = (4 * means.reduce((s, m) => s + (m - grand) ** 2, 0)) / 2;
    const ssw = [1, 2, 3, 4].reduce((s, v) => s + (v - 2.5) ** 2, 0) + [3, 4, 5, 6].reduce((s, v) => s + (v - 4.5) ** 2, 0) + [6, 5, 8, 9].reduce((s, v) => s + (v - 7) ** 2, 0);
    const msw = ssw / 9;
    expectRel(f.sigma2, msw, 1e-7, 'sigma2');
    expectRel(f.tau2, (msb - msw) / 4, 1e-7, 'tau2');
  });
  it('identical cluster means: tau2 = 0 on the boundary, ICC interval from 0', () => {
    const y = Float64Array.of(1, 3, 2, 2, 0, 4, 1, 3);
    const g = Int32Array.of(0, 0, 1, 1, 2, 2, 3, 3);
    const f = oneWayReml(y, g) as OneWayFit;
    expect(f.boundary).toBe(true);
    expect(f.tau2).toBe(0);
    expect(f.iccCi[0]).toBe(0);
    expect(f.iccCi[1]).toBeGreaterThan(0);
    expect(f.nFor070).toBeNull();
    const m = clusterMoments(y, g);
    expect(remlDeviance(m, 0).d).toBeLessThan(remlDeviance(m, 0.01).d);
  });
  it('bad input', () => {
    expect(oneWayReml(Float64Array.of(1, NaN), Int32Array.of(0, 1)).ok).toBe(false);
    expect(oneWayReml(Float64Array.of(1, 2), Int32Array.of(0, 0)).ok).toBe(false);
  });
});
