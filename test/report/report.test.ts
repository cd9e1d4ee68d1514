/**
 * The report's pure parts: formatting, CSV cells, the text/HTML/JSON renderers
 * on a hand-made data set (suppression in every output, escaping), loading and outcome coding from
 * in-memory CSV text, and the can't-fit paths of analyze().
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { andList, fmtOr, fmtOrCi, fmtP, fmtPEq, textTable, wrap } from '../../src/report/format.js';
import { csvText, groupsCsv } from '../../src/report/csv.js';
import { F64Builder, TextColumnBuilder, MAX_LEVELS, numericValues, parseNumber } from '../../src/report/columns.js';
import { analyze } from '../../src/report/analyze.js';
import { modelErrorText, warningTexts } from '../../src/report/facts.js';
import { loadReportData } from '../../src/report/load.js';
import { renderReportFiles } from '../../src/report/index.js';
import { orAxis, asciiForest } from '../../src/report/text.js';
import type { ReportData } from '../../src/report/data.js';
import { loadInstrument } from '../../src/instrument/load.js';

describe('formatting', () => {
  it('p-values like R: "< 0.001", three decimals, never 0', () => {
    expect(fmtP(1e-20)).toBe('< 0.001');
    expect(fmtP(0)).toBe('< 0.001');
    expect(fmtP(0.0009999)).toBe('< 0.001');
    expect(fmtP(0.001)).toBe('0.001');
    expect(fmtP(0.01883)).toBe('0.019');
    expect(fmtP(0.9996)).toBe('> 0.999');
    expect(fmtP(null)).toBe('–');
    expect(fmtPEq(0.5)).toBe('p = 0.500');
    expect(fmtPEq(1e-9)).toBe('p < 0.001');
    fc.assert(fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (p) => fmtP(p) !== '0.000' && fmtP(p) !== '0'));
  });
  it('odds ratios: two decimals, readable when huge or tiny; CIs with an en dash', () => {
    expect(fmtOrCi(2.2449, 1.8551, 2.7149)).toBe('2.24 (95% CI 1.86–2.71)');
    expect(fmtOr(30674.7)).toBe('30,675');
    expect(fmtOr(4.6e7)).toBe('4.6e7');
    expect(fmtOr(12.34)).toBe('12.3');
    expect(fmtOr(0.0021)).toBe('2.1e-3');
    expect(fmtOr(null)).toBe('–');
  });
  it('lists, tables and wrapping', () => {
    expect(andList(['age'])).toBe('age');
    expect(andList(['a', 'b', 'c'])).toBe('a, b and c');
    expect(textTable(['A', 'n'], [['trust', '5'], ['x', '100']], ['l', 'r'])).toEqual(['  A        n', '  -----  ---', '  trust    5', '  x      100']);
    for (const l of wrap('word '.repeat(60), 40)) expect(l.length).toBeLessThanOrEqual(40);
  });
  it('the log axis contains 1 and every value it is given (within its limits)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.002, max: 500, noNaN: true }), { minLength: 1, maxLength: 12 }), (xs) => {
        const a = orAxis(xs);
        expect(a.lo).toBeLessThanOrEqual(1);
        expect(a.hi).toBeGreaterThanOrEqual(1);
        for (const x of xs) {
          expect(a.lo).toBeLessThanOrEqual(x * 1.000001);
          expect(a.hi).toBeGreaterThanOrEqual(x / 1.000001);
        }
        expect(a.ticks).toContain(1);
      }),
    );
  });
});

describe('columns', () => {
  it('F64Builder keeps every value across chunks', () => {
    const b = new F64Builder();
    for (let i = 0; i < 200_000; i++) b.push(i * 0.5);
    const x = b.finish();
    expect(x.length).toBe(200_000);
    expect(x[199_999]).toBe(99_999.5);
    expect(x[65_536]).toBe(32_768);
  });
  it('text columns: trimmed, dictionary coded, numbers recognised; overflow keeps numbers', () => {
    const t = new TextColumnBuilder('age');
    for (const s of [' 34', '', '34', '51.5']) t.push(s);
    const c = t.finish();
    expect(c.kind).toBe('coded');
    expect(Array.from(numericValues(c).values)).toEqual([34, NaN, 34, 51.5]);
    expect(numericValues(c).bad).toBeNull();
    const big = new TextColumnBuilder('x');
    for (let i = 0; i < MAX_LEVELS + 10; i++) big.push(String(i / 7));
    const bc = big.finish();
    expect(bc.kind).toBe('numeric-only');
    const v = numericValues(bc).values;
    expect(v[MAX_LEVELS + 5]).toBeCloseTo((MAX_LEVELS + 5) / 7, 9);
    expect(parseNumber('1e3')).toBe(1000);
    expect(parseNumber('0x10')).toBeNaN();
    expect(parseNumber('Infinity')).toBeNaN();
  });
  it('CSV cells: quoting and formula neutralisation, empty for missing', () => {
    expect(csvText(['a', 'b'], [['=1+1', 'x,"y"'], [null, 0.1 + 0.2]])).toBe('a,b\n\'=1+1,"x,""y"""\n,0.3\n');
  });
});

/** A small hand-made data set: 2 traits, one group of 5 (suppressed) and two of 20. */
function handData(): ReportData {
  const n = 45;
  const trust = new Float64Array(n);
  const respect = new Float64Array(n);
  const y = new Float64Array(n);
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    trust[i] = 1 + ((i * 7) % 17) / 4;
    respect[i] = 1 + ((i * 11) % 13) / 3;
    y[i] = (i * 5) % 9 < 4 ? 1 : 0;
    codes[i] = i < 5 ? 0 : i < 25 ? 1 : 2;
  }
  return {
    n,
    input: { file: 'hand.csv', format: 'scored CSV', instrument: null, join: null },
    counts: { read: n, excluded: [], analysed: n, invalidCells: 0 },
    traits: [
      { name: 'trust', label: 'Trust', lo: 1, hi: 5, values: trust },
      { name: 'respect', label: 'Respect', lo: 1, hi: 5, values: respect },
    ],
    scaleItems: null,
    outcome: { variable: 'portal_use', y, positive: ['1'], negative: ['0'], rule: 'default_values', label: 'portal use' },
    covariates: [],
    group: { name: 'clinic', codes, levels: ['<b>Tiny & Co</b>', 'East', 'West'] },
    warnings: [],
  };
}

describe('renderers on a hand-made data set', () => {
  const r = analyze(handData(), { minCell: 11 });
  const files = renderReportFiles(r);

  it('suppresses the small group in every output: n "<11" and no statistic', () => {
    const tiny = r.groups!.rows[0];
    expect(tiny).toMatchObject({ group: '<b>Tiny & Co</b>', n: null, nLabel: '<11', suppressed: true, rate: null });
    const csvLine = groupsCsv(r).split('\n')[1];
    expect(csvLine).toBe('<b>Tiny & Co</b>,<11,,,,,,,,,,');
    const json = JSON.parse(files['summary.json']);
    expect(json.groups.rows[0]).toMatchObject({ n: null, n_label: '<11', rate: null, rate_ci_low: null });
    expect(files['report.txt']).toMatch(/<b>Tiny & Co<\/b>\s+<11\s+suppressed/);
    // HTML: escaped, and no rate next to the suppressed group
    expect(files['report.html']).toContain('&lt;b&gt;Tiny &amp; Co&lt;/b&gt;');
    expect(files['report.html']).not.toContain('<b>Tiny');
    // the true count (5) of the suppressed group appears nowhere as its n
    expect(json.groups.rows[0].traits.every((t: { n: null }) => t.n === null)).toBe(true);
  });

  it('the text report has every section and an ASCII forest plot with the line at 1', () => {
    const t = files['report.txt'];
    for (const h of ['WHAT WAS ANALYSED', 'SCALE RELIABILITY', 'ADJUSTED MODEL', 'WHICH TRAITS MATTER MOST', 'MODEL FIT', 'WARNINGS', 'READ WITH CARE']) expect(t).toContain(h);
    const forest = asciiForest(r);
    expect(forest.length).toBe(1 + 2 + 1);
    const bar = forest[1];
    expect(bar.includes('●')).toBe(true);
    expect(forest[3]).toContain('← lower odds |');
    // every row has the reference line in the same column (or a marker on top of it)
    const col = forest[3].indexOf('|');
    for (const line of forest.slice(1, 3)) expect(['|', '├', '┤', '─', '●']).toContain(line[col]);
  });

  it('HTML is one self-contained page', () => {
    const h = files['report.html'];
    expect(h.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(h).not.toMatch(/<script|<link|https?:\/\//);
  });

  it('files are byte-identical across runs (no clock inside)', () => {
    const again = renderReportFiles(analyze(handData(), { minCell: 11 }));
    expect(again).toEqual(files);
  });
});

describe('analyze: when the model cannot be fitted', () => {
  it('more predictors than events', () => {
    const d = handData();
    for (let i = 0; i < d.n; i++) d.outcome.y[i] = i === 3 ? 1 : 0;
    const r = analyze(d);
    expect(r.model).toBeNull();
    expect(r.modelError).toEqual({ code: 'too_few_events', smaller: 1, parameters: 2 });
    expect(modelErrorText(r)).toMatch(/only 1 respondents for 2 coefficients/);
    expect(r.descriptives.length).toBe(2);
    expect(renderReportFiles(r)['report.txt']).toMatch(/The model could not be fitted/);
  });
  it('no complete respondent', () => {
    const d = handData();
    d.traits[0].values.fill(NaN);
    const r = analyze(d);
    expect(modelErrorText(r)).toMatch(/no respondent has the outcome and every predictor/);
    expect(r.sample.dropped.find((x) => x.variable === 'trust')!.n).toBe(45);
    expect(warningTexts(r)).toContain('The model could not be fitted: no respondent has the outcome and every predictor and covariate.');
  });
});

describe('loading from CSV text', () => {
  const scored = 'id,trust,sex,uses\nA,3.5,f,Yes\nB,4,m,no\nC,,f,YES\nD,2.25,m,\n';
  it('codes a yes/no text outcome by default and keeps no ids', async () => {
    const d = await loadReportData({ input: 'mem.csv', text: scored, outcome: 'uses', predictors: ['trust'], covariates: ['sex'] });
    expect(Array.from(d.outcome.y)).toEqual([1, 0, 1, NaN]);
    expect(d.outcome.variable).toBe('uses');
    expect(d.covariates[0]).toMatchObject({ kind: 'categorical', levels: ['f', 'm'] });
    expect(JSON.stringify({ ...d, traits: [], outcome: {}, covariates: [] })).not.toContain('"A"');
  });
  it('three different values need --positive (every other value is then negative)', async () => {
    const t = 'id,trust,uses\nA,1,Yes\nB,2,No\nC,3,Maybe\nD,4,1.0\n';
    await expect(loadReportData({ input: 'mem.csv', text: t, outcome: 'uses', predictors: ['trust'] })).rejects.toThrow(
      /the outcome column "uses" has 4 different values \(the most common: "Yes", "No", "Maybe", \.\.\.\); say which/,
    );
    const d = await loadReportData({ input: 'mem.csv', text: t, outcome: 'uses', predictors: ['trust'], positive: ['yes', '1'] });
    expect(Array.from(d.outcome.y)).toEqual([1, 0, 0, 1]);
    expect(d.outcome.positive).toEqual(['Yes', '1.0']);
    await expect(loadReportData({ input: 'mem.csv', text: t, outcome: 'uses', predictors: ['trust'], positive: ['often'] })).rejects.toThrow(/no value of the outcome column "uses" matches --positive often/);
  });
  it('an outcome item of the instrument: default positive is the higher option; labels accepted by --positive', async () => {
    const inst = loadInstrument('relationship-engagement');
    const text = 'ResponseId,trust_1,trust_2,trust_3,trust_4,portal_use,portal_frequency\nr1,5,4,2,5,Yes,3\nr2,2,2,4,1,0,0\nr3,4,4,2,4,9,1\n';
    const d = await loadReportData({ input: 'mem.csv', text, instrument: inst, outcome: 'portal_use', predictors: ['trust'] });
    expect(Array.from(d.outcome.y)).toEqual([1, 0, NaN]);
    expect(d.outcome.positive).toEqual(['1 (Yes)']);
    // trust_3 is reverse keyed: 6 - 2 = 4; mean(5,4,4,5) = 4.5
    expect(d.traits[0].values[0]).toBe(4.5);
    expect(Array.from(d.scaleItems![0].items[2].values)).toEqual([4, 2, 4]);
    // 4 ordered options: ordinal by default (issue 17); yes/no only with --positive or --outcome-type binary
    const o = await loadReportData({ input: 'mem.csv', text, instrument: inst, outcome: 'portal_frequency', predictors: ['trust'] });
    expect(o.outcome.family).toMatchObject({ type: 'ordinal', rule: 'item_options', levels: ['Not at all', 'Once or twice', '3 to 9 times', '10 times or more'] });
    expect(Array.from(o.outcome.family!.values)).toEqual([3, 0, 1]);
    expect(Array.from(o.outcome.y)).toEqual([1, 0, 1]);
    await expect(loadReportData({ input: 'mem.csv', text, instrument: inst, outcome: 'portal_frequency', predictors: ['trust'], outcomeType: 'binary' })).rejects.toThrow(
      /item portal_frequency has 4 options .*--positive/,
    );
    const f = await loadReportData({ input: 'mem.csv', text, instrument: inst, outcome: 'portal_frequency', predictors: ['trust'], positive: ['10 times or more', '2'] });
    expect(Array.from(f.outcome.y)).toEqual([1, 0, 0]);
    await expect(loadReportData({ input: 'mem.csv', text, instrument: inst, outcome: 'portal_use', predictors: ['trust'], positive: ['maybe'] })).rejects.toThrow(
      /--positive maybe: not an option of item portal_use/,
    );
  });
  it('--join brings a column by key and counts unmatched and unused rows', async () => {
    const join = 'key,login\nA,yes\nB,no\nZ,yes\nA,no\n';
    const d = await loadReportData({ input: 'mem.csv', text: 'key,trust\nA,1\nB,2\nC,3\n', outcome: 'login', predictors: ['trust'], join: { file: 'j.csv', on: 'key', text: join } });
    expect(Array.from(d.outcome.y)).toEqual([1, 0, NaN]);
    expect(d.input.join).toMatchObject({ rows: 4, matched: 2, unmatched: 1, unused: 1, duplicateKeys: 1, columns: ['login'] });
  });
  it('a predictor column with text is an error naming the column and the value', async () => {
    await expect(loadReportData({ input: 'mem.csv', text: 'id,trust,y\nA,high,1\nB,2,0\n', outcome: 'y', predictors: ['trust'] })).rejects.toThrow(
      /mem\.csv: the predictor column "trust" holds the text "high"/,
    );
  });
});
