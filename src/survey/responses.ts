/**
 * The responses file written by `rapport run`: a CSV with a header row and one row per submitted
 * respondent, in the "plain" format `rapport score` reads without a mapping (item columns named by
 * item id, holding option codes). Rows are appended in one write under an exclusive lock, so several
 * terminals can share one file; the header is written once, when the file is created (mode 0600).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRecordsFromBytes } from '../ingest/table.js';
import { stringify } from 'csv-stringify/sync';
import lockfile from 'proper-lockfile';
import { DataError, outputErrorFrom, inputErrorFrom } from '../errors.js';
import type { Instrument } from '../instrument/types.js';
import { neutralizeFormula, neutralizeText } from '../util/format.js';
import type { Answer } from './flow.js';
import type { SessionMeta } from './journal.js';

export const META_COLUMNS = ['respondent_id', 'instrument_id', 'instrument_version', 'lang', 'started_at', 'completed_at'] as const;

/** With a visit (`run --visit`), a `visit_id` column follows the meta columns. */
export function responsesHeader(inst: Instrument, visit = false): string[] {
  return [...META_COLUMNS, ...(visit ? ['visit_id'] : []), ...inst.items.map((it) => it.id)];
}

/**
 * The cell for one answer: the option's code, the missing code when refused, empty when skipped or
 * unseen. A letter code that starts like a formula (`-A1`) is neutralised (`'-A1`; rapport score
 * reads it back as `-A1`); numbers are written as they are.
 */
export function answerCell(a: Answer | undefined): string {
  if (!a || a.kind === 'skipped') return '';
  return typeof a.value === 'number' ? String(a.value) : neutralizeText(a.value);
}

/** One row: text cells are neutralised against spreadsheet formulas (ids are text); codes are kept as they are. */
export function buildRow(meta: SessionMeta, answers: readonly (Answer | undefined)[], completedAt: string): string[] {
  return [
    neutralizeFormula(meta.respondent),
    neutralizeFormula(meta.instrumentId),
    neutralizeFormula(meta.version),
    neutralizeFormula(meta.lang),
    meta.startedAt,
    completedAt,
    ...(meta.visit !== undefined ? [neutralizeFormula(meta.visit)] : []),
    ...answers.map(answerCell),
  ];
}

export function csvLine(cells: string[]): string {
  return stringify([cells], { record_delimiter: 'unix', eof: true });
}

export interface ExistingResponses {
  /** Respondent id (as stored) → item cells of its row, for the duplicate check. */
  rows: Map<string, string[]>;
  endsWithNewline: boolean;
}

/**
 * Check an existing responses file against the instrument: the header must be exactly this
 * instrument's columns, and every row must be for this instrument id and version. Throws DataError
 * naming the file and the first mismatch; never modifies anything.
 */
export function checkResponsesText(text: string, inst: Instrument, file: string, visit = false): ExistingResponses {
  const want = responsesHeader(inst, visit);
  const records: { record: string[]; line: number }[] = [];
  try {
    readRecordsFromBytes(Buffer.from(text, 'utf8'), { file, delimiter: ',' }, (record, line) => {
      if (!(record.length === 1 && record[0] === '')) records.push({ record, line });
    });
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    throw new DataError(
      'RESPONSES_UNREADABLE',
      `${file}: cannot be read as CSV (${e.message.replace(/\.$/, '')}); it was not written by 'rapport run', so choose another --out file.`,
      { file, line: e.place.line },
    );
  }
  if (records.length === 0) return { rows: new Map(), endsWithNewline: text.length === 0 || text.endsWith('\n') };
  const got = records[0].record;
  const sameMeta = META_COLUMNS.every((c, i) => got[i] === c);
  if (!sameMeta) {
    throw new DataError(
      'RESPONSES_OTHER_FILE',
      `${file}: is not a responses file of 'rapport run' (its header starts ${JSON.stringify(got.slice(0, 3).join(','))}, expected "respondent_id,instrument_id,instrument_version"); choose another --out file, nothing was appended.`,
      { file, line: 1 },
    );
  }
  if (got.length !== want.length || got.some((c, i) => c !== want[i])) {
    const k = want.findIndex((c, i) => got[i] !== c);
    const at = k < 0 ? got.length : k;
    throw new DataError(
      'RESPONSES_OTHER_INSTRUMENT',
      `${file}: holds responses to another instrument or version (header column ${at + 1} is ${got[at] === undefined ? 'missing' : JSON.stringify(got[at])}, ${inst.id} ${inst.version} needs ${want[at] === undefined ? 'no more columns' : JSON.stringify(want[at])}); choose another --out file, nothing was appended.`,
      { file, line: 1, column: at + 1 },
    );
  }
  const rows = new Map<string, string[]>();
  for (let r = 1; r < records.length; r++) {
    const { record, line } = records[r];
    if (record.length !== want.length) {
      throw new DataError('RESPONSES_DAMAGED', `${file}: line ${line} has ${record.length} columns, the header has ${want.length}; the file was edited or damaged, so repair it or choose another --out file.`, { file, line });
    }
    if (record[1] !== neutralizeFormula(inst.id) || record[2] !== neutralizeFormula(inst.version)) {
      throw new DataError(
        'RESPONSES_OTHER_INSTRUMENT',
        `${file}: line ${line} holds a response to ${record[1]} version ${record[2]}, not ${inst.id} version ${inst.version}; choose another --out file for this version, nothing was appended.`,
        { file, line },
      );
    }
    rows.set(record[0], record.slice(META_COLUMNS.length));
  }
  return { rows, endsWithNewline: text.endsWith('\n') };
}

/** Read and check an existing responses file (undefined when it does not exist yet). No lock: used before a session starts. */
export function readResponses(file: string, inst: Instrument, label = file, visit = false): ExistingResponses | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw inputErrorFrom(e, label);
  }
  return checkResponsesText(text, inst, label, visit);
}

function sameCells(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export type AppendResult = 'appended' | 'already-recorded';

export interface AppendOptions {
  /** Lock retry budget (ms between tries grows from 5 to 100, randomised). */
  retries?: number;
  /** The file as the user named it, for messages. */
  label?: string;
  /** The row has a visit_id cell (`run --visit`). */
  visit?: boolean;
}

/**
 * Append one row (and the header when the file is new or empty) in a single write under an exclusive
 * lock (`<file>.lock`, proper-lockfile), then fsync. Before writing, the existing file is checked
 * (header, instrument version); a row for the same respondent id is refused unless it is identical
 * (a submission that completed just before a crash), which returns 'already-recorded'.
 */
export async function appendResponse(target: string, inst: Instrument, row: string[], opts: AppendOptions = {}): Promise<AppendResult> {
  const file = opts.label ?? target;
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(target, {
      realpath: false,
      stale: 10000,
      retries: { retries: opts.retries ?? 400, factor: 1.2, minTimeout: 5, maxTimeout: 100, randomize: true },
      onCompromised: (err) => {
        compromised = err;
      },
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOCKED') {
      throw new DataError('RESPONSES_LOCKED', `${file}: is locked by another rapport session for too long (lock ${file}.lock); try again, or remove the lock folder if no session is running.`, { file });
    }
    throw outputErrorFrom(e, file);
  }
  try {
    let fd: number;
    const existed = fs.existsSync(target);
    try {
      fd = fs.openSync(target, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_APPEND, 0o600);
    } catch (e) {
      throw outputErrorFrom(e, file);
    }
    try {
      const size = fs.fstatSync(fd).size;
      let prefix = '';
      if (size === 0) {
        prefix = csvLine(responsesHeader(inst, opts.visit));
      } else {
        const text = fs.readFileSync(fd, 'utf8');
        const existing = checkResponsesText(text, inst, file, opts.visit);
        const prev = existing.rows.get(row[0]);
        if (prev !== undefined) {
          if (sameCells(prev, row.slice(META_COLUMNS.length))) return 'already-recorded';
          throw new DataError(
            'RESPONSES_DUPLICATE',
            `${file}: already has a row for respondent ${row[0]} with other answers; nothing was appended (the answers stay in the session journal), so resume with another --respondent or remove the old row.`,
            { file },
          );
        }
        if (!existing.endsWithNewline) prefix = '\n';
      }
      const buf = Buffer.from(prefix + csvLine(row), 'utf8');
      try {
        let off = 0;
        while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
        fs.fsyncSync(fd);
      } catch (e) {
        throw outputErrorFrom(e, file);
      }
      if (!existed) {
        try {
          const dfd = fs.openSync(path.dirname(path.resolve(target)), 'r');
          fs.fsyncSync(dfd);
          fs.closeSync(dfd);
        } catch {
          /* directory fsync unsupported */
        }
      }
      if (compromised) throw outputErrorFrom(compromised, file);
      return 'appended';
    } finally {
      fs.closeSync(fd);
    }
  } finally {
    await release().catch(() => undefined);
  }
}
