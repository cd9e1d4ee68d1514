/** complementary(): which groups are withheld besides the small ones (hand-worked cases). */
import { describe, expect, it } from 'vitest';
import { complementary } from '../../src/report/sections/groups.js';

describe('complementary suppression', () => {
  it('two small groups (2 and 1, together 3 < 11): the smallest shown group is withheld too', () => {
    expect(complementary([150, 100, 47, 2, 1], 11)).toEqual([2]);
  });
  it('one small group: the smallest other (ties: the first)', () => {
    expect(complementary([30, 5, 20, 20], 11)).toEqual([2]);
  });
  it('small groups that together reach --min-cell (6 + 7 = 13): nothing more is withheld', () => {
    expect(complementary([6, 7, 100, 200], 11)).toEqual([]);
  });
  it('no small group: nothing withheld', () => {
    expect(complementary([11, 12], 11)).toEqual([]);
  });
  it('a small "not stated" group alone forces nothing; with a small stated group it counts in the withheld total', () => {
    expect(complementary([50, 40, 3], 11, 2)).toEqual([]);
    expect(complementary([50, 3, 4], 11, 2)).toEqual([0]); // 3 + 4 = 7 < 11
    expect(complementary([50, 3, 8], 11, 2)).toEqual([]); // 3 + 8 = 11
  });
  it('a reported "not stated" group can be the complement', () => {
    expect(complementary([50, 3, 12], 11, 2)).toEqual([2]);
  });
});
