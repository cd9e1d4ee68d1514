/**
 * The one table reader: bytes in, CSV records out. Every command that reads a CSV (score's pipeline,
 * report's table reader, the REDCap data-dictionary import) goes through here:
 *
 *   open (file, stdin or text) → read the head → detect the encoding (BOM, UTF-16, UTF-8 or
 *   Windows-1252) and refuse binary input → decode → sniff the delimiter → RecordReader → onRecord
 *
 * `readRecords` streams (constant memory); `readRecordsFromBytes` is the same path over bytes already in
 * memory (small files such as a data dictionary).
 */
import type { Readable } from 'node:stream';
import { UsageError } from '../errors.js';
import { displayName } from '../io/input.js';
import { type SourceInfo, isBinaryTable, readBinaryTable, readWhole } from './binary-input.js';
import { ByteDecoder, checkNotBinary, detectEncoding, type EncodingGuess, type EncodingName } from './decode.js';
import { DEFAULT_MAX_RECORD_SIZE, RecordReader, type RecordHandler } from './records.js';
import { sniffDelimiter } from './sniff.js';
import { HEAD_BYTES, openByteSource, readHead } from './source.js';

export interface ReadOptions {
  /** Path of the input, or `-` for standard input (names it in messages). */
  file: string;
  /** The input as text instead of a file (tests, callers that already hold it). */
  text?: string;
  /** Standard input to use for `-` (injectable for tests). */
  stdin?: Readable;
  /** Read size for files and stdin (default the stream's). */
  highWaterMark?: number;
  /** Force the byte encoding (skips detection; a matching BOM is still stripped). */
  encoding?: EncodingName;
  /** Force the delimiter (skips sniffing). */
  delimiter?: string;
  /** Largest record in characters (default 1 MiB). */
  maxRecordSize?: number;
  /** Keep a stray double quote inside a quoted field as text (see RecordReaderOptions.relaxQuotes). */
  relaxQuotes?: boolean;
  /** Names the column at a field index in error messages. */
  columnName?: (index: number) => string | undefined;
  /** Called once, before the first record, with the delimiter in use (for messages). */
  onDelimiter?: (delimiter: string) => void;
  /** Encoding warnings: the input is not UTF-8 (from its head, or later in the stream). */
  onWarning?: (message: string) => void;
  /** The sheet of an Excel input to read (default the first); refused for any other input. */
  sheet?: string;
  /** Called once, before the first record, when the input is an Excel workbook or an SPSS .sav file. */
  onSource?: (s: SourceInfo) => void;
  /** Awaited after the head and after each later chunk, with the raw bytes read and the input size. */
  onChunk?: (bytesRead: number, totalBytes: number | undefined) => Promise<void> | void;
}

export interface TableFacts {
  /** The encoding read (windows-1252 when UTF-8 input turned out not to be). */
  encoding: EncodingName;
  /** How the encoding was decided. */
  encodingHow: EncodingGuess['how'];
  delimiter: string;
  /** Raw bytes read. */
  bytes: number;
  /** What the input was when not a CSV: an Excel workbook (with the sheet read) or an SPSS .sav file. */
  format?: 'xlsx' | 'sav';
  sheet?: string;
}

/** Set up decoding and the record reader from the input's head. */
function begin(head: Buffer, eof: boolean, o: ReadOptions, onRecord: RecordHandler) {
  const guess = detectEncoding(head, eof, o.encoding);
  checkNotBinary(head, guess.encoding, o.file);
  if (guess.how === 'fallback') {
    o.onWarning?.(`${displayName(o.file)} is not valid UTF-8; read it as Windows-1252 (run again with --encoding to choose another encoding)`);
  }
  const decoder = new ByteDecoder(guess, o.onWarning);
  const first = decoder.push(head);
  const delimiter = o.delimiter ?? sniffDelimiter(first.subarray(0, Math.min(first.length, HEAD_BYTES)).toString('utf8'));
  o.onDelimiter?.(delimiter);
  const reader = new RecordReader({ file: o.file, delimiter, maxRecordSize: o.maxRecordSize ?? DEFAULT_MAX_RECORD_SIZE, columnName: o.columnName, relaxQuotes: o.relaxQuotes }, onRecord);
  const feed = (dec: Buffer) => {
    for (let i = 0; i < dec.length; i += HEAD_BYTES) reader.push(dec.subarray(i, i + HEAD_BYTES));
  };
  feed(first);
  const finish = (bytes: number): TableFacts => {
    reader.push(decoder.end());
    reader.end();
    const encoding = guess.encoding === 'utf-8' && decoder.active !== 'utf-8' ? decoder.active : guess.encoding;
    return { encoding, encodingHow: guess.how, delimiter, bytes };
  };
  return { feed: (chunk: Buffer) => feed(decoder.push(chunk)), finish };
}

/**
 * Read every record of a CSV input, in order, calling `onRecord(fields, line)` (line: where the record
 * starts, as an editor shows it). Throws DataError for binary input and CSV structure errors (exit 65),
 * InputError for a missing or unreadable file (66).
 */
export async function readRecords(o: ReadOptions, onRecord: RecordHandler): Promise<TableFacts> {
  const { chunks, total } = await openByteSource(o.file, { text: o.text, stdin: o.stdin, highWaterMark: o.highWaterMark });
  const { head, eof, bytes: headBytes } = await readHead(chunks);
  if (isBinaryTable(head)) return readBinaryInput(head, eof, chunks, o, onRecord);
  if (o.sheet !== undefined) throw new UsageError(`--sheet ${JSON.stringify(o.sheet)}: ${displayName(o.file)} is not an Excel .xlsx workbook; --sheet applies only to one.`);
  let bytes = headBytes;
  const table = begin(head, eof, o, onRecord);
  await o.onChunk?.(bytes, total);
  while (!eof) {
    const r = await chunks.next();
    if (r.done) break;
    const chunk = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    bytes += chunk.length;
    table.feed(chunk);
    await o.onChunk?.(bytes, total);
  }
  return table.finish(bytes);
}

/** An Excel or SPSS input: read whole, then its records (src/ingest/binary-input.ts). */
async function readBinaryInput(head: Buffer, eof: boolean, chunks: AsyncIterator<Buffer | string>, o: ReadOptions, onRecord: RecordHandler): Promise<TableFacts> {
  const buf = await readWhole(head, eof, chunks, o.file);
  await o.onChunk?.(buf.length, buf.length);
  let source: SourceInfo | undefined;
  await readBinaryTable(buf, o.file, o.sheet, (s) => {
    source = s;
    o.onSource?.(s);
  }, onRecord);
  return { encoding: 'utf-8', encodingHow: 'detected', delimiter: ',', bytes: buf.length, format: source?.kind, sheet: source?.sheet };
}

/** `readRecords` over bytes already in memory (synchronous; for small files). */
export function readRecordsFromBytes(bytes: Buffer, o: Omit<ReadOptions, 'text' | 'stdin' | 'highWaterMark' | 'onChunk'>, onRecord: RecordHandler): TableFacts {
  return begin(bytes, true, o, onRecord).finish(bytes.length);
}
