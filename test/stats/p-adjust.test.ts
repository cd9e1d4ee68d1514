/** Holm and Benjamini–Hochberg against R's `p.adjust` (golden-padjust.json, with NA and ties). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pAdjust } from '../../src/stats/p-adjust.js';
import { expectRel, readJson } from './helpers.js';

const g = readJson('golden-padjust.json');
const p = Float64Array.from(g.p as (number | null)[], (v) => (v === null ? NaN : v));

describe('pAdjust', () => {
  for (const method of ['holm', 'BH'] as const) {
    it(`equals p.adjust(p, "${method}") including NA and ties`, () => {
      const got = pAdjust(p, method);
      (g[method] as (number | null)[]).forEach((want, i) => {
        if (want === null) expect(Number.isNaN(got[i])).toBe(true);
        else expectRel(got[i], want, 1e-12, `${method}[${i}]`);
      });
    });
  }
  it('adjusted p-values are >= raw, <= 1, and Holm >= BH (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 }), (arr) => {
        const h = pAdjust(arr, 'holm');
        const b = pAdjust(arr, 'BH');
        arr.forEach((v, i) => {
          expect(h[i]).toBeGreaterThanOrEqual(v);
          expect(b[i]).toBeGreaterThanOrEqual(v);
          expect(h[i]).toBeLessThanOrEqual(1);
          expect(h[i]).toBeGreaterThanOrEqual(b[i] - 1e-15);
        });
      }),
    );
  });
  it('rejects values outside [0, 1]', () => {
    expect(() => pAdjust([0.5, 1.2], 'BH')).toThrow(RangeError);
  });
});
