// Benchmark of `rapport report` (issue #5). Build first (npx tsc -p tsconfig.json), then
//   node bench/report.mjs [rows]        (default 1,000,000; also run by `npm run bench`)
// Generates bench/data/report-<rows>.csv (gitignored; seeded, so identical on every run): 16 items in
// 4 scales (bench/report-instrument.yaml), a yes/no outcome, age and sex. Measures, as child processes
// timed by the wall clock with peak RSS from /usr/bin/time:
//   (1) the whole report: node bin/rapport.js report <file> --instrument bench/report-instrument.yaml
//       --outcome portal_use --covariates age,sex --out bench/data/report-out (scoring, reliability with
//       omega, descriptives, unadjusted and adjusted models, dominance over 4 traits, every file + HTML);
//   (2) the R pipeline in bench/report.R (read.csv, psych::alpha x4, scale means, glm) with
//       /usr/bin/Rscript, when it is installed (otherwise the issue's figure, 25 s / 1.25 GB, is used and
//       the output says so).
// Targets: report time <= 0.25 of R's (issue 12; 1/3 in issue 5), peak RSS <= 1 GB.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure } from './lib/common.mjs';
import { generate } from './lib/report-data.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const rows = Number(process.argv[2] ?? 1_000_000);
if (!fs.existsSync(path.join(root, 'dist/cli/main.js'))) {
  console.error('bench/report.mjs: dist/ is missing; build first with: npx tsc -p tsconfig.json');
  process.exit(1);
}

const dataDir = path.join(here, 'data');
fs.mkdirSync(dataDir, { recursive: true });
const file = path.join(dataDir, `report-${rows}.csv`);
if (!fs.existsSync(file)) {
  const t = Date.now();
  generate(file, rows);
  console.log(`generated ${path.relative(root, file)} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}
const mb = fs.statSync(file).size / 1e6;

const out = path.join(dataDir, 'report-out');
const reportArgs = [
  path.join(root, 'bin/rapport.js'),
  'report',
  file,
  '--instrument',
  path.join(here, 'report-instrument.yaml'),
  '--outcome',
  'portal_use',
  '--covariates',
  'age,sex',
  '--out',
  out,
  '--quiet',
  '--format',
  'json',
  // Like for like with the R pipeline, which draws no resamples: the dominance bootstrap and the model
  // validation (issue 17, on by default) have their own budget, bench/report-bootstrap.mjs.
  '--bootstrap',
  '0',
];
const rscript = '/usr/bin/Rscript';
const hasR = fs.existsSync(rscript) && spawnSync(rscript, ['-e', 'library(psych)'], { encoding: 'utf8' }).status === 0;

const runs = { report: [], r: [] };
const reps = Number(process.env.BENCH_REPS ?? 2);
for (let i = 0; i < reps; i++) {
  runs.report.push(measure('rapport report', process.execPath, reportArgs, root));
  if (hasR) runs.r.push(measure('R pipeline', rscript, [path.join(here, 'report.R'), file], root));
}
const best = (a) => a.reduce((x, y) => (y.secs < x.secs ? y : x));
const rep = best(runs.report);
const summary = JSON.parse(rep.stdout);
if (summary.counts.read !== rows) {
  console.error(`the report read ${summary.counts.read} rows, expected ${rows}`);
  process.exit(1);
}
const R = hasR ? best(runs.r) : { secs: 25, rssMB: 1.25 * 1024 };
const line = (label, r) => `${label.padEnd(16)} ${r.secs.toFixed(2).padStart(7)} s  peak RSS ${r.rssMB.toFixed(0).padStart(5)} MB`;
console.log(`report benchmark: ${rows.toLocaleString('en-US')} respondents x 16 items (4 scales) + 2 covariates, ${mb.toFixed(1)} MB, node ${process.version}`);
console.log(line('rapport report', rep));
console.log(line(hasR ? 'R pipeline' : 'R (issue figure)', R) + (hasR ? '' : '  (R with psych not installed here: the issue’s figure is used)'));
const ratio = rep.secs / R.secs;
console.log(`time ratio rapport / R: ${ratio.toFixed(2)} (target <= 0.25, issue 12) ${ratio <= 0.25 ? 'ok' : 'MISSED'}`);
console.log(`peak RSS: ${rep.rssMB.toFixed(0)} MB (target <= 1024 MB) ${rep.rssMB <= 1024 ? 'ok' : 'MISSED'}`);
console.log(
  `model: n = ${summary.sample.n}, method ${summary.method.used}, trust OR ${summary.model.terms.find((t) => t.term === 'trust').odds_ratio.toFixed(3)}; ` +
    `reported run time ${summary.run.elapsed_seconds} s`,
);
console.log(`all runs (s): report ${runs.report.map((r) => r.secs.toFixed(2)).join(', ')}${hasR ? `; R ${runs.r.map((r) => r.secs.toFixed(2)).join(', ')}` : ''}`);
