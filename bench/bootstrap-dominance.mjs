// Benchmark of the dominance bootstrap (issue 17). Build first:  npx tsc -p tsconfig.json
// then:  node bench/bootstrap-dominance.mjs [n] [resamples]     (defaults 1,000,000 and 500)
// Data like bench/stats.mjs's dominance (5 traits + age + sex, seeded). Times dominance() alone and
// bootstrapDominance() (CPU seconds of this process), states the ratio (target <= 3), and checks the
// first-order bootstrap (the default at this size) against exact refits of BENCH_BOOT_CHECK (2)
// resamples.
import os from 'node:os';
import { mulberry32 } from './lib/common.mjs';
import { buildDesign, dominance } from '../dist/stats/index.js';
import { bootstrapDominance } from '../dist/stats/bootstrap-dominance.js';

const n = Number(process.argv[2] ?? 1_000_000);
const B = Number(process.argv[3] ?? 500);
const rnd = mulberry32(20240611);
const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
const traits = ['trust', 'respect', 'liking', 'listening', 'agreement'];
const cols = Object.fromEntries(traits.map((t) => [t, new Float64Array(n)]));
const age = new Float64Array(n);
const sex = new Array(n);
const y = new Float64Array(n);
for (let i = 0; i < n; i++) {
  const g = normal();
  traits.forEach((t) => (cols[t][i] = Math.min(5, Math.max(1, Math.round((3.6 + 0.8 * (0.7 * g + 0.71 * normal())) * 4) / 4))));
  age[i] = Math.round(18 + 72 * rnd());
  sex[i] = rnd() < 0.55 ? 'female' : 'male';
  const eta = -1 + 0.6 * (cols.trust[i] - 3.6) + 0.3 * (cols.agreement[i] - 3.6) - 0.01 * (age[i] - 50) + (sex[i] === 'female' ? 0.2 : 0);
  y[i] = rnd() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
}
const X = buildDesign({ numeric: { ...cols, age }, categorical: { sex }, outcome: y });
const time = (f) => {
  const c0 = process.cpuUsage();
  const r = f();
  const c = process.cpuUsage(c0);
  return { r, cpu: (c.user + c.system) / 1e6 };
};
console.log(`dominance bootstrap benchmark, n = ${n.toLocaleString('en')}, ${traits.length} traits + age + sex (node ${process.version}, load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs)`);
const dom = time(() => dominance(X, X.y, traits));
console.log(`dominance alone (${dom.r.models} fits): ${dom.cpu.toFixed(2)} s cpu`);
const boot = time(() => bootstrapDominance(X, X.y, traits, { resamples: B, seed: 1 }));
console.log(`bootstrapDominance, ${B} resamples (${boot.r.method}): ${boot.cpu.toFixed(1)} s cpu = ${(boot.cpu / dom.cpu).toFixed(1)} x dominance alone (target 3 x; it includes the full-data dominance fits)`);
for (const t of boot.r.traits)
  console.log(`  ${t.term.padEnd(10)} weight ${t.general.toFixed(5)}  95% CI ${t.ciLow.toFixed(5)} to ${t.ciHigh.toFixed(5)}  first in ${t.rankFirstPct.toFixed(1)}%`);
// accuracy of the first-order bootstrap at this n: the same resamples refitted exactly
const k = Number(process.env.BENCH_BOOT_CHECK ?? 2);
if (k > 0) {
  const lin = bootstrapDominance(X, X.y, traits, { resamples: k, seed: 3, method: 'linearised', keepResamples: true });
  const ref = time(() => bootstrapDominance(X, X.y, traits, { resamples: k, seed: 3, method: 'refit', keepResamples: true }));
  let worst = 0;
  lin.draws.forEach((d, b) => d.general.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - ref.r.draws[b].general[j])))));
  console.log(`linearised vs refitted weights on ${k} resamples: max |difference| ${worst.toExponential(2)} (refits ${(ref.cpu / k).toFixed(1)} s cpu per resample)`);
}
