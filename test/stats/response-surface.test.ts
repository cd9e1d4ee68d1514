/**
 * Polynomial response-surface logistic regression against R's glm (epsilon 1e-14) and vcov
 * (dyad-golden.json): b1..b5 and a1..a4 with SE, z and p, on generated pairs (centred at 3, covariate
 * age) and on psych's sat.act (SATV and SATQ in hundreds, centred at 5; outcome gender = 2; covariate
 * age); and, with R's sandwich::vcovCL(type = "HC1") by clinician passed as the covariance, the
 * cluster-robust a1..a4.
 */
import { describe, expect, it } from 'vitest';
import { SURFACE_TERMS, clusterCovariance, responseSurface, surfaceProbability } from '../../src/stats/response-surface.js';
import { expectRel, readCsv, readJson } from './helpers.js';

const g = readJson('dyad-golden.json');
const gen = readCsv('dyad-data.csv');
const sat = readCsv('dyad-public.csv');

const genInput = { patient: gen.num('P'), clinician: gen.num('C'), outcome: gen.num('y'), midpoint: 3, covariates: { age: gen.num('age') } };
const satInput = {
  patient: sat.num('SATV').map((v) => v / 100),
  clinician: sat.num('SATQ').map((v) => v / 100),
  outcome: sat.num('gender').map((v) => (v === 2 ? 1 : 0)),
  midpoint: 5,
  covariates: { age: sat.num('age') },
};

function check(r: ReturnType<typeof responseSurface>, want: any, a: any, se: number[] | null) {
  if (!r.ok) throw new Error(r.reason);
  expect(r.n).toBe(want.n);
  r.fit.coefficients.forEach((c, j) => expectRel(c.estimate, want.coef[j], 1e-6, `coef ${j}`));
  r.terms.slice(0, 5).forEach((t, j) => {
    expectRel(t.estimate, want.coef[j + 1], 1e-6, t.term);
    expectRel(t.se, (se ?? want.se)[j + 1], 1e-6, `${t.term} se`);
  });
  r.terms.slice(5).forEach((t, j) => {
    expectRel(t.estimate, a.estimate[j], 1e-6, t.term);
    expectRel(t.se, a.se[j], 1e-6, `${t.term} se`);
    expectRel(t.z, a.z[j], 1e-6, `${t.term} z`);
    expectRel(t.p, a.p[j], 1e-5, `${t.term} p`);
  });
}

describe('responseSurface', () => {
  it('generated pairs: b1..b5, a1..a4 with SE, z, p equal glm + vcov to 1e-6', () => {
    const r = responseSurface(genInput);
    expect(r.ok && r.terms.map((t) => t.term)).toEqual([...SURFACE_TERMS]);
    check(r, g.generated.surface, g.generated.surface.a, null);
    if (r.ok) {
      expect(r.covarianceSource).toBe('model');
      expect(r.fit.coefficients.map((c) => c.name)).toEqual(['(Intercept)', 'P', 'C', 'P^2', 'P*C', 'C^2', 'age']);
    }
  });
  it('sat.act pairs (public data): the same quantities equal R to 1e-6', () => {
    check(responseSurface(satInput), g.public.surface, g.public.surface.a, null);
  });
  it('with the cluster-robust covariance (vcovCL HC1 by clinician) the a1..a4 SEs, z and p equal R', () => {
    const robust = g.generated.surface.robust;
    const V = Float64Array.from(robust.vcov as number[]); // column-major from R; symmetric
    const r = responseSurface(genInput, { covariance: () => V });
    check(r, g.generated.surface, robust.a, robust.se);
    if (r.ok) expect(r.covarianceSource).toBe('custom');
  });
  it("clusterCovariance (cluster-robust.ts, CR1 by clinician) gives vcovCL's a1..a4 SEs, z and p to 1e-6", () => {
    const robust = g.generated.surface.robust;
    const r = responseSurface(genInput, { covariance: clusterCovariance(gen.num('clinician')) });
    check(r, g.generated.surface, robust.a, robust.se);
  });
  it('the fitted surface: probability at (P, C) with age at its mean equals plogis of the linear predictor', () => {
    const r = responseSurface(genInput);
    if (!r.ok) throw new Error(r.reason);
    const b = g.generated.surface.coef as number[];
    const meanAge = r.covariateMeans.age;
    const eta = b[0] + b[1] * 1 + b[2] * 0.5 + b[3] * 1 + b[4] * 0.5 + b[5] * 0.25 + b[6] * meanAge;
    expectRel(surfaceProbability(r, 4, 3.5), 1 / (1 + Math.exp(-eta)), 1e-6, 'p(4, 3.5)');
  });
  it('a one-class outcome is a failure with a reason; a covariate named like a surface term is refused', () => {
    const r = responseSurface({ ...genInput, outcome: gen.num('y').map(() => 1) });
    expect(r.ok).toBe(false);
    expect(() => responseSurface({ ...genInput, covariates: { 'P^2': gen.num('age') } })).toThrow(RangeError);
  });
});
