/**
 * Scores agree with R: psych::scoreItems(keys, items, impute = "none", min = 1, max = 5) on a data set
 * with missing answers, refusals and reverse-keyed items (test/reference/score-psych.R writes the CSV and
 * the JSON; R is not needed to run this test). psych gives the mean of the answered items whatever their
 * number, so the comparison is on respondents who meet min_answered; the others must have no score.
 */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadInstrument } from '../../src/instrument/load.js';
import { scoreInput } from '../../src/scoring/pipeline.js';

const golden = JSON.parse(fs.readFileSync('test/reference/score-psych.json', 'utf8')) as {
  ids: string[];
  X: (number | null)[];
  Y: (number | null)[];
  answered_X: number[];
  answered_Y: number[];
};
const inst = loadInstrument('test/reference/score-psych.yaml');

describe('agreement with psych::scoreItems(impute = "none")', () => {
  it('every scorable respondent matches to 1e-12; the others have no score', async () => {
    const got = new Map<string, number[]>();
    const summary = await scoreInput({ input: 'test/reference/score-psych.csv', instrument: inst }, (r) => got.set(r.id, [...r.scores]));
    expect(summary.rowsScored).toBe(golden.ids.length);
    expect(summary.refusedCells).toBeGreaterThan(10);
    let compared = 0;
    let unscored = 0;
    golden.ids.forEach((id, i) => {
      const [x, y] = got.get(id)!;
      for (const [ours, theirs, answered, min] of [
        [x, golden.X[i], golden.answered_X[i], 3],
        [y, golden.Y[i], golden.answered_Y[i], 2],
      ] as [number, number | null, number, number][]) {
        if (answered >= min) {
          expect(theirs).not.toBeNull();
          expect(Math.abs(ours - theirs!), `${id}`).toBeLessThan(1e-12);
          compared++;
        } else {
          expect(Number.isNaN(ours), `${id} has ${answered} answers`).toBe(true);
          unscored++;
        }
      }
    });
    expect(compared).toBeGreaterThan(130);
    expect(unscored).toBeGreaterThan(10);
  });
});
