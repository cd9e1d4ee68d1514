/**
 * Byte decoding for survey exports. Everything downstream (csv-parse) reads UTF-8 bytes, so this module
 * turns whatever came in into UTF-8 chunks:
 * - a UTF-8 BOM is stripped; UTF-16 LE/BE are recognised by their BOM and transcoded;
 * - otherwise the bytes are UTF-8 when valid (checked chunk by chunk, across chunk boundaries), and
 *   Windows-1252 with a warning when not (`--encoding` overrides detection);
 * - NUL bytes in a non-UTF-16 head mean binary input (an Excel workbook, a zip, a PDF...): DataError.
 * Pure except for the decoder state object; no I/O.
 */
import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { DataError } from '../errors.js';

export type EncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** Names accepted by `--encoding` (case-insensitive) and what they mean. */
const ENCODING_ALIASES: Record<string, EncodingName> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'utf-8-bom': 'utf-8',
  'utf-16le': 'utf-16le',
  utf16le: 'utf-16le',
  'utf-16': 'utf-16le',
  'ucs-2': 'utf-16le',
  'utf-16be': 'utf-16be',
  utf16be: 'utf-16be',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  latin1: 'windows-1252',
  'iso-8859-1': 'windows-1252',
  ansi: 'windows-1252',
};

/** Parse an `--encoding` value; undefined when not recognised. */
export function parseEncodingName(name: string): EncodingName | undefined {
  return Object.prototype.hasOwnProperty.call(ENCODING_ALIASES, name.toLowerCase()) ? ENCODING_ALIASES[name.toLowerCase()] : undefined;
}

export const ENCODING_NAMES = 'utf-8, utf-16le, utf-16be, windows-1252 (also: latin1, cp1252)';

/** Windows-1252 characters for bytes 0x80..0x9F (where it differs from ISO-8859-1). */
const CP1252_HIGH =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

/** Decode Windows-1252 bytes to a string. */
export function decodeWindows1252(bytes: Uint8Array): string {
  const s = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]);
}

/** Length of the prefix of `b` that ends on a whole UTF-8 sequence (the rest may continue in the next chunk). */
export function utf8CompletePrefix(b: Uint8Array): number {
  const n = b.length;
  for (let i = n - 1, k = 0; i >= 0 && k < 4; i--, k++) {
    const c = b[i];
    if ((c & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const need = c < 0x80 ? 1 : (c & 0xe0) === 0xc0 ? 2 : (c & 0xf0) === 0xe0 ? 3 : (c & 0xf8) === 0xf0 ? 4 : 1;
    return n - i >= need ? n : i;
  }
  return n;
}

export interface EncodingGuess {
  encoding: EncodingName;
  /** Bytes of BOM to skip at the start. */
  bomLength: number;
  /** How it was decided, for the summary: `bom`, `detected`, `fallback` (invalid UTF-8), `forced`. */
  how: 'bom' | 'detected' | 'fallback' | 'forced';
}

/**
 * Decide the encoding from the first bytes of the input. `head` should be the first 64 KiB or the whole
 * input if shorter; `atEnd` says whether the input ends there.
 */
export function detectEncoding(head: Uint8Array, atEnd: boolean, forced?: EncodingName): EncodingGuess {
  let bom: EncodingName | undefined;
  let bomLength = 0;
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    bom = 'utf-8';
    bomLength = 3;
  } else if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) {
    bom = 'utf-16le';
    bomLength = 2;
  } else if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) {
    bom = 'utf-16be';
    bomLength = 2;
  }
  if (forced) return { encoding: forced, bomLength: bom === forced ? bomLength : 0, how: 'forced' };
  if (bom) return { encoding: bom, bomLength, how: 'bom' };
  const upto = atEnd ? head.length : utf8CompletePrefix(head);
  return isUtf8(head.subarray(0, upto)) ? { encoding: 'utf-8', bomLength: 0, how: 'detected' } : { encoding: 'windows-1252', bomLength: 0, how: 'fallback' };
}

/** What a binary head looks like, for a helpful message. */
function binaryKind(head: Uint8Array): string {
  const sig = (s: number[]) => s.every((b, i) => head[i] === b);
  if (sig([0x50, 0x4b, 0x03, 0x04])) return 'like a zip archive (an Excel .xlsx workbook is one); export the sheet as CSV';
  if (sig([0xd0, 0xcf, 0x11, 0xe0])) return 'like an old Excel .xls or Office file; export the sheet as CSV';
  if (sig([0x1f, 0x8b])) return 'gzip-compressed; decompress it first (gunzip)';
  if (sig([0x25, 0x50, 0x44, 0x46])) return 'like a PDF; export the data as CSV';
  if (sig([0x53, 0x51, 0x4c, 0x69])) return 'like an SQLite database; export the table as CSV';
  return 'binary, not CSV text; check that you named the exported CSV file';
}

/** Throw CSV_BINARY when the head of a single-byte/UTF-8 input holds NUL bytes. */
export function checkNotBinary(head: Uint8Array, encoding: EncodingName, file: string): void {
  if (encoding === 'utf-16le' || encoding === 'utf-16be') return;
  const limit = Math.min(head.length, 1 << 16);
  for (let i = 0; i < limit; i++) {
    if (head[i] === 0) {
      // A zero byte after ASCII letters, without a BOM, is typical of UTF-16 without a BOM.
      const utf16 = limit > 3 && ((head[1] === 0 && head[0] !== 0) || (head[0] === 0 && head[1] !== 0));
      const what = utf16
        ? 'looks like UTF-16 text without a byte-order mark; run again with --encoding utf-16le (or utf-16be)'
        : `looks ${binaryKind(head)}`;
      throw new DataError('CSV_BINARY', `${file === '-' ? '<stdin>' : file}: the input contains NUL bytes (byte ${i + 1}) and ${what}.`, { file });
    }
  }
}

/**
 * Streaming decoder: feed raw chunks, get UTF-8 Buffers. For UTF-8 input the bytes pass through
 * unchanged (only validated); when a later chunk turns out not to be valid UTF-8 the rest of the input is
 * decoded as Windows-1252 and `onWarning` is called once.
 */
export class ByteDecoder {
  readonly encoding: EncodingName;
  private current: EncodingName;
  private bomToSkip: number;
  private carry: Buffer | undefined;
  private utf16: TextDecoder | undefined;
  private bytesSeen = 0;
  constructor(
    guess: EncodingGuess,
    private readonly onWarning: (msg: string) => void = () => {},
  ) {
    this.encoding = guess.encoding;
    this.current = guess.encoding;
    this.bomToSkip = guess.bomLength;
    if (guess.encoding === 'utf-16le' || guess.encoding === 'utf-16be') this.utf16 = new TextDecoder(guess.encoding, { ignoreBOM: true });
  }

  /** The encoding in use now (windows-1252 after a switch). */
  get active(): EncodingName {
    return this.current;
  }

  /** Decode one chunk (may return an empty buffer when everything is carried to the next chunk). */
  push(chunk: Buffer): Buffer {
    let b = chunk;
    if (this.bomToSkip > 0) {
      const skip = Math.min(this.bomToSkip, b.length);
      b = b.subarray(skip);
      this.bomToSkip -= skip;
      this.bytesSeen += skip;
    }
    const offset = this.bytesSeen;
    this.bytesSeen += b.length;
    switch (this.current) {
      case 'utf-8': {
        if (this.carry) {
          b = Buffer.concat([this.carry, b]);
          this.carry = undefined;
        }
        const n = utf8CompletePrefix(b);
        const whole = n === b.length ? b : b.subarray(0, n);
        if (isUtf8(whole)) {
          if (n < b.length) this.carry = Buffer.from(b.subarray(n));
          return whole;
        }
        this.current = 'windows-1252';
        this.onWarning(
          `the input is not valid UTF-8 after byte ${offset}; read the rest as Windows-1252 (run again with --encoding windows-1252 or --encoding utf-8 to choose)`,
        );
        return Buffer.from(decodeWindows1252(b), 'utf8');
      }
      case 'windows-1252':
        return Buffer.from(decodeWindows1252(b), 'utf8');
      default:
        return Buffer.from(this.utf16!.decode(b, { stream: true }), 'utf8');
    }
  }

  /** Flush what is left at the end of the input. */
  end(): Buffer {
    if (this.utf16) return Buffer.from(this.utf16.decode(), 'utf8');
    if (this.carry) {
      const c = this.carry;
      this.carry = undefined;
      // An incomplete sequence at the very end is not valid UTF-8.
      if (this.current === 'utf-8') {
        this.current = 'windows-1252';
        this.onWarning('the input ends in the middle of a UTF-8 character; read the last bytes as Windows-1252');
      }
      return Buffer.from(decodeWindows1252(c), 'utf8');
    }
    return Buffer.alloc(0);
  }
}
