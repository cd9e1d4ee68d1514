/**
 * Excel and SPSS files through the built CLI, each read back by a reader that is not rapport's:
 * workbooks rapport writes are read with Python's zipfile + ElementTree (test/helpers/read-xlsx.py);
 * inputs are an .xlsx written by Python (fixtures/xlsx/make-xlsx.py) and .sav files written by PSPP and
 * R's haven (fixtures/sav/make-fixtures.sh). Broken inputs: one sentence, exit 65, no output.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { distMissing, rapport, tmpDir } from '../helpers/cli.js';

type Cell = string | number | boolean | null;
interface Sheet {
  name: string;
  frozen_rows: number;
  widths: number[];
  rows: Cell[][];
  formats: Record<string, string>;
}
const readXlsx = (file: string): Sheet[] => (JSON.parse(execFileSync('python3', ['test/helpers/read-xlsx.py', file], { encoding: 'utf8' })) as { sheets: Sheet[] }).sheets;

/** A CSV's rows as the workbook should hold them: canonical numbers as numbers, empty cells as null. */
const csvAsCells = (text: string): Cell[][] =>
  (parse(text, { relaxColumnCount: true }) as string[][]).map((r) => r.map((s) => (s === '' ? null : String(Number(s)) === s ? Number(s) : s)));
/** Trailing empty cells are not stored in a sheet. */
const trim = (rows: Cell[][]) => rows.map((r) => {
  const c = [...r];
  while (c.length && c[c.length - 1] === null) c.pop();
  return c;
});

const SAMPLE = 'fixtures/sample/qualtrics-sample.csv';
const SAV_INST = 'fixtures/sav/instrument.yaml';
const Q_INST = 'fixtures/instruments/score-fixture.yaml';

// Several CLI runs per test (three reports in the first): slow on a loaded 2-core machine.
describe.skipIf(distMissing())('Excel and SPSS (built CLI)', { timeout: 240_000 }, () => {
  let dir: string;
  beforeAll(() => {
    dir = tmpDir('rapport-xlsx-sav-');
  });

  it('report --xlsx: a summary sheet and one sheet per CSV, the same cells and withheld groups, deterministic bytes', () => {
    const out = path.join(dir, 'rep');
    const args = ['report', SAMPLE, '-i', 'relationship-engagement', '--outcome', 'portal_use', '--group-by', 'sex', '--min-cell', '200', '--xlsx', '--out', out, '--quiet'];
    const r = rapport(args);
    expect(r.code).toBe(0);
    const book = path.join(out, 'report.xlsx');
    const first = fs.readFileSync(book);
    const sheets = readXlsx(book);
    const csvs = ['model', 'predictors', 'reliability', 'reliability_items', 'descriptives', 'groups'];
    expect(sheets.map((s) => s.name)).toEqual(['Summary', ...csvs]);
    for (const name of csvs) {
      const s = sheets.find((x) => x.name === name)!;
      expect(trim(s.rows), name).toEqual(trim(csvAsCells(fs.readFileSync(path.join(out, `${name}.csv`), 'utf8'))));
      expect(s.frozen_rows).toBe(1);
      expect(s.widths.length).toBeGreaterThan(0);
    }
    // --min-cell 200 withholds the smaller group (M, 165) and, complementarily, the other (F): no counts shown, as in groups.csv.
    const groups = sheets.find((s) => s.name === 'groups')!;
    expect(groups.rows.slice(1).map((r) => r.slice(0, 2))).toEqual([['F', '>=200'], ['M', '<200']]);
    const model = sheets.find((s) => s.name === 'model')!;
    expect(model.formats.E2).toBe('0.0000'); // p_value
    expect(model.formats.F2).toBe('0.000'); // odds_ratio
    // The summary sheet: title, input, outcome, the text report's "In short" and the key table.
    const sum = sheets[0];
    expect(sum.rows[0][0]).toBe('Which relationship traits go with portal use');
    expect(sum.rows[2]).toEqual(['Outcome', 'portal use']);
    // The "In short" list of report.txt and summary.json (headline.in_short), as one paragraph.
    const inShort = (JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')).headline.in_short as string[]).join(' ');
    expect(String(sum.rows[5][0]).replace(/\s+/g, ' ')).toBe(inShort);
    const pred = csvAsCells(fs.readFileSync(path.join(out, 'predictors.csv'), 'utf8'));
    const h = pred[0] as string[];
    const key = pred.slice(1).map((p) => ['predictor', 'adjusted_or', 'adjusted_ci_low', 'adjusted_ci_high', 'adjusted_p_holm', 'rank', 'dominance_share'].map((c) => p[h.indexOf(c)]));
    expect(sum.rows.slice(9, 9 + key.length)).toEqual(key);
    expect(sum.rows[8]).toEqual(['Trait', 'Odds ratio', '95% CI low', '95% CI high', 'Holm-adjusted p', 'Rank (dominance)', 'Share of explained variation']);
    // In the manifest; the same input gives the same bytes; a run without --xlsx removes it.
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(out, '.rapport-manifest.json'), 'utf8')).files)).toContain('report.xlsx');
    expect(rapport(args).code).toBe(0);
    expect(fs.readFileSync(book).equals(first)).toBe(true);
    expect(rapport(args.filter((a) => a !== '--xlsx')).code).toBe(0);
    expect(fs.existsSync(book)).toBe(false);
  });

  it('score --out scored.xlsx: the CSV rows in a workbook (mode 0600, frozen header)', () => {
    const csv = rapport(['score', 'fixtures/sav/pspp.sav', '-i', SAV_INST, '--keep', 'clinic', '--quiet']);
    expect(csv.code).toBe(0);
    const out = path.join(dir, 'scored.xlsx');
    const r = rapport(['score', 'fixtures/sav/pspp.sav', '-i', SAV_INST, '--keep', 'clinic', '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    const [s] = readXlsx(out);
    expect(s.name).toBe('Scores');
    expect(s.frozen_rows).toBe(1);
    expect(trim(s.rows)).toEqual(trim(csvAsCells(csv.stdout)));
    expect(s.rows[1]).toEqual(['R001', 'North', 4.33333333333, 5, 1]);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('reads .xlsx input like the CSV it was made from; --sheet picks a sheet; cell references in errors', () => {
    const fromCsv = rapport(['score', 'fixtures/exports/qualtrics.csv', '-i', Q_INST, '--quiet']);
    const fromXlsx = rapport(['score', 'fixtures/xlsx/qualtrics.xlsx', '-i', Q_INST]);
    expect(fromXlsx.code).toBe(0);
    expect(fromXlsx.stdout).toBe(fromCsv.stdout);
    expect(fromXlsx.stderr).toMatch(/\(qualtrics; Excel workbook, sheet "Data"\)/);
    const copy = rapport(['score', 'fixtures/xlsx/qualtrics.xlsx', '-i', Q_INST, '--sheet', 'Copy', '--quiet']);
    expect(copy.stdout.split('\n')[1]).toBe('R_1aaaaaaaaaaaaaa,3.33333333333,7,1'); // trust_1 Agree (4) → 1 in "Copy"
    const nope = rapport(['score', 'fixtures/xlsx/qualtrics.xlsx', '-i', Q_INST, '--sheet', 'Nope']);
    expect(nope.code).toBe(2);
    expect(nope.stderr).toMatch(/--sheet "Nope": .* has no sheet of that name; its sheets are "Data", "Notes", "Copy"/);
    expect(rapport(['score', 'fixtures/exports/qualtrics.csv', '-i', Q_INST, '--sheet', 'Data']).code).toBe(2);
    const out = path.join(dir, 'strict.csv');
    const strict = rapport(['score', 'fixtures/xlsx/qualtrics.xlsx', '-i', Q_INST, '--strict', '--out', out]);
    expect(strict.code).toBe(65);
    expect(strict.stderr).toMatch(/qualtrics\.xlsx, sheet Data, cell J8: "Agreeish" is not an answer to item trust_2/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('report reads .sav and .xlsx inputs', () => {
    const out = path.join(dir, 'rep-sav');
    const r = rapport(['report', 'fixtures/sav/pspp.sav', '-i', SAV_INST, '--outcome', 'portal_use', '--out', out, '--min-cell', '1', '--format', 'json', '--quiet']);
    const j = JSON.parse(r.stdout);
    expect(j.counts.read).toBe(12);
    expect(j.input.format).toBe('plain+sav');
    expect(fs.readFileSync(path.join(out, 'report.txt'), 'utf8')).toMatch(/Input +fixtures\/sav\/pspp\.sav \(SPSS \.sav file\)/);
    expect(j.outcome.n_positive + j.outcome.n_negative).toBe(12);
    const x = rapport(['report', 'fixtures/xlsx/qualtrics.xlsx', '-i', Q_INST, '--outcome', 'portal_use', '--out', path.join(dir, 'rep-x'), '--min-cell', '1', '--format', 'json', '--quiet']);
    expect(JSON.parse(x.stdout).counts.read).toBe(5);
    expect(JSON.parse(x.stdout).input.format).toBe('qualtrics+xlsx');
  });

  it('instruments import-sav builds a valid skeleton from variable and value labels', () => {
    const out = path.join(dir, 'imported.yaml');
    const r = rapport(['instruments', 'import-sav', 'fixtures/sav/haven.sav', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/wrote .*imported\.yaml: instrument "haven" with 5 items, 3 response sets, 1 scale/);
    expect(r.stderr).toMatch(/skipped variable "respondent_id" \(a string/);
    const yaml = fs.readFileSync(out, 'utf8');
    expect(yaml).toMatch(/missing:\n\s+- \{ value: 8, label: Refused \}/);
    expect(yaml).toMatch(/- \{ value: 7, label: Don't know \}\n\s+- \{ value: 9, label: Refused \}/);
    expect(yaml).toMatch(/text: I can rely on my doctor/);
    expect(yaml).toMatch(/items: \[ trust_1, trust_2, trust_3 \]/);
    expect(rapport(['instruments', 'validate', out]).code).toBe(0);
    const scored = rapport(['score', 'fixtures/sav/haven.sav', '-i', out, '--quiet']);
    expect(scored.stdout.split('\n')[1]).toBe('H001,3.66666666667,4,1'); // trust not reverse-keyed in the skeleton: (5 + 4 + 2) / 3
    const notSav = rapport(['instruments', 'import-sav', 'fixtures/exports/qualtrics.csv', '--out', path.join(dir, 'no.yaml')]);
    expect(notSav.code).toBe(65);
    expect(notSav.stderr).toMatch(/is not an SPSS \.sav file/);
  });

  for (const [name, source, bytes] of [
    ['cut.xlsx', 'fixtures/xlsx/qualtrics.xlsx', 1500],
    ['cut.sav', 'fixtures/sav/haven.sav', 3000],
  ] as const) {
    it(`a truncated ${name.slice(4)}: one sentence, exit 65, no output (score and report)`, () => {
      const input = path.join(dir, name);
      fs.writeFileSync(input, fs.readFileSync(source).subarray(0, bytes));
      const out = path.join(dir, `${name}.out.xlsx`);
      const s = rapport(['score', input, '-i', name.endsWith('.sav') ? SAV_INST : Q_INST, '--out', out]);
      expect(s.code).toBe(65);
      expect(s.stderr.trim().split('\n')).toHaveLength(1);
      expect(s.stderr).toMatch(/(cannot be read as an Excel \.xlsx workbook .*truncated or damaged|is an SPSS \.sav file that ends early)/);
      expect(s.stderr).not.toMatch(/at .*\.js:\d+/);
      expect(fs.existsSync(out)).toBe(false);
      const folder = path.join(dir, `${name}-report`);
      const rep = rapport(['report', input, '-i', name.endsWith('.sav') ? SAV_INST : Q_INST, '--outcome', 'portal_use', '--xlsx', '--out', folder]);
      expect(rep.code).toBe(65);
      expect(fs.existsSync(folder)).toBe(false);
      expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });
  }
});
