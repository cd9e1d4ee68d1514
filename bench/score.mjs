// Benchmark of `rapport score` (issue #3). Build first (npx tsc -p tsconfig.json), then
//   node bench/score.mjs [rows]          (default 1,000,000 rows; also run by `npm run bench`)
// Generates bench/data/score-<rows>.csv (gitignored; seeded, so identical on every run): 16 items in
// 4 scales. Measures, in one run and as child processes timed by the wall clock with peak RSS from
// /usr/bin/time: (1) a bare csv-parse pass over the file (arrays, 'readable' loop), (2) the built CLI
// scoring the same file to bench/data/score-out.csv. Each is run twice, alternating; the faster run counts.
// Targets (issue 12): score at least 1.4x the bare parse's throughput (aim 2x), peak RSS <= 150 MB.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure } from './lib/common.mjs';
import { generate } from './lib/gen-score-data.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const rows = Number(process.argv[2] ?? 1_000_000);
if (!fs.existsSync(path.join(root, 'dist/cli/main.js'))) {
  console.error('bench/score.mjs: dist/ is missing; build first with: npx tsc -p tsconfig.json');
  process.exit(1);
}
const dataDir = path.join(here, 'data');
fs.mkdirSync(dataDir, { recursive: true });
const file = path.join(dataDir, `score-${rows}.csv`);
if (!fs.existsSync(file)) {
  const t = Date.now();
  generate(file, rows);
  console.log(`generated ${file} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}
const bytes = fs.statSync(file).size;
const out = path.join(dataDir, 'score-out.csv');
const run = (label, args) => measure(label, process.execPath, args, root);

const bareArgs = [path.join(here, 'lib/bare-parse.mjs'), file];
const scoreArgs = [path.join(root, 'bin/rapport.js'), 'score', file, '--instrument', path.join(here, 'score-instrument.yaml'), '--out', out, '--quiet'];
const inprocArgs = [path.join(here, 'lib/score-inprocess.mjs'), file, path.join(here, 'score-instrument.yaml'), out];
const runs = { bare: [], inproc: [], score: [] };
for (let i = 0; i < 3; i++) {
  runs.bare.push(run('bare csv-parse', bareArgs));
  const r = run('pipeline in-process', inprocArgs);
  runs.inproc.push({ ...r, secs: JSON.parse(r.stdout).secs });
  runs.score.push(run('rapport score', scoreArgs));
}
const best = (a) => a.reduce((x, y) => (y.secs < x.secs ? y : x));
const bare = best(runs.bare);
const inproc = best(runs.inproc);
const score = best(runs.score);
const parsed = Number(bare.stdout.trim());
const outRows = fs.readFileSync(out, 'utf8').split('\n').length - 2;
if (parsed !== rows + 1 || outRows !== rows) {
  console.error(`row counts disagree: bare parse ${parsed} records, score output ${outRows} rows, expected ${rows}`);
  process.exit(1);
}
const mb = bytes / 1e6;
const line = (label, r) =>
  `${label.padEnd(16)} ${r.secs.toFixed(2).padStart(6)} s  ${Math.round(rows / r.secs).toLocaleString('en-US').padStart(9)} rows/s  ${(mb / r.secs).toFixed(1).padStart(5)} MB/s  peak RSS ${r.rssMB.toFixed(0)} MB`;
const ratio = bare.secs / inproc.secs;
const cliRatio = bare.secs / score.secs;
const rss = Math.max(inproc.rssMB, score.rssMB);
console.log(`score benchmark: ${rows.toLocaleString('en-US')} rows x 16 items (4 scales), ${mb.toFixed(1)} MB, node ${process.version}`);
console.log(line('bare csv-parse', bare));
console.log(line('score pipeline', inproc));
console.log(line('rapport score CLI', score));
console.log(`ratio to bare parse: pipeline ${ratio.toFixed(2)} (target >= 1.4) ${ratio >= 1.4 ? 'ok' : 'MISSED'}; whole CLI with start-up ${cliRatio.toFixed(2)}`);
const minCpu = (a) => Math.min(...a.map((r) => r.cpu));
console.log(`by CPU time (user + system, steadier on a busy machine): bare ${minCpu(runs.bare).toFixed(2)} s, CLI ${minCpu(runs.score).toFixed(2)} s, ratio ${(minCpu(runs.bare) / minCpu(runs.score)).toFixed(2)}`);
console.log(`peak RSS: ${rss.toFixed(0)} MB (target <= 150 MB) ${rss <= 150 ? 'ok' : 'MISSED'}`);
console.log(`all runs (s): bare ${runs.bare.map((r) => r.secs.toFixed(2)).join(', ')}; pipeline ${runs.inproc.map((r) => r.secs.toFixed(2)).join(', ')}; CLI ${runs.score.map((r) => r.secs.toFixed(2)).join(', ')}`);
