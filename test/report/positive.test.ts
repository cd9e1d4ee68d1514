/** --positive comparisons ('>0' ...) and --unmatched negative (src/report/positive.ts). */
import { describe, expect, it } from 'vitest';
import { codeByComparison, comparisonText, parseComparison, satisfies, unmatchedAsNegative } from '../../src/report/positive.js';

describe('parseComparison', () => {
  it('reads each operator and a plain number', () => {
    expect(parseComparison(['>0'])).toEqual({ op: '>', value: 0 });
    expect(parseComparison(['>= 2.5'])).toEqual({ op: '>=', value: 2.5 });
    expect(parseComparison(['<-1'])).toEqual({ op: '<', value: -1 });
    expect(parseComparison(['<=10'])).toEqual({ op: '<=', value: 10 });
    expect(parseComparison(['=3'])).toEqual({ op: '=', value: 3 });
  });
  it('leaves a list of values alone', () => {
    expect(parseComparison(['yes', 'Y'])).toBeNull();
    expect(parseComparison(undefined)).toBeNull();
    expect(parseComparison([])).toBeNull();
  });
  it('refuses a comparison without a number, or mixed with values (usage errors)', () => {
    expect(() => parseComparison(['>abc'])).toThrow(/needs a plain number after >/);
    expect(() => parseComparison(['>'])).toThrow(/needs a plain number/);
    expect(() => parseComparison(['>0x10'])).toThrow(/not a number/);
    expect(() => parseComparison(['>Infinity'])).toThrow(/not a number/);
    expect(() => parseComparison(['>0', 'yes'])).toThrow(/not both/);
  });
});

describe('coding by a comparison', () => {
  it('codes numbers and keeps missing missing', () => {
    const y = codeByComparison(Float64Array.from([0, 1, 7, NaN, -2]), { op: '>', value: 0 });
    expect(Array.from(y)).toEqual([0, 1, 1, NaN, 0]);
    expect(Array.from(codeByComparison(Float64Array.from([2, 3, 4]), { op: '<=', value: 3 }))).toEqual([1, 1, 0]);
    expect(Array.from(codeByComparison(Float64Array.from([2, 3, 4]), { op: '=', value: 3 }))).toEqual([0, 1, 0]);
    expect(Array.from(codeByComparison(Float64Array.from([2, 3, 4]), { op: '>=', value: 3 }))).toEqual([0, 1, 1]);
    expect(Array.from(codeByComparison(Float64Array.from([2, 3, 4]), { op: '<', value: 3 }))).toEqual([1, 0, 0]);
    expect(satisfies({ op: '>', value: 0 }, NaN)).toBe(false);
  });
  it('shows the comparison and its negation', () => {
    expect(comparisonText({ op: '>', value: 0 })).toEqual({ positive: '> 0', negative: '<= 0' });
    expect(comparisonText({ op: '=', value: 1.5 })).toEqual({ positive: '= 1.5', negative: '≠ 1.5' });
  });
  it('--unmatched negative sets only the unmatched respondents to 0', () => {
    const y = Float64Array.from([1, NaN, NaN, 0]);
    expect(unmatchedAsNegative(y, Int32Array.from([3, -1, 5, -1]))).toBe(2);
    expect(Array.from(y)).toEqual([1, 0, NaN, 0]);
  });
});
