// Benchmark of issue 17's target: `rapport report` with 500 dominance bootstrap resamples (the default,
// with the model validation) within 3x the report without them (--bootstrap 0), on the same export
// (bench/data/report-<rows>.csv, generated as bench/report.mjs does). Build first, then
//   node bench/report-bootstrap.mjs [rows]      (default 1,000,000; BENCH=report-bootstrap npm run bench)
// Wall and CPU seconds of each run (child processes) and the load average: the machine may be shared.
import * as fs from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure } from './lib/common.mjs';
import { generate } from './lib/report-data.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const rows = Number(process.argv[2] ?? 1_000_000);
const dataDir = path.join(here, 'data');
fs.mkdirSync(dataDir, { recursive: true });
const file = path.join(dataDir, `report-${rows}.csv`);
if (!fs.existsSync(file)) generate(file, rows);
const args = (b) => [path.join(root, 'bin/rapport.js'), 'report', file, '--instrument', path.join(here, 'report-instrument.yaml'), '--outcome', 'portal_use', '--covariates', 'age,sex', '--out', path.join(dataDir, `report-out-b${b}`), '--quiet', '--format', 'json', '--bootstrap', String(b)];
const load0 = os.loadavg()[0];
const off = measure('report --bootstrap 0', process.execPath, args(0), root);
const on = measure('report --bootstrap 500', process.execPath, args(500), root);
const load1 = os.loadavg()[0];
const s = JSON.parse(on.stdout);
const b = s.inference.bootstrap;
console.log(`report bootstrap benchmark: ${rows.toLocaleString('en-US')} respondents, node ${process.version}, load average ${load0.toFixed(1)} → ${load1.toFixed(1)} on ${os.cpus().length} CPUs`);
console.log(`--bootstrap 0:   ${off.secs.toFixed(2)} s wall, ${off.cpu.toFixed(2)} s CPU`);
console.log(`--bootstrap 500: ${on.secs.toFixed(2)} s wall, ${on.cpu.toFixed(2)} s CPU (dominance bootstrap: ${b.status === 'ok' ? `${b.fitting}, ${b.failed} failed` : b.status}; validation: ${s.inference.validation.status})`);
const ratio = on.secs / off.secs;
const cpuRatio = on.cpu / off.cpu;
console.log(`ratio: ${ratio.toFixed(2)} wall, ${cpuRatio.toFixed(2)} CPU (target <= 3) ${Math.max(ratio, cpuRatio) <= 3 ? 'ok' : 'MISSED'}`);
