/**
 * Opening inputs: `-` is standard input; a path is opened first (so a missing or unreadable file is
 * InputError, exit 66, before any work starts) and then streamed.
 */
import * as fs from 'node:fs';
import type { Readable } from 'node:stream';
import { inputErrorFrom } from '../errors.js';

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

/** Read a whole (small) input into a Buffer: instruments, mappings, dictionaries. */
export async function readInputBytes(file: string, stdin: Readable = process.stdin): Promise<Buffer> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const c of stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
    return Buffer.concat(chunks);
  }
  try {
    return await fs.promises.readFile(file);
  } catch (err) {
    throw inputErrorFrom(err, file);
  }
}
