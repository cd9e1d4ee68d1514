/**
 * Regression (issue 12): the report's scale ranges come from the compiled instrument. A mean scale of
 * a 1–5 item and a 0/10 item runs from (1 + 0) / 2 = 0.5 to (5 + 10) / 2 = 7.5; the report used
 * 0–10 (the smallest and largest option of any item), so nobody was ever "at the floor or ceiling".
 * Hand-computed fixture: 8 respondents, 2 at 0.5 and 2 at 7.5, so floor and ceiling are 25% each.
 */
import { describe, expect, it } from 'vitest';
import { instrumentFromText } from '../../src/instrument/load.js';
import { loadReportData } from '../../src/report/load.js';
import { analyze } from '../../src/report/analyze.js';
import { warningTexts } from '../../src/report/facts.js';

const INSTRUMENT = `rapport: 1
id: mixed-range
version: 0.1.0
title: Mixed ranges
languages: [en]
response_sets:
  five:
    options:
      - {value: 1, label: One}
      - {value: 2, label: Two}
      - {value: 3, label: Three}
      - {value: 4, label: Four}
      - {value: 5, label: Five}
  ends:
    options:
      - {value: 0, label: Never}
      - {value: 10, label: Always}
  yesno:
    options:
      - {value: 0, label: "No"}
      - {value: 1, label: "Yes"}
items:
  - {id: a, response_set: five, text: Item a.}
  - {id: b, response_set: ends, text: Item b.}
  - {id: c, response_set: five, text: Item c.}
  - {id: d, response_set: ends, text: Item d.}
  - {id: e, response_set: five, text: Item e.}
  - {id: f, response_set: five, text: Item f.}
  - {id: portal, response_set: yesno, text: Portal used.}
scales:
  - {id: mixed, label: Mixed, items: [a, b], method: mean, min_answered: 2}
  - {id: total, label: Total, items: [c, d], method: sum, min_answered: 2}
  - {id: pct, label: Percent, items: [e, f], method: mean, min_answered: 2, transform: 0-100}
`;

// a, b → mean: 0.5, 0.5, 7.5, 6.5, 2.5, 6, 2, 7.5
const ROWS = ['1,0,1', '1,0,0', '5,10,1', '3,10,0', '5,0,1', '2,10,0', '4,0,1', '5,10,0'];
const DATA = 'id,a,b,c,d,e,f,portal\n' + ROWS.map((r, i) => {
  const [a, b, y] = r.split(',');
  return `r${i + 1},${a},${b},${a},${b},${a},${a},${y}`;
}).join('\n') + '\n';

describe('scale ranges from the compiled instrument', () => {
  it('mean of a 1–5 and a 0/10 item: 0.5–7.5; sum: 1–15; 0-100 transform: 0–100', async () => {
    const inst = instrumentFromText(INSTRUMENT, 'mixed.yaml');
    const d = await loadReportData({ input: 'mem.csv', text: DATA, instrument: inst, outcome: 'portal', predictors: ['mixed', 'total', 'pct'] });
    expect(Array.from(d.traits[0].values)).toEqual([0.5, 0.5, 7.5, 6.5, 2.5, 6, 2, 7.5]);
    expect(d.traits.map((t) => [t.name, t.lo, t.hi])).toEqual([
      ['mixed', 0.5, 7.5],
      ['total', 1, 15],
      ['pct', 0, 100],
    ]);
  });
  it('floor and ceiling percentages use the true range: 2 of 8 at 0.5 and 2 of 8 at 7.5', async () => {
    const inst = instrumentFromText(INSTRUMENT, 'mixed.yaml');
    const d = await loadReportData({ input: 'mem.csv', text: DATA, instrument: inst, outcome: 'portal', predictors: ['mixed'] });
    const r = analyze(d);
    expect(r.descriptives[0]).toMatchObject({ scale: 'mixed', pctFloor: 25, pctCeiling: 25 });
    expect(r.reliability![0].flags).toEqual(expect.arrayContaining(['floor', 'ceiling']));
    const texts = warningTexts(r);
    expect(texts).toContain('Mixed: 25.0% of respondents score at the floor (0.5), above 15%.');
    expect(texts).toContain('Mixed: 25.0% of respondents score at the ceiling (7.5), above 15%.');
  });
});
