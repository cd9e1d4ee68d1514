// Benchmark of `rapport report --cluster` (issue 14): the whole clustered report against the same
// report without --cluster, on the same data, in the same run. Build first (npx tsc -p tsconfig.json):
//   node bench/report-cluster.mjs [respondents] [clinicians]     (default 200,000 in 400)
// The data come from `rapport simulate --clusters` (relationship-engagement: 6 scales, age, sex,
// latent ICC 0.2; seeded, cached as bench/data/cluster-<n>-<K>.csv). Both reports score the export
// with the instrument and adjust for age and sex; the clustered one adds the random-intercept model
// (Laplace) with its profile CI, the clinician reliability of every scale and the case-mix adjusted
// comparisons (6 traits + the outcome). Target: clustered time <= 2 x unclustered.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure } from './lib/common.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const n = Number(process.argv[2] ?? 200_000);
const K = Number(process.argv[3] ?? 400);
const bin = path.join(root, 'bin/rapport.js');
if (!fs.existsSync(path.join(root, 'dist/cli/main.js'))) {
  console.error('bench/report-cluster.mjs: dist/ is missing; build first with: npx tsc -p tsconfig.json');
  process.exit(1);
}
const dataDir = path.join(here, 'data');
fs.mkdirSync(dataDir, { recursive: true });
const file = path.join(dataDir, `cluster-${n}-${K}.csv`);
if (!fs.existsSync(file)) {
  const g = measure('simulate', process.execPath, [bin, 'simulate', '-i', 'relationship-engagement', '--n', String(n), '--clusters', String(K), '--icc', '0.2', '--seed', '14', '--effect', 'trust=1.8,agreement=1.4', '--out', file, '--quiet'], root);
  console.log(`generated ${path.relative(root, file)} in ${g.secs.toFixed(1)} s`);
}
const base = [bin, 'report', file, '--instrument', 'relationship-engagement', '--outcome', 'portal_use', '--covariates', 'age,sex', '--quiet', '--format', 'json'];
const reps = Number(process.env.BENCH_REPS ?? 2);
const runs = { plain: [], cluster: [] };
for (let i = 0; i < reps; i++) {
  runs.plain.push(measure('report', process.execPath, [...base, '--out', path.join(dataDir, 'cluster-out-plain')], root));
  runs.cluster.push(measure('report --cluster', process.execPath, [...base, '--cluster', 'clinician_id', '--out', path.join(dataDir, 'cluster-out')], root));
}
const best = (a) => a.reduce((x, y) => (y.secs < x.secs ? y : x));
const p = best(runs.plain);
const c = best(runs.cluster);
const s = JSON.parse(c.stdout);
const line = (label, r) => `${label.padEnd(18)} ${r.secs.toFixed(2).padStart(7)} s wall  ${r.cpu.toFixed(2).padStart(7)} s CPU  peak RSS ${r.rssMB.toFixed(0).padStart(5)} MB`;
console.log(`clustered report benchmark: ${n.toLocaleString('en-US')} respondents in ${K} clinicians, 6 scales + age, sex, node ${process.version}`);
console.log(line('report', p));
console.log(line('report --cluster', c));
const ratio = c.secs / p.secs;
console.log(`wall ratio clustered / unclustered: ${ratio.toFixed(2)} (target <= 2) ${ratio <= 2 ? 'ok' : 'MISSED'}; CPU ratio ${(c.cpu / p.cpu).toFixed(2)}`);
const ri = s.clustering.random_intercept;
console.log(`model: n = ${s.sample.n}, method ${s.clustering.method}, SD ${ri.sd.toFixed(3)}, latent ICC ${ri.icc.toFixed(3)} (simulated 0.2), trust OR ${s.model.terms.find((t) => t.term === 'trust').odds_ratio.toFixed(3)}`);
console.log(`all runs (s): plain ${runs.plain.map((r) => r.secs.toFixed(2)).join(', ')}; clustered ${runs.cluster.map((r) => r.secs.toFixed(2)).join(', ')}`);
