/**
 * Power by simulation (src/simulate/power.ts): Hsieh's formulas against R (the Wilson interval is
 * tested in test/stats/proportion.test.ts),
 * the test's size under no effect, power rising with n and agreeing with Hsieh (1989) within
 * simulation error, determinism, and the `rapport power` command.
 */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadInstrument } from '../../src/instrument/load.js';
import { planSimulation } from '../../src/simulate/generate.js';
import { hsieh1998Power, hsiehPower, hsiehSampleSize, pilotStats, powerBySimulation, smallestAdequateN, type PowerPoint } from '../../src/simulate/power.js';
import { distMissing, rapport } from '../helpers/cli.js';

const golden = JSON.parse(fs.readFileSync(new URL('../reference/power-golden.json', import.meta.url), 'utf8')) as {
  hsieh: { n: number; or: number; p1: number; rho2: number; alpha: number; power89: number; n89_for_80: number; power98: number }[];
  hsieh1998_example: { n: number; published: number };
};
const inst = loadInstrument('relationship-engagement');
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe('formulas against R (test/reference/power-golden.R)', () => {
  it('Hsieh (1989) power and sample size with the VIF, and Hsieh et al. (1998) eq. (1)', () => {
    expect(golden.hsieh.length).toBe(72);
    for (const g of golden.hsieh) {
      const b = Math.log(g.or);
      expect(rel(hsiehPower(g.n, b, g.p1, g.rho2, g.alpha), g.power89)).toBeLessThan(1e-9);
      expect(rel(hsiehSampleSize(0.8, b, g.p1, g.rho2, g.alpha), g.n89_for_80)).toBeLessThan(1e-9);
      expect(rel(hsieh1998Power(g.n, b, g.p1, g.rho2, g.alpha), g.power98)).toBeLessThan(1e-9);
      // power and sample size are inverses
      expect(hsiehPower(hsiehSampleSize(0.8, b, g.p1, g.rho2, g.alpha), b, g.p1, g.rho2, g.alpha)).toBeCloseTo(0.8, 10);
    }
  });

  it('Hsieh et al. (1998) published example: P = 0.5, β* = 0.405, power 0.95 → n = 317', () => {
    expect(Math.ceil(golden.hsieh1998_example.n)).toBe(golden.hsieh1998_example.published);
    // our eq. (1) power at n = 317 is 0.95
    expect(hsieh1998Power(317, 0.405, 0.5, 0, 0.05)).toBeGreaterThan(0.95);
    expect(hsieh1998Power(316, 0.405, 0.5, 0, 0.05)).toBeLessThan(0.95);
  });
});

describe('power by simulation', () => {
  it('no effect: the trait is "significant" in about alpha of the data sets (the test has its nominal size)', () => {
    const plan = planSimulation(inst, { effects: { trust: 1, agreement: 1.6 }, prevalence: 0.3 });
    const [p] = powerBySimulation({ plan, trait: 0, ns: [200], reps: 400, alpha: 0.05, seed: 3 });
    // SE of a 0.05 rate over 400 data sets: 0.011
    expect(p.power).toBeGreaterThan(0.05 - 3.5 * 0.011);
    expect(p.power).toBeLessThan(0.05 + 3.5 * 0.011);
    expect(p.hsieh).toBeCloseTo(0.05, 12);
  });

  it('power rises with n and agrees with Hsieh (1989) within simulation error', () => {
    const plan = planSimulation(inst, { effects: { trust: 1.5 }, prevalence: 0.3 });
    const pilot = pilotStats(plan, 1);
    // the pilot's estimates: ρ² of trust with the other scales, P1 near the prevalence, ~96% complete
    expect(pilot.rho2[0]).toBeGreaterThan(0.15);
    expect(pilot.rho2[0]).toBeLessThan(0.35);
    expect(pilot.p1).toBeGreaterThan(0.27);
    expect(pilot.p1).toBeLessThan(0.3);
    expect(pilot.completeShare).toBeGreaterThan(0.93);
    const t0 = Date.now();
    const pts = powerBySimulation({ plan, trait: 0, ns: [100, 250, 500], reps: 300, alpha: 0.05, seed: 1 }, pilot);
    const ms = Date.now() - t0;
    expect(pts.map((p) => p.n)).toEqual([100, 250, 500]);
    for (let i = 1; i < pts.length; i++) expect(pts[i].power).toBeGreaterThan(pts[i - 1].power);
    for (const p of pts) {
      expect(p.ci_low).toBeLessThanOrEqual(p.power);
      expect(p.ci_high).toBeGreaterThanOrEqual(p.power);
      const se = Math.sqrt((p.hsieh * (1 - p.hsieh)) / p.reps);
      // simulation error (3.5 SE) plus 0.03 for the formula's own approximation
      expect(Math.abs(p.power - p.hsieh), `n = ${p.n}: ${p.power} vs ${p.hsieh}`).toBeLessThan(3.5 * se + 0.03);
      expect(p.failed).toBe(0);
      expect(p.mean_model_n).toBeGreaterThan(0.93 * p.n);
    }
    expect(pts[2].power).toBeGreaterThan(0.85);
    expect(ms).toBeLessThan(20000);
  });

  it('deterministic by seed, and a grid point does not depend on the rest of the grid', () => {
    const plan = planSimulation(inst, { effects: { trust: 1.4 }, prevalence: 0.25 });
    const pilot = pilotStats(plan, 8, 4000);
    const a = powerBySimulation({ plan, trait: 0, ns: [60, 120], reps: 60, alpha: 0.05, seed: 8 }, pilot);
    const b = powerBySimulation({ plan, trait: 0, ns: [60, 120], reps: 60, alpha: 0.05, seed: 8 }, pilot);
    expect(b).toEqual(a);
    const c = powerBySimulation({ plan, trait: 0, ns: [120, 300], reps: 60, alpha: 0.05, seed: 8 }, pilot);
    expect(c[0]).toEqual(a[1]);
    const d = powerBySimulation({ plan, trait: 0, ns: [60, 120], reps: 60, alpha: 0.05, seed: 9 }, pilot);
    expect(d.map((p) => p.significant)).not.toEqual(a.map((p) => p.significant));
  });

  it('tiny samples with a strong effect: separation is handled (Firth, as the report), never a crash', () => {
    const plan = planSimulation(inst, { effects: { trust: 8 }, prevalence: 0.15 });
    const [p] = powerBySimulation({ plan, trait: 0, ns: [12], reps: 60, alpha: 0.05, seed: 2 }, pilotStats(plan, 2, 2000));
    expect(p.failed + p.firth).toBeGreaterThan(0);
    expect(p.power).toBeGreaterThanOrEqual(0);
    expect(p.power).toBeLessThanOrEqual(1);
  });

  it('smallest n reaching 80%', () => {
    const pt = (n: number, power: number) => ({ n, power }) as PowerPoint;
    expect(smallestAdequateN([pt(100, 0.5), pt(200, 0.79), pt(300, 0.8), pt(400, 0.9)])).toBe(300);
    expect(smallestAdequateN([pt(400, 0.9), pt(100, 0.5)])).toBe(400);
    expect(smallestAdequateN([pt(100, 0.5)])).toBeNull();
  });
});

describe.skipIf(distMissing())('rapport power (built CLI)', () => {
  const args = ['power', '--instrument', 'relationship-engagement', '--effect', 'trust=1.6', '--prevalence', '0.3', '--n', '80,300', '--reps', '60', '--seed', '4'];
  it('--format json: {"points": [{"n", "power", "ci_low", "ci_high", ...}]} and the 80% answer', () => {
    const r = rapport([...args, '--format', 'json', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)[0]).toBe('points');
    expect(doc.points.map((p: PowerPoint) => p.n)).toEqual([80, 300]);
    for (const p of doc.points) {
      expect(Object.keys(p).slice(0, 4)).toEqual(['n', 'power', 'ci_low', 'ci_high']);
      expect(p.power * 60).toBeCloseTo(p.significant, 9);
    }
    expect(doc.points[1].power).toBeGreaterThan(doc.points[0].power);
    const best = doc.points.find((p: PowerPoint) => p.power >= 0.8);
    expect(doc.smallest_n_reaching_80).toBe(best ? best.n : null);
    // same seed, same answer
    expect(rapport([...args, '--format', 'json', '--quiet']).stdout).toBe(r.stdout);
  });

  it('text: a table with Hsieh alongside and the smallest n reaching 80% (or that none does)', () => {
    const r = rapport(args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Power to detect trust \(OR 1\.6 per 1 SD\) on portal_use, adjusted for the other 5 scales/);
    expect(r.stdout).toMatch(/\n\s+n\s+in model\s+power\s+95% CI\s+Hsieh 1989\n/);
    expect(r.stdout).toMatch(/\n\s+80\s+\d+\s+0\.\d{3}\s+0\.\d{3}–[01]\.\d{3}\s+0\.\d{3}\n/);
    expect(r.stdout).toMatch(/Smallest n in the grid reaching 80% power: 300|No n in the grid reaches 80% power/);
    expect(r.stdout).toMatch(/Hsieh \(1989\) with the variance-inflation factor 1\/\(1 - ρ²\): about \d+ surveyed for 80% power/);
    expect(r.stderr).toMatch(/data sets simulated and fitted in/);
    const none = rapport(['power', '-i', 'relationship-engagement', '--effect', 'trust=1.1', '--n', '50', '--reps', '20']);
    expect(none.stdout).toMatch(/No n in the grid reaches 80% power \(the largest, 50, gives 0\.\d{3}\); try larger sample sizes\./);
  });

  it('usage errors exit 2 with one sentence', () => {
    const bad: [string[], RegExp][] = [
      [['--effect', 'trust=1.5', '--n', '5'], /--n "5": each sample size must be a whole number of at least 10/],
      [['--effect', 'trust=1.5', '--n', '100', '--alpha', '0'], /--alpha "0": the significance level must be a number strictly between 0 and 1/],
      [['--effect', 'trust=1.5', '--n', '100', '--trait', 'warmth'], /"warmth" is not a scale of instrument relationship-engagement/],
      [['--effect', 'warmth=1.5', '--n', '100'], /"warmth" is not a scale of instrument relationship-engagement; its scales are/],
      [['--effect', 'trust=1.5', '--n', '100', '--reps', '0'], /--reps "0"/],
      [['--effect', 'trust=1.5', '--n', '100', '--format', 'xml'], /--format "xml": unknown value; use text or json/],
      [['--n', '100'], /required option '--effect/],
    ];
    for (const [a, msg] of bad) {
      const r = rapport(['power', '-i', 'relationship-engagement', ...a]);
      expect(r.code, a.join(' ')).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stdout).toBe('');
    }
  });
});
