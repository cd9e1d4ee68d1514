/** Pearson r with its Fisher-z CI against R's cor.test (dyad-golden.json; generated pairs and psych's sat.act). */
import { describe, expect, it } from 'vitest';
import { pearsonCorrelation } from '../../src/stats/correlation.js';
import { dyadScoreCases } from './dyad-cases.js';
import { expectRel } from './helpers.js';

const cases = dyadScoreCases().map(([label, x, y, set]): [string, Float64Array, Float64Array, any] => [label, x, y, set.pearson]);

describe('pearsonCorrelation', () => {
  it.each(cases)('%s: r, CI, t, df and p equal cor.test to 1e-10', (_, x, y, want) => {
    const r = pearsonCorrelation(x, y);
    if (!r.ok) throw new Error(r.reason);
    expect(r.n).toBe(want.n);
    expect(r.df).toBe(want.df);
    expectRel(r.r, want.r, 1e-10, 'r');
    expectRel(r.ciLow, want.ci[0], 1e-10, 'ci low');
    expectRel(r.ciHigh, want.ci[1], 1e-10, 'ci high');
    expectRel(r.t, want.t, 1e-10, 't');
    expectRel(r.p, want.p, 1e-8, 'p');
  });
  it('hand-computed: x = 1..5, y = (2, 1, 4, 3, 5) gives r = 0.8 and the Fisher CI', () => {
    const r = pearsonCorrelation([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]);
    if (!r.ok) throw new Error(r.reason);
    expect(r.r).toBeCloseTo(0.8, 14);
    const h = 1.959963984540054 / Math.sqrt(2);
    expect(r.ciLow).toBeCloseTo(Math.tanh(Math.atanh(0.8) - h), 12);
    expect(r.ciHigh).toBeCloseTo(Math.tanh(Math.atanh(0.8) + h), 12);
  });
  it('fewer than 4 complete pairs, or a constant side, is a failure with a reason', () => {
    expect(pearsonCorrelation([1, 2, NaN, 4], [1, 2, 3, NaN])).toMatchObject({ ok: false, code: 'too-few-pairs', n: 2 });
    expect(pearsonCorrelation([1, 2, 3, 4], [3, 3, 3, 3])).toMatchObject({ ok: false, code: 'constant' });
  });
});
