/**
 * The design-matrix builder (src/stats/design.ts): listwise deletion, R's treatment coding (first
 * level in R's sort order is the reference, as model.matrix), and DataErrors with a fix.
 */
import { describe, expect, it } from 'vitest';
import { buildDesign, sortLevels } from '../../src/stats/design.js';
import { DataError } from '../../src/errors.js';

describe('buildDesign', () => {
  it('drops incomplete rows listwise and keeps the original row indices', () => {
    const X = buildDesign({
      numeric: { a: Float64Array.from([1, NaN, 3, 4]) },
      categorical: { g: ['x', 'y', '', 'y'] },
      outcome: Float64Array.from([1, 0, 1, NaN]),
    });
    expect(X.n).toBe(1);
    expect(Array.from(X.rows)).toEqual([0]);
    expect(X.nDropped).toBe(3);
  });
  it('dummy-codes against the first level in sorted order, named variable=level', () => {
    const X = buildDesign({ categorical: { site: ['west', 'north', 'east', 'north'] }, numeric: { z: Float64Array.from([1, 2, 3, 4]) }, order: ['z', 'site'] });
    expect(X.names).toEqual(['(Intercept)', 'z', 'site=north', 'site=west']);
    expect(Array.from(X.data)).toEqual([1, 1, 0, 1, 1, 2, 1, 0, 1, 3, 0, 0, 1, 4, 1, 0]);
    expect(X.terms.map((t) => [t.name, t.columns])).toEqual([
      ['(Intercept)', [0]],
      ['z', [1]],
      ['site', [2, 3]],
    ]);
  });
  it('sorts levels like R in an English locale (case-insensitive first)', () => {
    expect(sortLevels(['b', 'B', 'a', 'A10', 'A2'])).toEqual(['a', 'A10', 'A2', 'b', 'B']);
  });
  it('explicit levels set the reference; unknown values are a DataError', () => {
    const X = buildDesign({ categorical: { s: ['m', 'f', 'm'] }, levels: { s: ['m', 'f'] } });
    expect(X.names).toEqual(['(Intercept)', 's=f']);
    expect(() => buildDesign({ categorical: { s: ['m', 'x'] }, levels: { s: ['m', 'f'] } })).toThrow(DataError);
  });
  it('mismatched lengths and unknown variables are DataErrors with a fix', () => {
    expect(() => buildDesign({ numeric: { a: new Float64Array(3), b: new Float64Array(4) } })).toThrow(/has 4 values but the others have 3/);
    expect(() => buildDesign({ numeric: { a: new Float64Array(3) }, order: ['a', 'q'] })).toThrow(DataError);
  });
});
