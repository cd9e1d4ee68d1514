// Generates test/reference/cluster-report.csv, the clustered data of the report's clinician-level
// e2e test and of cluster-report-golden.R: rapport simulate (36 clinicians x 20 patients, latent ICC
// 0.2, trust OR 1.8), scored by rapport score, with age, sex and clinician_id joined back; two
// clinicians are cut to 6 and 4 patients so that the small-cell rules (complementary included) apply.
// Run after `npx tsc -p tsconfig.json`: node test/reference/make-cluster-report-data.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = new URL('../../bin/rapport.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'rapport-cluster-'));
const sim = join(dir, 'sim.csv');
const scored = join(dir, 'scored.csv');
const run = (...args) => execFileSync(process.execPath, [bin, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
run('simulate', '--instrument', 'relationship-engagement', '--n', '720', '--seed', '1414', '--clusters', '36', '--icc', '0.2', '--effect', 'trust=1.8', '--out', sim);
run('score', sim, '--instrument', 'relationship-engagement', '--out', scored);
const rows = (f) => readFileSync(f, 'utf8').trim().split('\n').map((l) => l.split(','));
const [sh, ...srows] = rows(sim);
const [ch, ...crows] = rows(scored);
const col = (h, name) => h.indexOf(name);
const keep = ['trust', 'respect', 'liking', 'listening', 'agreement', 'communication', 'portal_use'].map((n) => col(ch, n));
const extra = ['age', 'sex', 'clinician_id'].map((n) => col(sh, n));
const seen = new Map();
const out = [['id', ...keep.map((k) => ch[k]), 'age', 'sex', 'clinician_id'].join(',')];
srows.forEach((r, i) => {
  const clin = r[extra[2]];
  const k = (seen.get(clin) ?? 0) + 1;
  seen.set(clin, k);
  if ((clin === 'C035' && k > 6) || (clin === 'C036' && k > 4)) return;
  out.push([crows[i][0], ...keep.map((j) => crows[i][j]), ...extra.map((j) => r[j])].join(','));
});
writeFileSync(new URL('./cluster-report.csv', import.meta.url), out.join('\n') + '\n');
