/** Small-cell suppression of the pilot report's frequency rows (src/report/sections/items.ts). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { suppressRow } from '../../src/report/sections/items.js';

const sumWithheld = (counts: number[], w: boolean[], idx: number[]) => idx.filter((i) => w[i]).reduce((a, i) => a + counts[i], 0);

describe('suppressRow', () => {
  it('withholds a small cell and, complementarily, the next smallest of its group', () => {
    // options 3, 40, 120; missing 15, refused 0
    const r = suppressRow([3, 40, 120, 15, 0], [0, 0, 0, 1, 1], 11);
    expect(r.small).toEqual([true, false, false, false, false]);
    expect(r.withheld).toEqual([true, true, false, false, false]);
    expect(r.marginShown).toBe(true);
  });
  it('a small non-answer group withholds the margin and protects across the row', () => {
    // missing 4, refused 2: the non-answers (6) cannot be protected inside their group
    const r = suppressRow([50, 60, 70, 4, 2], [0, 0, 0, 1, 1], 11);
    expect(r.marginShown).toBe(false);
    expect(r.withheld.slice(3)).toEqual([true, true]);
    expect(sumWithheld([50, 60, 70, 4, 2], r.withheld, [0, 1, 2, 3, 4])).toBeGreaterThanOrEqual(11);
    expect(r.withheld[0]).toBe(true); // the smallest option joins them
  });
  it('shows zeros and leaves a row without small cells alone', () => {
    const r = suppressRow([0, 25, 30, 0, 11], [0, 0, 0, 1, 1], 11);
    expect(r.withheld).toEqual([false, false, false, false, false]);
  });
  it('property: no withheld cell can be worked out from the shown cells and the published margins', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(60), { minLength: 2, maxLength: 8 }), fc.nat(2), fc.integer({ min: 2, max: 20 }), (opts, extra, minCell) => {
        const counts = [...opts, extra * 3, extra];
        const group = counts.map((_, i) => (i < opts.length ? 0 : 1));
        const r = suppressRow(counts, group, minCell);
        const all = counts.map((_, i) => i);
        counts.forEach((c, i) => {
          if (c > 0 && c < minCell) expect(r.withheld[i]).toBe(true);
          if (c === 0) expect(r.withheld[i]).toBe(false);
        });
        const ok = (idx: number[]) => {
          const w = idx.filter((i) => r.withheld[i]);
          return w.length === 0 || sumWithheld(counts, r.withheld, idx) >= minCell || idx.every((i) => r.withheld[i] || counts[i] === 0);
        };
        if (r.marginShown) {
          expect(ok(all.filter((i) => group[i] === 0))).toBe(true);
          expect(ok(all.filter((i) => group[i] === 1))).toBe(true);
        } else expect(ok(all)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
