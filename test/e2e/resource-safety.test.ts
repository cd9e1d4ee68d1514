/**
 * Issue 11, "Resources and signals" and two "Privacy" items (report folders 0700 under any umask;
 * simulate neutralises formula-like text in every flavour). Through the built CLI (dist/).
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, distMissing, rapport, tmpDir } from '../helpers/cli.js';

const INST = 'relationship-engagement';
const SCORED = path.join(ROOT, 'fixtures/report/scored.csv');
let dir: string;
let input: string;

beforeAll(() => {
  if (distMissing()) throw new Error('dist/ is missing: run npm run build first');
  dir = tmpDir('rapport-res-');
  input = path.join(dir, 'in.csv');
  fs.writeFileSync(input, rapport(['simulate', '-i', INST, '--n', '30', '--quiet']).stdout);
});

/** Run through bash (for <(...) process substitution). */
function bash(cmd: string) {
  const r = spawnSync('bash', ['-c', cmd], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', RAPPORT: BIN }, timeout: 60_000 });
  return { code: r.status, stderr: r.stderr };
}

describe('size limits count bytes read, not the stat size (65 at the limit)', () => {
  it.each([
    ['an instrument from /dev/zero', ['instruments', 'show', '/dev/zero'], /larger than the 2097152-byte limit for instruments/],
    ['an instrument for score from /dev/zero', ['score', 'in.csv', '-i', '/dev/zero'], /larger than the 2097152-byte limit for instruments/],
    ['a mapping file from /dev/zero', ['score', 'in.csv', '-i', INST, '--map', '/dev/zero'], /larger than the 2 MiB limit for a mapping file/],
    ['a REDCap dictionary from /dev/zero', ['instruments', 'import-redcap', '/dev/zero', '--out', 'x.yaml'], /larger than the 32 MiB limit for a REDCap data dictionary/],
  ])('%s', (_name, args, message) => {
    const r = rapport(args as string[], { cwd: dir });
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.code).toBe(65);
    expect(fs.existsSync(path.join(dir, 'x.yaml'))).toBe(false);
  });

  it('an endless pipe (<(yes ...)) as a mapping, an instrument and a report mapping', () => {
    const a = bash(`node "$RAPPORT" score in.csv -i ${INST} --map <(yes 'x: y') > /dev/null`);
    expect(a.stderr).toMatch(/\/dev\/fd\/\d+: is larger than the 2 MiB limit for a mapping file/);
    expect(a.code).toBe(65);
    const b = bash(`node "$RAPPORT" instruments validate <(yes '# comment')`);
    expect(b.stderr).toMatch(/limit for instruments/);
    expect(b.code).toBe(65);
  });

  it('a FIFO fed without end as an instrument', async () => {
    const fifo = path.join(dir, 'inst.fifo');
    spawnSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `yes 'title: x' > ${JSON.stringify(fifo)}`], { stdio: 'ignore' });
    const r = rapport(['instruments', 'show', fifo]);
    writer.kill();
    expect(r.stderr).toMatch(/limit for instruments/);
    expect(r.code).toBe(65);
  });

  it('a self-referencing YAML alias in a mapping file is 65, not an internal error', () => {
    fs.writeFileSync(path.join(dir, 'alias.yaml'), 'items: &a\n  trust_1: Q1\n  more: *a\n');
    const r = rapport(['score', 'in.csv', '-i', INST, '--map', 'alias.yaml'], { cwd: dir });
    expect(r.stderr).toMatch(/alias.yaml: has a YAML alias that refers to itself/);
    expect(r.code).toBe(65);
  });
});

describe('long loops notice SIGINT and SIGTERM (exit 130, no temporary file)', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('simulate --n 3000000 --out file, %s once the temporary file exists', async (sig) => {
    const d = tmpDir('rapport-sig-');
    const child = spawn(process.execPath, [BIN, 'simulate', '-i', INST, '--n', '3000000', '--out', path.join(d, 'big.csv'), '--quiet'], { stdio: 'ignore' });
    const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    let ended = false;
    child.on('exit', () => (ended = true));
    while (!ended && !fs.readdirSync(d).some((f) => f.endsWith('.tmp'))) await new Promise((r) => setTimeout(r, 20));
    expect(ended).toBe(false); // still generating: the signal arrives in the long loop
    child.kill(sig);
    expect(await exit).toBe(130);
    expect(fs.readdirSync(d)).toEqual([]);
  }, 120_000);

  it('power with a large n: SIGTERM is 130', async () => {
    const child = spawn(process.execPath, [BIN, 'power', '-i', INST, '--effect', 'trust=1.5', '--n', '1000000', '--reps', '5', '--quiet'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await new Promise((r) => setTimeout(r, 3000));
    child.kill('SIGTERM');
    expect(await exit).toBe(130);
  }, 120_000);
});

describe('numbers', () => {
  it('a finite but absurd predictor value (1e308) is out of range, with its line and column', () => {
    const lines = fs.readFileSync(SCORED, 'utf8').trimEnd().split('\n');
    lines[5] = lines[5].replace(/^("P\d+"),[^,]+,/, '$1,1e308,');
    fs.writeFileSync(path.join(dir, 'absurd.csv'), lines.join('\n') + '\n');
    const r = rapport(['report', 'absurd.csv', '--outcome', 'uses_portal', '--predictors', 'trust,respect', '--out', 'rep-absurd', '--quiet'], { cwd: dir });
    expect(r.stderr).toMatch(/absurd\.csv, line 6, column "trust": the predictor value "1e308" is out of range/);
    expect(r.code).toBe(65);
  });

  it.each([
    [['report', SCORED, '--outcome', 'uses_portal', '--predictors', 'trust', '--min-cell', '0x10']],
    [['report', SCORED, '--outcome', 'uses_portal', '--predictors', 'trust', '--min-cell', 'Infinity']],
    [['simulate', '-i', INST, '--n', '10', '--effect', '__proto__=2']],
    [['simulate', '-i', INST, '--n', '0x10']],
    [['simulate', '-i', INST, '--n', '10', '--seed', '1e400']],
    [['power', '-i', INST, '--effect', 'trust=0x2', '--n', '100']],
    [['power', '-i', INST, '--effect', 'trust=1.5', '--n', '100', '--reps', '1_000']],
  ])('%j is a usage error (2): numeric flags take decimal numbers only', (args) => {
    const r = rapport(args, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')[0]).toMatch(/^rapport: --(min-cell|effect|n|seed|reps)/);
  });
});

describe('privacy', () => {
  it.each(['000', '022', '277'])('report folders (and missing parents) are created 0700 under umask %s', (mask) => {
    const d = tmpDir('rapport-umask-');
    const r = spawnSync('sh', ['-c', `umask ${mask}; exec "${process.execPath}" "${BIN}" report "${SCORED}" --outcome uses_portal --predictors trust --out parent/rep --quiet > /dev/null`], { cwd: d, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(fs.statSync(path.join(d, 'parent')).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(d, 'parent', 'rep')).mode & 0o777).toBe(0o700);
  });

  it('a report that fails before writing removes the folder it created', () => {
    const d = tmpDir('rapport-umask-');
    const r = rapport(['report', SCORED, '--outcome', 'no_such_column', '--predictors', 'trust', '--out', 'a/b'], { cwd: d });
    expect(r.code).not.toBe(0);
    expect(fs.readdirSync(d)).toEqual([]);
  });

  const FORMULA_INSTRUMENT = `rapport: 1
id: formula
version: "1"
title: Formula text
response_sets:
  f4:
    options: [{value: 1, label: "=HYPERLINK(\\"http://x\\")"}, {value: 2, label: "+1+1"}, {value: 3, label: "@SUM(A1)"}, {value: 4, label: "-2+3"}]
    missing: [{value: 9, label: "=refused"}]
  codes:
    options: [{value: A1, label: "Alpha"}, {value: "-B2", label: "Minus"}, {value: C3, label: "Other"}]
    missing: [{value: "-R9", label: "Refused"}]
  yn:
    options: [{value: 0, label: "No"}, {value: 1, label: "Yes"}]
items:
  - {id: q1, text: "=cmd|' /C calc'!A0", response_set: f4}
  - {id: q2, text: "Plain question", response_set: f4}
  - {id: q3, text: "Another", response_set: f4}
  - {id: uses, text: "Uses the portal", response_set: yn}
  - {id: q5, text: "@letters", response_set: codes}
scales:
  - {id: s, label: S, items: [q1, q2, q3]}
`;
  it.each(['plain', 'qualtrics', 'redcap', 'limesurvey'])('simulate --format %s neutralises formula-like text, and score reads it back', (flavour) => {
    const d = tmpDir('rapport-formula-');
    fs.writeFileSync(path.join(d, 'formula.yaml'), FORMULA_INSTRUMENT);
    const r = rapport(['simulate', '-i', 'formula.yaml', '--n', '200', '--missing', '0.2', '--format', flavour, '--out', 'sim.csv', '--quiet'], { cwd: d });
    expect(r.code).toBe(0);
    const text = fs.readFileSync(path.join(d, 'sim.csv'), 'utf8').replace(/^\uFEFF/, '');
    const rows: string[][] = parse(text, { delimiter: flavour === 'limesurvey' ? ';' : ',', relax_column_count: true });
    const cells = rows.flat();
    expect(cells.filter((c) => /^[=+@]/.test(c) || /^-[^\d.]/.test(c) || /^-\d+\+/.test(c))).toEqual([]);
    expect(cells.some((c) => c.startsWith("'"))).toBe(true);
    const s = rapport(['score', 'sim.csv', '-i', 'formula.yaml', '--strict', '--quiet'], { cwd: d });
    expect(s.stderr).toBe('');
    expect(s.code).toBe(0);
  });
});
