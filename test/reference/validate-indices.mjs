// Writes the bootstrap resamples of validateLogistic (seed 11, 30 resamples on rare.csv) for replay in R
// (validate-golden.R). Run from the repository root after `npx tsc -p tsconfig.json`.
import { readFileSync, writeFileSync } from 'node:fs';
import { buildDesign } from '../../dist/stats/design.js';
import { validateLogistic } from '../../dist/stats/validate.js';

const lines = readFileSync('test/reference/rare.csv', 'utf8').trim().split(/\r?\n/);
const h = lines[0].split(',').map((s) => s.replace(/"/g, ''));
const rows = lines.slice(1).map((l) => l.split(','));
const num = (c) => Float64Array.from(rows, (r) => Number(r[h.indexOf(c)]));
const X = buildDesign({ numeric: { x1: num('x1'), x2: num('x2'), x3: num('x3') }, outcome: num('y') });
const r = validateLogistic(X, X.y, { resamples: 30, seed: 11, keepResamples: true });
writeFileSync('test/reference/validate-indices.json', JSON.stringify({ seed: 11, resamples: 30, rows: r.draws.map((d) => Array.from(d, (i) => i + 1)) }) + '\n');
