/**
 * Crash safety (issue #8).
 *
 * `run`: a child process runs a survey session (src/survey/session.ts, built in dist/) with a scripted
 * `Ask` and prints `ACK <item> <answer>` once the next screen is being drawn — the moment the respondent
 * sees the answer taken, which the session promises only after the journal line is fsync'd. The parent
 * SIGKILLs it at a random moment, then checks that every acknowledged answer is in the journal, resumes
 * with a second scripted child and checks the responses file holds exactly the row of an uninterrupted
 * session. `RUN_TRIALS` (default 30; FUZZ_LONG=1: 200) trials, several at a time.
 *
 * `score`: SIGKILLed at random moments while writing a large output over an existing file: the target
 * is always either the old file or the whole new one, byte for byte, never a truncated one. SIGTERM
 * removes its temporary file and exits 130.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { instrumentFromText } from '../../src/instrument/load.js';
import { sameAnswer, type Answer } from '../../src/survey/flow.js';
import { journalPath, replayJournal } from '../../src/survey/journal.js';
import { META_COLUMNS, checkResponsesText } from '../../src/survey/responses.js';
import { BIN, ROOT, distMissing, tmpDir } from '../helpers/cli.js';

const LONG = process.env.FUZZ_LONG === '1';
const TRIALS = Number(process.env.RUN_TRIALS ?? (LONG ? 200 : 30));
const PARALLEL = 3;

export const CRASH_INSTRUMENT = `rapport: 1
id: crash
version: "1"
title: Crash test
response_sets:
  a5:
    options: [{value: 1, label: One}, {value: 2, label: Two}, {value: 3, label: Three}, {value: 4, label: Four}, {value: 5, label: Five}]
    missing: [{value: 9, label: Refused}]
  yn:
    options: [{value: 0, label: "No"}, {value: 1, label: "Yes"}]
items:
${Array.from({ length: 10 }, (_, i) => `  - {id: q${i}, text: "Question ${i}", response_set: ${i === 9 ? 'yn' : 'a5'}${i === 3 ? ', reverse: true' : ''}}`).join('\n')}
scales:
  - {id: s, label: S, items: [q0, q1, q2, q3, q4], min_answered: 2}
`;

/**
 * The child: runs one session with a scripted Ask. Item i gets a fixed answer: skipped, refused, or
 * option (3i+1) mod n. Random 0-3 ms pauses in each prompt spread the kill points.
 */
const CHILD = `
import { loadInstrument } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist/instrument/load.js')).href)};
import { runSession } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist/survey/session.js')).href)};
import { answerFor, optionsFor } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist/survey/flow.js')).href)};
const [instFile, out, respondent] = process.argv.slice(2);
const inst = loadInstrument(instFile);
const byText = new Map(inst.items.map((it, i) => [it.text, i]));
let pending;
const pause = () => new Promise((r) => setTimeout(r, Math.floor(Math.random() * 4)));
const say = (s) => process.stdout.write(s + '\\n');
const ask = {
  async choose(s) {
    await pause();
    const i = byText.get(s.question);
    if (i === undefined) {
      say('REVIEW');
      return { kind: 'choose', option: 0 }; // review screen: submit
    }
    const n = s.options.length;
    let c;
    if (i % 5 === 2) c = { kind: 'skip' };
    else if (i % 4 === 1 && s.options[n - 1].missing) c = { kind: 'choose', option: n - 1 };
    else c = { kind: 'choose', option: (3 * i + 1) % s.options.filter((o) => !o.missing).length };
    pending = { item: inst.items[i].id, answer: c.kind === 'skip' ? { kind: 'skipped' } : answerFor(optionsFor(inst, inst.items[i], 'en')[c.option]) };
    return c;
  },
  async pressEnter() {},
  show() { say('SUBMITTED'); },
  clear() {
    if (pending) say('ACK ' + JSON.stringify(pending));
    pending = undefined;
  },
  close() {},
};
say('READY');
try {
  const r = await runSession({ inst, out, lang: 'en', langExplicit: false, respondent, ask, showScores: false, waitAtEnd: false, resumeHint: () => '' });
  say('DONE ' + r.outcome);
} catch (e) {
  say('ERROR ' + e.code);
  process.exitCode = e.exitCode ?? 1;
}
`;

interface ChildRun {
  child: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
}

function startChild(script: string, args: string[]): ChildRun {
  const child = spawn(process.execPath, [script, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let buf = '';
  child.stdout!.on('data', (d) => {
    buf += d;
    const parts = buf.split('\n');
    buf = parts.pop()!;
    lines.push(...parts);
  });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      if (buf) lines.push(buf);
      if (code !== 0 && code !== null) lines.push('STDERR ' + err);
      resolve(code);
    }),
  );
  return { child, lines, exited };
}

async function until(what: string, fn: () => boolean, ms = 15_000): Promise<void> {
  const t0 = Date.now();
  while (!fn()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function pool<T>(n: number, jobs: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < jobs.length) {
        const k = next++;
        out[k] = await jobs[k]();
      }
    }),
  );
  return out;
}

describe.skipIf(distMissing())('run: SIGKILL at random points loses no acknowledged answer and resumes to the same row', () => {
  let dir: string;
  let instFile: string;
  let script: string;
  const inst = instrumentFromText(CRASH_INSTRUMENT, 'crash.yaml');
  let reference: string[];

  beforeAll(async () => {
    dir = tmpDir('rapport-crash-run-');
    instFile = path.join(dir, 'crash.yaml');
    fs.writeFileSync(instFile, CRASH_INSTRUMENT);
    script = path.join(dir, 'child.mjs');
    fs.writeFileSync(script, CHILD);
    // The uninterrupted session.
    const out = path.join(dir, 'reference.csv');
    const r = startChild(script, [instFile, out, 'REF']);
    expect(await r.exited).toBe(0);
    expect(r.lines.at(-1)).toBe('DONE submitted');
    const rows = checkResponsesText(fs.readFileSync(out, 'utf8'), inst, out).rows;
    reference = rows.get('REF')!;
    // Skipped (q2, q7), refused (q1, q5), else option (3i+1) mod n: q0 → 2, q3 → 1, q4 → 4, q6 → 5, q8 → 1, q9 → 0 (No)
    expect(reference).toEqual(['2', '9', '', '1', '4', '9', '5', '', '1', '0']);
    expect(fs.existsSync(journalPath(out, 'REF'))).toBe(false);
  });

  it(`${TRIALS} trials`, async () => {
    const stats = { killedBeforeAnyAck: 0, killedMidSession: 0, killedAfterSubmit: 0, finishedBeforeKill: 0, submittedBeforeKill: 0, alreadyRecorded: 0, staleLockLeft: 0 };
    const trial = (t: number) => async () => {
      const out = path.join(dir, `responses-${t}.csv`);
      const id = `T${t}`;
      const a = startChild(script, [instFile, out, id]);
      // Kill point: after READY, after the k-th acknowledged answer (1..10), at the review screen (the
      // submission follows) or after submission, then
      // 0-3 ms later, so kills land before, during and after journal writes and the submission.
      const target = Math.floor(Math.random() * 13);
      const acked = () => a.lines.filter((l) => l.startsWith('ACK ')).length;
      await until('kill point', () =>
        a.child.exitCode !== null || (target === 0 ? a.lines.includes('READY') : target === 11 ? a.lines.includes('REVIEW') : target === 12 ? a.lines.includes('SUBMITTED') : acked() >= target),
      );
      await new Promise((r) => setTimeout(r, Math.random() * 3));
      a.child.kill('SIGKILL');
      await a.exited;
      const acks = a.lines.filter((l) => l.startsWith('ACK ')).map((l) => JSON.parse(l.slice(4)) as { item: string; answer: Answer });
      const submitted = a.lines.includes('SUBMITTED');
      const jf = journalPath(out, id);
      if (a.lines.some((l) => l.startsWith('DONE'))) stats.finishedBeforeKill++;
      else if (submitted) stats.killedAfterSubmit++;
      else if (acks.length === 0) stats.killedBeforeAnyAck++;
      else stats.killedMidSession++;
      // Every acknowledged answer is in the journal (or, after submission, in the responses file).
      // (A journal created but killed before its start record is complete is empty: a new session.)
      const jtext = fs.existsSync(jf) ? fs.readFileSync(jf, 'utf8') : '';
      if (jtext.includes('\n')) {
        const j = replayJournal(jtext, inst, jf);
        for (const ack of acks) {
          const i = inst.items.findIndex((it) => it.id === ack.item);
          expect(sameAnswer(j.answers[i], ack.answer), `trial ${t}: ${ack.item} acknowledged as ${JSON.stringify(ack.answer)}, journal has ${JSON.stringify(j.answers[i])}`).toBe(true);
        }
      } else if (acks.length > 0) {
        // No journal but acknowledged answers: only when the submission completed (the row is there).
        const rows = fs.existsSync(out) ? checkResponsesText(fs.readFileSync(out, 'utf8'), inst, out).rows : new Map();
        expect(rows.has(id), `trial ${t}: answers acknowledged but no journal record and no submitted row`).toBe(true);
      }
      // Resume to the end. Killed after the journal was removed (the submission complete), the resume is
      // refused: the row is there and the respondent is done.
      const finished = !fs.existsSync(jf) && fs.existsSync(out) && checkResponsesText(fs.readFileSync(out, 'utf8'), inst, out).rows.has(id);
      const b = startChild(script, [instFile, out, id]);
      const code = await b.exited;
      const done = b.lines.filter((l) => !l.startsWith('STDERR')).at(-1)!;
      if (finished) {
        stats.submittedBeforeKill++;
        expect(code, `trial ${t}: ${b.lines.join(' | ')}`).toBe(65);
        expect(done).toBe('ERROR RESPONSES_DUPLICATE');
      } else {
        expect(code, `trial ${t}: ${b.lines.join(' | ')}`).toBe(0);
        expect(done).toMatch(/^DONE (submitted|already-recorded)$/);
        if (done === 'DONE already-recorded') stats.alreadyRecorded++;
      }
      // The resumed session re-asks only unanswered items: never one acknowledged before the kill.
      const reasked = b.lines.filter((l) => l.startsWith('ACK ')).map((l) => (JSON.parse(l.slice(4)) as { item: string }).item);
      for (const ack of acks) expect(reasked, `trial ${t}`).not.toContain(ack.item);
      const text = fs.readFileSync(out, 'utf8');
      const lines = text.trimEnd().split('\n');
      expect(lines.length, `trial ${t}: ${text}`).toBe(2); // one header, one row
      const rows = checkResponsesText(text, inst, out).rows;
      expect(rows.get(id), `trial ${t}`).toEqual(reference);
      const cells = lines[1].split(',');
      expect(cells.slice(1, 4)).toEqual(['crash', '1', 'en']);
      expect(cells[4] <= cells[5]).toBe(true); // started_at (from the first run's journal) ≤ completed_at
      expect(fs.existsSync(jf)).toBe(false);
      // A run killed inside the submission lock leaves <out>.lock (stale after 10 s, then taken over);
      // a resumed run that submitted took it and released it.
      if (done === 'DONE submitted') expect(fs.existsSync(out + '.lock'), `trial ${t}`).toBe(false);
      else if (fs.existsSync(out + '.lock')) stats.staleLockLeft++;
      expect(META_COLUMNS.length).toBe(6);
    };
    await pool(PARALLEL, Array.from({ length: TRIALS }, (_, t) => trial(t)));
    // The random kills landed in every phase (reported for the record; at least mid-session always).
    console.log(`run crash trials: ${JSON.stringify(stats)}`);
    expect(stats.killedMidSession).toBeGreaterThan(0);
  }, LONG ? 1_800_000 : 120_000);
});

describe.skipIf(distMissing())('score: SIGKILL mid-write leaves the old output or the whole new one', () => {
  let dir: string;
  let input: string;
  let reference: Buffer;
  let duration = 1000;
  const OLD = 'id,trust,comm,portal_use\nOLD,1,1,1\n';

  beforeAll(async () => {
    dir = tmpDir('rapport-crash-score-');
    input = path.join(dir, 'big.csv');
    // 150,000 rows (~6 MB): scoring and writing take a few hundred ms.
    const fd = fs.openSync(input, 'w');
    fs.writeSync(fd, 'id,trust_1,trust_2,trust_3,comm_1,comm_2,portal_use,note\n');
    let chunk = '';
    for (let i = 0; i < 150_000; i++) {
      chunk += `R${i},${(i % 5) + 1},${((i >> 1) % 5) + 1},${((i >> 2) % 5) + 1},${(i % 3) + 1},${i % 7 === 0 ? '' : (i % 4) + 1},${i & 1},free text ${i}\n`;
      if (chunk.length > 1 << 20) {
        fs.writeSync(fd, chunk);
        chunk = '';
      }
    }
    fs.writeSync(fd, chunk);
    fs.closeSync(fd);
    const ref = path.join(dir, 'reference.csv');
    const t0 = Date.now();
    const r = startScore(['-o', ref]);
    expect(await r.exited).toBe(0);
    duration = Date.now() - t0;
    reference = fs.readFileSync(ref);
    expect(reference.toString('utf8').split('\n').length).toBe(150_002);
  });

  function startScore(extra: string[]): ChildRun {
    return startChild(BIN, ['score', input, '-i', 'fixtures/instruments/score-fixture.yaml', '--keep', 'note', '-q', ...extra]);
  }

  it('SIGKILL at random times over an existing output: old or complete, never truncated', async () => {
    const outcomes = { old: 0, complete: 0 };
    const trials = LONG ? 40 : 6;
    for (let t = 0; t < trials; t++) {
      const out = path.join(dir, `out-${t}.csv`);
      fs.writeFileSync(out, OLD);
      const r = startScore(['-o', out]);
      // From start-up to a little past the end of an uninterrupted run.
      await new Promise((res) => setTimeout(res, 50 + Math.random() * duration * 1.2));
      r.child.kill('SIGKILL');
      await r.exited;
      const got = fs.readFileSync(out);
      if (got.equals(reference)) outcomes.complete++;
      else {
        expect(got.toString('utf8'), `trial ${t}: neither the old output nor the complete new one (${got.length} bytes)`).toBe(OLD);
        outcomes.old++;
      }
      // Only the temporary file of a killed run may be left (it cannot clean up after SIGKILL).
      for (const f of fs.readdirSync(dir)) if (f.startsWith(`.out-${t}.csv.`)) expect(f).toMatch(/^\.out-\d+\.csv\.\d+\.[0-9a-f]{8}\.tmp$/);
    }
    console.log(`score crash trials (run takes ${duration} ms): ${JSON.stringify(outcomes)}`);
    expect(outcomes.old).toBeGreaterThan(0);
  }, LONG ? 600_000 : 60_000);

  it('SIGTERM at random times: exit 130 with the old output and no temporary file (or finished: the whole new one)', async () => {
    // Regression: a SIGTERM handled while the output's temporary file was being opened left it behind.
    const seen = { interrupted: 0, finished: 0, beforeHandlers: 0 };
    const trials = LONG ? 60 : 10;
    for (let t = 0; t < trials; t++) {
      const out = path.join(dir, `term-${t}.csv`);
      fs.writeFileSync(out, OLD);
      const r = startScore(['-o', out]);
      await new Promise((res) => setTimeout(res, 30 + Math.random() * duration));
      r.child.kill('SIGTERM');
      const code = await r.exited;
      if (code === 0) {
        seen.finished++;
        expect(fs.readFileSync(out).equals(reference), `trial ${t}`).toBe(true);
      } else {
        // null: the signal came before rapport installed its handlers (nothing opened yet).
        if (code === null) seen.beforeHandlers++;
        else {
          expect(code, `trial ${t}`).toBe(130);
          seen.interrupted++;
        }
        // The signal may land after the rename but before the exit: then the new output is complete.
        const got = fs.readFileSync(out);
        if (!got.equals(reference)) expect(got.toString('utf8'), `trial ${t}: neither old nor complete`).toBe(OLD);
      }
      expect(fs.readdirSync(dir).filter((f) => f.startsWith(`.term-${t}.csv.`)), `trial ${t}`).toEqual([]);
    }
    console.log(`score SIGTERM trials: ${JSON.stringify(seen)}`);
    expect(seen.interrupted).toBeGreaterThan(0);
  }, LONG ? 600_000 : 60_000);
});

describe.skipIf(distMissing())('report: SIGKILL mid-write leaves each file old or complete', () => {
  const NAMES = ['report.txt', 'report.html', 'summary.json', 'model.csv', 'predictors.csv', 'reliability.csv', 'reliability_items.csv', 'descriptives.csv'];
  // summary.json carries the run time under "run" only; everything else is byte-identical between runs.
  const stable = (name: string, text: string) => (name === 'summary.json' ? JSON.stringify({ ...JSON.parse(text), run: null }) : text);

  it('SIGKILL at random times over an existing report folder', async () => {
    const dir = tmpDir('rapport-crash-report-');
    const args = (out: string) => ['report', 'fixtures/sample/qualtrics-sample.csv', '-i', 'relationship-engagement', '--outcome', 'portal_use', '--bootstrap', '0', '--out', out, '-q']; // the writes are the subject, not the resamples
    const refDir = path.join(dir, 'reference');
    const t0 = Date.now();
    const ref = startChild(BIN, args(refDir));
    expect(await ref.exited).toBe(0);
    const duration = Date.now() - t0;
    const reference = new Map(NAMES.map((n) => [n, stable(n, fs.readFileSync(path.join(refDir, n), 'utf8'))]));
    const outcomes = { old: 0, complete: 0 };
    const trials = LONG ? 40 : 8;
    for (let t = 0; t < trials; t++) {
      const out = path.join(dir, `out-${t}`);
      fs.mkdirSync(out);
      for (const n of NAMES) fs.writeFileSync(path.join(out, n), n === 'summary.json' ? '{"old": true}' : `OLD ${n}\n`);
      const r = startChild(BIN, args(out));
      await new Promise((res) => setTimeout(res, 50 + Math.random() * duration * 1.2));
      r.child.kill('SIGKILL');
      await r.exited;
      for (const n of NAMES) {
        const got = fs.readFileSync(path.join(out, n), 'utf8');
        if (got === (n === 'summary.json' ? '{"old": true}' : `OLD ${n}\n`)) outcomes.old++;
        else {
          expect(stable(n, got), `trial ${t}, ${n}: neither the old file nor the complete new one`).toBe(reference.get(n));
          outcomes.complete++;
        }
      }
      // Only temporary files of the killed run (and, killed amid the renames, backups of old files) may be
      // left beside them (SIGKILL cannot clean up), and the run's manifest.
      for (const f of fs.readdirSync(out)) if (!NAMES.includes(f) && f !== '.rapport-manifest.json') expect(f).toMatch(/^\.[a-z_.-]+\.\d+\.[0-9a-f]{8}\.(tmp|old)$/);
    }
    console.log(`report crash trials (run takes ${duration} ms): files ${JSON.stringify(outcomes)}`);
    expect(outcomes.old).toBeGreaterThan(0);
  }, LONG ? 600_000 : 90_000);
});
