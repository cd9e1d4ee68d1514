// `npm run bench`: runs every bench/*.mjs in turn (score.mjs, stats.mjs, ...), each in its own process.
// Build first: npx tsc -p tsconfig.json
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const scripts = fs.readdirSync(here).filter((f) => f.endsWith('.mjs')).sort();
let failed = 0;
for (const s of scripts) {
  console.log(`\n== bench/${s}`);
  const r = spawnSync(process.execPath, [path.join(here, s), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
