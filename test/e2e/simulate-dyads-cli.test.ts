/** `rapport simulate --dyads` through the built CLI: two linked files, both scorable, usage errors exit 2. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { distMissing, rapport, tmpDir } from '../helpers/cli.js';

describe.skipIf(distMissing())('rapport simulate --dyads (built CLI)', () => {
  it('writes patients and clinicians linked by visit_id; both score with their built-in forms', () => {
    const dir = tmpDir();
    const p = path.join(dir, 'patients.csv');
    const c = path.join(dir, 'clinicians.csv');
    const args = ['simulate', '--dyads', '--n', '120', '--seed', '8', '--out', p, '--dyad-out', c, '--effect', 'trust.agreement=2.0,trust.disagreement_curvature=0.7', '--concordance', '0.6'];
    const r = rapport(args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('120 visits (relationship-engagement 1.1.0 → ');
    expect(r.stderr).toContain('15 clinicians, seed 8');
    expect(r.stderr).toContain('trust.agreement OR 2, trust.disagreement_curvature OR 0.7 per pooled SD');
    const sp = rapport(['score', p, '--instrument', 'relationship-engagement', '--keep', 'visit_id']);
    const sc = rapport(['score', c, '--instrument', 'relationship-engagement-clinician', '--keep', 'visit_id,clinician_id']);
    expect(sp.code, sp.stderr).toBe(0);
    expect(sc.code, sc.stderr).toBe(0);
    expect(sp.stderr).toMatch(/rows read 120 · excluded 0 · scored 120\n\s+invalid cells 0/);
    expect(sc.stderr).toMatch(/rows read 120 · excluded 0 · scored 120\n\s+invalid cells 0/);
    const visits = (out: string) => out.trim().split('\n').slice(1).map((l) => l.split(',')[1]);
    expect(visits(sp.stdout)).toEqual(visits(sc.stdout));
    expect(sc.stdout.split('\n')[0]).toBe('id,visit_id,clinician_id,trust,respect,liking,listening,agreement,visit_reason,visit_problem,visit_plan,visit_selfcare');
  });
  it('usage errors exit 2 with one sentence and write nothing', () => {
    const dir = tmpDir();
    const out = path.join(dir, 'p.csv');
    const cases: [string[], RegExp][] = [
      [['--out', out], /--dyads writes two files: name them with --out <patients\.csv> and --dyad-out <clinicians\.csv>/],
      [['--out', out, '--dyad-out', path.join(dir, 'c.csv'), '--effect', 'trust=2'], /--effect trust=2: with --dyads write trait\.part=OR/],
      [['--out', out, '--dyad-out', path.join(dir, 'c.csv'), '--platform', 'qualtrics'], /--platform qualtrics: --dyads writes plain CSV files/],
    ];
    for (const [a, re] of cases) {
      const r = rapport(['simulate', '--dyads', '--n', '10', ...a]);
      expect(r.code, a.join(' ')).toBe(2);
      expect(r.stderr).toMatch(re);
      expect(fs.existsSync(out)).toBe(false);
    }
    const noInst = rapport(['simulate', '--n', '10']);
    expect(noInst.code).toBe(2);
    expect(noInst.stderr).toContain("required option '-i, --instrument <id|file>' not specified");
  });
});
