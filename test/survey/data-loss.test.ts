/**
 * issue 11, "Data loss in run": a submission cut short by a full disk leaves the responses file as it
 * was and the journal intact; an empty or zombie-held session lock is stale; a journal of another
 * respondent is refused; a respondent submitted before is refused with the date; an item id ending in
 * `_complete` does not turn run's own file into a REDCap export.
 * The full-disk cases mount a small tmpfs (root only; skipped with the reason otherwise).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadInstrument } from '../../src/instrument/load.js';
import type { Ask, Choice } from '../../src/survey/ask.js';
import { Journal, journalPath, pidAlive, startLine } from '../../src/survey/journal.js';
import { appendResponse, buildRow } from '../../src/survey/responses.js';
import { resumeCommand, runSession, type SessionOptions } from '../../src/survey/session.js';
import { ROOT, tmpDir } from '../helpers/cli.js';

const MINI = path.join(ROOT, 'fixtures', 'instruments', 'mini.yaml');
const mini = loadInstrument(MINI);

/** Answers every item with its first option and submits. */
function firstOptions(): Ask {
  return {
    async choose(): Promise<Choice> {
      return { kind: 'choose', option: 0 };
    },
    async pressEnter() {},
    show() {},
    clear() {},
    close() {},
  };
}

function opts(out: string, over: Partial<SessionOptions> = {}): SessionOptions {
  return {
    inst: mini,
    out,
    outLabel: 'r.csv',
    lang: 'en',
    langExplicit: false,
    respondent: 'K42',
    ask: firstOptions(),
    showScores: false,
    waitAtEnd: false,
    resumeHint: (id) => resumeCommand('mini.yaml', 'r.csv', id),
    ...over,
  };
}

const ROOT_USER = process.getuid?.() === 0;
const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts) spawnSync('umount', ['-l', m]);
});

/** A fresh tmpfs of `kb` KiB, or undefined when it cannot be mounted (not root, no mount). */
function smallDisk(kb: number): string | undefined {
  if (!ROOT_USER) return undefined;
  const dir = tmpDir('rapport-fulldisk-');
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${kb}k`, 'tmpfs', dir]);
  if (r.status !== 0) return undefined;
  mounts.push(dir);
  return dir;
}

/** Fill the file system holding `dir` until a write fails with ENOSPC. */
function fill(dir: string): string {
  const f = path.join(dir, 'filler');
  const fd = fs.openSync(f, 'a');
  const page = Buffer.alloc(4096, 120);
  try {
    for (;;) fs.writeSync(fd, page);
  } catch (e) {
    expect((e as NodeJS.ErrnoException).code).toBe('ENOSPC');
  }
  for (;;) {
    try {
      fs.writeSync(fd, page, 0, 1);
    } catch {
      break;
    }
  }
  fs.closeSync(fd);
  return f;
}

const CAN_MOUNT = smallDisk(64) !== undefined;
if (!CAN_MOUNT) console.warn('test/survey/data-loss.test.ts: cannot mount a tmpfs (needs root), so the full-disk cases are skipped.');

describe.skipIf(!CAN_MOUNT)('full disk during submission', () => {
  it('the partial row is cut back, exit 73, the journal is kept; a retry after freeing space submits the whole row', async () => {
    const disk = smallDisk(64)!;
    const out = path.join(disk, 'r.csv');
    // An existing responses file whose end is a few bytes short of a page boundary, so the next row
    // starts in the page already held and its rest needs a page the full disk cannot give.
    const row = (id: string) => buildRow({ respondent: id, instrumentId: 'mini', version: '0.1.0', lang: 'en', startedAt: 's' }, new Array(5).fill({ kind: 'value', value: 1 }), 'c');
    await appendResponse(out, mini, row('A0'));
    const size0 = fs.statSync(out).size;
    const pad = 4096 - 20 - size0 - ',mini,0.1.0,en,s,c,1,1,1,1,1\n'.length;
    await appendResponse(out, mini, row('Z'.repeat(pad)));
    const before = fs.readFileSync(out);
    expect(4096 - before.length).toBe(20);
    // The journal's page is allocated by its first lines; the disk fills after the session started.
    const ask = firstOptions();
    let filler = '';
    const realChoose = ask.choose;
    ask.choose = async (s) => {
      if (!filler && s.options.length === 2 && s.options[0].label === 'Submit my answers') filler = fill(disk);
      return realChoose(s);
    };
    const err = await runSession(opts(out, { ask })).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: 73 });
    expect(fs.readFileSync(out)).toEqual(before);
    const journal = fs.readFileSync(journalPath(out, 'K42'), 'utf8');
    expect(journal.trim().split('\n')).toHaveLength(6);
    fs.rmSync(filler);
    const res = await runSession(opts(out));
    expect(res.outcome).toBe('submitted');
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/^K42,mini,0\.1\.0,en,[^,]+,[^,]+,1,1,1,1,0$/);
    expect(fs.existsSync(journalPath(out, 'K42'))).toBe(false);
  });

  it('a full disk while taking the session lock leaves no empty lock behind (exit 73)', () => {
    const disk = smallDisk(64)!;
    const out = path.join(disk, 'r.csv');
    fs.mkdirSync(out + '.sessions', { mode: 0o700 });
    fill(disk);
    expect(() => Journal.open(out, 'K1')).toThrow(expect.objectContaining({ exitCode: 73 }));
    expect(fs.readdirSync(out + '.sessions')).toEqual([]);
  });
});

describe('stale session locks', () => {
  it('an empty lock file (left by a full disk) is stale: removed, with a message naming it', async () => {
    const dir = tmpDir();
    const out = path.join(dir, 'r.csv');
    fs.mkdirSync(out + '.sessions', { mode: 0o700 });
    const lock = path.join(out + '.sessions', 'K42.lock');
    fs.writeFileSync(lock, '');
    let err = '';
    const stderr = { write: (s: string) => ((err += s), true) } as unknown as NodeJS.WritableStream;
    const res = await runSession(opts(out, { stderr }));
    expect(res.outcome).toBe('submitted');
    expect(err).toBe(`rapport: removed the stale session lock ${lock}: it was empty or unreadable (left by a full disk or a crash).\n`);
    expect(err).not.toMatch(/undefined|process \?/);
  });

  it('a lock held by a live process is not stale; one held by a zombie (state Z) is', async () => {
    const dir = tmpDir();
    const out = path.join(dir, 'r.csv');
    fs.mkdirSync(out + '.sessions', { mode: 0o700 });
    const lock = path.join(out + '.sessions', 'K5.lock');
    // A child that exits at once and is never reaped: its parent (sh running sleep via exec) never waits.
    const holder = spawn('sh', ['-c', 'sleep 0 & exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const shPid = holder.pid!;
      const zombie = await new Promise<number>((resolve, reject) => {
        const t0 = Date.now();
        const look = () => {
          const kids = execFileSync('ps', ['-o', 'pid=,stat=', '--ppid', String(shPid)], { encoding: 'utf8' }).trim().split('\n');
          const z = kids.map((l) => l.trim().split(/\s+/)).find(([, st]) => st?.startsWith('Z'));
          if (z) resolve(Number(z[0]));
          else if (Date.now() - t0 > 20_000) reject(new Error(`no zombie child: ${kids.join('; ')}`));
          else setTimeout(look, 20);
        };
        look();
      });
      expect(() => process.kill(zombie, 0)).not.toThrow();
      expect(pidAlive(zombie)).toBe(false);
      expect(pidAlive(shPid)).toBe(true);
      fs.writeFileSync(lock, `${shPid}\n${os.hostname()}\n`);
      expect(() => Journal.open(out, 'K5')).toThrow(/respondent K5 is already being surveyed in another terminal \(process \d+\)/);
      fs.writeFileSync(lock, `${zombie}\n${os.hostname()}\n`);
      const notes: string[] = [];
      const j = Journal.open(out, 'K5', out, (f, why) => notes.push(`${f}: ${why}`));
      j.close();
      expect(notes).toEqual([`${lock}: its process ${zombie} is no longer running`]);
    } finally {
      holder.kill('SIGKILL');
    }
  });
});

describe('who the journal and the row belong to', () => {
  it("a journal whose own respondent id is not --respondent's is refused (65); nothing is recorded", async () => {
    const dir = tmpDir();
    const out = path.join(dir, 'r.csv');
    const j = Journal.open(out, 'OTHER');
    j.append(startLine({ respondent: 'OTHER', instrumentId: 'mini', version: '0.1.0', lang: 'en', startedAt: 's' }));
    j.close();
    fs.renameSync(journalPath(out, 'OTHER'), journalPath(out, 'K42'));
    const err = await runSession(opts(out)).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: 65, code: 'JOURNAL_OTHER_RESPONDENT' });
    expect((err as Error).message).toBe('r.csv.sessions/K42.jsonl: holds the session of respondent "OTHER", not K42; the file was renamed or copied, so move it aside and start this respondent again (nothing was recorded).');
    expect(fs.existsSync(out)).toBe(false);
  });

  it('a respondent submitted before: "already submitted on <date>" (65), no screen shown', async () => {
    const dir = tmpDir();
    const out = path.join(dir, 'r.csv');
    await runSession(opts(out, { now: () => new Date('2026-11-02T09:30:00.000Z') }));
    let screens = 0;
    const ask = { ...firstOptions(), choose: async (): Promise<Choice> => (screens++, { kind: 'choose', option: 0 }) };
    const err = await runSession(opts(out, { ask })).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: 65 });
    expect((err as Error).message).toBe('r.csv: respondent K42 already submitted on 2026-11-02T09:30:00.000Z; a row is written once, so choose another --respondent (or leave it out for a new random id).');
    expect(screens).toBe(0);
  });
});

