/**
 * What an output path names, decided before any input is read (README "Safety and limits"):
 *
 * - `-`: standard output.
 * - `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N` (also reached through symlinks, as
 *   bash's `>(...)` process substitution gives): the already open descriptor N, written in place.
 * - a character device (`/dev/null`, a terminal) or a FIFO: opened and written in place, never
 *   renamed over, so a device node is never replaced by a regular file.
 * - a regular file or a new name: written atomically (a temporary file in the target's own folder,
 *   then a rename). A symlink is followed to its final target, which is replaced; the link stays.
 * - a folder, a block device or a socket: refused (73).
 *
 * Paths that cannot work fail here with the real reason: a missing folder, a part of the path that
 * is a file, a read-only file system, no permission.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OutputError, UsageError, outputErrorFrom } from '../errors.js';

export type OutputTarget =
  | { kind: 'stdout'; given: string }
  | { kind: 'fd'; given: string; fd: number }
  | { kind: 'special'; given: string; path: string; what: 'character device' | 'FIFO' }
  | { kind: 'file'; given: string; path: string; exists: boolean };

const FD_PATH = /^\/(?:dev\/fd|proc\/self\/fd|proc\/(\d+)\/fd)\/(\d+)$|^\/dev\/(stdout|stderr|stdin)$/;

/** The descriptor a /dev/fd-style path names (for this process), or undefined. */
function fdOfPath(p: string): number | undefined {
  const m = FD_PATH.exec(p);
  if (!m) return undefined;
  if (m[3]) return m[3] === 'stdout' ? 1 : m[3] === 'stderr' ? 2 : 0;
  if (m[1] !== undefined && Number(m[1]) !== process.pid) return undefined;
  return Number(m[2]);
}

const MAX_LINKS = 40;

/** Follow symlinks in the last component; stop at a /dev/fd-style path or a name that does not exist. */
function follow(given: string): { path: string; fd?: number; st?: fs.Stats } {
  let cur = path.resolve(given);
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    const fd = fdOfPath(cur);
    if (fd !== undefined) return { path: cur, fd };
    let st: fs.Stats;
    try {
      st = fs.lstatSync(cur);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { path: cur };
      throw outputErrorFrom(err, given);
    }
    if (!st.isSymbolicLink()) return { path: cur, st };
    cur = path.resolve(path.dirname(cur), fs.readlinkSync(cur));
  }
  throw new OutputError(`${given}: too many levels of symbolic links; point the link at a file.`, given);
}

/** Check that `dir` is an existing folder this process can create files in. */
export function checkFolder(dir: string, label: string = dir): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new OutputError(`${label}: cannot create the file because its folder does not exist (${dir}); create the folder first.`, label);
    throw outputErrorFrom(err, label);
  }
  if (!st.isDirectory()) throw new OutputError(`${label}: ${dir} is a file, not a folder; fix the path.`, label);
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
  } catch (err) {
    throw outputErrorFrom(err, label);
  }
}

/** Decide what an output path is (see the file comment). Throws OutputError (73) for paths that cannot work. */
export function resolveOutputTarget(given: string): OutputTarget {
  if (given === '-') return { kind: 'stdout', given };
  if (given.trim() === '') throw new UsageError('an output path is empty; name a file, or - for standard output.');
  const f = follow(given);
  if (f.fd !== undefined) {
    try {
      fs.fstatSync(f.fd);
    } catch {
      throw new OutputError(`${given}: file descriptor ${f.fd} is not open; check the redirection.`, given);
    }
    if (f.fd === 0) throw new OutputError(`${given}: is standard input; name an output file, or - for standard output.`, given);
    return { kind: 'fd', given, fd: f.fd };
  }
  const st = f.st;
  if (st) {
    if (st.isDirectory()) throw new OutputError(`${given}: is a folder; name a file inside it.`, given);
    if (st.isCharacterDevice()) return { kind: 'special', given, path: f.path, what: 'character device' };
    if (st.isFIFO()) return { kind: 'special', given, path: f.path, what: 'FIFO' };
    if (st.isBlockDevice()) throw new OutputError(`${given}: is a block device (a disk); rapport writes only files, FIFOs and character devices.`, given);
    if (st.isSocket()) throw new OutputError(`${given}: is a socket, which cannot be opened as a file; name a file.`, given);
  }
  checkFolder(path.dirname(f.path), given);
  return { kind: 'file', given, path: f.path, exists: st !== undefined };
}

/**
 * A file that `run` appends to: an existing regular file (through symlinks) or a new name in an
 * existing folder. A folder, FIFO or device is refused at once (73), before any question is asked.
 */
export function checkAppendTarget(given: string): void {
  const t = resolveOutputTarget(given);
  if (t.kind === 'fd' || t.kind === 'special' || t.kind === 'stdout') {
    const what = t.kind === 'special' ? `a ${t.what}` : 'an open file descriptor';
    throw new OutputError(`${given}: is ${what}; rapport run appends responses to a regular file and locks it, so name a CSV file, for example --out responses.csv.`, given);
  }
}

/** (device, inode) of an existing file, following symlinks; undefined when it does not exist. */
function identity(p: string): string | undefined {
  try {
    const st = fs.statSync(p);
    return `${st.dev}:${st.ino}`;
  } catch {
    return undefined;
  }
}

/** A labelled path for the distinctness check: `flag` names it in the message (`--out`, `the input`). */
export interface NamedPath {
  flag: string;
  path: string;
}

/**
 * The input is never an output, and no two outputs are the same file: compared by (device, inode),
 * so `./in.csv`, an absolute spelling, a symlink and standard input redirected from the file are all
 * caught. Outputs that do not exist yet are compared by their resolved path. Only regular files count
 * (two outputs to /dev/null are fine). `-` is standard input among the inputs and standard output
 * among the outputs (pass an output going to standard error without its `-`). Throws UsageError (2)
 * before anything is read or written.
 */
export function checkDistinct(inputs: NamedPath[], outputs: NamedPath[]): void {
  const seen = new Map<string, string>();
  const key = (p: string, output: boolean): string | undefined => {
    if (p === '-') return fdIdentity(output ? 1 : 0);
    const t = follow(p);
    if (t.fd !== undefined) return fdIdentity(t.fd);
    if (t.st && !t.st.isFile()) return undefined;
    return identity(t.path) ?? `new:${path.join(fs.realpathSync.native(path.dirname(t.path)), path.basename(t.path))}`;
  };
  for (const i of inputs) {
    let k: string | undefined;
    try {
      k = key(i.path, false);
      if (k?.startsWith('new:')) k = undefined; // an input that is not a file (a built-in instrument id)
    } catch {
      k = undefined; // unreadable input: reported by the reader with its own sentence
    }
    if (k && !seen.has(k)) seen.set(k, i.flag);
  }
  for (const o of outputs) {
    let k: string | undefined;
    try {
      k = key(o.path, true);
    } catch {
      k = undefined; // the output check reports it
    }
    if (!k) continue;
    const prev = seen.get(k);
    if (prev !== undefined) {
      const isInput = inputs.some((i) => i.flag === prev);
      throw new UsageError(
        isInput
          ? `${o.flag} ${o.path}: is the same file as ${prev}; writing it would destroy the input, so choose another output name.`
          : `${o.flag} ${o.path}: is the same file as ${prev}; give each output its own file.`,
      );
    }
    seen.set(k, o.flag);
  }
}

/** Identity of an open descriptor when it is a regular file (stdin redirected from a file). */
function fdIdentity(fd: number): string | undefined {
  try {
    const st = fs.fstatSync(fd);
    return st.isFile() ? `${st.dev}:${st.ino}` : undefined;
  } catch {
    return undefined;
  }
}
