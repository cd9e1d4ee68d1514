/**
 * Atomic output files: write to a temporary file in the same folder, fsync, then rename over the target.
 * A failed or interrupted run never leaves a partial file and never damages an existing one.
 * `-` means standard output (not atomic by nature; data goes there as it is produced).
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { outputErrorFrom } from '../errors.js';

/** Temporary files not yet renamed: removed by the signal/exit handlers in src/cli/main.ts. */
const pendingTemps = new Set<string>();

export function removePendingTemps(): void {
  for (const t of pendingTemps) {
    try {
      fs.unlinkSync(t);
    } catch {
      /* already gone */
    }
  }
  pendingTemps.clear();
}

/**
 * Wait until a stream drains (or errors/closes), removing the listeners afterwards: a bare
 * `Promise.race([once(s, 'drain'), once(s, 'error')])` leaves an 'error' listener behind on every call.
 */
export async function waitForDrain(stream: NodeJS.WritableStream, other: 'error' | 'close' = 'error'): Promise<void> {
  const ac = new AbortController();
  try {
    await Promise.race([once(stream, 'drain', { signal: ac.signal }), once(stream, other, { signal: ac.signal })]);
  } finally {
    ac.abort();
  }
}

function tempNameFor(target: string): string {
  const dir = path.dirname(target);
  const base = path.basename(target);
  return path.join(dir, `.${base}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

const fsyncFd = promisify(fs.fsync);
const closeFd = promisify(fs.close);
const writeFd = promisify(fs.write);

/**
 * Create a temporary file and register it for removal on a signal, in one synchronous step: with an
 * asynchronous open, a signal handled while the open was in flight left the new file behind (the
 * handlers run between JavaScript tasks, so nothing can come between these two lines).
 */
function openTemp(tmp: string, mode: number): number {
  const fd = fs.openSync(tmp, 'wx', mode);
  pendingTemps.add(tmp);
  return fd;
}

export interface OutputSink {
  /** Where the data ends up (`-` for stdout). */
  readonly target: string;
  /** Write text (or UTF-8 bytes); resolves when the stream can take more (back-pressure). */
  write(chunk: string | Uint8Array): Promise<void>;
  /** Finish: flush, fsync and rename into place. */
  commit(): Promise<void>;
  /** Give up: remove the temporary file, leave any existing target untouched. */
  abort(): Promise<void>;
}

export interface OutputOptions {
  /** File mode for a new file, e.g. 0o600 for files that hold responses. Default 0o644. */
  mode?: number;
  /** Standard output to use for `-` (injectable for tests). */
  stdout?: NodeJS.WritableStream;
  /** Bytes buffered before write() waits for the disk (default 64 KiB); larger lets writing overlap work. */
  highWaterMark?: number;
}

/** Open an output target for streaming writes. Errors creating it are OutputError (exit 73). */
export async function openOutput(target: string, opts: OutputOptions = {}): Promise<OutputSink> {
  if (target === '-') {
    const out = opts.stdout ?? process.stdout;
    return {
      target,
      async write(chunk: string | Uint8Array) {
        if (!out.write(chunk)) await waitForDrain(out, 'close');
      },
      async commit() {},
      async abort() {},
    };
  }
  const tmp = tempNameFor(target);
  let fd: number;
  try {
    // Fail early, before any work, if the target is a directory.
    const st = await fs.promises.stat(target).catch(() => undefined);
    if (st?.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    fd = openTemp(tmp, opts.mode ?? 0o644);
  } catch (err) {
    throw outputErrorFrom(err, target);
  }
  const stream = fs.createWriteStream('', { fd, autoClose: false, highWaterMark: opts.highWaterMark ?? 1 << 16 });
  let failed: unknown;
  stream.on('error', (e) => {
    failed = e;
  });
  let done = false;
  // With autoClose: false the stream does not close the fd when it finishes (it is fsynced first);
  // destroying the stream closes it.
  const releaseStream = async () => {
    if (stream.closed) return;
    const closed = once(stream, 'close').catch(() => undefined);
    stream.destroy();
    await closed;
  };
  const cleanup = async () => {
    done = true;
    try {
      await releaseStream();
    } catch {
      /* ignore */
    }
    await fs.promises.unlink(tmp).catch(() => undefined);
    pendingTemps.delete(tmp);
  };
  return {
    target,
    async write(chunk: string | Uint8Array) {
      if (failed) throw outputErrorFrom(failed, target);
      if (!stream.write(chunk)) await waitForDrain(stream).catch(() => undefined);
      if (failed) throw outputErrorFrom(failed, target);
    },
    async commit() {
      if (done) return;
      try {
        await new Promise<void>((resolve, reject) => {
          stream.end((err?: Error | null) => (err ? reject(err) : resolve()));
        });
        if (failed) throw failed;
        await fsyncFd(fd);
        await releaseStream();
        await fs.promises.rename(tmp, target);
        pendingTemps.delete(tmp);
        done = true;
      } catch (err) {
        await cleanup();
        throw outputErrorFrom(err, target);
      }
    },
    async abort() {
      if (done) return;
      stream.destroy();
      await cleanup();
    },
  };
}

/** Write a whole file atomically (or to stdout for `-`). */
export async function writeFileAtomic(target: string, data: string, opts: OutputOptions = {}): Promise<void> {
  const sink = await openOutput(target, opts);
  try {
    await sink.write(data);
    await sink.commit();
  } catch (err) {
    await sink.abort();
    throw err;
  }
}

/**
 * Write several files so that either all of them are in place or none is changed: each goes to a temp
 * file first; only when every temp file is complete are they renamed.
 */
export async function writeFilesAtomic(files: { path: string; data: string; mode?: number }[]): Promise<void> {
  const temps: { tmp: string; target: string }[] = [];
  try {
    for (const f of files) {
      const tmp = tempNameFor(f.path);
      temps.push({ tmp, target: f.path });
      try {
        const fd = openTemp(tmp, f.mode ?? 0o644);
        try {
          const buf = Buffer.from(f.data, 'utf8');
          for (let off = 0; off < buf.length; ) off += (await writeFd(fd, buf, off, buf.length - off)).bytesWritten;
          await fsyncFd(fd);
        } finally {
          await closeFd(fd);
        }
      } catch (err) {
        throw outputErrorFrom(err, f.path);
      }
    }
    for (const t of temps) {
      try {
        await fs.promises.rename(t.tmp, t.target);
      } catch (err) {
        throw outputErrorFrom(err, t.target);
      }
      pendingTemps.delete(t.tmp);
    }
  } finally {
    for (const t of temps) {
      if (pendingTemps.has(t.tmp)) {
        await fs.promises.unlink(t.tmp).catch(() => undefined);
        pendingTemps.delete(t.tmp);
      }
    }
  }
}
