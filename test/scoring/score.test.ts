import { describe, expect, it } from 'vitest';
import { instrumentFromText } from '../../src/instrument/load.js';
import { CELL, compileInstrument, keyedInto, readCell, scoreValues } from '../../src/scoring/score.js';

const inst = instrumentFromText(
  `
rapport: 1
id: t
version: '1'
title: T
response_sets:
  a5:
    options: [{value: 1, label: Strongly disagree}, {value: 2, label: Disagree}, {value: 3, label: Neutral}, {value: 4, label: Agree}, {value: 5, label: "Strongly agree"}]
    missing: [{value: 9, label: Prefer not to answer}]
items:
  - {id: a1, text: x, response_set: a5}
  - {id: a2, text: x, response_set: a5, reverse: true}
  - {id: a3, text: x, response_set: a5}
  - {id: b1, text: x, response_set: a5}
  - {id: b2, text: x, response_set: a5}
  - {id: b3, text: x, response_set: a5}
  - {id: b4, text: x, response_set: a5}
scales:
  - {id: A, items: [a1, a2, a3], min_answered: 2}
  - {id: B, items: [b1, b2, b3, b4], method: sum, min_answered: "75%", transform: "0-100"}
`,
  'inline.yaml',
);
const ci = compileInstrument(inst);
const N = NaN;

describe('scoreValues (hand-computed)', () => {
  it('mean with a reverse-keyed item: (4 + (6-2) + 5) / 3 = 4.3333', () => {
    const s = scoreValues(ci, [4, 2, 5, 1, 1, 1, 1]);
    expect(s[0]).toBeCloseTo(13 / 3, 12);
  });
  it('min_answered as a count: 2 of 3 answered scores, 1 of 3 does not', () => {
    expect(scoreValues(ci, [4, N, 2, 1, 1, 1, 1])[0]).toBe(3);
    expect(Number.isNaN(scoreValues(ci, [4, N, N, 1, 1, 1, 1])[0])).toBe(true);
  });
  it('prorated sum then 0-100: b = 2,4,5 answered (3 of 4 = 75%): mean 11/3, sum 44/3, range 4..20', () => {
    const s = scoreValues(ci, [1, 1, 1, 2, 4, 5, N]);
    const sum = (11 / 3) * 4;
    expect(s[1]).toBeCloseTo((100 * (sum - 4)) / 16, 12);
    expect(Number.isNaN(scoreValues(ci, [1, 1, 1, 2, 4, N, N])[1])).toBe(true);
  });
});

describe('keyedInto (the one home of reverse keying, used by the report)', () => {
  it('writes the chosen items keyed from the offset: a2 is reversed (6 - 2 = 4), NaN stays NaN', () => {
    const out = new Float64Array(5).fill(-1);
    const next = keyedInto(ci, Int32Array.of(0, 1, 2), [4, 2, N, 1, 1, 1, 1], out, 1);
    expect(next).toBe(4);
    expect(Array.from(out)).toEqual([-1, 4, 4, N, -1]);
  });
});

describe('readCell', () => {
  const out = new Int32Array(1);
  const a1 = ci.items[0];
  it.each([
    ['4', CELL.VALUE, 3],
    ['4.0', CELL.VALUE, 3],
    [' 4 ', CELL.VALUE, 3],
    ['strongly AGREE', CELL.VALUE, 4],
    ['\u201CStrongly  agree\u201D'.replace(/\u201C|\u201D/g, ''), CELL.VALUE, 4],
    ['', CELL.EMPTY, -1],
    ['   ', CELL.EMPTY, -1],
    ['9', CELL.REFUSED, -1],
    ['prefer not to answer', CELL.REFUSED, -1],
    ['6', CELL.INVALID, -1],
    ['agreeish', CELL.INVALID, -1],
  ])('%j', (cell, status, k) => {
    out[0] = -1;
    expect(readCell(a1, cell, out)).toBe(status);
    if (status === CELL.VALUE) expect(out[0]).toBe(k);
  });
});
