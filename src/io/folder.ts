/**
 * A report folder: created before any input is read (so a path that cannot work fails at once with
 * its real reason), private (0700 under any umask), and written as one run.
 *
 * One run: the files of a run replace the previous run's all or none (src/io/atomic.ts commitAll),
 * and files that rapport wrote in an earlier run but this run does not write (groups.csv after a run
 * without --group-by) are removed in the same commit. What rapport wrote is listed, with a SHA-256 of
 * each file, in `.rapport-manifest.json` in the folder; a file is removed only if the manifest names
 * it and its content is still what rapport wrote. Nothing else in the folder is ever touched.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OutputError, outputErrorFrom } from '../errors.js';
import { commitAll, openOutput, type OutputSink } from './atomic.js';

export const MANIFEST = '.rapport-manifest.json';
const MAX_MANIFEST_BYTES = 1 << 16;

/** Folders created by this run, deepest last: removed again (if still empty) when the run fails. */
const createdDirs: string[] = [];

/** Remove the folders this run created, if they are still empty (a failed or interrupted run). */
export function removeCreatedFolders(): void {
  for (const d of createdDirs.splice(0).reverse()) {
    try {
      fs.rmdirSync(d);
    } catch {
      /* not empty or gone: keep it */
    }
  }
}

/**
 * Make sure `dir` is a folder we can write in, creating it and any missing parents with mode 0700
 * (chmod after mkdir, so the umask cannot widen or narrow it). Throws OutputError (73) with the reason.
 */
export function prepareFolder(dir: string): void {
  const abs = path.resolve(dir);
  const missing: string[] = [];
  let cur = abs;
  for (;;) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(cur);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') throw new OutputError(`${dir}: a part of the path is a file, not a folder; fix the path.`, dir);
      if (code !== 'ENOENT') throw outputErrorFrom(err, dir);
    }
    if (st) {
      if (!st.isDirectory()) {
        throw new OutputError(cur === abs ? `${dir}: is a file, not a folder; name a folder for the report files.` : `${dir}: ${cur} is a file, not a folder; fix the path.`, dir);
      }
      break;
    }
    missing.unshift(cur);
    const up = path.dirname(cur);
    if (up === cur) break;
    cur = up;
  }
  for (const d of missing) {
    try {
      fs.mkdirSync(d, 0o700);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new OutputError(`${dir}: the file system does not allow a folder at ${d} (a system folder such as /proc or /sys); choose another --out.`, dir);
      if (code !== 'EEXIST') throw outputErrorFrom(err, dir);
      continue;
    }
    createdDirs.push(d);
    fs.chmodSync(d, 0o700);
  }
  try {
    fs.accessSync(abs, fs.constants.W_OK | fs.constants.X_OK);
  } catch (err) {
    throw outputErrorFrom(err, dir);
  }
}

interface Manifest {
  rapport: 1;
  files: Record<string, string>;
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** The previous run's manifest, or an empty one when there is none or it is not ours. */
function readManifest(dir: string): Record<string, string> {
  try {
    const p = path.join(dir, MANIFEST);
    const st = fs.lstatSync(p);
    if (!st.isFile() || st.size > MAX_MANIFEST_BYTES) return {};
    const m = JSON.parse(fs.readFileSync(p, 'utf8')) as Manifest;
    const out: Record<string, string> = Object.create(null);
    if (m?.rapport !== 1 || typeof m.files !== 'object' || m.files === null) return out;
    for (const [k, v] of Object.entries(m.files)) if (typeof v === 'string' && isPlainName(k)) out[k] = v;
    return out;
  } catch {
    return {};
  }
}

/** A bare file name: no folder part, not `.`/`..`, not the manifest. */
function isPlainName(n: string): boolean {
  return n !== '' && n !== '.' && n !== '..' && n !== MANIFEST && !n.includes('/') && !n.includes('\\') && !n.includes('\0');
}

/** Files of the previous run that this run does not write and that still hold what rapport wrote. */
function staleFiles(dir: string, writing: Set<string>): { remove: string[]; changed: string[] } {
  const remove: string[] = [];
  const changed: string[] = [];
  for (const [name, hash] of Object.entries(readManifest(dir))) {
    if (writing.has(name)) continue;
    const p = path.join(dir, name);
    try {
      if (!fs.lstatSync(p).isFile()) continue;
      if (sha256(fs.readFileSync(p)) === hash) remove.push(p);
      else changed.push(name);
    } catch {
      /* already gone */
    }
  }
  return { remove, changed };
}

export interface FolderFile {
  name: string;
  /** Text (written as UTF-8) or bytes (a workbook). */
  data: string | Uint8Array;
  mode?: number;
}

/**
 * Write the files of one run into `dir` (prepared with prepareFolder) all or none, with the manifest,
 * removing the previous run's files that this run does not write; `others` (report --errors) are
 * committed in the same step. Returns the names of such files
 * that were left in place because their content changed since rapport wrote them.
 */
export async function writeFolderRun(dir: string, files: FolderFile[], others: OutputSink[] = []): Promise<{ removed: string[]; changed: string[] }> {
  const names = new Set(files.map((f) => f.name));
  const { remove, changed } = staleFiles(dir, names);
  const manifest: Manifest = { rapport: 1, files: Object.fromEntries(files.map((f) => [f.name, sha256(f.data)])) };
  const all = [...files, { name: MANIFEST, data: JSON.stringify(manifest, null, 2) + '\n' }];
  const sinks: OutputSink[] = [];
  try {
    for (const f of all) {
      const s = await openOutput(path.join(dir, f.name), { mode: f.mode });
      sinks.push(s);
      await s.write(f.data);
    }
  } catch (err) {
    for (const s of [...sinks, ...others]) await s.abort();
    throw err;
  }
  await commitAll([...sinks, ...others], remove);
  createdDirs.length = 0; // the folders now hold the run: keep them
  return { removed: remove.map((p) => path.basename(p)), changed };
}
