/** `rapport simulate` through the built CLI (dist/): determinism, exit codes, and scoring each flavour with `rapport score`. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { distMissing, rapport, tmpDir } from '../helpers/cli.js';

const base = ['simulate', '--instrument', 'relationship-engagement@1.0.0', '--n', '250', '--effect', 'trust=2.0,agreement=1.6'];

describe.skipIf(distMissing())('rapport simulate (built CLI)', () => {
  it('same seed → same bytes (file and stdout); another seed → different bytes', () => {
    const dir = tmpDir();
    const a = path.join(dir, 'a.csv');
    const b = path.join(dir, 'b.csv');
    expect(rapport([...base, '--seed', '5', '--platform', 'qualtrics', '--out', a]).code).toBe(0);
    expect(rapport([...base, '--seed', '5', '--platform', 'qualtrics', '--out', b, '--quiet']).code).toBe(0);
    const ba = fs.readFileSync(a);
    expect(ba.equals(fs.readFileSync(b))).toBe(true);
    const out = rapport([...base, '--seed', '5', '--platform', 'qualtrics', '--quiet']);
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('');
    expect(Buffer.from(out.stdout, 'utf8').equals(ba)).toBe(true);
    const c = rapport([...base, '--seed', '6', '--platform', 'qualtrics', '--quiet']);
    expect(c.stdout).not.toBe(out.stdout);
    // the default seed is fixed (1): two runs without --seed agree
    expect(rapport([...base, '--quiet']).stdout).toBe(rapport([...base, '--seed', '1', '--quiet']).stdout);
  });

  it('each flavour scores like plain with `rapport score` (auto-detected, no mapping)', () => {
    const dir = tmpDir();
    const scored: Record<string, string[]> = {};
    for (const f of ['plain', 'qualtrics', 'redcap', 'limesurvey']) {
      const input = path.join(dir, `${f}.csv`);
      expect(rapport([...base, '--seed', '9', '--platform', f, '--out', input, '--quiet']).code).toBe(0);
      const r = rapport(['score', input, '--instrument', 'relationship-engagement@1.0.0']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`(${f};`);
      expect(r.stderr).toMatch(/rows read 250 · excluded 0 · scored 250/);
      expect(r.stderr).toMatch(/invalid cells 0/);
      // drop the id column (its header and values differ by platform)
      scored[f] = r.stdout.trimEnd().split('\n').map((l) => l.slice(l.indexOf(',') + 1));
    }
    expect(scored.plain.length).toBe(251);
    expect(scored.plain[0]).toBe('trust,respect,liking,listening,agreement,communication,portal_use,portal_frequency,phr_use,decision_aid_use,preferred_channel');
    for (const f of ['qualtrics', 'redcap', 'limesurvey']) expect(scored[f], f).toEqual(scored.plain);
  });

  it('--clusters adds clinician_id (the file still scores, 250 rows); bad cluster values exit 2', () => {
    const dir = tmpDir();
    // (the other layouts' clinician column is checked in test/simulate/clusters.test.ts)
    for (const f of ['plain', 'redcap']) {
      const input = path.join(dir, `c-${f}.csv`);
      expect(rapport([...base, '--seed', '9', '--clusters', '10', '--icc', '0.2', '--platform', f, '--out', input, '--quiet']).code).toBe(0);
      const text = fs.readFileSync(input, 'utf8');
      expect(text, f).toContain('clinician_id');
      expect(new Set(text.match(/C0\d\d/g)).size, f).toBe(10);
      const r = rapport(['score', input, '--instrument', 'relationship-engagement']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/rows read 250 · excluded 0 · scored 250/);
    }
    for (const args of [['--clusters', '0'], ['--clusters', '251'], ['--clusters', '5', '--icc', '1'], ['--clusters', '5', '--trait-share', '-0.1']]) {
      const r = rapport([...base, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')[0], args.join(' ')).toMatch(/^rapport: --(clusters|icc|trait-share) /);
    }
  });

  it('bad values exit 2 with one sentence; unwritable output 73; missing instrument file 66', () => {
    const cases: [string[], RegExp][] = [
      [['--n', '0'], /--n "0": give a whole number of at least 1/],
      [['--n', '10', '--effect', 'trusty=2'], /"trusty" is not a scale of instrument relationship-engagement; its scales are trust, respect/],
      [['--n', '10', '--effect', 'trust=-1'], /odds ratio must be a positive number/],
      [['--n', '10', '--prevalence', '1.2'], /--prevalence "1.2": the outcome prevalence must be a number strictly between 0 and 1/],
      [['--n', '10', '--correlation', '-0.5'], /positive definite/],
      [['--n', '10', '--platform', 'spss'], /--platform "spss": unknown value; use plain, qualtrics, redcap or limesurvey/],
      [['--n', '10', '--seed', '1.5'], /--seed "1.5": give a whole number/],
      [['--n', '10', '--missing', '1'], /--missing "1"/],
    ];
    for (const [args, msg] of cases) {
      const r = rapport(['simulate', '--instrument', 'relationship-engagement', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split('\n').length).toBe(1);
      expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
      expect(r.stdout).toBe('');
    }
    const dir = tmpDir();
    const r73 = rapport(['simulate', '-i', 'relationship-engagement', '-n', '10', '--out', path.join(dir, 'no', 'such', 'x.csv')]);
    expect(r73.code).toBe(73);
    const r66 = rapport(['simulate', '-i', path.join(dir, 'missing.yaml'), '-n', '10']);
    expect(r66.code).toBe(66);
  });
});
