/** The t interval of a mean (src/stats/mean-interval.ts) against R's t.test(x)$conf.int. */
import { describe, expect, it } from 'vitest';
import { meanCi } from '../../src/stats/mean-interval.js';
import { expectRel } from './helpers.js';
import { units, vec } from './units-golden.js';

describe('meanCi', () => {
  it('equals mean(x) and t.test(x)$conf.int, NA skipped (test/reference/stats-units-golden.R)', () => {
    for (const g of units.mean_ci as { x: string[]; n: number; mean: number; low: number; high: number }[]) {
      const m = meanCi(vec(g.x));
      expect(m.n).toBe(g.n);
      expectRel(m.mean, g.mean, 1e-12, 'mean');
      expectRel(m.low, g.low, 1e-12, 'low');
      expectRel(m.high, g.high, 1e-12, 'high');
    }
  });
  it('other levels: t.test(conf.level = 0.9)', () => {
    const m = meanCi([-3, 0.5, 7, 2, 2, 9, 1.25], 0.9);
    expectRel(m.low, units.mean_ci90.low, 1e-12, 'low');
    expectRel(m.high, units.mean_ci90.high, 1e-12, 'high');
  });
  it('one value has a mean and no interval; none has neither', () => {
    expect(meanCi([5])).toEqual({ n: 1, mean: 5, low: null, high: null });
    expect(meanCi([NaN])).toEqual({ n: 0, mean: null, low: null, high: null });
  });
});
