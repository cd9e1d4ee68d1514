/**
 * Opening inputs: `-` is standard input; a path is opened first (so a missing or unreadable file is
 * InputError, exit 66, before any work starts) and then streamed.
 */
import * as fs from 'node:fs';
import type { Readable } from 'node:stream';
import { DataError, inputErrorFrom } from '../errors.js';

export function displayName(file: string): string {
  return file === '-' ? '<stdin>' : file;
}

/** Open a readable byte stream for a path or `-`. `highWaterMark` sets the read size for files (default 64 KiB). */
export async function openInputStream(file: string, stdin: Readable = process.stdin, opts: { highWaterMark?: number } = {}): Promise<Readable> {
  if (file === '-') return stdin;
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(file, 'r');
    const st = await fh.stat();
    if (st.isDirectory()) {
      await fh.close();
      throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    }
  } catch (err) {
    throw inputErrorFrom(err, file);
  }
  return fh.createReadStream({ highWaterMark: opts.highWaterMark ?? 1 << 16 });
}

/** Largest mapping file accepted (README "Safety and limits"). */
export const MAX_MAPPING_BYTES = 2 * 1024 * 1024;
/** Largest REDCap data dictionary accepted (a dictionary of 5,000 fields is about 2 MB). */
export const MAX_DICTIONARY_BYTES = 32 * 1024 * 1024;

const mib = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;

/** The sentence for an input over its limit (exit 65): the bytes actually read count, not the stat size. */
export function tooLargeError(file: string, limit: number, what: string): DataError {
  return new DataError(
    'INPUT_TOO_LARGE',
    `${displayName(file)}: is larger than the ${mib(limit)} limit for ${what} (stopped reading after ${mib(limit)}); check that this is the right file.`,
    { file },
  );
}

/**
 * Read at most `limit` bytes of a file, FIFO, device or /dev/fd path synchronously; one byte more is
 * `onTooLarge` (the size is counted as read, so /dev/zero or an endless pipe stops at the limit).
 */
export function readBoundedSync(file: string, limit: number, onTooLarge: () => Error): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
    if (fs.fstatSync(fd).isDirectory()) {
      fs.closeSync(fd);
      throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    }
  } catch (err) {
    throw inputErrorFrom(err, file);
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(1 << 16, limit + 1 - total));
      let n: number;
      try {
        n = fs.readSync(fd, buf, 0, buf.length, null);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        throw inputErrorFrom(err, file);
      }
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > limit) throw onTooLarge();
    }
    return Buffer.concat(chunks, total);
  } finally {
    fs.closeSync(fd);
  }
}

/** Read a whole (small) input (`-` is standard input) into a Buffer, at most `limit` bytes. */
export async function readBounded(file: string, limit: number, onTooLarge: () => Error, stdin: Readable = process.stdin): Promise<Buffer> {
  if (file !== '-') return readBoundedSync(file, limit, onTooLarge);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const c of stdin) {
    const b = typeof c === 'string' ? Buffer.from(c) : (c as Buffer);
    chunks.push(b);
    total += b.length;
    if (total > limit) {
      stdin.destroy();
      throw onTooLarge();
    }
  }
  return Buffer.concat(chunks, total);
}

/** A --map file, at most MAX_MAPPING_BYTES. */
export function readMappingBytes(file: string, stdin: Readable = process.stdin): Promise<Buffer> {
  return readBounded(file, MAX_MAPPING_BYTES, () => tooLargeError(file, MAX_MAPPING_BYTES, 'a mapping file'), stdin);
}

/** A REDCap data dictionary, at most MAX_DICTIONARY_BYTES. */
export function readDictionaryBytes(file: string, stdin: Readable = process.stdin): Promise<Buffer> {
  return readBounded(file, MAX_DICTIONARY_BYTES, () => tooLargeError(file, MAX_DICTIONARY_BYTES, 'a REDCap data dictionary'), stdin);
}
