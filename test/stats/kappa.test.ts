/**
 * Cohen's kappa and weighted kappa against psych::cohen.kappa (dyad-golden.json): nominal and ordered
 * generated pairs, and psych's bfi items A2/A3. The weighted variance by the 1969 formula is checked
 * against the formula written out in R; `variance: 'psych'` reproduces psych's own value.
 */
import { describe, expect, it } from 'vitest';
import { cohenKappa, quadraticWeights } from '../../src/stats/kappa.js';
import { expectRel, readCsv, readJson } from './helpers.js';

const g = readJson('dyad-golden.json');
const gen = readCsv('dyad-data.csv');
const bfi = readCsv('dyad-bfi.csv');
const cases: [string, Float64Array, Float64Array, any][] = [
  ['generated nominal (6 options)', gen.num('reason_p'), gen.num('reason_c'), g.generated.kappa_nominal],
  ['generated ordered (5 options)', gen.num('ord_p'), gen.num('ord_c'), g.generated.kappa_ordered],
  ['bfi A2 vs A3 (6 options)', bfi.num('A2'), bfi.num('A3'), g.public.kappa_ordered],
];

describe('cohenKappa', () => {
  it.each(cases)('%s: kappa, weighted kappa, variances and CIs equal psych to 1e-8', (_, x, y, want) => {
    const r = cohenKappa(x, y, { levels: want.levels, variance: 'psych' });
    if (!r.ok) throw new Error(r.reason);
    expect(r.n).toBe(want.n);
    expectRel(r.percentAgreement, want.po, 1e-12, 'po');
    expectRel(r.kappa, want.kappa, 1e-10, 'kappa');
    expectRel(r.weightedKappa, want.weighted, 1e-10, 'weighted kappa');
    expectRel(r.kappaVariance, want.var_kappa, 1e-8, 'var kappa');
    expectRel(r.weightedVariance, want.var_weighted, 1e-8, 'var weighted');
    expectRel(r.kappaCiLow, want.ci[0], 1e-8, 'kappa ci low');
    expectRel(r.kappaCiHigh, want.ci[1], 1e-8, 'kappa ci high');
    expectRel(r.weightedCiLow, want.ci_weighted[0], 1e-8, 'weighted ci low');
    expectRel(r.weightedCiHigh, want.ci_weighted[1], 1e-8, 'weighted ci high');
  });
  it.each(cases)('%s: the default variance is Fleiss, Cohen & Everitt (1969), as written out in R', (_, x, y, want) => {
    const r = cohenKappa(x, y, { levels: want.levels });
    if (!r.ok) throw new Error(r.reason);
    expectRel(r.kappaVariance, want.var_kappa_fce, 1e-8, 'var kappa');
    expectRel(r.weightedVariance, want.var_weighted_fce, 1e-8, 'var weighted');
    expectRel(r.weightedCiLow, want.ci_weighted_fce[0], 1e-8, 'weighted ci low');
    expectRel(r.weightedCiHigh, want.ci_weighted_fce[1], 1e-8, 'weighted ci high');
    expect(r.varianceClipped).toBe(false);
  });
  it("psych's weighted variance comes out negative on the ordered generated pairs and is set to 0 (flagged)", () => {
    const r = cohenKappa(gen.num('ord_p'), gen.num('ord_c'), { levels: [1, 2, 3, 4, 5], variance: 'psych' });
    if (!r.ok) throw new Error(r.reason);
    expect(r.weightedVariance).toBe(0);
    expect(r.varianceClipped).toBe(true);
  });
  it('hand-computed 2x2: 40 of 50 agree, margins 25/25 → po 0.8, pc 0.5, kappa 0.6; weights of 2 levels are the identity', () => {
    const a = [...Array(20).fill(1), ...Array(5).fill(1), ...Array(5).fill(2), ...Array(20).fill(2)];
    const b = [...Array(20).fill(1), ...Array(5).fill(2), ...Array(5).fill(1), ...Array(20).fill(2)];
    const r = cohenKappa(a, b);
    if (!r.ok) throw new Error(r.reason);
    expect(r.percentAgreement).toBeCloseTo(0.8, 15);
    expect(r.kappa).toBeCloseTo(0.6, 14);
    expect(r.weightedKappa).toBeCloseTo(0.6, 14);
    expect([...quadraticWeights(2)]).toEqual([1, 0, 0, 1]);
    expect([...quadraticWeights(3)]).toEqual([1, 0.75, 0, 0.75, 1, 0.75, 0, 0.75, 1]);
  });
  it('a value outside the levels, one category only, or too few pairs is a failure', () => {
    expect(cohenKappa([1, 2, 7], [1, 2, 2], { levels: [1, 2, 3] })).toMatchObject({ ok: false, code: 'unknown-level' });
    expect(cohenKappa([1, 1, 1], [1, 1, 1])).toMatchObject({ ok: false, code: 'one-category' });
    expect(cohenKappa([1, NaN], [1, 2])).toMatchObject({ ok: false, code: 'too-few-pairs' });
  });
});
