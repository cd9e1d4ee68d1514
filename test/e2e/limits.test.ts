/**
 * Documented limits (README "Safety and limits"): the record size, the column count and the instrument
 * size, and what happens past each: exit 65 with one sentence, no output, bounded memory.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { MAX_COLUMNS, DEFAULT_MAX_RECORD_SIZE, RecordReader, readRecordsFromString } from '../../src/ingest/records.js';
import { MAX_INSTRUMENT_BYTES } from '../../src/instrument/load.js';
import { BIN, ROOT, distMissing, rapport, tmpDir } from '../helpers/cli.js';

const INST = 'fixtures/instruments/score-fixture.yaml';

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('column limit (in-process reader)', () => {
  it('the limits are the documented numbers', () => {
    expect(MAX_COLUMNS).toBe(10_000);
    expect(DEFAULT_MAX_RECORD_SIZE).toBe(1_048_576);
    expect(MAX_INSTRUMENT_BYTES).toBe(2_097_152);
  });

  it('accepts exactly MAX_COLUMNS fields and refuses one more, naming the line', () => {
    const row = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`).join(',');
    const ok = readRecordsFromString(`${row(MAX_COLUMNS)}\n${row(MAX_COLUMNS)}\n`, { file: 'w.csv', delimiter: ',' });
    expect(ok.map((r) => r.fields.length)).toEqual([MAX_COLUMNS, MAX_COLUMNS]);
    const e = thrown(() => readRecordsFromString(`a,b\n1,2\n${row(MAX_COLUMNS + 1)}\n`, { file: 'w.csv', delimiter: ',' }));
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).code).toBe('CSV_TOO_MANY_COLUMNS');
    expect((e as DataError).message).toMatch(/^w\.csv, line 3: the record has more than 10000 fields/);
  });

  it('a record of millions of empty fields fails early, before the record is complete (memory bounded)', () => {
    // 8 MB of commas with no line break: csv-parse's size limit counts field characters (none here).
    let records = 0;
    const r = new RecordReader({ file: 'commas.csv', delimiter: ',' }, () => records++);
    r.push(Buffer.from('id,x\n'));
    const commas = Buffer.alloc(1 << 20, 0x2c);
    let pushed = 0;
    const e = thrown(() => {
      for (let i = 0; i < 8; i++) {
        r.push(commas);
        pushed++;
      }
    });
    expect((e as DataError).code).toBe('CSV_TOO_MANY_COLUMNS');
    expect(pushed).toBe(0); // refused within the first MiB
    expect(records).toBe(1);
  });

  it('a smaller maxColumns applies to semicolon files too', () => {
    const e = thrown(() => readRecordsFromString('a;b;c;d\n', { file: '-', delimiter: ';', maxColumns: 3 }));
    expect((e as DataError).message).toMatch(/^<stdin>, line 1: the record has more than 3 fields, .*the delimiter is ";"/);
  });
});

describe.skipIf(distMissing())('limits through the built CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = tmpDir('rapport-limits-');
  });

  it('32 MB of commas on one line: exit 65 by the column limit in a 96 MB heap, no output file', () => {
    const f = path.join(dir, 'commas.csv');
    const fd = fs.openSync(f, 'w');
    fs.writeSync(fd, 'id,trust_1,trust_2\n1,2,');
    const b = Buffer.alloc(1 << 20, 0x2c);
    for (let i = 0; i < 32; i++) fs.writeSync(fd, b);
    fs.writeSync(fd, '\n');
    fs.closeSync(fd);
    const out = path.join(dir, 'commas-out.csv');
    const n = nodeRapport(['score', f, '-i', INST, '-o', out]);
    expect(n.stderr).toMatch(/line 2: the record has more than 10000 fields, the limit for one record/);
    expect(n.stderr).not.toMatch(/heap|\n\s+at /);
    expect(n.code).toBe(65);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(dir).filter((x) => x.endsWith('.tmp'))).toEqual([]);
  });

  it('an instrument file over 2 MiB: exit 65 naming the limit', () => {
    const f = path.join(dir, 'huge.yaml');
    fs.writeFileSync(f, '# ' + 'x'.repeat(MAX_INSTRUMENT_BYTES) + '\n');
    const r = rapport(['instruments', 'validate', f]);
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/larger than the 2097152-byte limit for instruments/);
  });

  it('--max-record-size raises or lowers the record limit', () => {
    const f = path.join(dir, 'wide-field.csv');
    fs.writeFileSync(f, `id,trust_1,comment\n1,4,${'y'.repeat(3000)}\n`);
    const low = rapport(['score', f, '-i', INST, '--max-record-size', '2k', '-q']);
    expect(low.code).toBe(65);
    expect(low.stderr).toMatch(/line 2, column "comment": the record is larger than the 2048-character limit/);
    const high = rapport(['score', f, '-i', INST, '--max-record-size', '4k', '-q']);
    expect(high.code).toBe(0);
    expect(high.stdout).toBe('id,trust,comm,portal_use\n1,,,\n');
  });
});

/** The built CLI under a small V8 heap (node --max-old-space-size=96). */
function nodeRapport(args: string[]): { code: number | null; stderr: string } {
  const r = spawnSync(process.execPath, ['--max-old-space-size=96', BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  return { code: r.status, stderr: r.stderr };
}
