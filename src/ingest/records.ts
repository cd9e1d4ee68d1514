/**
 * The CSV record reader: csv-parse underneath, arrays of strings out, and the line where each record
 * starts (as an editor shows it: counting header rows and newlines inside quoted fields, a CRLF as one
 * line break).
 *
 * It drives csv-parse's push-style parser directly (`parser.api.parse(buf, end, push, close)`, the same
 * engine its stream and sync APIs wrap), which lets one core serve a byte stream (score) and an
 * in-memory string (tests, report) with no stream or object-mode overhead, and lets us read csv-parse's
 * line counter at the moment each record is pushed. No `cast`, no `columns`, no `info`: those cost a
 * fresh object per record or field.
 *
 * csv-parse's own errors are mapped to DataErrors with our codes (see README "Safety and limits"):
 * CSV_QUOTE_NOT_CLOSED, CSV_QUOTE_INVALID, CSV_RECORD_TOO_LARGE, CSV_INVALID; and a record with more
 * than `maxColumns` fields is CSV_TOO_MANY_COLUMNS. csv-parse's record-size limit counts the characters
 * of the fields, not the delimiters, so a line of millions of commas would otherwise build an array of
 * millions of empty strings: input is fed in 64 KiB slices and the field count of the record being
 * built is checked after each, which bounds it to maxColumns + 65,536.
 */
import { Parser, type CsvError } from 'csv-parse';
import { DataError } from '../errors.js';
import { displayName } from '../io/input.js';

/** Default largest record, in characters (1 MiB). `--max-record-size` changes it. */
export const DEFAULT_MAX_RECORD_SIZE = 1 << 20;

/** Largest number of fields in one record (header or data). */
export const MAX_COLUMNS = 10_000;

/** Bytes handed to csv-parse at a time (bounds the fields a record can gain between two checks). */
const SLICE = 1 << 16;

/** Called once per record, in order. `fields` is csv-parse's fresh array (safe to keep). */
export type RecordHandler = (fields: string[], line: number) => void;

interface CsvApi {
  parse(buf: Buffer | undefined, end: boolean, push: (r: string[]) => void, close: () => void): Error | undefined;
  info: { lines: number };
  /** The record being built (its fields so far). */
  state: { record: unknown[] };
}

export interface RecordReaderOptions {
  /** File name for messages (`-` is stdin). */
  file: string;
  delimiter: string;
  maxRecordSize?: number;
  /** Largest number of fields in a record (default MAX_COLUMNS). */
  maxColumns?: number;
  /** Names the column at a field index in error messages, once the header is known. */
  columnName?: (index: number) => string | undefined;
}

/** Count line breaks in a field: CRLF, CR and LF each count once. */
function countBreaks(s: string): number {
  if (s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return 0;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13) {
      n++;
      if (i + 1 < s.length && s.charCodeAt(i + 1) === 10) i++;
    }
  }
  return n;
}

/**
 * Push-style reader: `push(utf8Bytes)` any number of times, then `end()`. Records go to `onRecord`
 * synchronously, during those calls. Errors are thrown as DataError.
 */
export class RecordReader {
  private readonly api: CsvApi;
  private readonly push_: (r: string[]) => void;
  private readonly close_ = () => {};
  /** csv-parse's line counter at the last record (it over-counts CRLF inside quotes; used only as a hint). */
  private apiLines = 0;
  /** Line where the last record ended (our exact count). */
  private endLine = 0;
  private records = 0;
  private ended = false;
  private readonly maxColumns: number;

  constructor(
    private readonly opts: RecordReaderOptions,
    onRecord: RecordHandler,
  ) {
    const parser = new Parser({
      delimiter: opts.delimiter,
      quote: '"',
      escape: '"',
      // Every line ending ends a record, whatever the first line used: csv-parse otherwise detects the
      // ending once, so in a file with mixed endings a CR was left in the last field (LF first) or two
      // records were merged (CRLF first, then a bare LF).
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true, // widths are checked by the caller, which knows the header
      skip_empty_lines: false, // empty lines arrive as [''] so line numbers stay exact
      max_record_size: opts.maxRecordSize ?? DEFAULT_MAX_RECORD_SIZE,
      bom: false, // decode.ts strips BOMs
    });
    const api = (parser as unknown as { api?: CsvApi }).api;
    if (!api || typeof api.parse !== 'function' || !api.state || !Array.isArray(api.state.record)) {
      throw new Error('csv-parse: push API (parser.api.parse, parser.api.state.record) not found; this csv-parse version is not supported');
    }
    this.api = api;
    this.maxColumns = opts.maxColumns ?? MAX_COLUMNS;
    this.push_ = (fields: string[]) => {
      if (fields.length > this.maxColumns) throw this.tooManyColumns();
      const start = this.endLine + 1;
      const lines = this.api.info.lines;
      let end = start;
      // csv-parse counts every CR/LF byte it passes, so a jump of more than one line means the record
      // may hold line breaks inside quotes: count them exactly (rare, so cheap).
      if (lines - this.apiLines > 1) {
        for (let i = 0; i < fields.length; i++) end += countBreaks(fields[i]);
      }
      this.apiLines = lines;
      this.endLine = end;
      this.records++;
      onRecord(fields, start);
    };
  }

  /** Number of records read so far. */
  get count(): number {
    return this.records;
  }

  /** Feed UTF-8 bytes. */
  push(buf: Buffer): void {
    for (let i = 0; i < buf.length; i += SLICE) {
      const part = i === 0 && buf.length <= SLICE ? buf : buf.subarray(i, i + SLICE);
      const err = this.api.parse(part, false, this.push_, this.close_);
      if (err) throw this.mapError(err);
      if (this.api.state.record.length > this.maxColumns) throw this.tooManyColumns();
    }
  }

  /** The record starting after the last complete one has more fields than the limit. */
  private tooManyColumns(): DataError {
    const file = this.opts.file;
    const line = this.endLine + 1;
    const d = this.opts.delimiter === '\t' ? 'tab' : JSON.stringify(this.opts.delimiter);
    return new DataError(
      'CSV_TOO_MANY_COLUMNS',
      `${displayName(file)}, line ${line}: the record has more than ${this.maxColumns} fields, the limit for one record (the delimiter is ${d}); check that the file is a survey export with that delimiter (choose another with --delimiter), or split the export into fewer columns.`,
      { file, line },
    );
  }

  /** Signal the end of input (flushes the last record, checks for an open quote). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    const err = this.api.parse(undefined, true, this.push_, this.close_);
    if (err) throw this.mapError(err);
  }

  private mapError(err: Error): DataError {
    if (err instanceof DataError) return err;
    const e = err as CsvError & { column?: number | string | null; field?: unknown };
    const file = this.opts.file;
    const where = displayName(file);
    const line = this.endLine + 1; // the record being read when it failed starts here
    const colIdx = typeof e.column === 'number' ? e.column : undefined;
    const colName = colIdx !== undefined ? this.opts.columnName?.(colIdx) : undefined;
    const colText = colName !== undefined ? `, column ${JSON.stringify(colName)}` : colIdx !== undefined ? `, field ${colIdx + 1}` : '';
    switch (e.code) {
      case 'CSV_QUOTE_NOT_CLOSED':
        return new DataError(
          'CSV_QUOTE_NOT_CLOSED',
          `${where}, line ${line}${colText}: a quoted field opened in this record is never closed (the file ends inside quotes); add the closing " or write a quote inside a quoted field as "".`,
          { file, line },
        );
      case 'INVALID_OPENING_QUOTE':
      case 'CSV_INVALID_CLOSING_QUOTE':
        return new DataError(
          'CSV_QUOTE_INVALID',
          `${where}, line ${line}${colText}: a double quote appears in the middle of a field (${e.code === 'INVALID_OPENING_QUOTE' ? 'an unquoted field' : 'after a closing quote'}); quote the whole field and double the quotes inside it ("5"" tall").`,
          { file, line, column: colName },
        );
      case 'CSV_MAX_RECORD_SIZE': {
        const max = this.opts.maxRecordSize ?? DEFAULT_MAX_RECORD_SIZE;
        return new DataError(
          'CSV_RECORD_TOO_LARGE',
          `${where}, line ${line}${colText}: the record is larger than the ${max}-character limit (often an unclosed quote swallowing the rest of the file); fix the quotes, or raise the limit with --max-record-size.`,
          { file, line },
        );
      }
      default:
        return new DataError('CSV_INVALID', `${where}, line ${line}: the CSV cannot be read (${e.message}); check the file around that line.`, { file, line });
    }
  }
}

/** Read every record of an in-memory CSV text (tests, small files). */
export function readRecordsFromString(text: string, opts: RecordReaderOptions): { fields: string[]; line: number }[] {
  const out: { fields: string[]; line: number }[] = [];
  const r = new RecordReader(opts, (fields, line) => out.push({ fields, line }));
  r.push(Buffer.from(text, 'utf8'));
  r.end();
  return out;
}
