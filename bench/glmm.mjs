// Benchmark of the random-intercept logistic model (issue 14): rapport's Laplace fit (src/stats/glmm.ts)
// against lme4::glmer (nAGQ = 1, default control) on the same 1,000,000 respondents in 2,000
// clinicians, 6 traits + 2 covariates, in the same run. Build first: npx tsc -p tsconfig.json
//   node bench/glmm.mjs [n] [clusters]       (defaults 1000000 2000; R is skipped when Rscript is absent)
// Each side runs in its own process; the fit alone is timed (data generation and reading excluded), in
// wall seconds and in CPU seconds of the process (user + system: what the fit costs, whatever else
// runs on a shared machine), with the process's peak RSS (/usr/bin/time). Target: rapport <= 0.1 x
// glmer, RSS < 1 GB.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bufferedFile, measure, mulberry32 } from './lib/common.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const TRAITS = ['trust', 'respect', 'liking', 'listening', 'agreement', 'communication'];
const BETA = [0.5, 0.1, 0.0, 0.2, 0.3, 0.15];

/** The data set, column by column (deterministic: mulberry32 seed 14014). */
function generate(n, G) {
  const rnd = mulberry32(14014);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const cols = TRAITS.map(() => new Float64Array(n));
  const age = new Float64Array(n);
  const female = new Float64Array(n);
  const y = new Float64Array(n);
  const cluster = new Int32Array(n);
  let i = 0;
  for (let g = 0; g < G; g++) {
    const m = Math.floor(((g + 1) * n) / G) - Math.floor((g * n) / G);
    const b = 0.8 * normal();
    const between = TRAITS.map(() => 0.35 * normal());
    for (let r = 0; r < m; r++, i++) {
      const common = normal();
      let eta = -0.8 + b;
      for (let k = 0; k < TRAITS.length; k++) {
        const v = between[k] + 0.65 * common + 0.7 * normal();
        cols[k][i] = v;
        eta += BETA[k] * v;
      }
      age[i] = (18 + 72 * rnd() - 52) / 10;
      female[i] = rnd() < 0.56 ? 1 : 0;
      eta += -0.1 * age[i] + 0.2 * female[i];
      y[i] = rnd() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
      cluster[i] = g;
    }
  }
  return { cols: [...cols, age, female], names: [...TRAITS, 'age10', 'female'], y, cluster };
}

async function child(n, G) {
  const { fitGlmm } = await import('../dist/stats/glmm.js');
  const d = generate(n, G);
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const fit = fitGlmm({ columns: d.cols, names: d.names, y: d.y, cluster: d.cluster });
  const c = process.cpuUsage(c0);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (!fit.ok) throw new Error(fit.reason);
  process.stdout.write(JSON.stringify({ secs, cpu: (c.user + c.system) / 1e6, beta: fit.coefficients.map((c) => c.estimate), se: fit.coefficients.map((c) => c.se), sd: fit.sd, deviance: fit.deviance, evaluations: fit.evaluations, iterations: fit.iterations }));
}

function writeCsv(file, n, G) {
  const d = generate(n, G);
  const out = bufferedFile(file);
  out.write(['clinician', ...d.names, 'y'].join(',') + '\n');
  for (let i = 0; i < n; i++) {
    let line = String(d.cluster[i]);
    for (const c of d.cols) line += ',' + c[i];
    out.write(line + ',' + d.y[i] + '\n');
  }
  out.close();
}

async function main() {
  const n = Number(process.argv[2] ?? 1_000_000);
  const G = Number(process.argv[3] ?? 2000);
  if (process.argv[4] === '--child') return child(n, G);
  console.log(`GLMM benchmark: ${n.toLocaleString('en')} respondents in ${G.toLocaleString('en')} clinicians, 6 traits + 2 covariates (node ${process.version}, load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs)`);
  const js = measure('rapport glmm', process.execPath, [fileURLToPath(import.meta.url), String(n), String(G), '--child'], here);
  const mine = JSON.parse(js.stdout);
  console.log(`rapport fitGlmm (Laplace)   fit ${mine.secs.toFixed(2)} s wall, ${mine.cpu.toFixed(2)} s CPU   process peak RSS ${js.rssMB.toFixed(0)} MB   (${mine.iterations} Newton iterations, ${mine.evaluations} passes)`);
  if (!fs.existsSync('/usr/bin/Rscript')) {
    console.log('Rscript not found: glmer not run.');
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-glmm-'));
  try {
    const file = path.join(dir, 'data.csv');
    writeCsv(file, n, G);
    const r = measure('glmer', '/usr/bin/Rscript', [path.join(here, 'glmm.R'), file], here);
    const theirs = JSON.parse(r.stdout.trim().split('\n').pop());
    console.log(`lme4::glmer (nAGQ = 1)      fit ${theirs.secs.toFixed(2)} s wall, ${theirs.cpu.toFixed(2)} s CPU   process peak RSS ${r.rssMB.toFixed(0)} MB`);
    console.log(`time ratio rapport / glmer: ${(mine.secs / theirs.secs).toFixed(4)} wall, ${(mine.cpu / theirs.cpu).toFixed(4)} CPU (target <= 0.1)`);
    const rel = (a, b) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
    const maxBeta = Math.max(...mine.beta.map((b, j) => Math.abs(b - theirs.beta[j]) / Math.max(Math.abs(theirs.beta[j]), mine.se[j])));
    const maxSe = Math.max(...mine.se.map((s, j) => rel(s, theirs.se[j])));
    console.log(`agreement: fixed effects ${maxBeta.toExponential(1)} (relative, floor 1 SE), SEs ${maxSe.toExponential(1)}, SD ${rel(mine.sd, theirs.sd).toExponential(1)} (glmer at its default tolerances)`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
await main();
