/** Run the built CLI (dist/) as a user would, capturing stdout, stderr and the exit code. */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(ROOT, 'bin', 'rapport.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function rapport(args: string[], opts: SpawnSyncOptions & { input?: string | Buffer } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    input: opts.input,
    env: { ...process.env, NO_COLOR: '1', ...(opts.env ?? {}) },
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

/** A fresh temporary folder for one test. */
export function tmpDir(prefix = 'rapport-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** True when dist/ is missing: the e2e tests need `npm run build` (npm test does it). */
export function distMissing(): boolean {
  return !fs.existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'));
}
