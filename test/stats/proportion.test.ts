/** Wilson score interval (src/stats/proportion.ts) against R's prop.test(correct = FALSE). */
import { describe, expect, it } from 'vitest';
import { wilson } from '../../src/stats/proportion.js';
import { expectRel } from './helpers.js';
import { units } from './units-golden.js';

describe('wilson', () => {
  it('equals prop.test(x, n, conf.level, correct = FALSE)$conf.int (test/reference/stats-units-golden.R)', () => {
    expect(units.wilson.length).toBe(10);
    for (const g of units.wilson as { x: number; n: number; level: number; low: number; high: number }[]) {
      const w = wilson(g.x, g.n, g.level)!;
      expectRel(w.low, g.low, 1e-12, `${g.x}/${g.n} low`);
      expectRel(w.high, g.high, 1e-12, `${g.x}/${g.n} high`);
    }
  });
  it('has no interval without trials, as R refuses prop.test(0, 0)', () => {
    expect(units.wilson_n0_refused).toBe(true);
    expect(wilson(0, 0)).toBeNull();
    expect(wilson(0, -1)).toBeNull();
  });
  it('stays inside [0, 1] and contains the observed proportion', () => {
    for (let n = 1; n <= 40; n++)
      for (let x = 0; x <= n; x++) {
        const w = wilson(x, n)!;
        expect(w.low).toBeGreaterThanOrEqual(0);
        expect(w.high).toBeLessThanOrEqual(1);
        expect(w.low).toBeLessThanOrEqual(x / n + 1e-15);
        expect(w.high).toBeGreaterThanOrEqual(x / n - 1e-15);
      }
  });
});
