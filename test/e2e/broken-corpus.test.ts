/**
 * The corpus of broken inputs (fixtures/broken/, listed in fixtures/broken/manifest.json) through the
 * built CLI: each case ends with its documented exit code and message, never a stack trace, and a
 * failing case leaves no output. Two inputs are generated here instead of committed: a 64 MB single
 * field (exit 65 by the record-size limit, read in bounded memory and not to the end) and a
 * 10,001-column header (exit 65 by the column limit).
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, distMissing, rapport, tmpDir } from '../helpers/cli.js';

interface Case {
  file: string;
  args: string[];
  exit: number;
  stderr: string;
  stdout?: string;
  out?: string[];
}
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'fixtures', 'broken', 'manifest.json'), 'utf8')) as { instrument: string; cases: Case[] };
const INST = manifest.instrument;

describe('fixtures/broken/manifest.json', () => {
  it('lists every file of the corpus, and every listed file exists', () => {
    const files = fs.readdirSync(path.join(ROOT, 'fixtures', 'broken')).filter((f) => f !== 'manifest.json' && f !== 'README.md');
    expect(new Set(manifest.cases.map((c) => c.file))).toEqual(new Set(files));
  });
});

describe.skipIf(distMissing())('broken inputs through the built CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = tmpDir('rapport-broken-');
  });

  manifest.cases.forEach((c, k) => {
    it(`${c.file}: ${c.args.filter((a) => !a.startsWith('{')).slice(0, 3).join(' ')} → exit ${c.exit}`, () => {
      const file = `fixtures/broken/${c.file}`;
      const out = path.join(dir, `out-${k}${c.args[0] === 'score' ? '.csv' : c.args[0] === 'report' ? '' : '.yaml'}`);
      const fill = (s: string) => s.replaceAll('{file}', file).replaceAll('{out}', out).replaceAll('{instrument}', INST);
      const r = rapport(c.args.map(fill));
      expect(r.code, r.stderr).toBe(c.exit);
      expect(r.stderr).toContain(fill(c.stderr));
      expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
      if (c.stdout !== undefined) expect(r.stdout).toContain(c.stdout);
      if (c.exit !== 0) {
        expect(fs.existsSync(out)).toBe(false);
        // One message, one line, starting with "rapport: ".
        expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^rapport: /)]);
      }
      if (c.out) {
        const text = fs.readFileSync(out, 'utf8');
        for (const frag of c.out) expect(text).toContain(frag);
      }
      expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });
  });

  it('a 64 MB single field: exit 65 by the record-size limit, under a 32 MB V8 heap, no output', () => {
    const f = path.join(dir, 'huge-field.csv');
    const fd = fs.openSync(f, 'w');
    fs.writeSync(fd, 'id,trust_1,comment\n1,4,"');
    const mb = Buffer.alloc(1 << 20, 0x7a);
    for (let i = 0; i < 64; i++) fs.writeSync(fd, mb);
    fs.writeSync(fd, '"\n');
    fs.closeSync(fd);
    const out = path.join(dir, 'huge-out.csv');
    const t0 = Date.now();
    const r = spawnSync(process.execPath, ['--max-old-space-size=32', BIN, 'score', f, '-i', INST, '-o', out], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stderr.trim()).toBe(
      `rapport: ${f}, line 2, column "comment": the record is larger than the 1048576-character limit (often an unclosed quote swallowing the rest of the file); fix the quotes, or raise the limit with --max-record-size.`,
    );
    expect(r.status).toBe(65);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(fs.existsSync(out)).toBe(false);
    fs.rmSync(f);
  });

  it('a 64 MB single field on standard input: refused after reading a few MB, not the whole stream', async () => {
    const child = spawn(process.execPath, [BIN, 'score', '-', '-i', INST, '-q'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    let done = false;
    void exited.then(() => (done = true));
    child.stdin.on('error', () => {}); // EPIPE once the child has stopped reading
    let written = 0;
    const chunk = Buffer.alloc(1 << 16, 0x7a);
    const write = (b: Buffer) => new Promise<void>((resolve) => (child.stdin.write(b) ? resolve() : child.stdin.once('drain', resolve), setTimeout(resolve, 50)));
    await write(Buffer.from('id,trust_1,comment\n1,4,'));
    while (!done && written < 64 << 20) {
      await write(chunk);
      written += chunk.length;
    }
    child.stdin.destroy();
    const code = await exited;
    expect(code).toBe(65);
    expect(stderr).toMatch(/^rapport: <stdin>, line 2, column "comment": the record is larger than the 1048576-character limit/);
    expect(stdout).toBe('');
    expect(written).toBeLessThan(16 << 20); // stopped long before the 64 MB were sent
  });

  it('column names holding line breaks or escape codes are quoted in messages, which stay one line (found by the long fuzz)', () => {
    const f = path.join(dir, 'nl-header.csv');
    fs.writeFileSync(f, 'id,trust_1,"\ntrust_2\u001b[31m"\np1,4,3 "x"\n');
    const r = rapport(['score', f, '-i', INST, '-q']);
    expect(r.code).toBe(65);
    expect(r.stderr).toBe(`rapport: ${f}, line 3, column "\\ntrust_2\\u001b[31m": a double quote appears in the middle of a field (an unquoted field); quote the whole field and double the quotes inside it ("5"" tall").\n`);
    const strict = path.join(dir, 'nl-strict.csv');
    fs.writeFileSync(strict, 'id,"trust\r\n_1"\np1,seven\n');
    const map = path.join(dir, 'nl-map.yaml');
    fs.writeFileSync(map, 'items:\n  trust_1: 2\n');
    const s = rapport(['score', strict, '-i', INST, '--map', map, '--strict', '-q']);
    expect(s.code).toBe(65);
    expect(s.stderr.trim().split('\n')).toHaveLength(1);
    expect(s.stderr).toContain(`line 3, column "trust\\r\\n_1": "seven" is not an answer to item trust_1`);
    const keep = rapport(['score', 'fixtures/exports/qualtrics.csv', '-i', INST, '--keep', 'no\nsuch', '-q']);
    expect(keep.code).toBe(65);
    expect(keep.stderr).toContain('--keep names the column "no\\nsuch", which');
    expect(keep.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a header of 10,001 columns: exit 65 by the column limit', () => {
    const f = path.join(dir, 'wide.csv');
    const names = Array.from({ length: 10_001 }, (_, i) => (i === 0 ? 'id' : i === 1 ? 'trust_1' : `c${i}`));
    fs.writeFileSync(f, names.join(',') + '\n' + names.map(() => '1').join(',') + '\n');
    const out = path.join(dir, 'wide-out.csv');
    const r = rapport(['score', f, '-i', INST, '-o', out]);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain(`${f}, line 1: the record has more than 10000 fields, the limit for one record`);
    expect(fs.existsSync(out)).toBe(false);
    // 10,000 columns are fine.
    fs.writeFileSync(f, names.slice(0, 10_000).join(',') + '\n' + names.slice(0, 10_000).map(() => '4').join(',') + '\n');
    const ok = rapport(['score', f, '-i', INST, '-q']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('id,trust,comm,portal_use\n4,,,\n');
  });
});
