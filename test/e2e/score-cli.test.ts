/**
 * `rapport score` as a user runs it (the built CLI): outputs, the errors file, the summary JSON, --strict,
 * and broken inputs: one sentence on stderr, the documented exit code, no stack trace, no output file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { distMissing, rapport, tmpDir } from '../helpers/cli.js';

const INST = 'fixtures/instruments/score-fixture.yaml';
const fx = (name: string) => `fixtures/exports/${name}`;

/** Temporary files (`.name.<pid>.<hex>.tmp`, src/io/atomic.ts) left behind in a folder. */
const leftovers = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));

describe.skipIf(distMissing())('rapport score (built CLI)', () => {
  let dir: string;
  beforeAll(() => {
    dir = tmpDir('rapport-score-');
  });

  it('writes the scored CSV to a file (mode 0600), the errors file and the summary JSON', () => {
    const out = path.join(dir, 'q.csv');
    const errors = path.join(dir, 'q-errors.csv');
    const sum = path.join(dir, 'q.json');
    const r = rapport(['score', fx('qualtrics.csv'), '--instrument', INST, '--out', out, '--errors', errors, '--summary-json', sum]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(fs.readFileSync(out, 'utf8')).toBe('ResponseId,trust,comm,portal_use\nR_1aaaaaaaaaaaaaa,4.33333333333,7,1\nR_4dddddddddddddd,,2,0\nR_5eeeeeeeeeeeeee,4.5,9,1\n');
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    const errLines = fs.readFileSync(errors, 'utf8').split('\n');
    expect(errLines[0]).toBe('line,column,value,message');
    expect(errLines[1]).toMatch(/^9,trust_2,Agreeish,"""Agreeish"" is not an answer to item trust_2; accepted: 1 \(Strongly disagree\)/);
    const j = JSON.parse(fs.readFileSync(sum, 'utf8'));
    expect(j).toMatchObject({ schema: 'rapport.score/2', status: 'ok', platform: 'qualtrics', rows_read: 5, rows_scored: 3, invalid_cells: 1, excluded: { preview: 1, incomplete: 1 } });
    expect(r.stderr).toMatch(/rows read 5 · excluded 2 \(preview 1, incomplete 1\) · scored 3/);
    expect(r.stderr).toMatch(/trust 66\.7% · comm 100%/);
  });

  it('writes to stdout by default; --quiet silences the summary', () => {
    const r = rapport(['score', fx('limesurvey.csv'), '-i', INST, '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('id,trust,comm,portal_use\n1,4,10,1\n3,,2,0\n4,4.66666666667,5,1\n');
    expect(r.stderr).toBe('');
  });

  it('reads standard input (-) and a forced format', () => {
    const r = rapport(['score', '-', '-i', INST, '--platform', 'redcap', '-q'], { input: fs.readFileSync(fx('redcap.csv')) });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[1]).toBe('1,baseline_arm_1,,,4.33333333333,7,1'); // the REDCap key columns follow the id
  });

  it('--strict with an invalid cell: exit 65, one sentence naming line, column and value, no output file, errors file kept', () => {
    const out = path.join(dir, 'strict.csv');
    const errors = path.join(dir, 'strict-errors.csv');
    const r = rapport(['score', fx('qualtrics.csv'), '-i', INST, '--strict', '--out', out, '--errors', errors]);
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/line 9, column "trust_2": "Agreeish" is not an answer to item trust_2/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readFileSync(errors, 'utf8').split('\n')).toHaveLength(3);
  });

  it('--strict to stdout prints nothing on failure', () => {
    const r = rapport(['score', fx('qualtrics.csv'), '-i', INST, '--strict']);
    expect(r.code).toBe(65);
    expect(r.stdout).toBe('');
  });

  it('--map with --keep and --id-column; --dedupe', () => {
    const r = rapport(['score', fx('qualtrics-numeric.csv'), '-i', INST, '--map', fx('qualtrics-numeric.map.yaml'), '--keep', 'Q4_TEXT,Progress', '-q']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('ResponseId,Q4_TEXT,Progress,trust,comm,portal_use');
    const d = rapport(['score', fx('plain-semicolon.csv'), '-i', INST, '--dedupe', 'error']);
    expect(d.code).toBe(65);
    expect(d.stderr).toMatch(/line 5: the respondent id on this line already appeared on line 2/);
    const l = rapport(['score', '-', '-i', INST, '--dedupe', 'last'], { input: 'id,trust_1\n1,1\n' });
    expect(l.code).toBe(2);
  });

  describe('broken inputs', () => {
    const cases: [string, string | Buffer, number, RegExp][] = [
      ['empty.csv', '', 65, /empty\.csv is empty/],
      ['unclosed.csv', 'id,trust_1\n1,"open\n2,3\n', 65, /unclosed\.csv, line 2, column "trust_1": a quoted field opened in this record is never closed/],
      ['ragged.csv', 'id,trust_1,trust_2\n1,2,3\n4,5\n', 65, /ragged\.csv, line 3: the record has 2 fields but the header has 3/],
      ['binary.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0]), 65, /binary\.csv is a zip archive but cannot be read as an Excel \.xlsx workbook .*truncated or damaged/],
      ['noitems.csv', 'id,q1,q2\n1,2,3\n', 65, /none of the 6 items of instrument score-fixture .* is a column of the export; the export's columns are "id", "q1", "q2"; .*--map/],
      ['huge.csv', 'id,trust_1\n1,"' + 'x'.repeat(3000) + '"\n', 65, /huge\.csv, line 2.*larger than the 1024-character limit.*--max-record-size/],
    ];
    for (const [name, content, code, msg] of cases) {
      it(`${name}: exit ${code}, one sentence, no output file`, () => {
        const input = path.join(dir, name);
        fs.writeFileSync(input, content);
        const out = path.join(dir, `${name}.out.csv`);
        const args = ['score', input, '-i', INST, '--out', out];
        if (name === 'huge.csv') args.push('--max-record-size', '1k');
        const r = rapport(args);
        expect(r.code).toBe(code);
        expect(r.stderr).toMatch(msg);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).not.toMatch(/\n\s+at |Error:/);
        expect(fs.existsSync(out)).toBe(false);
      });
    }
    it('only a header: exit 0, a header-only output and a warning', () => {
      const input = path.join(dir, 'header.csv');
      fs.writeFileSync(input, 'id,trust_1,trust_2\n');
      const r = rapport(['score', input, '-i', INST]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('id,trust,comm,portal_use\n');
      expect(r.stderr).toMatch(/header but no data rows/);
    });
    it('missing input: exit 66; unwritable output: exit 73; bad flags: exit 2', () => {
      expect(rapport(['score', path.join(dir, 'nope.csv'), '-i', INST]).code).toBe(66);
      const r = rapport(['score', fx('redcap.csv'), '-i', INST, '--out', path.join(dir, 'no', 'such', 'o.csv')]);
      expect(r.code).toBe(73);
      expect(r.stderr).toMatch(/folder does not exist/);
      expect(rapport(['score', fx('redcap.csv'), '-i', INST, '--out', dir]).code).toBe(73);
      expect(rapport(['score', fx('redcap.csv'), '-i', INST, '--encoding', 'klingon']).code).toBe(2);
      expect(rapport(['score', fx('redcap.csv'), '-i', INST, '--platform', 'excel']).code).toBe(2);
      expect(rapport(['score', fx('redcap.csv'), '-i', INST, '--max-record-size', 'lots']).code).toBe(2);
    });
    it('UTF-16 with BOM and Windows-1252 text are read (the latter with a warning)', () => {
      const u16 = path.join(dir, 'u16.csv');
      fs.writeFileSync(u16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('id,trust_1,trust_2\r\nZoë,Agree,Strongly agree\r\n', 'utf16le')]));
      const a = rapport(['score', u16, '-i', INST]);
      expect(a.code).toBe(0);
      expect(a.stdout).toBe('id,trust,comm,portal_use\nZoë,4.5,,\n');
      const cp = path.join(dir, 'cp1252.csv');
      fs.writeFileSync(cp, Buffer.concat([Buffer.from('id,trust_1,trust_2\nJos'), Buffer.from([0xe9, 0x93]), Buffer.from(',2,3\n')]));
      const b = rapport(['score', cp, '-i', INST]);
      expect(b.code).toBe(0);
      expect(b.stdout).toBe('id,trust,comm,portal_use\nJosé“,2.5,,\n');
      expect(b.stderr).toMatch(/warning: .*not valid UTF-8; read it as Windows-1252/);
    });
    it('leaves no temporary files behind', () => {
      expect(fs.readdirSync(dir).length).toBeGreaterThan(10);
      expect(leftovers(dir)).toEqual([]);
    });
  });
});
