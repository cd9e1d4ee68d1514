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

/**
 * Every error code, with its exit code and meaning: a closed list (docs/errors.md is checked against
 * it by test/errors.test.ts). One prefix convention: `AREA_WHAT`, the area being where the problem is
 * (USAGE, INPUT, OUTPUT, CSV, SAV, XLSX, MAP, SCORE, INSTRUMENT, REDCAP, REPORT, RUN, KIOSK, RESPONSES, JOURNAL);
 * INTERNAL (a bug) and INTERRUPTED stand alone.
 */
export const ERROR_CODES = {
  INTERNAL: { exit: EXIT.INTERNAL, meaning: 'a bug in rapport (not a RapportError); please report it' },
  USAGE: { exit: EXIT.USAGE, meaning: 'bad command line: unknown command or option, bad or conflicting option values' },
  RUN_NO_TTY: { exit: EXIT.USAGE, meaning: '`rapport run` without an interactive terminal' },
  RUN_LANG_UNKNOWN: { exit: EXIT.USAGE, meaning: '`run --lang` names a language the instrument does not have' },
  RUN_RESPONDENT_BUSY: { exit: EXIT.USAGE, meaning: "another terminal holds this respondent's session" },
  RUN_ITEM_TYPE: { exit: EXIT.USAGE, meaning: '`rapport run`: the instrument has items run cannot ask yet (multiple-choice)' },
  KIOSK_PLAIN: { exit: EXIT.USAGE, meaning: '`run --kiosk` with --plain or TERM=dumb (a plain terminal cannot clear its scrollback)' },
  KIOSK_NO_PIN: { exit: EXIT.USAGE, meaning: '`run --kiosk` without --staff-pin-file' },
  KIOSK_PIN_FILE_MODE: { exit: EXIT.USAGE, meaning: '--staff-pin-file is not a regular file of mode 0600' },
  KIOSK_PIN_FILE_BAD: { exit: EXIT.DATA, meaning: "--staff-pin-file is not a staff PIN file written by `rapport kiosk-pin`" },
  KIOSK_PIN_WEAK: { exit: EXIT.USAGE, meaning: '`rapport kiosk-pin`: the new PIN is too short or holds spaces or control characters' },
  KIOSK_PIN_MISMATCH: { exit: EXIT.USAGE, meaning: '`rapport kiosk-pin`: the PIN typed twice differs' },
  INPUT_MISSING: { exit: EXIT.NO_INPUT, meaning: 'an input file does not exist' },
  INPUT_UNREADABLE: { exit: EXIT.NO_INPUT, meaning: 'an input file cannot be read (permissions, a folder, ...)' },
  INSTRUMENT_UNKNOWN: { exit: EXIT.NO_INPUT, meaning: '--instrument is neither a built-in instrument nor a file' },
  INSTRUMENT_VERSION_UNKNOWN: { exit: EXIT.NO_INPUT, meaning: '--instrument <id>@<version> names a version the built-in instrument does not have' },
  INSTRUMENT_INVALID: { exit: EXIT.DATA, meaning: 'an instrument file does not validate (every problem is listed)' },
  OUTPUT_FAILED: { exit: EXIT.CANT_CREATE, meaning: 'an output file or folder cannot be created or written' },
  OUTPUT_WRITE_FAILED: { exit: EXIT.CANT_CREATE, meaning: 'a write to standard output or an in-place output (device, FIFO, /dev/fd/N) failed, e.g. a full disk' },
  INTERRUPTED: { exit: EXIT.INTERRUPTED, meaning: 'interrupted by Ctrl-C, SIGTERM or SIGHUP' },
  CSV_BINARY: { exit: EXIT.DATA, meaning: 'the input is not text (a workbook, an archive, UTF-16 without a byte-order mark)' },
  SAV_INVALID: { exit: EXIT.DATA, meaning: 'an SPSS .sav input is truncated or damaged, or a .zsav' },
  XLSX_INVALID: { exit: EXIT.DATA, meaning: 'an Excel .xlsx input is truncated, damaged or has no sheet' },
  XLSX_CELL_OUTSIDE: { exit: EXIT.DATA, meaning: 'an Excel input has a value right of the last header cell' },
  CSV_EMPTY: { exit: EXIT.DATA, meaning: 'the input has no header row' },
  CSV_QUOTE_NOT_CLOSED: { exit: EXIT.DATA, meaning: 'a quoted field is never closed' },
  CSV_QUOTE_INVALID: { exit: EXIT.DATA, meaning: 'a quote inside an unquoted field, or text after a closing quote' },
  CSV_RECORD_TOO_LARGE: { exit: EXIT.DATA, meaning: 'a record is longer than --max-record-size' },
  CSV_TOO_MANY_COLUMNS: { exit: EXIT.DATA, meaning: 'a record has more than 10,000 fields' },
  CSV_RAGGED_ROW: { exit: EXIT.DATA, meaning: 'a record has more or fewer fields than the header' },
  CSV_INVALID: { exit: EXIT.DATA, meaning: 'any other CSV structure error' },
  MAP_INVALID: { exit: EXIT.DATA, meaning: 'the --map file is not a valid mapping' },
  INPUT_TOO_LARGE: { exit: EXIT.DATA, meaning: 'a mapping file or REDCap dictionary is larger than its limit (counted as read)' },
  MAP_ITEM_UNKNOWN: { exit: EXIT.DATA, meaning: 'the --map file names an item the instrument does not have' },
  MAP_COLUMN_MISSING: { exit: EXIT.DATA, meaning: 'a column named by --map, --id-column or --keep is not in the export' },
  MAP_COLUMN_TWICE: { exit: EXIT.DATA, meaning: 'one export column would be read for two items' },
  MAP_COLUMN_AMBIGUOUS: { exit: EXIT.DATA, meaning: 'a name matches several export columns' },
  MAP_NO_ITEMS_FOUND: { exit: EXIT.DATA, meaning: "none of the instrument's items is a column of the export" },
  SCORE_VALUE_INVALID: { exit: EXIT.DATA, meaning: '--strict: a cell is not an answer to its item' },
  SCORE_DUPLICATE_ID: { exit: EXIT.DATA, meaning: '--dedupe error: a respondent id appears twice' },
  SCORE_PLATFORM_MISSING: { exit: EXIT.DATA, meaning: '--platform: the export lacks a header row or column that platform needs' },
  SCORE_REDCAP_LABELLED: { exit: EXIT.DATA, meaning: 'a REDCap export with labels (`Complete?` columns): export raw data' },
  REDCAP_HEADER: { exit: EXIT.DATA, meaning: 'the file is not a REDCap data dictionary (header row)' },
  REDCAP_JSON: { exit: EXIT.DATA, meaning: 'API metadata is not valid JSON or not an array of field objects' },
  REDCAP_FIELD: { exit: EXIT.DATA, meaning: 'a data-dictionary field name is invalid or used twice' },
  REDCAP_CHOICES: { exit: EXIT.DATA, meaning: "a field's choices cannot become a response set" },
  REDCAP_SCALE: { exit: EXIT.DATA, meaning: 'a calc field marked as a scale cannot become one' },
  REDCAP_NO_ITEMS: { exit: EXIT.DATA, meaning: 'the dictionary (or --form) has no scorable field' },
  REDCAP_NAME: { exit: EXIT.DATA, meaning: 'two instrument ids would become the same REDCap field name' },
  REPORT_VARIABLE_MISSING: { exit: EXIT.DATA, meaning: 'an --outcome, --predictors, --covariates or --group-by name is not in the data' },
  REPORT_NOT_NUMERIC: { exit: EXIT.DATA, meaning: 'a predictor column is not numeric' },
  REPORT_OUT_OF_RANGE: { exit: EXIT.DATA, meaning: 'a predictor or covariate value is finite but out of range (beyond ±1e15)' },
  REPORT_TOO_MANY_LEVELS: { exit: EXIT.DATA, meaning: 'a categorical column has too many different values' },
  REPORT_TOO_FEW_CLUSTERS: { exit: EXIT.DATA, meaning: 'the --cluster column has fewer than 2 clinicians' },
  REPORT_OUTCOME_VALUES: { exit: EXIT.DATA, meaning: 'the outcome is not binary, or --positive matches none of its values' },
  REPORT_JOIN_KEY_MISSING: { exit: EXIT.DATA, meaning: 'a --join file has no --on column' },
  REPORT_DYAD_KEY_MISSING: { exit: EXIT.DATA, meaning: 'the input or the --dyad file has no --on column' },
  REPORT_DYAD_CLUSTER_MISSING: { exit: EXIT.DATA, meaning: 'the --dyad file has no --dyad-cluster column' },
  REPORT_DYAD_NO_TRAITS: { exit: EXIT.DATA, meaning: 'an already scored --dyad file has no column named like a predictor' },
  REPORT_IDENTIFYING_COLUMN: { exit: EXIT.DATA, meaning: 'an --outcome, --predictors, --covariates or --group-by column identifies respondents (the id column, or nearly every value distinct)' },
  REPORT_WEIGHTS: { exit: EXIT.DATA, meaning: 'a --weights, --strata or --replicate-weights column holds a value that cannot be one (negative or not a number, no positive weight, a stratum missing)' },
  REPORT_DESIGN: { exit: EXIT.DATA, meaning: 'the model cannot be built from the data (design matrix)' },
  RESPONSES_UNREADABLE: { exit: EXIT.DATA, meaning: "`run --out`: the responses file cannot be read as rapport's" },
  RESPONSES_OTHER_FILE: { exit: EXIT.DATA, meaning: '`run --out`: the file is not a rapport responses file' },
  RESPONSES_OTHER_INSTRUMENT: { exit: EXIT.DATA, meaning: '`run --out`: the file holds another instrument or version' },
  RESPONSES_SITE: { exit: EXIT.DATA, meaning: '`run --out`: the file has a site column and --site is not given, or the other way round' },
  RESPONSES_DAMAGED: { exit: EXIT.DATA, meaning: '`run --out`: a row of the responses file is damaged' },
  RESPONSES_LOCKED: { exit: EXIT.DATA, meaning: '`run --out`: another session holds the lock for too long' },
  RESPONSES_DUPLICATE: { exit: EXIT.DATA, meaning: '`run --respondent`: the respondent already submitted' },
  JOURNAL_CORRUPT: { exit: EXIT.DATA, meaning: "`run`: a session journal is damaged" },
  JOURNAL_OTHER_INSTRUMENT: { exit: EXIT.DATA, meaning: '`run`: a session journal belongs to another instrument' },
  JOURNAL_OTHER_RESPONDENT: { exit: EXIT.DATA, meaning: '`run`: a session journal holds another respondent\'s session (renamed or copied)' },
  JOURNAL_UNKNOWN_ITEM: { exit: EXIT.DATA, meaning: '`run`: a session journal answers an item the instrument does not have' },
  JOURNAL_BAD_VALUE: { exit: EXIT.DATA, meaning: "`run`: a session journal holds a value that is not one of the item's" },
} as const;

/** The closed union of error codes. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes whose exit code is E (so a DataError cannot carry a usage code, and so on). */
export type CodeFor<E extends ExitCode> = { [K in ErrorCode]: (typeof ERROR_CODES)[K]['exit'] extends E ? K : never }[ErrorCode];

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
  readonly code: ErrorCode;
  readonly exitCode: ExitCode;
  readonly place: Place;
  constructor(code: ErrorCode, message: string, place: Place = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = ERROR_CODES[code].exit;
    this.place = place;
  }
}

/** Bad command line: unknown option, bad option value, missing argument, no terminal for `run`. Exit 2. */
export class UsageError extends RapportError {
  constructor(message: string, code: CodeFor<typeof EXIT.USAGE> = 'USAGE') {
    super(code, message);
  }
}

/** Invalid input data (CSV structure, values under --strict, mapping problems). Exit 65. */
export class DataError extends RapportError {
  constructor(code: CodeFor<typeof EXIT.DATA>, message: string, place: Place = {}) {
    super(code, message, place);
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
    super('INSTRUMENT_INVALID', head, { file });
    this.problems = problems;
  }
}

/** Input file missing or unreadable. Exit 66. */
export class InputError extends RapportError {
  constructor(message: string, file?: string, code: CodeFor<typeof EXIT.NO_INPUT> = 'INPUT_UNREADABLE') {
    super(code, message, { file });
  }
}

/** Output cannot be created. Exit 73. */
export class OutputError extends RapportError {
  constructor(message: string, file?: string, code: CodeFor<typeof EXIT.CANT_CREATE> = 'OUTPUT_FAILED') {
    super(code, message, { file });
  }
}

/** Interrupted by the user (Ctrl-C) or a signal. Exit 130. */
export class InterruptedError extends RapportError {
  constructor(message = 'Interrupted.') {
    super('INTERRUPTED', message);
  }
}

/** Map a Node fs error on an input path to an InputError with a clear sentence. */
export function inputErrorFrom(err: unknown, file: string): RapportError {
  if (err instanceof RapportError) return err;
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return new InputError(`${file}: no such file; check the path (use - to read standard input).`, file, 'INPUT_MISSING');
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
