/** Standardisation (src/stats/standardise.ts) against R's scale() on the used rows. */
import { describe, expect, it } from 'vitest';
import { meanSd, meanSdPresent, standardise, standardiseColumn } from '../../src/stats/standardise.js';
import { expectAllRel, expectRel } from './helpers.js';
import { units, vec } from './units-golden.js';

const g = units.standardise;
const x = vec(g.x);
const use = Uint8Array.from(g.use as number[]);

describe('standardise', () => {
  it('mean, sample SD and z equal scale(x[use]) (test/reference/stats-units-golden.R)', () => {
    const s = standardise(x, use);
    expectRel(s.mean, g.mean, 1e-12, 'mean');
    expectRel(s.sd, g.sd, 1e-12, 'sd');
    expectAllRel(Array.from(s.z).filter((_, i) => use[i]), g.z, 1e-12, 'z');
    for (let i = 0; i < x.length; i++) if (!use[i]) expect(s.z[i]).toBeNaN();
  });
  it('meanSd without a mask uses every row', () => {
    const m = meanSd([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(m).toEqual({ n: 8, mean: 5, sd: Math.sqrt(32 / 7) });
  });
  it('standardiseColumn on a row-major matrix equals scale(); a constant column is only centred', () => {
    const rows = Array.from(use).map((u, i) => (u ? i : -1)).filter((i) => i >= 0);
    const m = rows.length;
    const data = new Float64Array(m * 3);
    rows.forEach((i, r) => {
      data[r * 3] = 1;
      data[r * 3 + 1] = x[i];
      data[r * 3 + 2] = 7;
    });
    const s = standardiseColumn(data, m, 3, 1);
    expectRel(s.sd, g.sd, 1e-12, 'sd');
    expectAllRel(Array.from({ length: m }, (_, r) => data[r * 3 + 1]), g.z, 1e-12, 'z');
    expect(standardiseColumn(data, m, 3, 2)).toEqual({ mean: 7, sd: 0 });
    for (let r = 0; r < m; r++) expect(data[r * 3 + 2]).toBe(0);
  });
});

describe('meanSdPresent', () => {
  it('skips NaN: equals mean() and sd() of x without NA (scale() of the present values)', () => {
    const present = Array.from(x).filter((v) => !Number.isNaN(v));
    const m = meanSdPresent(x);
    expect(m.n).toBe(present.length);
    expectRel(m.mean, present.reduce((a, b) => a + b, 0) / present.length, 1e-15, 'mean');
    const all = meanSd(Float64Array.from(present));
    expect(m).toEqual(all);
    expect(meanSdPresent([NaN, 4]).sd).toBeNaN();
  });
});
