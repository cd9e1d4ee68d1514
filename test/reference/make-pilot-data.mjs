// Writes fixtures/report/pilot.csv: a pilot export of relationship-engagement@1.0.0 with items that
// a pilot report should flag. Base: `rapport simulate --n 240 --seed 18` (plain); then, with a fixed
// LCG: trust_2 answered at random (agrees with nothing), listening_4 stored un-reversed (goes against
// its scale), liking_3 mostly "5" (ceiling), agreement_3 blank for about one in six (missing).
// Run from the repository root after `npx tsc -p tsconfig.json`.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';

const csv = execFileSync('node', ['bin/rapport.js', 'simulate', '--instrument', 'relationship-engagement@1.0.0', '--n', '240', '--seed', '18', '--quiet'], { encoding: 'utf8' });
const lines = csv.trim().split('\n');
const head = lines[0].split(',');
const col = (name) => head.indexOf(name);
let s = 20260318;
const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
const out = [lines[0]];
for (const line of lines.slice(1)) {
  const f = line.split(',');
  f[col('trust_2')] = String(1 + Math.floor(rand() * 5));
  const l4 = f[col('listening_4')];
  if (/^[1-5]$/.test(l4)) f[col('listening_4')] = String(6 - Number(l4));
  if (rand() < 0.88) f[col('liking_3')] = '5';
  if (rand() < 0.17) f[col('agreement_3')] = '';
  out.push(f.join(','));
}
fs.writeFileSync('fixtures/report/pilot.csv', out.join('\n') + '\n');
