// Speed benchmark of the statistics core (issue #4). Build first:  npx tsc -p tsconfig.json
// then:  node bench/stats.mjs [n]        (default n = 1,000,000 respondents)
// Data are generated with a seeded PRNG (mulberry32 + Box–Muller), so every run sees the same data.
import os from 'node:os';
import { mulberry32 } from './lib/common.mjs';
import { buildDesign, fitLogistic, dominance, detectSeparation, auc } from '../dist/stats/index.js';

const n = Number(process.argv[2] ?? 1_000_000);

const rnd = mulberry32(20240611);
const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());

// six correlated traits on a 1..5 scale (means of four items), age, sex, and a 0/1 outcome
const traits = ['trust', 'respect', 'liking', 'listening', 'agreement', 'communication'];
const cols = Object.fromEntries(traits.map((t) => [t, new Float64Array(n)]));
const age = new Float64Array(n);
const sex = new Array(n);
const y = new Float64Array(n);
for (let i = 0; i < n; i++) {
  const g = normal();
  const z = traits.map(() => 0.7 * g + 0.71 * normal());
  traits.forEach((t, j) => {
    cols[t][i] = Math.min(5, Math.max(1, Math.round((3.6 + 0.8 * z[j]) * 4) / 4));
  });
  age[i] = Math.round(18 + 72 * rnd());
  sex[i] = rnd() < 0.55 ? 'female' : 'male';
  const eta = -1 + 0.6 * (cols.trust[i] - 3.6) + 0.3 * (cols.communication[i] - 3.6) - 0.01 * (age[i] - 50) + (sex[i] === 'female' ? 0.2 : 0);
  y[i] = rnd() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
}

// wall-clock time, and the CPU time of this process (user + system), which is what the code costs
// when other processes compete for the cores
const time = (label, f) => {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const r = f();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const c = process.cpuUsage(c0);
  console.log(`${label.padEnd(58)} ${(ms / 1000).toFixed(3)} s wall  ${((c.user + c.system) / 1e6).toFixed(3)} s cpu`);
  return r;
};

console.log(`statistics core benchmark, n = ${n.toLocaleString('en')} respondents (node ${process.version}, load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs)`);
const X6 = time('buildDesign (6 traits)', () => buildDesign({ numeric: Object.fromEntries(traits.map((t) => [t, cols[t]])), outcome: y }));
const bare = time('fitLogistic, 6 predictors: IRLS fit only', () =>
  fitLogistic(X6, X6.y, { termTests: false, diagnostics: false, separationCheck: false }),
);
console.log(`  converged=${bare.converged} iterations=${bare.iterations}`);
time('fitLogistic, 6 predictors: + drop-one LR tests (6 refits)', () => fitLogistic(X6, X6.y, { diagnostics: false, separationCheck: false }));
time('auc + DeLong variance of the fitted probabilities', () => auc(bare.fitted, X6.y));
time('detectSeparation (LP, quasi + complete + per term)', () => detectSeparation(X6, X6.y));
const full = time('fitLogistic, 6 predictors: everything (report default)', () => fitLogistic(X6, X6.y));
console.log(`  separation=${full.separation?.status} c=${full.cStatistic?.auc?.toFixed(4)} HL p=${full.hosmerLemeshow?.p?.toExponential(2)}`);
time('fitLogistic, 6 predictors: Firth', () => fitLogistic(X6, X6.y, { method: 'firth', termTests: false, diagnostics: false, separationCheck: false }));

const five = traits.slice(0, 5);
const XD = buildDesign({ numeric: { ...Object.fromEntries(five.map((t) => [t, cols[t]])), age }, categorical: { sex }, outcome: y });
const dom = time('dominance: 5 traits + age + sex in every model (32 fits)', () => dominance(XD, XD.y, five));
console.log(`  ranks: ${dom.traits.map((t) => `${t.term}=${t.rank}`).join(' ')}  (R² all ${dom.r2Full.toFixed(5)})`);
