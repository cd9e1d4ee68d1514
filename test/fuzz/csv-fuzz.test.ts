/**
 * Fuzzing the CSV reader and `rapport score` (issue #8): byte flips, truncation at every position of a
 * fixture, inserted quotes, delimiters, line breaks, BOMs and NUL bytes, deleted and duplicated spans,
 * huge fields.
 *
 * Properties
 * - in-process (src/scoring/pipeline.ts scoreInput on the mutated bytes, and src/ingest/records.ts):
 *   the only thing ever thrown is a RapportError with a documented exit code and a one-sentence
 *   message; on success the rows handed on equal the summary's rowsScored;
 * - through the built CLI: exit code in {0, 2, 65, 66, 73, 130}, never a stack trace or an internal
 *   error; `--out f` is either absent or a complete CSV whose data rows equal the summary's scored
 *   rows; no `.f.*.tmp` left behind; huge fields under `node --max-old-space-size=96` end with 65.
 *
 * CI runs a fixed number of cases (seeded, ~20 s); `npm run fuzz` (FUZZ_LONG=1) runs many more.
 * FUZZ_SEED=<n> replays another seed.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { RapportError } from '../../src/errors.js';
import { loadInstrument } from '../../src/instrument/load.js';
import { RecordReader, readRecordsFromString } from '../../src/ingest/records.js';
import { scoreInput } from '../../src/scoring/pipeline.js';
import { BIN, ROOT, distMissing, tmpDir } from '../helpers/cli.js';

const LONG = process.env.FUZZ_LONG === '1';
const seed = Number(process.env.FUZZ_SEED ?? 20261126);
const EXIT_CODES = [0, 2, 65, 66, 73, 130];
/** Per-test time limit: the long run takes minutes. */
const TIMEOUT = LONG ? 1_800_000 : 60_000;

const INST_FILE = path.join(ROOT, 'fixtures', 'instruments', 'score-fixture.yaml');
const instrument = loadInstrument(INST_FILE);
const FIXTURES = ['qualtrics.csv', 'qualtrics-legacy.csv', 'redcap.csv', 'limesurvey.csv', 'plain-semicolon.csv'].map((f) =>
  fs.readFileSync(path.join(ROOT, 'fixtures', 'exports', f)),
);
const SMALL = FIXTURES[2]; // redcap.csv, 453 bytes: truncated at every position

const INSERTS = ['"', '""', ',', ';', '\t', '\n', '\r', '\r\n', '\0', '\uFEFF', '\xff\xfe', '\xef\xbb', '\x80', '\xc3', '\\', '=', "'", '"\n"'].map((s) =>
  Buffer.from(s, 'latin1'),
);

/** A mutation of `b`: byte flips, truncation, insertions, deletions, duplicated spans, a huge field. */
const mutant = (b: Buffer) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.array(fc.tuple(fc.nat(b.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }).map((flips) => {
      const c = Buffer.from(b);
      for (const [i, v] of flips) c[i] = v;
      return c;
    }) },
    { weight: 2, arbitrary: fc.nat(b.length).map((i) => b.subarray(0, i)) },
    { weight: 3, arbitrary: fc.array(fc.tuple(fc.nat(b.length), fc.constantFrom(...INSERTS)), { minLength: 1, maxLength: 5 }).map((ins) => {
      let c = Buffer.from(b);
      for (const [i, s] of ins.sort((x, y) => y[0] - x[0])) c = Buffer.concat([c.subarray(0, Math.min(i, c.length)), s, c.subarray(Math.min(i, c.length))]);
      return c;
    }) },
    { weight: 1, arbitrary: fc.tuple(fc.nat(b.length), fc.nat(300)).map(([i, n]) => Buffer.concat([b.subarray(0, i), b.subarray(i + n)])) },
    { weight: 1, arbitrary: fc.tuple(fc.nat(b.length), fc.nat(200), fc.nat(b.length)).map(([i, n, at]) => Buffer.concat([b.subarray(0, at), b.subarray(i, i + n), b.subarray(at)])) },
    { weight: 1, arbitrary: fc.tuple(fc.nat(b.length), fc.integer({ min: 1000, max: 20_000 }), fc.constantFrom('x', ',', '"', '\n')).map(([i, n, ch]) => Buffer.concat([b.subarray(0, i), Buffer.alloc(n, ch), b.subarray(i)])) },
  );

/** A mutated export from any of the fixtures. */
const anyMutant = fc.nat(FIXTURES.length - 1).chain((k) => mutant(FIXTURES[k]));

function checkError(e: unknown, what: string): number {
  if (!(e instanceof RapportError)) throw new Error(`${what}: uncaught ${(e as Error)?.name}: ${(e as Error)?.message}\n${(e as Error)?.stack}`);
  expect(EXIT_CODES, what).toContain(e.exitCode);
  expect(e.message, what).not.toMatch(/\n\s+at |\[object |undefined|NaN/);
  expect(e.message.split('\n').length, what).toBe(1);
  return e.exitCode;
}

let dir: string;
let seq = 0;

/** Score bytes in-process through a file (so decoding, BOMs and NUL checks run as for a real export). */
async function scoreBytes(bytes: Buffer, extra: { maxRecordSize?: number; dedupe?: 'first' | 'last' | 'error' } = {}): Promise<'ok' | number> {
  const f = path.join(dir, `in-${seq++ % 64}.csv`);
  fs.writeFileSync(f, bytes);
  let rows = 0;
  try {
    const s = await scoreInput({ input: f, instrument, maxRecordSize: extra.maxRecordSize ?? 4096, dedupe: extra.dedupe }, (r) => {
      rows++;
      expect(r.scores.length).toBe(2);
    });
    expect(s.rowsScored).toBe(rows);
    expect(s.rowsRead).toBeGreaterThanOrEqual(rows);
    return 'ok';
  } catch (e) {
    return checkError(e, `input ${JSON.stringify(bytes.toString('latin1').slice(0, 120))}`);
  }
}

describe('CSV reader and scoring pipeline, in-process', () => {
  beforeAll(() => {
    dir = tmpDir('rapport-csvfuzz-');
  });

  it(`mutated exports: only RapportErrors, rows = summary (${LONG ? 20_000 : 600} cases)`, async () => {
    const outcomes = new Set<string>();
    await fc.assert(
      fc.asyncProperty(anyMutant, fc.constantFrom(undefined, 'first' as const, 'last' as const, 'error' as const), async (b, dedupe) => {
        outcomes.add(String(await scoreBytes(b, { dedupe })));
      }),
      { numRuns: LONG ? 20_000 : 600, seed },
    );
    // The mutations reach both outcomes.
    expect(outcomes).toEqual(new Set(['ok', '65']));
  }, TIMEOUT);

  it('truncation at every position of a fixture', async () => {
    const seen = new Map<string, number>();
    for (let i = 0; i <= SMALL.length; i++) {
      const o = String(await scoreBytes(SMALL.subarray(0, i)));
      seen.set(o, (seen.get(o) ?? 0) + 1);
    }
    expect([...seen.keys()].sort()).toEqual(['65', 'ok']);
  });

  it('mixed line endings: every CR, LF or CRLF ends a record (a CR was left in the last field, or two records merged)', () => {
    const read = (t: string) => readRecordsFromString(t, { file: 'x.csv', delimiter: ',' }).map((r) => [r.line, ...r.fields]);
    expect(read('a,b\nc,d\r\ne,f\n')).toEqual([[1, 'a', 'b'], [2, 'c', 'd'], [3, 'e', 'f']]);
    expect(read('a,b\r\nc,d\ne,f\r\n')).toEqual([[1, 'a', 'b'], [2, 'c', 'd'], [3, 'e', 'f']]);
    expect(read('a,b\rc,d\ne,f')).toEqual([[1, 'a', 'b'], [2, 'c', 'd'], [3, 'e', 'f']]);
    expect(read('a,"x\r\ny"\nc,d\r\n')).toEqual([[1, 'a', 'x\r\ny'], [3, 'c', 'd']]);
    // A CRLF split between two pushes is still one line ending.
    const recs: string[][] = [];
    const r = new RecordReader({ file: 'x.csv', delimiter: ',' }, (f) => recs.push(f));
    r.push(Buffer.from('a,b\r'));
    r.push(Buffer.from('\nc,d\n'));
    r.end();
    expect(recs).toEqual([['a', 'b'], ['c', 'd']]);
  });

  it('the record reader alone, on random text: RapportErrors only, and the records re-join to the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '1', ',', ';', '"', '\n', '\r', ' ', '\0', 'é'), maxLength: 200 }), fc.constantFrom(',', ';', '\t'), (text, delimiter) => {
        try {
          const recs = readRecordsFromString(text, { file: 'fuzz.csv', delimiter, maxRecordSize: 64, maxColumns: 50 });
          // Without quotes, the fields re-joined give back the text (modulo the line breaks).
          if (!text.includes('"')) {
            const lines = text.split(/\r\n|\r|\n/);
            if (lines[lines.length - 1] === '') lines.pop();
            expect(recs.map((r) => r.fields.join(delimiter))).toEqual(lines);
          }
          for (let k = 1; k < recs.length; k++) expect(recs[k].line).toBeGreaterThan(recs[k - 1].line);
        } catch (e) {
          checkError(e, JSON.stringify(text));
        }
      }),
      { numRuns: LONG ? 50_000 : 2000, seed },
    );
  }, TIMEOUT);
});

/** The built CLI, optionally under a small V8 heap. */
function cli(args: string[], heapMb?: number): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...(heapMb ? [`--max-old-space-size=${heapMb}`] : []), BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 60_000,
    maxBuffer: 64 << 20,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const REDCAP_KEYS = ['redcap_event_name', 'redcap_repeat_instrument', 'redcap_repeat_instance'];

/** Run `score --out f --summary-json s` and check the CLI properties; returns the exit code. */
function scoreCli(input: string, outDir: string, what: string, heapMb?: number, extra: string[] = []): number {
  const out = path.join(outDir, 'out.csv');
  const sum = path.join(outDir, 'summary.json');
  fs.rmSync(out, { force: true });
  fs.rmSync(sum, { force: true });
  const r = cli(['score', input, '-i', INST_FILE, '--out', out, '--summary-json', sum, ...extra], heapMb);
  expect(EXIT_CODES, `${what}\n${r.stderr}`).toContain(r.code);
  expect(r.stderr, what).not.toMatch(/\n\s+at |internal error|FATAL|heap/i);
  expect(r.stdout, what).toBe('');
  expect(fs.readdirSync(outDir).filter((f) => f.endsWith('.tmp')), what).toEqual([]);
  if (r.code === 0) {
    const s = JSON.parse(fs.readFileSync(sum, 'utf8'));
    const rows = parse(fs.readFileSync(out, 'utf8')) as string[][];
    // The id column, then REDCap's key columns when the mutant kept them (event, repeat instrument and
    // instance identify a row with the record id), then the scores.
    const keys = rows[0].slice(1, -3);
    expect(keys.every((k) => REDCAP_KEYS.includes(k)), what).toBe(true);
    expect(rows[0].slice(-3), what).toEqual(['trust', 'comm', 'portal_use']);
    expect(rows.length - 1, what).toBe(s.rows_scored);
    for (const row of rows) expect(row.length, what).toBe(rows[0].length);
  } else {
    expect(fs.existsSync(out), what).toBe(false);
    expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('rapport: ')).length, what).toBe(1);
  }
  return r.code!;
}

describe.skipIf(distMissing())('rapport score through the built CLI', () => {
  let cdir: string;
  beforeAll(() => {
    cdir = tmpDir('rapport-csvfuzz-cli-');
  });

  it(`mutated exports (${LONG ? 300 : 24} cases): documented exit codes, whole output or none, no temp files`, () => {
    const samples = fc.sample(anyMutant, { numRuns: LONG ? 300 : 24, seed: seed + 1 });
    const codes = new Set<number>();
    samples.forEach((b, k) => {
      const f = path.join(cdir, `m${k}.csv`);
      fs.writeFileSync(f, b);
      codes.add(scoreCli(f, cdir, `case ${k}: ${JSON.stringify(b.toString('latin1').slice(0, 100))}`));
    });
    expect([...codes].sort()).toEqual([0, 65]);
  }, TIMEOUT);

  it('huge fields under a 96 MB heap: 64 MB unquoted, 64 MB inside an unclosed quote, 64 MB of NUL-free binary, 48 MB of commas; exit 65', () => {
    const make = (name: string, head: string, fill: number, mib: number) => {
      const f = path.join(cdir, name);
      const fd = fs.openSync(f, 'w');
      fs.writeSync(fd, head);
      const b = Buffer.alloc(1 << 20, fill);
      for (let i = 0; i < mib; i++) fs.writeSync(fd, b);
      fs.closeSync(fd);
      return f;
    };
    const cases = [
      make('huge-a.csv', 'id,trust_1\n1,', 0x61, 64),
      make('huge-q.csv', 'id,trust_1\n1,"', 0x61, 64),
      make('huge-hi.csv', 'id,trust_1\n1,', 0xe9, 64), // invalid UTF-8: read as Windows-1252
      make('huge-c.csv', 'id,trust_1\n1,', 0x2c, 48),
    ];
    for (const f of cases) {
      expect(scoreCli(f, cdir, path.basename(f), 96)).toBe(65);
      fs.rmSync(f);
    }
  });
});
