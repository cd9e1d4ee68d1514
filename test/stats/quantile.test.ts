/**
 * Type-7 quantiles and box summaries (src/stats/quantile.ts) against R's quantile(type = 7), and the
 * counting path of boxSummary against the sorting path (property).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { boxSummary, quantileSorted, quantiles, sortInPlace } from '../../src/stats/quantile.js';
import { expectAllRel, expectRel } from './helpers.js';
import { units, vec } from './units-golden.js';

type Box = { min: number; q1: number; median: number; q3: number; max: number; mean: number };
const expectBox = (got: Box | null, want: Box, label: string) => {
  expect(got, label).not.toBeNull();
  for (const k of ['min', 'q1', 'median', 'q3', 'max', 'mean'] as const) expectRel(got![k], want[k], 1e-12, `${label} ${k}`);
};

describe('quantiles (type 7)', () => {
  it('equal quantile(x, probs, type = 7, na.rm = TRUE) on tied survey scores and on continuous values', () => {
    const t = units.quantile.ties;
    expectAllRel(quantiles(vec(t.x), t.probs), t.q, 1e-12, 'ties');
    const c = units.quantile.continuous;
    expectAllRel(quantiles(vec(c.x), c.probs), c.q, 1e-12, 'continuous');
  });
  it('empty input gives NaN; a probability outside [0, 1] is a RangeError', () => {
    expect(quantileSorted([], 0.5)).toBeNaN();
    expect(() => quantileSorted([1, 2], 1.5)).toThrow(RangeError);
  });
});

describe('boxSummary', () => {
  it('equals R (quantile type 7 and mean) by group, counting tied values', () => {
    const t = units.quantile.ties;
    const x = vec(t.x);
    const g = Float64Array.from(t.group as number[]);
    expectBox(boxSummary(x, g, 1), t.box1, 'group 1');
    expectBox(boxSummary(x, g, 0), t.box0, 'group 0');
    expect(boxSummary(x, g, 2)).toBeNull();
  });
  it('equals R on continuous values', () => {
    const c = units.quantile.continuous;
    const x = vec(c.x);
    expectBox(boxSummary(x, new Float64Array(x.length).fill(1), 1), c.box, 'continuous');
  });
  it('the counting path equals the sorting path and quantiles() (property)', () => {
    let checked = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.boolean(), fc.boolean()), { minLength: 1, maxLength: 300 }),
        fc.boolean(),
        (rows, many) => {
          const v = Float64Array.from(rows, ([x, , miss], i) => (miss && i % 3 === 0 ? NaN : many ? x + i * 1e-3 : x / 4));
          const y = Float64Array.from(rows, ([, b]) => (b ? 1 : 0));
          const sel = Array.from(v).filter((x, i) => y[i] === 1 && !Number.isNaN(x));
          const b = boxSummary(v, y, 1);
          if (sel.length === 0) return b === null;
          const [q1, med, q3] = quantiles(Float64Array.from(sel), [0.25, 0.5, 0.75]);
          expect(b!.q1).toBeCloseTo(q1, 10);
          expect(b!.median).toBeCloseTo(med, 10);
          expect(b!.q3).toBeCloseTo(q3, 10);
          expect(b!.min).toBe(Math.min(...sel));
          expect(b!.max).toBe(Math.max(...sel));
          expect(b!.mean).toBeCloseTo(sel.reduce((a, c) => a + c, 0) / sel.length, 10);
          checked++;
          return true;
        },
      ),
    );
    expect(checked).toBeGreaterThan(0);
    // the sorting path (more than 4096 distinct values)
    const n = 10_000;
    const v = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 100);
    const y = new Float64Array(n).fill(1);
    const [q1, med, q3] = quantiles(v, [0.25, 0.5, 0.75]);
    const b = boxSummary(v, y, 1)!;
    expect([b.q1, b.median, b.q3]).toEqual([q1, med, q3]);
  });
});

describe('sortInPlace (counting for few distinct values, else a comparison sort)', () => {
  const same = (a: Float64Array, b: Float64Array) => {
    expect(a.length).toBe(b.length);
    for (let i = 0; i < a.length; i++) expect(Object.is(a[i], b[i]), `index ${i}: ${a[i]} vs ${b[i]}`).toBe(true);
  };
  it('gives exactly what Float64Array.prototype.sort gives, -0, infinities and many duplicates included', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(-0, 0, 1, 1.25, 3.5, -2, 5, Infinity, -Infinity, 1e-300, 4.75), { maxLength: 400 }), (v) => {
        same(sortInPlace(Float64Array.from(v)), Float64Array.from(v).sort());
      }),
    );
  });
  it('switches to sorting past 4096 distinct values and still sorts', () => {
    const v = Float64Array.from({ length: 20000 }, (_, i) => ((i * 7919) % 10007) / 3 - 100);
    expect(new Set(v).size).toBeGreaterThan(4096);
    same(sortInPlace(v.slice()), v.slice().sort());
    const few = Float64Array.from({ length: 50000 }, (_, i) => (i * 31) % 4096);
    same(sortInPlace(few.slice()), few.slice().sort());
  });
});
