/**
 * Typed errors with stable codes. Every error a user can cause is one of these; each knows its exit
 * code and its one-sentence, user-facing message. The top-level handler (src/cli/main.ts) maps them;
 * anything else is a bug (exit 1).
 *
 * Exit codes (documented in README and `rapport --help`):
 *   0 success · 1 internal error (a bug) · 2 usage error · 65 invalid input data or instrument ·
 *   66 input file missing or unreadable · 73 output cannot be created · 130 interrupted
 */

export const EXIT = {
  OK: 0,
  INTERNAL: 1,
  USAGE: 2,
  DATA: 65,
  NO_INPUT: 66,
  CANT_CREATE: 73,
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Where in an input a problem is: a file plus a line/column, or an instrument path like `items[3].response_set`. */
export interface Place {
  file?: string;
  line?: number;
  column?: string | number;
  path?: string;
}

export function formatPlace(p: Place): string {
  const parts: string[] = [];
  if (p.file !== undefined) parts.push(p.file === '-' ? '<stdin>' : p.file);
  if (p.line !== undefined) parts.push(`line ${p.line}`);
  if (p.column !== undefined) parts.push(typeof p.column === 'number' ? `column ${p.column}` : `column "${p.column}"`);
  if (p.path !== undefined) parts.push(p.path);
  return parts.join(', ');
}

export class RapportError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  readonly place: Place;
  constructor(code: string, exitCode: ExitCode, message: string, place: Place = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
    this.place = place;
  }
}

/** Bad command line: unknown option, bad option value, missing argument, no terminal for `run`. Exit 2. */
export class UsageError extends RapportError {
  constructor(message: string, code = 'RAPPORT_USAGE') {
    super(code, EXIT.USAGE, message);
  }
}

/** Invalid input data (CSV structure, values under --strict, mapping problems). Exit 65. */
export class DataError extends RapportError {
  constructor(code: string, message: string, place: Place = {}) {
    super(code, EXIT.DATA, message, place);
  }
}

/** One problem in an instrument file, with its path (`items[3].response_set`). */
export interface InstrumentProblem {
  path: string;
  message: string;
}

/** An instrument that does not validate: carries every problem at once. Exit 65. */
export class InstrumentError extends RapportError {
  readonly problems: InstrumentProblem[];
  constructor(file: string, problems: InstrumentProblem[]) {
    const n = problems.length;
    const head =
      n === 1
        ? `${file}: ${problems[0].path ? problems[0].path + ': ' : ''}${problems[0].message}`
        : `${file}: ${n} problems in the instrument:\n` +
          problems.map((p) => `  - ${p.path ? p.path + ': ' : ''}${p.message}`).join('\n');
    super('RAPPORT_INSTRUMENT_INVALID', EXIT.DATA, head, { file });
    this.problems = problems;
  }
}

/** Input file missing or unreadable. Exit 66. */
export class InputError extends RapportError {
  constructor(message: string, file?: string, code = 'RAPPORT_INPUT_UNREADABLE') {
    super(code, EXIT.NO_INPUT, message, { file });
  }
}

/** Output cannot be created. Exit 73. */
export class OutputError extends RapportError {
  constructor(message: string, file?: string, code = 'RAPPORT_OUTPUT_FAILED') {
    super(code, EXIT.CANT_CREATE, message, { file });
  }
}

/** Interrupted by the user (Ctrl-C) or a signal. Exit 130. */
export class InterruptedError extends RapportError {
  constructor(message = 'Interrupted.') {
    super('RAPPORT_INTERRUPTED', EXIT.INTERRUPTED, message);
  }
}

/** Map a Node fs error on an input path to an InputError with a clear sentence. */
export function inputErrorFrom(err: unknown, file: string): RapportError {
  if (err instanceof RapportError) return err;
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return new InputError(`${file}: no such file; check the path (use - to read standard input).`, file, 'RAPPORT_INPUT_MISSING');
    case 'EACCES':
    case 'EPERM':
      return new InputError(`${file}: permission denied; make the file readable or run as a user who can read it.`, file);
    case 'EISDIR':
      return new InputError(`${file}: is a directory, not a file; name a file inside it.`, file);
    default:
      return new InputError(`${file}: cannot be read (${e?.code ?? e?.message ?? String(err)}).`, file);
  }
}

/** Map a Node fs error on an output path to an OutputError with a clear sentence. */
export function outputErrorFrom(err: unknown, file: string): RapportError {
  if (err instanceof RapportError) return err;
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return new OutputError(`${file}: cannot create the file because its folder does not exist; create the folder first.`, file);
    case 'EACCES':
    case 'EPERM':
      return new OutputError(`${file}: permission denied; choose a folder you can write to.`, file);
    case 'EROFS':
      return new OutputError(`${file}: is on a read-only file system; choose a folder on a writable disk.`, file);
    case 'EISDIR':
      return new OutputError(`${file}: is a folder; name a file instead.`, file);
    case 'EDQUOT':
      return new OutputError(`${file}: the disk quota is exhausted; free space and run again (nothing was written).`, file);
    case 'ENOTDIR':
      return new OutputError(`${file}: a part of the path is a file, not a folder; fix the path.`, file);
    case 'ENOSPC':
      return new OutputError(`${file}: the disk is full; free space and run again (nothing was written).`, file);
    default:
      return new OutputError(`${file}: cannot be written (${e?.code ?? e?.message ?? String(err)}).`, file);
  }
}
