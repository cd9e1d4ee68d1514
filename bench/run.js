// `npm run bench`: runs every bench/*.mjs in turn (score.mjs, stats.mjs, report.mjs, glmm.mjs, ...), each
// in its own process. BENCH=glmm,stats runs only those (glmm.mjs times glmer on 1,000,000 rows when
// Rscript is installed: tens of minutes). Build first: npx tsc -p tsconfig.json
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.env.BENCH ? new Set(process.env.BENCH.split(',').map((s) => `${s.trim()}.mjs`)) : null;
const scripts = fs.readdirSync(here).filter((f) => f.endsWith('.mjs') && (!only || only.has(f))).sort();
let failed = 0;
for (const s of scripts) {
  console.log(`\n== bench/${s}`);
  const r = spawnSync(process.execPath, [path.join(here, s), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
