/**
 * The session journal: one append-only JSON-lines file per respondent next to the responses file
 * (`<out>.sessions/<respondent>.jsonl`, folder 0700, file 0600). Every answer is written and fsync'd
 * before the next screen is shown, so a killed session loses nothing that was acknowledged.
 *
 * Lines:
 *   {"type":"start","format":1,"respondent":"K42","instrument":"mini","version":"0.1.0","lang":"en","started_at":"…Z"}
 *   {"type":"answer","item":"warm_1","value":3,"at":"…Z"}                 a response option
 *   {"type":"answer","item":"warm_1","value":9,"missing":true,"at":"…Z"}  a missing code (refused)
 *   {"type":"answer","item":"warm_1","value":null,"at":"…Z"}              skipped
 *   {"type":"resume","lang":"es","at":"…Z"}                                 resumed (language may change)
 *   {"type":"abandoned","at":"…Z"}                                           kiosk idle reset (resume: staff, --respondent)
 * The last answer line for an item wins. A final line cut short by a crash (no newline) is dropped.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataError, OutputError, UsageError, outputErrorFrom, inputErrorFrom } from '../errors.js';
import type { Instrument } from '../instrument/types.js';
import { fsyncFolder } from '../io/atomic.js';
import { openAnswer, optionsFor, type Answer } from './flow.js';

export const JOURNAL_FORMAT = 1;

export interface SessionMeta {
  respondent: string;
  instrumentId: string;
  version: string;
  lang: string;
  startedAt: string;
  /** --site: the clinic this session ran at. */
  site?: string;
  /** The visit (`run --visit`), recorded in the visit_id column. */
  visit?: string;
}

export function sessionsDir(out: string): string {
  return out + '.sessions';
}

export function journalPath(out: string, respondent: string): string {
  return path.join(sessionsDir(out), respondent + '.jsonl');
}

export function startLine(m: SessionMeta): string {
  return JSON.stringify({
    type: 'start',
    format: JOURNAL_FORMAT,
    respondent: m.respondent,
    instrument: m.instrumentId,
    version: m.version,
    lang: m.lang,
    started_at: m.startedAt,
    ...(m.site !== undefined ? { site: m.site } : {}),
    ...(m.visit !== undefined ? { visit: m.visit } : {}),
  });
}

export function answerLine(itemId: string, a: Answer, at: string): string {
  if (a.kind === 'skipped') return JSON.stringify({ type: 'answer', item: itemId, value: null, at });
  if (a.kind === 'refused') return JSON.stringify({ type: 'answer', item: itemId, value: a.value, missing: true, at });
  return JSON.stringify({ type: 'answer', item: itemId, value: a.value, at });
}

/** Kiosk idle reset: the respondent walked away; only staff resume it (with --respondent). */
export function abandonedLine(at: string): string {
  return JSON.stringify({ type: 'abandoned', at });
}

export function resumeLine(lang: string, at: string): string {
  return JSON.stringify({ type: 'resume', lang, at });
}

export interface Replayed {
  meta: SessionMeta;
  /** One entry per item in instrument order (undefined = not seen yet). */
  answers: (Answer | undefined)[];
  /** Number of answer lines read (including superseded ones). */
  answerLines: number;
}

/**
 * Rebuild a session from journal text. Throws DataError (with the line) when the journal belongs to
 * another instrument or version, names an unknown item, or holds a value the item does not offer.
 */
export function replayJournal(text: string, inst: Instrument, file: string): Replayed {
  let lines = text.split('\n');
  // A last line without its newline was cut short by a crash: it was never acknowledged, so drop it.
  if (lines[lines.length - 1] !== '') lines = lines.slice(0, -1);
  else lines.pop();
  let meta: SessionMeta | undefined;
  const answers: (Answer | undefined)[] = new Array(inst.items.length).fill(undefined);
  const index = new Map(inst.items.map((it, i) => [it.id, i]));
  let answerLines = 0;
  lines.forEach((raw, k) => {
    const line = k + 1;
    if (raw.trim() === '') return;
    let rec: Record<string, unknown>;
    try {
      rec = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      throw new DataError('JOURNAL_CORRUPT', `${file}: line ${line} is not a journal record; the session file is damaged, so move it aside and start this respondent again.`, { file, line });
    }
    if (rec === null || typeof rec !== 'object') {
      throw new DataError('JOURNAL_CORRUPT', `${file}: line ${line} is not a journal record; the session file is damaged, so move it aside and start this respondent again.`, { file, line });
    }
    if (rec.type === 'start') {
      if (rec.instrument !== inst.id || rec.version !== inst.version) {
        throw new DataError(
          'JOURNAL_OTHER_INSTRUMENT',
          `${file}: this session was started with instrument ${String(rec.instrument)} version ${String(rec.version)}, not ${inst.id} version ${inst.version}; resume it with that instrument or choose another --respondent.`,
          { file, line },
        );
      }
      meta = {
        respondent: String(rec.respondent),
        instrumentId: inst.id,
        version: inst.version,
        lang: String(rec.lang),
        startedAt: String(rec.started_at),
        ...(typeof rec.site === 'string' ? { site: rec.site } : {}),
        ...(typeof rec.visit === 'string' ? { visit: rec.visit } : {}),
      };
      return;
    }
    if (!meta) {
      throw new DataError('JOURNAL_CORRUPT', `${file}: line ${line} comes before the session's start record; the session file is damaged, so move it aside and start this respondent again.`, { file, line });
    }
    if (rec.type === 'resume') {
      if (typeof rec.lang === 'string') meta.lang = rec.lang;
      return;
    }
    if (rec.type === 'abandoned') return;
    if (rec.type !== 'answer') {
      throw new DataError('JOURNAL_CORRUPT', `${file}: line ${line} has an unknown record type ${JSON.stringify(rec.type)}; the session file is damaged or from a newer rapport.`, { file, line });
    }
    const i = index.get(String(rec.item));
    if (i === undefined) {
      throw new DataError('JOURNAL_UNKNOWN_ITEM', `${file}: line ${line} answers item ${JSON.stringify(rec.item)}, which instrument ${inst.id} ${inst.version} does not have; resume with the instrument this session was started with.`, { file, line });
    }
    answerLines++;
    if (rec.value === null) {
      answers[i] = { kind: 'skipped' };
      return;
    }
    const missing = rec.missing === true;
    const item = inst.items[i];
    if (item.type === 'number' || item.type === 'text') {
      const ok = !missing && (typeof rec.value === 'number' || typeof rec.value === 'string') && 'value' in openAnswer(item, String(rec.value));
      if (!ok || typeof rec.value !== (item.type === 'number' ? 'number' : 'string')) {
        throw new DataError('JOURNAL_BAD_VALUE', `${file}: line ${line} gives ${item.type} item ${item.id} the value ${JSON.stringify(rec.value)}, which it does not accept; the session file is damaged or from another instrument version.`, { file, line });
      }
      answers[i] = { kind: 'value', value: rec.value as number | string };
      return;
    }
    const opts = optionsFor(inst, item, meta.lang);
    const o = opts.find((x) => x.value === rec.value && x.missing === missing);
    if (!o) {
      throw new DataError('JOURNAL_BAD_VALUE', `${file}: line ${line} gives item ${inst.items[i].id} the value ${JSON.stringify(rec.value)}, which is not one of its ${missing ? 'missing codes' : 'options'}; the session file is damaged or from another instrument version.`, { file, line });
    }
    answers[i] = missing ? { kind: 'refused', value: o.value } : { kind: 'value', value: o.value };
  });
  if (!meta) {
    throw new DataError('JOURNAL_CORRUPT', `${file}: has no start record; the session file is damaged, so move it aside and start this respondent again.`, { file });
  }
  return { meta, answers, answerLines };
}

/**
 * Whether process `pid` is running. A zombie (state Z in /proc/<pid>/stat: killed but not yet reaped
 * by its parent, which never happens in a container without an init process) is not.
 */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ...: comm may hold spaces and parentheses, so read after the last ')'.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true; /* no /proc (not Linux): kill(0) said it exists */
  }
}

/**
 * An open journal: appends are synchronous and fsync'd, so when `append` returns the line is on disk
 * (and a signal arriving later cannot lose it). Holds a per-respondent lock file so two terminals
 * cannot run the same respondent at once.
 */
export class Journal {
  private fd: number;
  private lockFile: string;
  private released = false;
  private readonly onExit = () => this.releaseLock();

  private constructor(
    readonly file: string,
    fd: number,
    lockFile: string,
    /** Journal text present when it was opened ('' for a new session). */
    readonly existing: string,
  ) {
    this.fd = fd;
    this.lockFile = lockFile;
    process.on('exit', this.onExit);
  }

  /** Open (creating folder and file, 0700/0600) and lock the journal of `respondent`. */
  static open(out: string, respondent: string, label = out, onStale: (file: string, why: string) => void = () => {}): Journal {
    const dir = sessionsDir(out);
    const file = journalPath(out, respondent);
    try {
      fs.mkdirSync(dir, { mode: 0o700 });
      fsyncFolder(path.dirname(path.resolve(dir)));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        throw new OutputError(`${label}: cannot keep session journals next to it because its folder does not exist; create the folder first or choose another --out.`, label);
      }
      if (code !== 'EEXIST') throw outputErrorFrom(e, sessionsDir(label));
      if (!fs.statSync(dir).isDirectory()) {
        throw new OutputError(`${sessionsDir(label)}: is a file, but rapport needs a folder there for session journals; move the file away.`, label);
      }
    }
    const lockFile = path.join(dir, respondent + '.lock');
    Journal.takeLock(lockFile, respondent, onStale);
    let fd: number;
    let existing = '';
    try {
      const isNew = !fs.existsSync(file);
      fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_APPEND, 0o600);
      if (isNew) fsyncFolder(dir);
      else {
        existing = fs.readFileSync(file, 'utf8');
        // Drop a last line cut short by a crash before appending after it.
        if (existing.length > 0 && !existing.endsWith('\n')) {
          const keep = existing.lastIndexOf('\n') + 1;
          fs.ftruncateSync(fd, Buffer.byteLength(existing.slice(0, keep)));
          fs.fsyncSync(fd);
          existing = existing.slice(0, keep);
        }
      }
    } catch (e) {
      try {
        fs.unlinkSync(lockFile);
      } catch {
        /* ignore */
      }
      throw e instanceof DataError ? e : outputErrorFrom(e, file);
    }
    return new Journal(file, fd, lockFile, existing);
  }

  /**
   * Take `<respondent>.lock`. The lock's text (pid, host) is written to a temporary file first and
   * hard-linked into place, so a live holder's lock is never empty; an empty or unreadable lock (a
   * full disk while an older rapport wrote it) or one whose holder is gone or a zombie is stale: it
   * is removed, and `onStale` is told its path.
   */
  private static takeLock(lockFile: string, respondent: string, onStale: (file: string, why: string) => void): void {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (Journal.linkLock(lockFile)) return;
      let holder: string[] = [];
      try {
        holder = fs.readFileSync(lockFile, 'utf8').split('\n');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw inputErrorFrom(e, lockFile);
      }
      const pid = Number(holder[0]);
      const host = holder[1] ?? '';
      const readable = /^[1-9][0-9]*$/.test(holder[0] ?? '') && host !== '';
      const sameHost = host === os.hostname();
      const why = !readable ? 'it was empty or unreadable (left by a full disk or a crash)' : sameHost && !pidAlive(pid) ? `its process ${pid} is no longer running` : undefined;
      if (why !== undefined) {
        try {
          fs.unlinkSync(lockFile);
          onStale(lockFile, why);
        } catch {
          /* raced with another taker; the next attempt decides */
        }
        continue;
      }
      throw new UsageError(
        `respondent ${respondent} is already being surveyed in another terminal (process ${pid}${sameHost ? '' : ' on ' + JSON.stringify(host)}); finish that session first, or remove ${lockFile} if it is no longer running.`,
        'RUN_RESPONDENT_BUSY',
      );
    }
    throw new UsageError(`respondent ${respondent}: cannot take the session lock ${lockFile}; try again.`, 'RUN_RESPONDENT_BUSY');
  }

  /** Write pid and host to a temporary file and link it to `lockFile`; false when the lock exists. */
  private static linkLock(lockFile: string): boolean {
    const tmp = `${lockFile}.${process.pid}.tmp`;
    try {
      const fd = fs.openSync(tmp, 'w', 0o600);
      try {
        const buf = Buffer.from(`${process.pid}\n${os.hostname()}\n`);
        let off = 0;
        while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
      } finally {
        fs.closeSync(fd);
      }
      fs.linkSync(tmp, lockFile);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw outputErrorFrom(e, lockFile);
    } finally {
      try {
        fs.unlinkSync(tmp);
      } catch {
        /* not created */
      }
    }
  }

  /** Append one record and fsync it. Throws OutputError (73) if the disk refuses. */
  append(line: string): void {
    try {
      const buf = Buffer.from(line + '\n', 'utf8');
      let off = 0;
      while (off < buf.length) off += fs.writeSync(this.fd, buf, off, buf.length - off);
      fs.fsyncSync(this.fd);
    } catch (e) {
      throw outputErrorFrom(e, this.file);
    }
  }

  private releaseLock(): void {
    if (this.released) return;
    this.released = true;
    try {
      fs.unlinkSync(this.lockFile);
    } catch {
      /* already gone */
    }
  }

  /** Close and keep the journal (interrupted session). */
  close(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      /* ignore */
    }
    this.releaseLock();
    process.removeListener('exit', this.onExit);
  }

  /** Close and delete the journal (submitted), and the sessions folder if now empty. */
  remove(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      /* ignore */
    }
    const dir = path.dirname(this.file);
    try {
      fs.unlinkSync(this.file);
    } catch {
      /* ignore */
    }
    this.releaseLock();
    process.removeListener('exit', this.onExit);
    try {
      fs.rmdirSync(dir);
    } catch {
      /* not empty (other sessions): keep it */
    }
    fsyncFolder(path.dirname(path.resolve(dir)));
  }
}
