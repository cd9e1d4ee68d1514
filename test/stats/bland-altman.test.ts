/** Bland–Altman mean difference and 95% limits (1.96, and qnorm(0.975)) against R (dyad-golden.json). */
import { describe, expect, it } from 'vitest';
import { blandAltman } from '../../src/stats/bland-altman.js';
import { dyadScoreCases } from './dyad-cases.js';
import { expectRel } from './helpers.js';

const cases = dyadScoreCases().map(([label, x, y, set]): [string, Float64Array, Float64Array, any] => [label, x, y, set.bland_altman]);

describe('blandAltman', () => {
  it.each(cases)('%s: mean difference, SD and limits equal R to 1e-12', (_, x, y, want) => {
    const r = blandAltman(x, y);
    const e = blandAltman(x, y, { multiplier: 'exact' });
    if (!r.ok || !e.ok) throw new Error('failed');
    expect(r.n).toBe(want.n);
    expectRel(r.meanDifference, want.mean, 1e-12, 'mean');
    expectRel(r.sdDifference, want.sd, 1e-12, 'sd');
    expect(r.multiplier).toBe(1.96);
    expectRel(r.loaLow, want.loa196[0], 1e-12, 'loa low 1.96');
    expectRel(r.loaHigh, want.loa196[1], 1e-12, 'loa high 1.96');
    expectRel(e.loaLow, want.loaq[0], 1e-12, 'loa low qnorm');
    expectRel(e.loaHigh, want.loaq[1], 1e-12, 'loa high qnorm');
  });
  it('hand-computed: differences 1, -1, 1, -1 → mean 0, SD sqrt(4/3), limits ±1.96 SD', () => {
    const r = blandAltman([2, 1, 4, 3], [1, 2, 3, 4]);
    if (!r.ok) throw new Error('failed');
    expect(r.meanDifference).toBe(0);
    expect(r.sdDifference).toBeCloseTo(Math.sqrt(4 / 3), 15);
    expect(r.loaHigh).toBeCloseTo(1.96 * Math.sqrt(4 / 3), 14);
  });
  it('one complete pair is a failure', () => {
    expect(blandAltman([1, NaN], [2, 3])).toMatchObject({ ok: false, code: 'too-few-pairs', n: 1 });
  });
});
