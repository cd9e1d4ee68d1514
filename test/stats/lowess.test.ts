import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import { lowess } from '../../src/stats/lowess.js';

const g = JSON.parse(fs.readFileSync(new URL('../reference/lowess-golden.json', import.meta.url), 'utf8'));

function same(got: Float64Array, want: number[], tol: number) {
  expect(got.length).toBe(want.length);
  got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(tol * (1 + Math.abs(want[i]))));
}

describe('lowess equals R', () => {
  it('a 0/1 outcome against predicted probabilities, iter = 0 (rms::val.prob), ties included', () => {
    const r = lowess(g.calib.x, g.calib.y, { iter: 0 });
    same(r.x, g.calib.fx, 1e-15);
    same(r.y, g.calib.fy, 1e-12);
  });
  it('default: f = 2/3, three robustness iterations, delta 1% of the range', () => {
    const r = lowess(g.robust.x, g.robust.y);
    same(r.y, g.robust.fy, 1e-12);
  });
  it('f = 0.3, one iteration, delta 0 (a fit at every point)', () => {
    const r = lowess(g.robust.x, g.robust.y, { f: 0.3, iter: 1, delta: 0 });
    same(r.y, g.narrow.fy, 1e-12);
  });
  it('shifting x (to negative values, ties kept) shifts the fitted x and leaves the fit as it is', () => {
    const r = lowess(g.robust.x.map((v: number) => v - 6), g.robust.y);
    same(r.x, g.robust.fx.map((v: number) => v - 6), 1e-15);
    same(r.y, g.robust.fy, 1e-9);
  });
  it('a straight line is returned as it is', () => {
    const x = Array.from({ length: 50 }, (_, i) => i / 7);
    const r = lowess(x, x.map((v) => 2 - 3 * v), { iter: 0 });
    r.y.forEach((v, i) => expect(v).toBeCloseTo(2 - 3 * r.x[i], 10));
  });
});
