/**
 * Atomic output files: write to a temporary file in the same folder, fsync, then rename over the target.
 * A failed or interrupted run never leaves a partial file and never damages an existing one.
 * `-` means standard output (not atomic by nature; data goes there as it is produced).
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
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
  let fh: fs.promises.FileHandle;
  try {
    // Fail early, before any work, if the target is a directory.
    const st = await fs.promises.stat(target).catch(() => undefined);
    if (st?.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    fh = await fs.promises.open(tmp, 'wx', opts.mode ?? 0o644);
  } catch (err) {
    throw outputErrorFrom(err, target);
  }
  pendingTemps.add(tmp);
  const stream = fh.createWriteStream({ autoClose: false, highWaterMark: opts.highWaterMark ?? 1 << 16 });
  let failed: unknown;
  stream.on('error', (e) => {
    failed = e;
  });
  let done = false;
  // Node 20: FileHandle.close() waits until every stream made from the handle has closed, and with
  // autoClose: false the stream never closes by itself; close the stream (the fd stays open) first.
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
      await fh.close();
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
        await fh.sync();
        await releaseStream();
        await fh.close();
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
      pendingTemps.add(tmp);
      temps.push({ tmp, target: f.path });
      try {
        const fh = await fs.promises.open(tmp, 'wx', f.mode ?? 0o644);
        try {
          await fh.writeFile(f.data);
          await fh.sync();
        } finally {
          await fh.close();
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
