// Writes the resamples rapport draws for the bootstrap golden (test/stats/bootstrap-dominance.test.ts):
// the design rows (1-based, for R) of each of 20 resamples, seed 2026, on survey.csv (6 traits; age,
// sex and site as covariates). R replays them in bootstrap-dominance-golden.R.
// Run from the repository root after `npx tsc -p tsconfig.json`:
//   node test/reference/bootstrap-dominance-indices.mjs && Rscript test/reference/bootstrap-dominance-golden.R
import { readFileSync, writeFileSync } from 'node:fs';
import { buildDesign } from '../../dist/stats/design.js';
import { bootstrapDominance } from '../../dist/stats/bootstrap-dominance.js';

const text = readFileSync('test/reference/survey.csv', 'utf8').trim().split(/\r?\n/);
const header = text[0].split(',').map((s) => s.replace(/"/g, ''));
const rows = text.slice(1).map((l) => l.split(',').map((s) => s.replace(/"/g, '')));
const col = (c) => rows.map((r) => r[header.indexOf(c)]);
const num = (c) => Float64Array.from(col(c), (v) => (v === '' || v === 'NA' ? NaN : Number(v)));
const TRAITS = ['trust', 'respect', 'liking', 'listening', 'agreement', 'communication'];
const X = buildDesign({
  numeric: Object.fromEntries([...TRAITS, 'age'].map((t) => [t, num(t)])),
  categorical: { sex: col('sex'), site: col('site') },
  outcome: num('portal_use'),
});
const r = bootstrapDominance(X, X.y, TRAITS, { resamples: 20, seed: 2026, keepResamples: true, method: 'refit' });
if (!r.ok) throw new Error(r.reason);
const out = { seed: 2026, resamples: 20, traits: TRAITS, n: X.n, rows: r.draws.map((d) => Array.from(d.rows, (i) => i + 1)) };
writeFileSync('test/reference/bootstrap-dominance-indices.json', JSON.stringify(out) + '\n');
