/**
 * The input contract (issue 12) through the built CLI: `score` and `report` accept the same input
 * options with the same help text; `report` honours --include-incomplete, --include-previews, --dedupe,
 * --strict and --errors as `score` does; the platform is --platform everywhere (old spellings work
 * with a notice); a mistyped long option is named with a suggestion; the JSON for scheduled jobs is
 * snake_case with a schema.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rapport, tmpDir } from '../helpers/cli.js';

const INST = 'fixtures/instruments/score-fixture.yaml';
const fx = (name: string) => `fixtures/exports/${name}`;
const SHARED = ['--instrument', '--map', '--id-column', '--platform', '--encoding', '--delimiter', '--max-record-size', '--include-incomplete', '--include-previews', '--dedupe', '--strict', '--errors'];

/** The help entry of each option: its flags line and continuation lines, whitespace collapsed. */
function helpEntries(help: string): Map<string, string> {
  const entries = new Map<string, string>();
  const lines = help.split('\n');
  const start = lines.findIndex((l) => l.trim() === 'Options:');
  let current: string[] | null = null;
  let name = '';
  for (const l of lines.slice(start + 1)) {
    if (l.trim() === '' || /^\S/.test(l)) break;
    const m = /^ {2}(-\w, )?(--[\w-]+)/.exec(l);
    if (m) {
      if (current) entries.set(name, current.join(' ').replace(/\s+/g, ' ').trim());
      name = m[2];
      current = [l];
    } else current?.push(l);
  }
  if (current) entries.set(name, current.join(' ').replace(/\s+/g, ' ').trim());
  return entries;
}

/** A REDCap export of 150 simulated respondents whose `_complete` fields are all 0 (nothing finished). */
function redcapAllIncomplete(dir: string): string {
  const file = path.join(dir, 'redcap.csv');
  const r = rapport(['simulate', '-i', 'relationship-engagement', '-n', '150', '--platform', 'redcap', '--seed', '3', '-q', '--out', file]);
  expect(r.code).toBe(0);
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const col = lines[0].split(',').findIndex((c) => c.endsWith('_complete'));
  expect(col).toBeGreaterThan(0);
  const zeroed = lines.map((l, i) => {
    if (i === 0 || l === '') return l;
    const cells = l.split(',');
    cells[col] = '0';
    return cells.join(',');
  });
  fs.writeFileSync(file, zeroed.join('\n'));
  return file;
}

describe('score and report share the input options', () => {
  it('with the same help text (each option listed once in each command)', () => {
    const score = helpEntries(rapport(['score', '--help']).stdout);
    const report = helpEntries(rapport(['report', '--help']).stdout);
    for (const o of SHARED) {
      expect(score.get(o), `score ${o}`).toBeDefined();
      expect(report.get(o), `report ${o}`).toBe(score.get(o));
    }
    // the old spellings are not advertised
    expect(score.has('--format')).toBe(false);
    expect(report.has('--input-format')).toBe(false);
  });

  it('a REDCap project whose forms are all incomplete can be reported on with --include-incomplete', () => {
    const dir = tmpDir();
    const file = redcapAllIncomplete(dir);
    const base = ['report', file, '-i', 'relationship-engagement', '--outcome', 'portal_use', '--format', 'json', '-q'];
    const without = JSON.parse(rapport([...base, '--out', path.join(dir, 'a')]).stdout);
    expect(without.counts).toMatchObject({ read: 150, analysed: 0 });
    const withFlag = rapport([...base, '--out', path.join(dir, 'b'), '--include-incomplete']);
    expect(withFlag.code).toBe(0);
    expect(JSON.parse(withFlag.stdout).counts).toMatchObject({ read: 150, analysed: 150, excluded: [] });
  });

  it('report --include-previews, --dedupe and --errors give the counts and file that score gives', () => {
    const dir = tmpDir();
    const flags = ['--include-previews', '--dedupe', 'first'];
    const s = rapport(['score', fx('qualtrics.csv'), '-i', INST, ...flags, '--errors', path.join(dir, 's.csv'), '--summary-json', path.join(dir, 's.json'), '-q']);
    expect(s.code).toBe(0);
    const r = rapport(['report', fx('qualtrics.csv'), '-i', INST, '--outcome', 'portal_use', ...flags, '--errors', path.join(dir, 'r.csv'), '--out', path.join(dir, 'rep'), '--format', 'json', '-q']);
    const sum = JSON.parse(fs.readFileSync(path.join(dir, 's.json'), 'utf8'));
    const rep = JSON.parse(r.stdout);
    expect(sum.excluded).toEqual({ preview: 0, test: 0, spam: 0, incomplete: 1, duplicate: 0 });
    expect(rep.counts.read).toBe(sum.rows_read);
    expect(rep.counts.analysed).toBe(sum.rows_scored);
    expect(rep.counts.invalid_cells).toBe(1);
    const errors = fs.readFileSync(path.join(dir, 'r.csv'), 'utf8');
    expect(errors).toBe(fs.readFileSync(path.join(dir, 's.csv'), 'utf8'));
    expect(errors.split('\n')[0]).toBe('line,column,value,message');
    expect(fs.statSync(path.join(dir, 'r.csv')).mode & 0o777).toBe(0o600);
  });

  it('report --dedupe error fails on a repeated id as score does (exit 65, same message)', () => {
    const dir = tmpDir();
    const s = rapport(['score', fx('redcap.csv'), '-i', INST, '--include-incomplete', '--id-column', 'record_id', '--platform', 'plain', '--dedupe', 'error', '--out', path.join(dir, 'x.csv')]);
    const r = rapport(['report', fx('redcap.csv'), '-i', INST, '--include-incomplete', '--id-column', 'record_id', '--platform', 'plain', '--dedupe', 'error', '--outcome', 'portal_use', '--out', path.join(dir, 'rep')]);
    expect(s.code).toBe(65);
    expect(r.code).toBe(65);
    expect(r.stderr).toBe(s.stderr);
    expect(r.stderr).toMatch(/already appeared on line 2/);
    expect(fs.existsSync(path.join(dir, 'rep', 'report.txt'))).toBe(false);
  });

  it('report --strict fails on an invalid cell before writing any report file', () => {
    const dir = tmpDir();
    const r = rapport(['report', fx('qualtrics.csv'), '-i', INST, '--outcome', 'portal_use', '--strict', '--out', path.join(dir, 'rep')]);
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/line 9, column "trust_2": "Agreeish" is not an answer to item trust_2 \(accepted: .*\); .*nothing was written\./);
    expect(fs.existsSync(path.join(dir, 'rep', 'report.txt'))).toBe(false);
  });

  it('report refuses the options that need an instrument when reading a scored file', () => {
    const r = rapport(['report', 'fixtures/report/scored.csv', '--outcome', 'uses_portal', '--include-incomplete']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('rapport: --include-incomplete applies only with --instrument (scoring a survey export).\n');
  });

  it('bad values of the shared options are refused with the same message by both commands', () => {
    for (const [flag, value] of [['--encoding', 'ebcdic'], ['--delimiter', 'ab'], ['--max-record-size', '12q']]) {
      const s = rapport(['score', fx('qualtrics.csv'), '-i', INST, flag, value]);
      const r = rapport(['report', fx('qualtrics.csv'), '-i', INST, '--outcome', 'portal_use', flag, value]);
      expect(s.code, flag).toBe(2);
      expect(r.code, flag).toBe(2);
      expect(r.stderr, flag).toBe(s.stderr);
    }
  });
});

describe('one word per concept: --platform', () => {
  it('the old spellings still work, with a one-line notice, and give the same output', () => {
    const now = rapport(['score', fx('redcap.csv'), '-i', INST, '--platform', 'redcap', '-q']);
    const old = rapport(['score', fx('redcap.csv'), '-i', INST, '--format', 'redcap', '-q']);
    expect(old.code).toBe(0);
    expect(old.stdout).toBe(now.stdout);
    expect(old.stderr).toBe("rapport: --format is deprecated in 'rapport score'; use --platform redcap (the old spelling will be removed in a later version).\n");
    const sim = rapport(['simulate', '-i', INST, '-n', '5', '--format', 'limesurvey', '-q']);
    expect(sim.stdout).toBe(rapport(['simulate', '-i', INST, '-n', '5', '--platform', 'limesurvey', '-q']).stdout);
    expect(sim.stderr).toMatch(/^rapport: --format is deprecated in 'rapport simulate'; use --platform limesurvey .*\n$/);
    const dir = tmpDir();
    const rep = rapport(['report', fx('qualtrics.csv'), '-i', INST, '--outcome', 'portal_use', '--input-format', 'qualtrics', '--out', dir, '-q', '--format', 'json']);
    expect(JSON.parse(rep.stdout).input.format).toBe('qualtrics');
    expect(rep.stderr.split('\n')[0]).toBe("rapport: --input-format is deprecated in 'rapport report'; use --platform qualtrics (the old spelling will be removed in a later version).");
  });

  it('an old and a new spelling that disagree are a usage error', () => {
    const r = rapport(['score', fx('redcap.csv'), '-i', INST, '--format', 'plain', '--platform', 'redcap']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--format plain and --platform redcap disagree; give only --platform\./);
  });
});

describe('a mistyped long option', () => {
  it('is named, with the right spelling suggested, before any missing required option (exit 2)', () => {
    const s = rapport(['score', fx('qualtrics.csv'), '--instrumnet', INST]);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/^rapport: unknown option '--instrumnet'\s+\(Did you mean --instrument\?\)/);
    expect(s.stderr).not.toMatch(/required option/);
    const r = rapport(['report', fx('qualtrics.csv'), '-i', INST, '--outcme', 'portal_use']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--outcme'\s+\(Did you mean --outcome\?\)/);
  });
  it('a missing required option is still reported when nothing is mistyped', () => {
    const s = rapport(['score', fx('qualtrics.csv')]);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/^rapport: required option '-i, --instrument <id\|file>' not specified/);
  });
});

describe('JSON for scheduled jobs', () => {
  it('score --summary-json and report summary.json: snake_case keys and a schema', () => {
    const dir = tmpDir();
    const sumFile = path.join(dir, 's.json');
    expect(rapport(['score', fx('qualtrics.csv'), '-i', INST, '--summary-json', sumFile, '-q', '--out', path.join(dir, 'o.csv')]).code).toBe(0);
    const s = JSON.parse(fs.readFileSync(sumFile, 'utf8'));
    expect(Object.keys(s)[0]).toBe('schema');
    expect(s.schema).toBe('rapport.score/2');
    expect(s).toMatchObject({ rows_read: 5, rows_scored: 3, invalid_cells: 1, platform_how: 'detected', encoding_how: 'detected', duplicate_examples: [] });
    const camel = (v: unknown): string[] =>
      v && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => (k === 'columns' ? [] : [...(/[A-Z]/.test(k) ? [k] : []), ...camel(x)])) : [];
    expect(camel(s)).toEqual([]);
    rapport(['report', fx('qualtrics.csv'), '-i', INST, '--outcome', 'portal_use', '--out', dir, '-q']);
    const r = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));
    expect(Object.keys(r)[0]).toBe('schema');
    expect(r.schema).toBe('rapport.report/2');
  });
});
