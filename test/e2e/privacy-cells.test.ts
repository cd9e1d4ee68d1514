/**
 * Privacy of the report's cells (issue 11), through the built CLI, in the text, CSV, JSON and HTML:
 * - complementary suppression for any number of small --group-by groups (1 and 2 used to leave n = 3
 *   to subtraction); rates and means whose own denominator is under --min-cell are withheld;
 * - a small "not stated" group (no value) forces no other group to be withheld;
 * - a covariate level under --min-cell gets no estimate (and a small_level warning suggests pooling);
 * - a column that identifies respondents is refused (REPORT_IDENTIFYING_COLUMN, exit 65) without
 *   echoing any id; outcome-value messages give a count and at most three examples, without counts.
 * Inputs: fixtures/report/scored.csv (300 respondents: id P0001..P0300; no blanks except trust in 4
 * rows and uses_portal in 3, all before row 250) with extra columns. Rows are 0-based below.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, distMissing, rapport, tmpDir } from '../helpers/cli.js';

const SRC = fs.readFileSync(path.join(ROOT, 'fixtures', 'report', 'scored.csv'), 'utf8').trim().split('\n');
const HEAD = SRC[0].split(',');
const ROWS = SRC.slice(1).map((l) => l.split(','));
const col = (name: string) => HEAD.indexOf(`"${name}"`);

/** scored.csv with extra columns (and cells blanked), written to a fresh folder; returns the input path. */
function input(extra: Record<string, (i: number) => string>, blank: Record<string, (i: number) => boolean> = {}): string {
  const names = Object.keys(extra);
  const lines = [[...HEAD, ...names.map((n) => `"${n}"`)].join(',')];
  ROWS.forEach((r, i) => {
    const f = r.map((v, j) => (Object.entries(blank).some(([n, b]) => col(n) === j && b(i)) ? '' : v));
    lines.push([...f, ...names.map((n) => `"${extra[n](i)}"`)].join(','));
  });
  const file = path.join(tmpDir('rapport-privacy-cells-'), 'in.csv');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** Run the report into a folder; its files plus stdout and stderr by name. */
function report(file: string, args: string[]): Map<string, string> {
  const out = path.join(path.dirname(file), 'report');
  const r = rapport(['report', file, '--outcome', 'uses_portal', '--predictors', 'trust,respect', ...args, '--out', out]);
  expect(r.code, r.stderr).toBe(0);
  const m = new Map([
    ['stdout', r.stdout],
    ['stderr', r.stderr],
  ]);
  for (const f of fs.readdirSync(out)) m.set(f, fs.readFileSync(path.join(out, f), 'utf8'));
  return m;
}

const textRow = (text: string, g: string) => text.split('\n').find((l) => new RegExp(`^\\s+${g}\\s`).test(l))!;
const csvRows = (csv: string) => new Map((parse(csv) as string[][]).slice(1).map((r) => [r[0], r]));
const htmlRow = (html: string, g: string) =>
  html
    .match(new RegExp(`<tr[^>]*><td>${g}</td>.*?</tr>`))![0]
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .trim()
    .split(/\s+/);
/** Text with every run of white space (line wrapping) as one space. */
const flat = (t: string) => t.replace(/\s+/g, ' ');
const numbers = (v: unknown): number[] => (typeof v === 'number' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(numbers) : []);

describe.skipIf(distMissing())('complementary suppression with two small groups (1 and 2)', () => {
  // Alpha 150, Bravo 100, Charlie 47, Delta 2, Echo 1. Delta + Echo = 3 < 11, so the smallest shown group
  // (Charlie) is withheld too: total 300 - shown (150 + 100) = 50, not 3.
  let f: Map<string, string>;
  beforeAll(() => {
    const clinic = (i: number) => (i < 150 ? 'Alpha' : i < 250 ? 'Bravo' : i < 297 ? 'Charlie' : i < 299 ? 'Delta' : 'Echo');
    f = report(input({ clinic }), ['--group-by', 'clinic']);
  });

  it('text: Charlie ">=11", Delta and Echo "<11", no statistics; Charlie\'s 47 appears nowhere', () => {
    const text = f.get('report.txt')!;
    expect(textRow(text, 'Charlie')).toMatch(/^\s+Charlie\s+>=11\s+suppressed\s*$/);
    for (const g of ['Delta', 'Echo']) expect(textRow(text, g)).toMatch(new RegExp(`^\\s+${g}\\s+<11\\s+suppressed\\s*$`));
    expect(textRow(text, 'Alpha')).toMatch(/^\s+Alpha\s+150\s+\d+\.\d%/);
    expect(textRow(text, 'Bravo')).toMatch(/^\s+Bravo\s+100\s+\d+\.\d%/);
    expect(text).not.toMatch(/(?<![\d.])47(?![\d.%])/);
    expect(flat(text)).toContain('and so are those of the smallest other group (Charlie), so that the small groups cannot be worked out from the total.');
  });

  it('CSV, JSON and HTML agree', () => {
    const g = csvRows(f.get('groups.csv')!);
    expect(g.get('Charlie')!.slice(1).filter((c) => c !== '')).toEqual(['>=11']);
    for (const name of ['Delta', 'Echo']) expect(g.get(name)!.slice(1).filter((c) => c !== '')).toEqual(['<11']);
    expect([g.get('Alpha')![1], g.get('Bravo')![1]]).toEqual(['150', '100']);
    const s = JSON.parse(f.get('summary.json')!);
    expect(s.groups.suppressed_groups).toBe(3);
    for (const r of s.groups.rows.filter((x: { group: string }) => ['Charlie', 'Delta', 'Echo'].includes(x.group))) expect(numbers(r)).toEqual([]);
    expect(s.warnings.find((w: { code: string }) => w.code === 'small_cells').message).toMatch(/^2 clinic groups have fewer than 11 respondents/);
    const html = f.get('report.html')!;
    expect(htmlRow(html, 'Charlie')).toEqual(['Charlie', '>=11', 'suppressed']);
    expect(htmlRow(html, 'Echo')).toEqual(['Echo', '<11', 'suppressed']);
  });
});

describe.skipIf(distMissing())('own denominators under --min-cell, and a small "not stated" group', () => {
  // Charlie (rows 250-296, 47) has the outcome only in rows 290-296 (7 answering) and trust only in
  // rows 287-296 (10): its rate and trust mean are withheld, its respect mean (47 answering) shown.
  // Rows 297-299 have no clinic: "not stated" <11, which alone withholds no other group.
  let f: Map<string, string>;
  const charlie = ROWS.slice(250, 297);
  const respectMean = charlie.reduce((a, r) => a + Number(r[col('respect')]), 0) / charlie.length;
  beforeAll(() => {
    const clinic = (i: number) => (i < 150 ? 'Alpha' : i < 250 ? 'Bravo' : i < 297 ? 'Charlie' : '');
    f = report(input({ clinic }, { uses_portal: (i) => i >= 250 && i < 290, trust: (i) => i >= 250 && i < 287 }), ['--group-by', 'clinic']);
  });

  it('text: Charlie shows n 47 and its respect mean; rate and trust "–"; "not stated" <11; nothing else withheld', () => {
    const text = f.get('report.txt')!;
    expect(textRow(text, 'Charlie').trim().split(/\s{2,}/)).toEqual(['Charlie', '47', '–', '–', respectMean.toFixed(2)]);
    expect(textRow(text, 'not stated')).toMatch(/^\s+not stated\s+<11\s+suppressed\s*$/);
    expect(textRow(text, 'Alpha')).toMatch(/^\s+Alpha\s+150\s+\d+\.\d%/);
    expect(flat(text)).toContain('1 clinic group has fewer than 11 respondents; its statistics are suppressed.');
    expect(text).not.toContain('>=11  ');
  });

  it('CSV and JSON: Charlie\'s rate, events and trust mean are empty/null; HTML never says "of 7 answering"', () => {
    const c = csvRows(f.get('groups.csv')!).get('Charlie')!;
    const head = (parse(f.get('groups.csv')!) as string[][])[0];
    const at = (name: string) => c[head.indexOf(name)];
    expect([at('n'), at('n_outcome'), at('outcome_rate'), at('rate_ci_low'), at('trust_mean'), at('trust_ci_low')]).toEqual(['47', '', '', '', '', '']);
    expect(Number(at('respect_mean'))).toBeCloseTo(respectMean, 9);
    const s = JSON.parse(f.get('summary.json')!);
    const row = s.groups.rows.find((x: { group: string }) => x.group === 'Charlie');
    expect([row.n, row.n_outcome, row.events, row.rate, row.traits[0].mean, row.traits[0].n]).toEqual([47, null, null, null, null, null]);
    expect(row.traits[1].n).toBe(47);
    expect(s.groups.suppressed_groups).toBe(1);
    expect(s.groups.rows.find((x: { group: string }) => x.group === 'not stated').n_label).toBe('<11');
    expect(f.get('report.html')).not.toMatch(/of 7 answering/);
    expect(f.get('report.html')).toContain('>n 47: rate withheld (fewer than 11 answering)</text>');
    expect(htmlRow(f.get('report.html')!, 'Charlie')).toEqual(['Charlie', '47', '–', '–', respectMean.toFixed(2)]);
  });
});

describe.skipIf(distMissing())('covariate levels under --min-cell get no estimate', () => {
  // site: rows 0-4 "island" (5, the reference: first in sorted order), then north/south alternately.
  // band: rows 5-8 "z" (4), other rows divisible by 3 "b", the rest "a" (the reference).
  // No row 0-8 has a blank, so the model keeps all of them: island 5 < 11 and z 4 < 11.
  let f: Map<string, string>;
  beforeAll(() => {
    const site = (i: number) => (i < 5 ? 'island' : i % 2 ? 'south' : 'north');
    const band = (i: number) => (i >= 5 && i < 9 ? 'z' : i % 3 === 0 ? 'b' : 'a');
    f = report(input({ site, band }), ['--covariates', 'site,band']);
  });

  it('model.csv and JSON: no band=z row; no site row and no intercept (island is the reference)', () => {
    const terms = (parse(f.get('model.csv')!) as string[][]).slice(1).map((r) => r[0]);
    expect(terms).toEqual(['trust', 'respect', 'band=b']);
    const s = JSON.parse(f.get('summary.json')!);
    expect(s.model.terms.map((t: { term: string }) => t.term)).toEqual(['trust', 'respect', 'band=b']);
    const w = s.warnings.filter((x: { code: string }) => x.code === 'small_level').map((x: { message: string }) => x.message);
    expect(w).toEqual([
      'site: the level "island" has fewer than 11 respondents in the model, so its estimate is not shown, nor the other levels\' odds ratios or the intercept, as "island" is the reference level; pool it with a similar level in the data (for example recode rare values as "other") and run the report again.',
      'band: the level "z" has fewer than 11 respondents in the model, so its estimate is not shown; pool it with a similar level in the data (for example recode rare values as "other") and run the report again.',
    ]);
  });

  it('text and HTML: no estimate for band=z or any site level; the pooling advice is shown', () => {
    for (const name of ['report.txt', 'report.html']) {
      const t = f.get(name)!;
      expect(t, name).not.toMatch(/band=z|site=north|site=south/);
      expect(t, name).toMatch(/band=b/);
      expect(flat(t), name).toContain('pool it with a similar level in the data');
    }
  });
});

describe.skipIf(distMissing())('columns that identify respondents are refused', () => {
  let file: string;
  beforeAll(() => {
    // postcode: 300 distinct values. c270: 270 distinct (rows 270-299 repeat c0): exactly 90%, allowed.
    // c271: 271 distinct (rows 271-299 repeat c0): over 90%, refused. answer: Yes 150, No 140, Maybe 6, Unsure 3, Refused 1.
    const answer = (i: number) => (i < 150 ? 'Yes' : i < 290 ? 'No' : i < 296 ? 'Maybe' : i < 299 ? 'Unsure' : 'Refused');
    file = input({ postcode: (i) => `ZQ${1000 + i}`, c270: (i) => `c${i < 270 ? i : 0}`, c271: (i) => `c${i < 271 ? i : 0}`, answer });
  });
  const run = (args: string[]) => rapport(['report', file, '--predictors', 'trust,respect', '--out', path.join(path.dirname(file), 'r'), ...args]);

  it('the id column as --group-by, covariate, predictor or outcome: exit 65, no id in the message', () => {
    for (const args of [['--outcome', 'uses_portal', '--group-by', 'id'], ['--outcome', 'uses_portal', '--covariates', 'id'], ['--outcome', 'id'], ['--outcome', 'uses_portal', '--predictors', 'id']]) {
      const r = run(args);
      expect(r.code, args.join(' ')).toBe(65);
      expect(r.stderr).toMatch(/"id" is the respondent id column, and the report never uses ids; choose another column\.\n$/);
      expect(r.stderr).not.toMatch(/P\d{4}/);
    }
    const s = rapport(['report', 'fixtures/report/survey.csv', '--instrument', 'relationship-engagement', '--outcome', 'portal_use', '--covariates', 'ResponseId', '--out', path.join(path.dirname(file), 's')]);
    expect(s.code).toBe(65);
    expect(s.stderr).toContain('the covariate "ResponseId" is the respondent id column');
    expect(s.stderr).not.toMatch(/R_\d/);
  });

  it('nearly every value distinct (over 90% of non-empty cells): refused with counts only; exactly 90% is allowed', () => {
    const g = run(['--outcome', 'uses_portal', '--group-by', 'postcode']);
    expect(g.code).toBe(65);
    expect(g.stderr).toContain('the --group-by column "postcode" has 300 different values in 300 non-empty cells, so it identifies respondents');
    expect(run(['--outcome', 'uses_portal', '--covariates', 'c271']).stderr).toContain('the covariate "c271" has 271 different values in 300 non-empty cells');
    const o = run(['--outcome', 'postcode']);
    expect(o.code).toBe(65);
    expect(o.stderr).toContain('the outcome column "postcode" has 300 different values');
    for (const r of [g, o]) expect(r.stderr).not.toMatch(/ZQ\d/);
    const ok = run(['--outcome', 'uses_portal', '--group-by', 'c270']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^\s+c0\s+31\s+\d+\.\d%/m); // rows 0 and 270-299
  });

  it('outcome values: the number of values and the three most common, no counts', () => {
    const r = run(['--outcome', 'answer']);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain('the outcome column "answer" has 5 different values (the most common: "Yes", "No", "Maybe", ...); say which');
    expect(r.stderr).not.toMatch(/Refused|Unsure|\(150\)|\(140\)/);
  });
});
