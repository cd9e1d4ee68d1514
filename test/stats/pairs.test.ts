import { describe, expect, it } from 'vitest';
import { completePairs } from '../../src/stats/pairs.js';

// R: x <- c(1, NA, 3, 4, NaN); y <- c(2, 5, NA, 8, 1); cc <- complete.cases(x, y); x[cc]; y[cc]
// gives x = 1 4 and y = 2 8 (NaN counts as missing in complete.cases, as NaN does here).
describe('completePairs', () => {
  it('keeps the rows where both columns have a value, in order (as complete.cases)', () => {
    const p = completePairs([1, NaN, 3, 4, NaN], [2, 5, NaN, 8, 1]);
    expect(Array.from(p.x)).toEqual([1, 4]);
    expect(Array.from(p.y)).toEqual([2, 8]);
  });
  it('no complete pair gives two empty columns; columns of different lengths are refused', () => {
    const p = completePairs([NaN, 1], [2, NaN]);
    expect([p.x.length, p.y.length]).toEqual([0, 0]);
    expect(() => completePairs([1, 2], [1])).toThrow(/2 and 1 rows/);
  });
});
