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
  /** Split quote-free lines without csv-parse (default true; false for differential tests). */
  fastPath?: boolean;
  /**
   * csv-parse's relax_quotes: a double quote inside a quoted field that is not followed by the
   * delimiter is kept as text instead of failing (the REDCap dictionary reader's second attempt only).
   */
  relaxQuotes?: boolean;
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

/** Start of the line holding byte `at`: just after the last CR or LF before it (0 if none). */
function lineStart(data: Buffer, at: number): number {
  for (let i = at - 1; i >= 0; i--) {
    const c = data[i];
    if (c === 10 || c === 13) return i + 1;
  }
  return 0;
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
  /**
   * Quote-free fast path: while no double quote has been seen, whole lines are split on the delimiter
   * here (one UTF-8 decode per run of lines instead of csv-parse's byte-by-byte state machine and one
   * decode per field): for such lines csv-parse's only special bytes are the delimiter and CR/LF, so
   * the records, and their line numbers, are the same. From the first line with a quote, a line at
   * least `fastMax` long (so csv-parse's record-size and field-count limits apply exactly as before),
   * or a non-default delimiter that could clash, everything goes to csv-parse.
   */
  private fast: boolean;
  private readonly fastMax: number;
  private readonly delimChar: string;
  /** Bytes of the line not yet complete (fast path), in the chunks they came in, their length and delimiters. */
  private pending: Buffer[] = [];
  private pendingLen = 0;
  private pendingDelims = 0;
  private readonly delimByte: number;

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
      relax_quotes: opts.relaxQuotes === true,
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
    const d = opts.delimiter;
    this.delimChar = d;
    this.delimByte = d.length === 1 ? d.charCodeAt(0) : -1;
    this.fast = opts.fastPath !== false && this.delimByte >= 0 && this.delimByte < 128 && d !== '"' && d !== '\r' && d !== '\n';
    this.fastMax = Math.min(SLICE, opts.maxRecordSize ?? DEFAULT_MAX_RECORD_SIZE);
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
    if (this.fast) {
      const rest = this.pushFast(buf);
      if (rest === null) return;
      buf = rest;
    }
    this.pushParser(buf);
  }

  private pushParser(buf: Buffer): void {
    for (let i = 0; i < buf.length; i += SLICE) {
      const part = i === 0 && buf.length <= SLICE ? buf : buf.subarray(i, i + SLICE);
      const err = this.api.parse(part, false, this.push_, this.close_);
      if (err) throw this.mapError(err);
      if (this.api.state.record.length > this.maxColumns) throw this.tooManyColumns();
    }
  }

  /**
   * Fast path (see `fast`): emit the complete quote-free lines of pending + buf; keep an incomplete
   * last line (or one ending in a CR that may be half of a CRLF) pending. Returns the bytes csv-parse
   * must take from here on (and leaves the fast path), or null.
   */
  private pushFast(buf: Buffer): Buffer | null {
    if (buf.length === 0) return null;
    const lastPending = this.pending.length ? this.pending[this.pending.length - 1] : null;
    if (buf.indexOf(10) < 0 && buf.indexOf(13) < 0 && buf.indexOf(0x22) < 0 && !(lastPending && lastPending[lastPending.length - 1] === 13)) {
      // the pending line just grows (linear however small the chunks)
      this.pending.push(Buffer.from(buf));
      this.pendingLen += buf.length;
      this.pendingDelims += this.countDelims(buf, 0);
      return this.pendingLen >= this.fastMax || this.pendingDelims > this.maxColumns ? this.leaveFast(this.takePending()) : null;
    }
    const data = this.pending.length ? Buffer.concat([...this.pending, buf]) : buf;
    this.pending = [];
    const q = data.indexOf(0x22);
    let end: number; // complete lines are data[0, end)
    if (q >= 0) end = lineStart(data, q);
    else {
      end = lineStart(data, data.length);
      // a CR as the very last byte may be followed by the LF of a CRLF in the next chunk
      if (end === data.length && end > 0 && data[end - 1] === 13) end = lineStart(data, end - 1);
    }
    const stop = this.splitLines(data, end);
    if (stop < end || q >= 0) return this.leaveFast(data.subarray(stop));
    // The incomplete last line goes to csv-parse as soon as csv-parse would have refused it: too long,
    // or more completed fields than the limit (checked after every push, as pushParser does).
    const rest = data.length - end;
    const delims = this.countDelims(data, end);
    if (rest >= this.fastMax || delims > this.maxColumns) return this.leaveFast(data.subarray(end));
    this.pendingLen = rest;
    this.pendingDelims = delims;
    if (rest > 0) this.pending.push(Buffer.from(data.subarray(end)));
    return null;
  }

  /** Delimiter bytes in buf[from..] (the delimiter is one ASCII byte on the fast path). */
  private countDelims(buf: Buffer, from: number): number {
    let n = 0;
    for (let i = buf.indexOf(this.delimByte, from); i >= 0; i = buf.indexOf(this.delimByte, i + 1)) n++;
    return n;
  }

  private takePending(): Buffer {
    const all = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingLen = 0;
    this.pendingDelims = 0;
    return all;
  }

  /** Hand over to csv-parse at a record boundary. */
  private leaveFast(rest: Buffer): Buffer {
    this.fast = false;
    // csv-parse did not see the line ending of the last record split here: as if it had, so that
    // its counter jumps by more than one exactly for records with line breaks inside quotes
    this.apiLines = this.api.info.lines - 1;
    return rest;
  }

  /**
   * Split the complete lines of data[0, end) into records. Returns where it stopped: `end`, or the
   * start of a line too long for the fast path (csv-parse takes over there).
   */
  private splitLines(data: Buffer, end: number): number {
    if (end === 0) return 0;
    const text = data.toString('utf8', 0, end);
    const d = this.delimChar;
    const max = this.fastMax;
    if (text.length === end && data.indexOf(13) < 0) {
      // ASCII, LF only: character offsets are byte offsets
      for (let pos = 0; pos < end; ) {
        const nl = text.indexOf('\n', pos);
        if (nl - pos >= max) return pos;
        this.push_(text.slice(pos, nl).split(d));
        pos = nl + 1;
      }
      return end;
    }
    // general case: any line ending, any UTF-8, offsets tracked in bytes
    for (let pos = 0; pos < end; ) {
      let e = pos;
      while (e < end && data[e] !== 10 && data[e] !== 13) e++;
      if (e - pos >= max) return pos;
      const line = data.toString('utf8', pos, e);
      this.push_(line.split(d));
      pos = e + (data[e] === 13 && e + 1 < end && data[e + 1] === 10 ? 2 : 1);
    }
    return end;
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
    if (this.fast && this.pendingLen > 0) {
      // the last line: no line ending, or a lone CR
      const data = this.takePending();
      const e = data[data.length - 1] === 13 ? data.length - 1 : data.length;
      if (e < this.fastMax) this.push_(data.toString('utf8', 0, e).split(this.delimChar));
      else this.pushParser(this.leaveFast(data));
    }
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
