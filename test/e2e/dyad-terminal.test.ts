/**
 * A clinic runs both forms at the terminal and gets one report (issue 15): `rapport run` of the
 * patient's form and of the clinician's form for the same visit (--visit) in a real pseudo-terminal
 * (tmux), their rows added to simulated visits of the same clinic, then `report --dyad` pairs the
 * terminal-run visit with the others. Needs dist/ and tmux (skipped with a message otherwise).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { distMissing, rapport, tmpDir } from '../helpers/cli.js';
import { HAVE_TMUX, Term } from '../helpers/term.js';

const SKIP = !HAVE_TMUX || distMissing();
if (SKIP) console.warn('test/e2e/dyad-terminal.test.ts: needs tmux and dist/ (npx tsc -p tsconfig.json); skipped.');

/** Answer every item with option 2 (valid for every item of both forms), then submit. */
async function answerAll(t: Term): Promise<number> {
  await t.see(/Press Enter to begin\./);
  t.keys('Enter');
  let n = 0;
  for (;;) {
    const s = await t.see(new RegExp(`Item ${n + 1} of \\d+|Submit\\?`));
    if (/Submit\?/.test(s)) break;
    n++;
    t.keys('2');
    await t.see(/Your choice: 2\. /);
    t.keys('Enter');
  }
  t.keys('1');
  await t.see(/Your choice: 1\. Submit/);
  t.keys('Enter');
  await t.see(/Thank you!/);
  expect(await t.exitCode()).toBe(0);
  return n;
}

function table(file: string): { names: string[]; rows: string[][] } {
  const [h, ...rows] = fs.readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => l.split(','));
  return { names: h, rows };
}

/** The run's file with the simulated rows added under its header (by column name; absent columns empty). */
function combine(runFile: string, simFile: string, out: string, extra: Record<string, string>): void {
  const run = table(runFile);
  const sim = table(simFile);
  const names = [...run.names, ...Object.keys(extra)];
  const lines = [names.join(','), [...run.rows[0], ...Object.values(extra)].join(',')];
  for (const r of sim.rows) lines.push(names.map((n) => (n === 'respondent_id' ? r[sim.names.indexOf('id')] : sim.names.includes(n) ? r[sim.names.indexOf(n)] : '')).join(','));
  fs.writeFileSync(out, lines.join('\n') + '\n', { mode: 0o600 });
}

describe.skipIf(SKIP)('both forms at the terminal, one report', () => {
  it('run --visit on each form, then report --dyad pairs that visit with the rest', async () => {
    const dir = tmpDir();
    const sim = rapport(['simulate', '--dyads', '--n', '80', '--seed', '21', '--out', path.join(dir, 'sim-p.csv'), '--dyad-out', path.join(dir, 'sim-c.csv')]);
    expect(sim.code, sim.stderr).toBe(0);
    const p = new Term(dir, ['run', 'relationship-engagement', '--lang', 'en', '--visit', 'V900', '--respondent', 'P900', '--out', 'run-p.csv'], {}, 'rc-p');
    expect(await answerAll(p)).toBe(31);
    const c = new Term(dir, ['run', 'relationship-engagement-clinician', '--lang', 'en', '--visit', 'V900', '--respondent', 'DrA-V900', '--out', 'run-c.csv'], {}, 'rc-c');
    expect(await answerAll(c)).toBe(22);
    combine(path.join(dir, 'run-p.csv'), path.join(dir, 'sim-p.csv'), path.join(dir, 'patients.csv'), {});
    combine(path.join(dir, 'run-c.csv'), path.join(dir, 'sim-c.csv'), path.join(dir, 'clinicians.csv'), { clinician_id: 'C001' });
    const r = rapport(['report', 'patients.csv', '--instrument', 'relationship-engagement', '--outcome', 'portal_use', '--dyad', 'clinicians.csv', '--dyad-instrument', 'relationship-engagement-clinician', '--on', 'visit_id', '--out', 'rep'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain("were paired with the patients' by visit_id: 81 of 81 patient rows paired.");
    const dyads = table(path.join(dir, 'rep', 'dyads.csv'));
    expect(dyads.rows.map((x) => [x[0], x[1]])).toEqual(['trust', 'respect', 'liking', 'listening', 'agreement'].map((t) => [t, '81']));
    expect(table(path.join(dir, 'rep', 'concordance.csv')).rows).toHaveLength(4);
  }, 240_000);
});
