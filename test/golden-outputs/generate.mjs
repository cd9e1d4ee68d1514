#!/usr/bin/env node
/**
 * Writes the expected outputs of every case in cases.mjs with the built CLI (run `npx tsc -p
 * tsconfig.json` first): test/golden-outputs/<case>/{stdout,stderr,code,<files>}. Run it only to
 * record a deliberate change of output; the e2e test compares against what it wrote.
 *   node test/golden-outputs/generate.mjs
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CASES } from './cases.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');

for (const c of CASES) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-golden-'));
  const args = c.args.map((a) => a.replaceAll('{OUT}', out));
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'rapport.js'), ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, encoding: 'buffer' });
  const dir = path.join(HERE, c.name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'stdout'), r.stdout);
  fs.writeFileSync(path.join(dir, 'stderr'), r.stderr.toString('utf8').replaceAll(out, '{OUT}'));
  fs.writeFileSync(path.join(dir, 'code'), `${r.status}\n`);
  for (const f of c.files) {
    const p = path.join(out, f);
    if (fs.existsSync(p)) fs.copyFileSync(p, path.join(dir, f));
  }
  fs.rmSync(out, { recursive: true, force: true });
  console.log(`${c.name}: exit ${r.status}`);
}
