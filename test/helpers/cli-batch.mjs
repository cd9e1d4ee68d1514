// Runs many `rapport` command lines in ONE Node process through the built CLI's exported entry point
// (dist/cli/main.js `main(argv)`), so that a test with dozens of CLI cases pays for one process start
// instead of one per case. Each job gets its own exit code and captured stdout/stderr, as a spawn would.
// Usage: node cli-batch.mjs <jobs.json> <results.json>; jobs.json is an array of argument arrays.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const [jobsFile, resultsFile] = process.argv.slice(2);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const { main } = await import(pathToFileURL(path.join(root, 'dist', 'cli', 'main.js')).href);
const jobs = JSON.parse(fs.readFileSync(jobsFile, 'utf8'));
const results = [];
const out = process.stdout.write.bind(process.stdout);
const err = process.stderr.write.bind(process.stderr);
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
for (const args of jobs) {
  let stdout = '';
  let stderr = '';
  process.stdout.write = (s, ...rest) => ((stdout += String(s)), typeof rest.at(-1) === 'function' && rest.at(-1)(), true);
  process.stderr.write = (s, ...rest) => ((stderr += String(s)), typeof rest.at(-1) === 'function' && rest.at(-1)(), true);
  process.exitCode = undefined;
  try {
    await main(['node', 'rapport', ...args]);
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
  results.push({ code: process.exitCode ?? 0, stdout, stderr });
  // main() installs its signal and EPIPE handlers on every call: keep one call's worth at a time.
  for (const s of SIGNALS) process.removeAllListeners(s);
  process.stdout.removeAllListeners('error');
}
process.exitCode = 0;
fs.writeFileSync(resultsFile, JSON.stringify(results));
