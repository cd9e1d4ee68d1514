/**
 * Formula injection (issue #8): every CSV rapport writes — score's output and --errors file, report's
 * tables, export-redcap's dictionary, run's responses file — neutralises text cells that start with
 * = + - @ tab CR LF (a leading '), and leaves numbers (-1.5, +3, 1e3) as they are.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { instrumentFromText } from '../../src/instrument/load.js';
import { scoreInput } from '../../src/scoring/pipeline.js';
import { answerCell, appendResponse, buildRow } from '../../src/survey/responses.js';
import { NUMBER_TEXT, neutralizeText } from '../../src/util/format.js';
import { ROOT, distMissing, rapport, tmpDir } from '../helpers/cli.js';

const TRIGGER = /^[=+\-@\t\r\n]/;

/** Every cell of a CSV text: [row, column, text]. */
function cells(text: string): [number, number, string][] {
  const rows = parse(text, { bom: true, relax_column_count: true }) as string[][];
  return rows.flatMap((r, i) => r.map((c, j) => [i + 1, j + 1, c] as [number, number, string]));
}

/** Cells that a spreadsheet would run as a formula (text starting with a trigger that is not a number). */
function dangerous(text: string): string[] {
  return cells(text)
    .filter(([, , c]) => TRIGGER.test(c) && !NUMBER_TEXT.test(c))
    .map(([r, c, t]) => `row ${r} col ${c}: ${JSON.stringify(t)}`);
}

const INSTRUMENT = `rapport: 1
id: inj
version: "1"
title: Injection
response_sets:
  a4:
    options: [{value: 1, label: "=one"}, {value: 2, label: "+two"}, {value: 3, label: "-three"}, {value: 4, label: "@four"}]
  codes:
    options: [{value: "-A1", label: minus}, {value: B2, label: b}]
items:
  - {id: t1, text: "=HYPERLINK(\\"http://example.invalid\\",\\"click\\")", response_set: a4}
  - {id: t2, text: "@SUM(1+1)", response_set: a4, reverse: true}
  - {id: kind, text: "-kind", response_set: codes}
scales:
  - {id: trust, label: "=Trust", items: [t1, t2], min_answered: 1}
`;

describe('the neutraliser', () => {
  it('prefixes text starting with = + - @ tab CR LF, never a number', () => {
    for (const s of ['=1+2', '+A1', '-A1', '@SUM(A1)', '\tx', '\rx', '\nx', '-', '+', '=', '-1.5x', '- 1', '--1']) expect(neutralizeText(s)).toBe("'" + s);
    for (const s of ['-1.5', '+3', '-0', '1e3', '-2.5E-3', '.5', '-.5', '12', 'abc', '', "'=x", ' =x']) expect(neutralizeText(s)).toBe(s);
  });

  it("run: letter codes that start like a formula are neutralised in the responses row ('-A1), numbers are not", () => {
    expect(answerCell({ kind: 'value', value: '-A1' })).toBe("'-A1");
    expect(answerCell({ kind: 'value', value: -1 })).toBe('-1');
    expect(answerCell({ kind: 'refused', value: -9 })).toBe('-9');
    expect(answerCell({ kind: 'value', value: 'B2' })).toBe('B2');
  });
});

describe.skipIf(distMissing())('every CSV the tool writes', () => {
  let dir: string;
  let inst: string;
  beforeAll(() => {
    dir = tmpDir('rapport-inject-');
    inst = path.join(dir, 'inj.yaml');
    fs.writeFileSync(inst, INSTRUMENT);
  });

  it('score: ids, kept columns and their headers, recoded letter codes; the --errors file echoes values and column names neutralised', () => {
    const input = path.join(dir, 'export.csv');
    fs.writeFileSync(
      input,
      [
        'id,@t1,t2,kind,=note,num',
        '"=HYPERLINK(""http://example.invalid"",""x"")",1,2,-A1,=1+2,-1.5',
        '+cmd,=bad,3,B2,@SUM(A1),+3',
        '-A1,4,@oops,-A1,"\tx",1e3',
        '@me,2,2,,"\r\nsplit",-0.25',
        '-1.5,-x,1,B2,-,-7',
        '"\tTAB",1,1,B2,ok,0',
      ].join('\n') + '\n',
    );
    const map = path.join(dir, 'map.yaml');
    fs.writeFileSync(map, 'items:\n  t1: "@t1"\n');
    const out = path.join(dir, 'scored.csv');
    const errors = path.join(dir, 'errors.csv');
    const r = rapport(['score', input, '-i', inst, '--map', map, '--keep', '=note,num', '--out', out, '--errors', errors, '-q']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const text = fs.readFileSync(out, 'utf8');
    expect(dangerous(text)).toEqual([]);
    const rows = parse(text) as string[][];
    expect(rows).toEqual([
      ['id', "'=note", 'num', 'trust', 'kind'],
      ['\'=HYPERLINK("http://example.invalid","x")', "'=1+2", '-1.5', '2', "'-A1"],
      ["'+cmd", "'@SUM(A1)", '+3', '2', 'B2'],
      ["'-A1", "'\tx", '1e3', '4', "'-A1"],
      ["'@me", "'\r\nsplit", '-0.25', '2.5', ''],
      ['-1.5', "'-", '-7', '4', 'B2'],
      ["'\tTAB", 'ok', '0', '2.5', 'B2'],
    ]);
    const err = fs.readFileSync(errors, 'utf8');
    expect(dangerous(err)).toEqual([]);
    const e = parse(err) as string[][];
    expect(e.map((x) => x.slice(0, 3))).toEqual([
      ['line', 'column', 'value'],
      ['3', "'@t1", "'=bad"],
      ['4', 't2', "'@oops"],
      ['7', "'@t1", "'-x"], // line 6 holds a line break inside quotes
    ]);
    expect(e[1][3]).toMatch(/^"=bad" is not an answer to item t1/);
  });

  it('report: every table (groups, model, predictors, descriptives, reliability) on a hostile scored file', () => {
    // fixtures/report/scored.csv with formula-like ids, covariate levels, group labels, column names and notes.
    const src = fs.readFileSync(path.join(ROOT, 'fixtures', 'report', 'scored.csv'), 'utf8').trim().split('\n');
    const clinics = ['=Northside', '+Southside', '@West', '-East'];
    const lines = ['"id","trust","respect","@comm","=sex","uses_portal","clinic","notes"'];
    src.slice(1).forEach((l, i) => {
      const f = l.split(',');
      f[0] = JSON.stringify(`=ID${i}`);
      if (f[4] === '"female"') f[4] = '"-fem"';
      lines.push([...f, JSON.stringify(clinics[i % 4]), JSON.stringify(`=cmd|' /C calc'!A${i}`)].join(','));
    });
    const input = path.join(dir, 'hostile.csv');
    fs.writeFileSync(input, lines.join('\n') + '\n');
    const rep = path.join(dir, 'report');
    const r = rapport(['report', input, '--predictors', 'trust,respect,@comm', '--outcome', 'uses_portal', '--covariates', '=sex', '--group-by', 'clinic', '--out', rep, '-q']);
    expect(r.code).toBe(0);
    const csvs = fs.readdirSync(rep).filter((f) => f.endsWith('.csv'));
    expect(csvs).toEqual(expect.arrayContaining(['groups.csv', 'model.csv', 'predictors.csv', 'descriptives.csv']));
    let negatives = 0;
    for (const f of csvs) {
      const t = fs.readFileSync(path.join(rep, f), 'utf8');
      expect(dangerous(t), f).toEqual([]);
      negatives += cells(t).filter(([, , c]) => /^-\d/.test(c) && NUMBER_TEXT.test(c)).length;
    }
    expect(negatives).toBeGreaterThan(0); // negative estimates stay numbers
    const groups = parse(fs.readFileSync(path.join(rep, 'groups.csv'), 'utf8')) as string[][];
    expect(groups.slice(1).map((g) => g[0]).sort()).toEqual(["'+Southside", "'-East", "'=Northside", "'@West"]);
    expect(groups[0]).toContain("'@comm_mean");
    const model = parse(fs.readFileSync(path.join(rep, 'model.csv'), 'utf8')) as string[][];
    expect(model.map((m) => m[0])).toContain("'=sex=male");
  });

  it('export-redcap: labels and item texts starting like formulas are neutralised', () => {
    const out = path.join(dir, 'dict.csv');
    const r = rapport(['instruments', 'export-redcap', inst, '--out', out, '-q']);
    expect(r.code).toBe(0);
    const text = fs.readFileSync(out, 'utf8');
    expect(dangerous(text)).toEqual([]);
    const rows = parse(text, { bom: true }) as string[][];
    const t1 = rows.find((x) => x[0] === 't1')!;
    expect(t1[4]).toBe('\'=HYPERLINK("http://example.invalid","click")');
    expect(rows.find((x) => x[0] === 'trust_score')![4]).toBe("'=Trust");
  });

  it("run: the responses file neutralises ids and letter codes, and rapport score reads '-A1 back as the code -A1", async () => {
    const instrument = instrumentFromText(INSTRUMENT, inst);
    const file = path.join(dir, 'responses.csv');
    const meta = { respondent: '=evil', instrumentId: instrument.id, version: instrument.version, lang: 'en', startedAt: '2026-01-01T00:00:00.000Z' };
    const row = buildRow(meta, [{ kind: 'value', value: 1 }, { kind: 'value', value: 4 }, { kind: 'value', value: '-A1' }], '2026-01-01T00:05:00.000Z');
    expect(await appendResponse(file, instrument, row)).toBe('appended');
    const text = fs.readFileSync(file, 'utf8');
    expect(dangerous(text)).toEqual([]);
    expect(text.split('\n')[1]).toBe("'=evil,inj,1,en,2026-01-01T00:00:00.000Z,2026-01-01T00:05:00.000Z,1,4,'-A1");
    const got: [string, number, number][] = [];
    await scoreInput({ input: file, instrument }, (r) => got.push([r.id, r.scores[0], r.codes[2]]));
    expect(got).toEqual([["'=evil", 1, 0]]); // t1 = 1, t2 = 4 reversed to 1; kind = option 0 (-A1)
  });
});
