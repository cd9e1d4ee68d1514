/**
 * Concurrency (issue #8): N processes submitting to one responses file at the same moment, through the
 * submission function `run` uses (src/survey/responses.ts appendResponse, built in dist/): N×K whole
 * rows, one header, no interleaving; the same respondent submitted by every process at once is
 * recorded once (identical answers: 'already-recorded' for the others; different answers: refused).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { instrumentFromText } from '../../src/instrument/load.js';
import { responsesHeader } from '../../src/survey/responses.js';
import { ROOT, distMissing, tmpDir } from '../helpers/cli.js';

const N = 8;
const K = 5;

const INSTRUMENT = `rapport: 1
id: conc
version: "2"
title: Concurrency
response_sets:
  a5: {options: [{value: 1, label: One}, {value: 2, label: Two}, {value: 3, label: Three}, {value: 4, label: Four}, {value: 5, label: Five}]}
items:
${Array.from({ length: 30 }, (_, i) => `  - {id: q${i}, text: "Q${i}", response_set: a5}`).join('\n')}
`;

/** Row cells every process can predict: respondent P<n>-<k>, answers ((n + k + i) mod 5) + 1. */
function expectedRow(n: number, k: number): string[] {
  return [`P${n}-${k}`, 'conc', '2', 'en', '2026-01-01T00:00:00.000Z', '2026-01-01T00:10:00.000Z', ...Array.from({ length: 30 }, (_, i) => String(((n + k + i) % 5) + 1))];
}

const CHILD = `
import * as fs from 'node:fs';
import { loadInstrument } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist/instrument/load.js')).href)};
import { appendResponse, buildRow } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist/survey/responses.js')).href)};
const [instFile, out, go, nText] = process.argv.slice(2);
const n = Number(nText);
const inst = loadInstrument(instFile);
const meta = (id) => ({ respondent: id, instrumentId: inst.id, version: inst.version, lang: 'en', startedAt: '2026-01-01T00:00:00.000Z' });
const answers = (a) => inst.items.map((_, i) => ({ kind: 'value', value: ((a + i) % 5) + 1 }));
process.stdout.write('READY\\n');
while (!fs.existsSync(go)) await new Promise((r) => setTimeout(r, 1));
// One submission at a time per process, as rapport run does; all processes at once.
const results = [];
const submit = async (id, ans) => {
  try { results.push(await appendResponse(out, inst, buildRow(meta(id), ans, '2026-01-01T00:10:00.000Z'))); } catch (e) { results.push(e.code ?? String(e)); }
};
for (let k = 0; k < ${K}; k++) await submit('P' + n + '-' + k, answers(n + k));
await submit('SAME', answers(0));
// Different answers in every process: the bits of n in the first three items.
await submit('CONFLICT', inst.items.map((_, i) => ({ kind: 'value', value: i < 3 ? ((n >> i) & 1) + 1 : 1 })));
process.stdout.write(JSON.stringify(results) + '\\n');
`;

describe.skipIf(distMissing())(`${N} processes submitting to one responses file at once`, () => {
  let dir: string;
  beforeAll(() => {
    dir = tmpDir('rapport-concurrency-');
  });

  it(`${N}×${K} rows and two contested respondents: whole rows, one header, each respondent once`, async () => {
    const instFile = path.join(dir, 'conc.yaml');
    fs.writeFileSync(instFile, INSTRUMENT);
    const script = path.join(dir, 'child.mjs');
    fs.writeFileSync(script, CHILD);
    const out = path.join(dir, 'responses.csv');
    const go = path.join(dir, 'go');
    const children = Array.from({ length: N }, (_, n) => {
      const c = spawn(process.execPath, [script, instFile, out, go, String(n)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      c.stdout.on('data', (d) => (stdout += d));
      c.stderr.on('data', (d) => (stderr += d));
      const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => c.on('close', (code) => resolve({ code, stdout, stderr })));
      return { ready: () => stdout.startsWith('READY'), done };
    });
    const t0 = Date.now();
    while (!children.every((c) => c.ready())) {
      if (Date.now() - t0 > 20_000) throw new Error('children did not start');
      await new Promise((r) => setTimeout(r, 5));
    }
    fs.writeFileSync(go, ''); // all start at once
    const results = await Promise.all(children.map((c) => c.done));
    const per = results.map((r) => {
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout.split('\n')[1]) as string[];
    });
    for (const p of per) expect(p.slice(0, K)).toEqual(Array(K).fill('appended'));
    const same = per.map((p) => p[K]);
    expect(same.filter((x) => x === 'appended')).toHaveLength(1);
    expect(same.filter((x) => x === 'already-recorded')).toHaveLength(N - 1);
    const conflict = per.map((p) => p[K + 1]);
    expect(conflict.filter((x) => x === 'appended')).toHaveLength(1);
    expect(conflict.filter((x) => x === 'RESPONSES_DUPLICATE')).toHaveLength(N - 1);

    const text = fs.readFileSync(out, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(lines).toHaveLength(1 + N * K + 2);
    const inst = instrumentFromText(INSTRUMENT, instFile);
    expect(lines[0]).toBe(responsesHeader(inst).join(','));
    expect(lines.filter((l) => l.startsWith('respondent_id,'))).toHaveLength(1);
    // Every line is one whole row (36 cells), and the rows are exactly the expected ones.
    const rows = lines.slice(1).map((l) => parse(l) as string[][]);
    for (const r of rows) expect(r.length === 1 && r[0].length).toBe(36);
    const byId = new Map(rows.map((r) => [r[0][0], r[0]]));
    expect(byId.size).toBe(N * K + 2);
    for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) expect(byId.get(`P${n}-${k}`)).toEqual(expectedRow(n, k));
    expect(byId.get('SAME')!.slice(6)).toEqual(Array.from({ length: 30 }, (_, i) => String((i % 5) + 1)));
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(out + '.lock')).toBe(false);
  }, 60_000);
});
