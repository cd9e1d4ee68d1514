/** ICC for absolute agreement of single raters against psych::ICC(lmer = FALSE)'s ICC2 (dyad-golden.json). */
import { describe, expect, it } from 'vitest';
import { iccAgreement } from '../../src/stats/icc.js';
import { dyadGenerated as gen, dyadGolden as g, dyadScoreCases } from './dyad-cases.js';
import { expectRel } from './helpers.js';

const cases = dyadScoreCases().map(([label, x, y, set]): [string, Float64Array, Float64Array, any] => [label, x, y, set.icc]);

describe('iccAgreement', () => {
  it.each(cases)('%s: ICC2, its CI, F test and mean squares equal psych::ICC to 1e-8', (_, x, y, want) => {
    const r = iccAgreement([x, y]);
    if (!r.ok) throw new Error(r.reason);
    expect([r.n, r.k, r.df1, r.df2]).toEqual([want.n, 2, want.df1, want.df2]);
    expectRel(r.icc, want.icc, 1e-8, 'icc');
    expectRel(r.ciLow, want.lower, 1e-8, 'lower');
    expectRel(r.ciHigh, want.upper, 1e-8, 'upper');
    expectRel(r.f, want.F, 1e-10, 'F');
    expectRel(r.p, want.p, 1e-8, 'p');
    expectRel(r.msb, want.msb, 1e-12, 'MSB');
    expectRel(r.msj, want.msj, 1e-12, 'MSJ');
    expectRel(r.mse, want.mse, 1e-12, 'MSE');
  });
  it("psych's default (lmer = TRUE) is a REML estimate that differs from the ANOVA value (here at the 1e-4 level)", () => {
    const r = iccAgreement([gen.num('P'), gen.num('C')]);
    if (!r.ok) throw new Error(r.reason);
    const rel = Math.abs(r.icc - g.icc_lmer_default) / g.icc_lmer_default;
    expect(rel).toBeGreaterThan(1e-6);
    expect(rel).toBeLessThan(1e-2);
  });
  it('identical ratings give 1; a constant shift between raters lowers absolute agreement below consistency', () => {
    const x = [1, 2, 3, 4, 5, 3, 2];
    const same = iccAgreement([x, x.map((v) => v + 1e-9 * (v % 2))]);
    if (!same.ok) throw new Error(same.reason);
    expect(same.icc).toBeCloseTo(1, 6);
    const shifted = iccAgreement([x, x.map((v, i) => v + 1 + (i % 2 ? 0.1 : -0.1))]);
    if (!shifted.ok) throw new Error(shifted.reason);
    expect(shifted.icc).toBeLessThan(0.8);
    expect(shifted.icc).toBeGreaterThan(0.5);
  });
  it('too few complete subjects, or no variation, is a failure', () => {
    expect(iccAgreement([[1, 2, NaN], [1, NaN, 3]])).toMatchObject({ ok: false, code: 'too-few-subjects', n: 1 });
    expect(iccAgreement([[2, 2, 2], [2, 2, 2]])).toMatchObject({ ok: false, code: 'no-variation' });
  });
});
