/**
 * Output files, all or none.
 *
 * Each output is resolved first (src/io/output-target.ts). A regular file (or a new name, or the
 * final target of a symlink) is written to a temporary file in its own folder and fsynced; nothing
 * is visible until commit. Standard output, /dev/fd/N, character devices and FIFOs are written in
 * place (never renamed over), either as the data comes (`spool: false`) or, with `spool: true`, held
 * back (memory up to 8 MiB, then an already-unlinked temporary file) and sent at commit, so a failed
 * run prints nothing.
 *
 * The commit of several outputs (commitAll) is one step:
 *  1. every temporary file is completed (written, fsynced, closed); a failure here (full disk)
 *     removes them all and leaves every old file as it was;
 *  2. in-place outputs (standard output, devices, FIFOs) are sent; a failure removes the temporary
 *     files and leaves every old file as it was;
 *  3. the renames run in one synchronous block: each existing target is first hard-linked to a
 *     backup name (`.<name>.<pid>.<random>.old`, so the target never disappears), then the temporary
 *     file is renamed over it; files to remove (a report's stale files) are renamed to backups. If any
 *     step fails, every rename already done is undone from the backups and the error is reported (73).
 *     On success the backups are removed and the folders fsynced.
 *     The block never yields to the event loop, so a signal (Ctrl-C, SIGTERM) arriving during it is
 *     handled when it is over: the outputs are then all new (exit 130). A signal before step 3 leaves
 *     them all old. Only SIGKILL or a power cut in the middle of step 3 can leave a mix, and then each
 *     replaced file's old version is still there under its `.old` backup name.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { outputErrorFrom } from '../errors.js';
import { resolveOutputTarget, type OutputTarget } from './output-target.js';
import { writeFd } from './stdout.js';

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

function tempNameFor(target: string, suffix = 'tmp'): string {
  const dir = path.dirname(target);
  const base = path.basename(target);
  return path.join(dir, `.${base}.${process.pid}.${randomBytes(4).toString('hex')}.${suffix}`);
}

const fsyncFd = promisify(fs.fsync);

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

/** A completed temporary file waiting to be renamed onto its target. */
interface Prepared {
  tmp: string;
  target: string;
  label: string;
}

export interface OutputSink {
  /** Where the data ends up, as the user gave it (`-` for stdout). */
  readonly target: string;
  /** Write text (or UTF-8 bytes); resolves when the stream can take more (back-pressure). */
  write(chunk: string | Uint8Array): Promise<void>;
  /** Finish: flush, fsync and rename into place (or send the spooled data). */
  commit(): Promise<void>;
  /** Give up: remove the temporary file, leave any existing target untouched. */
  abort(): Promise<void>;
  /** @internal Complete the temporary file without making it visible (file outputs only). */
  prepare(): Promise<Prepared | undefined>;
  /** @internal Send held-back data (in-place outputs only). */
  publish(): Promise<void>;
}

export interface OutputOptions {
  /** File mode for a new file, e.g. 0o600 for files that hold responses. Default 0o644. */
  mode?: number;
  /** Bytes buffered before write() waits for the disk (default 64 KiB); larger lets writing overlap work. */
  highWaterMark?: number;
  /** In-place outputs: hold the data back until commit (a failed run then writes nothing there). */
  spool?: boolean;
  /** The descriptor `-` stands for (default 1, standard output; 2 for an errors list on stderr). */
  dashFd?: 1 | 2;
}

/** Open an output for streaming writes. Errors creating it are OutputError (exit 73). */
export async function openOutput(given: string, opts: OutputOptions = {}): Promise<OutputSink> {
  const t: OutputTarget = resolveOutputTarget(given);
  if (t.kind !== 'file') return new InPlaceSink(t, opts, opts.dashFd ?? 1);
  return FileSink.open(t.given, t.path, opts);
}

class FileSink implements OutputSink {
  private failed: unknown;
  private done = false;
  private constructor(
    readonly target: string,
    private readonly real: string,
    private readonly tmp: string,
    private readonly fd: number,
    private readonly stream: fs.WriteStream,
  ) {
    stream.on('error', (e) => {
      this.failed = e;
    });
  }
  static open(given: string, real: string, opts: OutputOptions): FileSink {
    const tmp = tempNameFor(real);
    let fd: number;
    try {
      fd = openTemp(tmp, opts.mode ?? 0o644);
    } catch (err) {
      throw outputErrorFrom(err, given);
    }
    const stream = fs.createWriteStream('', { fd, autoClose: false, highWaterMark: opts.highWaterMark ?? 1 << 16 });
    return new FileSink(given, real, tmp, fd, stream);
  }
  async write(chunk: string | Uint8Array): Promise<void> {
    if (this.failed) throw outputErrorFrom(this.failed, this.target);
    if (!this.stream.write(chunk)) await waitForDrain(this.stream).catch(() => undefined);
    if (this.failed) throw outputErrorFrom(this.failed, this.target);
  }
  /** With autoClose: false the stream does not close the fd when it finishes; destroying it does. */
  private async release(): Promise<void> {
    if (this.stream.closed) return;
    const closed = once(this.stream, 'close').catch(() => undefined);
    this.stream.destroy();
    await closed;
  }
  async prepare(): Promise<Prepared | undefined> {
    if (this.done) return undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        this.stream.end((err?: Error | null) => (err ? reject(err) : resolve()));
      });
      if (this.failed) throw this.failed;
      await fsyncFd(this.fd);
      await this.release();
    } catch (err) {
      await this.abort();
      throw outputErrorFrom(err, this.target);
    }
    this.done = true;
    return { tmp: this.tmp, target: this.real, label: this.target };
  }
  async publish(): Promise<void> {}
  commit(): Promise<void> {
    return commitAll([this]);
  }
  async abort(): Promise<void> {
    this.done = true;
    await this.release().catch(() => undefined);
    await fs.promises.unlink(this.tmp).catch(() => undefined);
    pendingTemps.delete(this.tmp);
  }
}

const SPOOL_MEMORY = 8 << 20;

/**
 * Data held back for an in-place output: memory up to 8 MiB, then a temporary file that is unlinked
 * as soon as it is created (so even SIGKILL leaves nothing behind) and read back through its descriptor.
 */
export class Spool {
  private parts: Uint8Array[] = [];
  private size = 0;
  private fd: number | undefined;
  private fileSize = 0;
  constructor(private readonly label: string) {}
  add(chunk: string | Uint8Array): void {
    const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (this.fd === undefined) {
      this.parts.push(b);
      this.size += b.length;
      if (this.size <= SPOOL_MEMORY) return;
      const file = path.join(os.tmpdir(), `.rapport-spool-${process.pid}-${randomBytes(4).toString('hex')}`);
      try {
        this.fd = fs.openSync(file, 'wx+', 0o600);
        fs.unlinkSync(file);
      } catch (err) {
        throw outputErrorFrom(err, `${os.tmpdir()} (holding ${this.label} until the run succeeds)`);
      }
      const all = Buffer.concat(this.parts);
      this.parts = [];
      this.append(all);
      return;
    }
    this.append(b);
  }
  private append(b: Uint8Array): void {
    try {
      for (let off = 0; off < b.length; ) {
        const n = fs.writeSync(this.fd!, b, off, b.length - off, this.fileSize);
        off += n;
        this.fileSize += n;
      }
    } catch (err) {
      throw outputErrorFrom(err, `${os.tmpdir()} (holding ${this.label} until the run succeeds)`);
    }
  }
  /** Hand every held chunk to `send`, in order, then forget them. */
  async drainTo(send: (b: Uint8Array) => Promise<void>): Promise<void> {
    const parts = this.parts;
    this.parts = [];
    for (const p of parts) if (p.length) await send(p);
    if (this.fd === undefined) return;
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let pos = 0; pos < this.fileSize; ) {
      const n = fs.readSync(this.fd, buf, 0, Math.min(buf.length, this.fileSize - pos), pos);
      if (n <= 0) break;
      await send(buf.subarray(0, n));
      pos += n;
    }
    this.discard();
  }
  discard(): void {
    this.parts = [];
    if (this.fd !== undefined) {
      try {
        fs.closeSync(this.fd);
      } catch {
        /* ignore */
      }
      this.fd = undefined;
    }
  }
}

/** Standard output, /dev/fd/N, a character device or a FIFO: written in place, never renamed over. */
class InPlaceSink implements OutputSink {
  readonly target: string;
  private readonly spool: Spool | undefined;
  private fd: number | undefined;
  private opened: Promise<number> | undefined;
  constructor(
    private readonly t: OutputTarget,
    opts: OutputOptions,
    dashFd: 1 | 2,
  ) {
    this.target = t.given;
    if (t.kind === 'stdout') this.fd = dashFd;
    else if (t.kind === 'fd') this.fd = t.fd;
    this.spool = opts.spool ? new Spool(t.given === '-' ? (dashFd === 1 ? 'standard output' : 'standard error') : t.given) : undefined;
  }
  /** A device or FIFO is opened for writing only, without creating or truncating anything. */
  private async descriptor(): Promise<number> {
    if (this.fd !== undefined) return this.fd;
    if (this.t.kind !== 'special') throw new Error('unreachable');
    const p = this.t.path;
    this.opened ??= fs.promises
      .open(p, fs.constants.O_WRONLY | fs.constants.O_NOCTTY)
      .then((fh) => fh.fd)
      .catch((err) => {
        throw outputErrorFrom(err, this.target);
      });
    this.fd = await this.opened;
    return this.fd;
  }
  private async send(chunk: string | Uint8Array): Promise<void> {
    const fd = await this.descriptor();
    await writeFd(fd, chunk, this.target);
  }
  async write(chunk: string | Uint8Array): Promise<void> {
    if (this.spool) this.spool.add(chunk);
    else await this.send(chunk);
  }
  async prepare(): Promise<Prepared | undefined> {
    return undefined;
  }
  async publish(): Promise<void> {
    if (this.spool) await this.spool.drainTo((b) => this.send(b));
    else await this.send('');
  }
  commit(): Promise<void> {
    return commitAll([this]);
  }
  async abort(): Promise<void> {
    this.spool?.discard();
  }
}

/** Write a whole file atomically (or in place for `-`, devices and FIFOs). */
export async function writeFileAtomic(target: string, data: string, opts: OutputOptions = {}): Promise<void> {
  const sink = await openOutput(target, opts);
  try {
    await sink.write(data);
  } catch (err) {
    await sink.abort();
    throw err;
  }
  await sink.commit();
}

/**
 * Commit several outputs as one (see the file comment): complete every temporary file, send the
 * in-place outputs, then rename all (and remove `remove`) in one synchronous, rolled-back-on-failure block.
 */
export async function commitAll(sinks: OutputSink[], remove: string[] = []): Promise<void> {
  const files: Prepared[] = [];
  try {
    for (const s of sinks) {
      const p = await s.prepare();
      if (p) files.push(p);
    }
    for (const s of sinks) await s.publish();
  } catch (err) {
    for (const s of sinks) await s.abort();
    throw err;
  }
  try {
    publishFiles(files, remove);
    // Let a signal that arrived during the renames be handled now (exit 130, the outputs all new)
    // rather than lost when the process ends.
    // (Two turns: the first may end in the same loop iteration, before the poll that reads signals.)
    for (let k = 0; k < 2; k++) await new Promise<void>((resolve) => setImmediate(resolve));
  } finally {
    for (const f of files) {
      if (pendingTemps.has(f.tmp)) {
        try {
          fs.unlinkSync(f.tmp);
        } catch {
          /* gone */
        }
        pendingTemps.delete(f.tmp);
      }
    }
  }
}

interface Step {
  target: string;
  backup?: string;
}

/** Keep the old version of `target` under a backup name without ever removing `target` itself. */
function backUp(target: string): string | undefined {
  try {
    if (!fs.lstatSync(target).isFile()) return undefined;
  } catch {
    return undefined;
  }
  const backup = tempNameFor(target, 'old');
  try {
    fs.linkSync(target, backup);
  } catch {
    fs.copyFileSync(target, backup, fs.constants.COPYFILE_EXCL); // file systems without hard links
  }
  return backup;
}

/** Step 3 of a commit: synchronous on purpose (see the file comment). */
function publishFiles(files: Prepared[], remove: string[]): void {
  const done: Step[] = [];
  let current = '';
  try {
    for (const f of files) {
      current = f.label;
      const backup = backUp(f.target);
      if (backup) done.push({ target: f.target, backup });
      fs.renameSync(f.tmp, f.target);
      pendingTemps.delete(f.tmp);
      if (!backup) done.push({ target: f.target });
    }
    for (const r of remove) {
      current = r;
      const backup = tempNameFor(r, 'old');
      fs.renameSync(r, backup);
      done.push({ target: r, backup });
    }
  } catch (err) {
    rollBack(done);
    throw outputErrorFrom(err, current);
  }
  for (const d of done) {
    if (d.backup) {
      try {
        fs.unlinkSync(d.backup);
      } catch {
        /* gone */
      }
    }
  }
  syncFolders(files.map((f) => path.dirname(f.target)));
}

function rollBack(done: Step[]): void {
  for (const d of done.reverse()) {
    try {
      // rename() between two links of one file does nothing, so a backup of an untouched target is unlinked.
      if (d.backup && sameFile(d.backup, d.target)) fs.unlinkSync(d.backup);
      else if (d.backup) fs.renameSync(d.backup, d.target);
      else fs.unlinkSync(d.target);
    } catch {
      /* best effort: the backup keeps the old version */
    }
  }
}

function sameFile(a: string, b: string): boolean {
  try {
    const x = fs.lstatSync(a);
    const y = fs.lstatSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/**
 * fsync a folder so that a file created or renamed in it survives a power cut (ignored where a file
 * system cannot sync folders; the file itself is synced).
 */
export function fsyncFolder(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    /* not supported here */
  }
}

/** fsync each folder once so the renames survive a power cut. */
function syncFolders(dirs: string[]): void {
  for (const d of new Set(dirs)) fsyncFolder(d);
}
