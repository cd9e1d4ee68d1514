/**
 * Descriptives per scale score (src/stats/descriptives.ts) on test/reference/survey.csv against R's
 * `quantile(type = 7)`, mean, sd and floor/ceiling shares. Golden values: test/reference/golden.R ->
 * golden-scales.json.
 */
import { describe as group, expect, it } from 'vitest';
import { describe } from '../../src/stats/descriptives.js';
import { expectRel, readCsv, readJson } from './helpers.js';

const data = readCsv('survey.csv');
const TRAITS = ['trust', 'respect', 'liking', 'listening', 'agreement', 'communication'];
const scales = readJson('golden-scales.json');

group('descriptives per scale score', () => {
  for (const t of TRAITS) {
    it(`${t}: n, mean, SD, quartiles (type 7), min, max, % floor/ceiling/missing`, () => {
      const g = scales[t].desc;
      const d = describe(data.num(t), { floor: 1, ceiling: 5 });
      if (!d.ok) throw new Error(d.reason);
      expect(d.n).toBe(g.n);
      expect(d.nMissing).toBe(g.nMissing);
      expectRel(d.pctMissing, g.pctMissing, 1e-12, 'pctMissing');
      expectRel(d.mean, g.mean, 1e-12, 'mean');
      expectRel(d.sd, g.sd, 1e-12, 'sd');
      expectRel(d.median, g.median, 1e-12, 'median');
      expectRel(d.q1, g.q1, 1e-12, 'q1');
      expectRel(d.q3, g.q3, 1e-12, 'q3');
      expect(d.min).toBe(g.min);
      expect(d.max).toBe(g.max);
      expectRel(d.pctFloor, g.pctFloor, 1e-12, 'floor');
      expectRel(d.pctCeiling, g.pctCeiling, 1e-12, 'ceiling');
      expect(d.flags.some((f) => f.code === 'ceiling')).toBe(g.pctCeiling > 15);
    });
  }
  it('flags the trust ceiling effect (> 15% at 5)', () => {
    const d = describe(data.num('trust'), { floor: 1, ceiling: 5 });
    expect(d.ok && d.flags.map((f) => f.code)).toEqual(['ceiling']);
  });
  it('an all-missing scale gives an explained empty result, not NaN', () => {
    const d = describe(new Float64Array([NaN, NaN, NaN]), { floor: 1, ceiling: 5 });
    expect(d).toEqual({ ok: false, reason: 'every value is missing', n: 0, nMissing: 3, pctMissing: 100 });
  });
  it('a single value has no SD (null), and quantiles of tiny samples follow type 7', () => {
    const d = describe(new Float64Array([3, NaN]));
    expect(d.ok && d.sd).toBeNull();
    // R: quantile(c(1, 2, 4, 10), c(.25, .5, .75)) = 1.75 3.00 5.50
    const e = describe(new Float64Array([10, 1, 4, 2]));
    expect(e.ok && [e.q1, e.median, e.q3]).toEqual([1.75, 3, 5.5]);
  });
});
