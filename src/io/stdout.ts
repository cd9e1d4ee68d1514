/**
 * Checked writes to standard output (and to descriptors named by /dev/fd/N).
 *
 * Every write is checked: a full disk or /dev/full (ENOSPC), an I/O error or a short write ends the
 * run with exit 73 and one sentence, never exit 0 with a truncated file. A reader that goes away
 * (`rapport score x.csv | head`, EPIPE) still ends quietly: see src/cli/main.ts.
 *
 * When standard output is a regular file or a character device, Node's own stream writes with one
 * `writeSync` and ignores a short count, so those descriptors are written here directly, looping
 * until every byte is taken. Pipes and terminals go through the stream, whose callback reports errors.
 */
import * as fs from 'node:fs';
import * as tty from 'node:tty';
import { OutputError } from '../errors.js';

/** The first write error seen on each descriptor (1 = stdout, 2 = stderr, N = /dev/fd/N). */
const failures = new Map<number, NodeJS.ErrnoException>();

export function noteWriteError(fd: number, err: NodeJS.ErrnoException): void {
  if (!failures.has(fd)) failures.set(fd, err);
}

function label(fd: number): string {
  return fd === 1 ? 'standard output' : fd === 2 ? 'standard error' : `file descriptor ${fd}`;
}

/** The one-sentence OutputError for a failed write to a descriptor. */
export function writeErrorFor(fd: number, err: NodeJS.ErrnoException, given?: string): OutputError {
  const where = given && given !== '-' ? given : label(fd);
  const why =
    err.code === 'ENOSPC'
      ? 'the disk is full (no space left on the device)'
      : err.code === 'EPIPE'
        ? 'the reader closed the pipe'
        : err.code === 'EDQUOT'
          ? 'the disk quota is exhausted'
          : `the write failed (${err.code ?? err.message})`;
  return new OutputError(`${where}: ${why}, so the output is incomplete; free space or choose another destination and run again.`, given, 'OUTPUT_WRITE_FAILED');
}

/** The first failure recorded on a descriptor, if any. */
export function writeFailure(fd: number): NodeJS.ErrnoException | undefined {
  return failures.get(fd);
}

function streamFor(fd: number): NodeJS.WriteStream | undefined {
  return fd === 1 ? process.stdout : fd === 2 ? process.stderr : undefined;
}

/** True when writes to `fd` go straight to the descriptor (regular files, devices other than terminals). */
const directCache = new Map<number, boolean>();
function isDirect(fd: number): boolean {
  let d = directCache.get(fd);
  if (d === undefined) {
    try {
      const st = fs.fstatSync(fd);
      d = streamFor(fd) === undefined || ((st.isFile() || st.isCharacterDevice()) && !tty.isatty(fd));
    } catch {
      d = false;
    }
    directCache.set(fd, d);
  }
  return d;
}

/** Write every byte to a descriptor synchronously (a short write continues; EAGAIN waits briefly). */
function writeAllSync(fd: number, data: Uint8Array): void {
  let off = 0;
  while (off < data.length) {
    try {
      const n = fs.writeSync(fd, data, off, data.length - off);
      if (n === 0) throw Object.assign(new Error('short write'), { code: 'ENOSPC' });
      off += n;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        continue;
      }
      throw err;
    }
  }
}

const bytes = (chunk: string | Uint8Array) => (typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);

/**
 * Write to a descriptor and wait until the bytes are taken; throws OutputError (73) on any failure,
 * including one recorded earlier by a write that was not awaited (ui.out).
 */
export async function writeFd(fd: number, chunk: string | Uint8Array, given?: string): Promise<void> {
  const before = failures.get(fd);
  if (before) throw writeErrorFor(fd, before, given);
  if (chunk.length === 0) return settle(fd, given);
  if (isDirect(fd)) {
    try {
      writeAllSync(fd, bytes(chunk));
    } catch (err) {
      noteWriteError(fd, err as NodeJS.ErrnoException);
      throw writeErrorFor(fd, err as NodeJS.ErrnoException, given);
    }
    return;
  }
  const stream = streamFor(fd)!;
  await new Promise<void>((resolve, reject) => {
    try {
      stream.write(chunk, (err) => {
        if (err) {
          noteWriteError(fd, err);
          reject(writeErrorFor(fd, err, given));
        } else resolve();
      });
    } catch (err) {
      noteWriteError(fd, err as NodeJS.ErrnoException);
      reject(writeErrorFor(fd, err as NodeJS.ErrnoException, given));
    }
  });
}

/** Write without waiting (messages, ui.out): a failure is recorded and reported by settle(). */
export function writeFdLater(fd: number, chunk: string | Uint8Array): void {
  if (failures.has(fd)) return;
  if (isDirect(fd)) {
    try {
      writeAllSync(fd, bytes(chunk));
    } catch (err) {
      noteWriteError(fd, err as NodeJS.ErrnoException);
    }
    return;
  }
  try {
    streamFor(fd)!.write(chunk, (err) => {
      if (err) noteWriteError(fd, err);
    });
  } catch (err) {
    noteWriteError(fd, err as NodeJS.ErrnoException);
  }
}

/** Wait until everything written to `fd` so far is taken; throws OutputError if any write failed. */
export async function settle(fd: number, given?: string): Promise<void> {
  const stream = streamFor(fd);
  if (stream && !isDirect(fd) && !stream.destroyed) {
    await new Promise<void>((resolve) => {
      try {
        stream.write('', () => resolve());
      } catch {
        resolve();
      }
    });
  }
  const f = failures.get(fd);
  if (f) throw writeErrorFor(fd, f, given);
}
