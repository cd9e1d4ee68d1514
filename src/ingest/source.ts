/**
 * The bytes of an input, for the CSV readers of `score` and `report`: a file, standard input (`-`), or an
 * in-memory text (tests), as an async iterator of Buffers, plus the first bytes read ahead for encoding
 * and delimiter detection.
 */
import * as fs from 'node:fs';
import type { Readable } from 'node:stream';
import { openInputStream } from '../io/input.js';

/** Bytes read ahead before deciding the encoding and the delimiter. */
export const HEAD_BYTES = 1 << 16;

export interface ByteSource {
  /** The chunks, in order. */
  chunks: AsyncIterator<Buffer | string>;
  /** Total size when known (a file or a text), for progress. */
  total?: number;
}

/** Open `file` (`-` = stdin), or serve `text` in HEAD_BYTES slices. Missing or unreadable file: InputError (66). */
export async function openByteSource(file: string, opts: { text?: string; stdin?: Readable; highWaterMark?: number } = {}): Promise<ByteSource> {
  if (opts.text !== undefined) {
    const buf = Buffer.from(opts.text, 'utf8');
    const gen = (async function* () {
      for (let i = 0; i < buf.length; i += HEAD_BYTES) yield buf.subarray(i, i + HEAD_BYTES);
    })();
    return { chunks: gen, total: buf.length };
  }
  const stream = await openInputStream(file, opts.stdin, opts.highWaterMark ? { highWaterMark: opts.highWaterMark } : undefined);
  const total = file !== '-' ? await fs.promises.stat(file).then((s) => s.size, () => undefined) : undefined;
  return { chunks: (stream as AsyncIterable<Buffer | string>)[Symbol.asyncIterator](), total };
}

/** Read chunks until at least `limit` bytes (or the end): the head, whether the input ended, and the bytes read. */
export async function readHead(chunks: AsyncIterator<Buffer | string>, limit = HEAD_BYTES): Promise<{ head: Buffer; eof: boolean; bytes: number }> {
  let head: Buffer = Buffer.alloc(0);
  let eof = false;
  let bytes = 0;
  while (head.length < limit) {
    const r = await chunks.next();
    if (r.done) {
      eof = true;
      break;
    }
    const chunk = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    bytes += chunk.length;
    head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
  }
  return { head, eof, bytes };
}
