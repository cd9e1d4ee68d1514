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

/**
 * A `report` with an outcome draws no bootstrap resamples here unless the test asks for them
 * (`--bootstrap N`), or passes `asIs`: the 500 default resamples cost about 4 s of CPU on the
 * 855-respondent survey fixture, and most tests check something else. The resamples are the subject
 * of test/e2e/report-inference.test.ts (run through rapportMany, which adds nothing), of
 * report.test.ts's golden A (which passes --bootstrap 500) and of the golden outputs (`asIs`).
 */
export function testArgs(args: string[]): string[] {
  if (args[0] !== 'report' || !args.includes('--outcome') || args.some((a) => a === '--bootstrap' || a.startsWith('--bootstrap='))) return args;
  return [...args, '--bootstrap', '0'];
}

export function rapport(args: string[], opts: SpawnSyncOptions & { input?: string | Buffer; asIs?: boolean } = {}): CliResult {
  assertBuilt();
  const r = spawnSync(process.execPath, [BIN, ...(opts.asIs ? args : testArgs(args))], {
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

/**
 * Why the built CLI cannot be trusted, or undefined when it can: dist/ is missing, or a module in src/
 * has no compiled file or one older than its source (an end-to-end test would test old code).
 */
export function staleBuild(root = ROOT): string | undefined {
  const src = path.join(root, 'src');
  const dist = path.join(root, 'dist');
  if (!fs.existsSync(path.join(dist, 'cli', 'main.js'))) return 'dist/ is missing';
  const walk = (dir: string): string | undefined => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        const r = walk(p);
        if (r) return r;
      } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) {
        const js = path.join(dist, path.relative(src, p)).replace(/\.ts$/, '.js');
        if (!fs.existsSync(js)) return `${path.relative(root, js)} is missing`;
        if (fs.statSync(js).mtimeMs < fs.statSync(p).mtimeMs) return `${path.relative(root, js)} is older than ${path.relative(root, p)}`;
      }
    }
    return undefined;
  };
  return walk(src);
}

let checked = false;
/** Fail (never skip) when the built CLI is missing or older than src/: build with `npx tsc -p tsconfig.json`. */
export function assertBuilt(): void {
  if (checked) return;
  const why = staleBuild();
  if (why) throw new Error(`the end-to-end tests run the built CLI, but ${why}; build first: npx tsc -p tsconfig.json (npm test does it)`);
  checked = true;
}

/** Kept for older callers' `describe.skipIf(distMissing())`: fails (throws) instead of skipping; false otherwise. */
export function distMissing(): boolean {
  assertBuilt();
  return false;
}

/**
 * Run many command lines through the built CLI in one child process (test/helpers/cli-batch.mjs calls
 * dist/cli/main.js's `main` once per job): the same exit codes and stdout/stderr as `rapport(args)`,
 * without a process start per case. Jobs run in order, so a later job may read an earlier job's output.
 */
export function rapportMany(jobs: string[][]): CliResult[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-batch-'));
  const jobsFile = path.join(dir, 'jobs.json');
  const resultsFile = path.join(dir, 'results.json');
  fs.writeFileSync(jobsFile, JSON.stringify(jobs));
  const r = spawnSync(process.execPath, [path.join(ROOT, 'test', 'helpers', 'cli-batch.mjs'), jobsFile, resultsFile], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (r.status !== 0 || !fs.existsSync(resultsFile)) throw new Error(`cli-batch failed (exit ${r.status}): ${r.stderr}`);
  const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as CliResult[];
  fs.rmSync(dir, { recursive: true, force: true });
  return results;
}
