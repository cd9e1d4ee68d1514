/**
 * Profile-likelihood interval of the random-intercept SD (src/stats/glmm-profile.ts) against exact
 * roots of the profile deviance computed in R (test/reference/glmm-profile-golden.R) to 1e-6, and
 * lme4's spline-interpolated confint(method = "profile") to 1e-3; at the tau = 0 boundary the lower
 * limit is 0 and the upper limit finite.
 */
import { describe, expect, it } from 'vitest';
import { fitGlmm, type GlmmFit } from '../../src/stats/glmm.js';
import { glmmSdProfile } from '../../src/stats/glmm-profile.js';
import { clusterIndex, expectRel, readCsv, readJson } from './helpers.js';

const R = readJson('glmm-profile-golden.json');

function input(file: string) {
  const d = readCsv(file);
  return {
    columns: [d.num('trust'), d.num('communication'), d.num('age').map((a) => (a - 52) / 10), d.num('female')],
    y: d.num('portal_use'),
    cluster: clusterIndex(d.str('clinician')),
  };
}

describe('profile interval of the random-intercept SD', () => {
  it('generated data (SD about 1.2)', () => {
    const inp = input('cluster.csv');
    const fit = fitGlmm(inp) as GlmmFit;
    const ci = glmmSdProfile(inp, fit);
    expectRel(ci.lower, R.cluster_laplace.lower, 1e-6, 'lower');
    expectRel(ci.upper, R.cluster_laplace.upper, 1e-6, 'upper');
    expectRel(ci.lower, R.cluster_laplace.lme4_lower, 1e-3, 'lower vs lme4');
    expectRel(ci.upper, R.cluster_laplace.lme4_upper, 1e-3, 'upper vs lme4');
    expect(ci.lower).toBeLessThan(fit.sd);
    expect(ci.upper).toBeGreaterThan(fit.sd);
  });
  it('the tau = 0 boundary: lower limit 0, upper limit from the profile', () => {
    const inp = input('cluster-flat.csv');
    const fit = fitGlmm(inp) as GlmmFit;
    expect(fit.boundary).toBe(true);
    const ci = glmmSdProfile(inp, fit);
    expect(ci.lower).toBe(0);
    expectRel(ci.upper, R.flat_laplace.upper, 1e-6, 'upper');
  });
});
