/**
 * `rapport report <export> --instrument <id>` without --outcome: the pilot (item-analysis) report,
 * through the built CLI on fixtures/report/pilot.csv (test/reference/make-pilot-data.mjs), against
 * psych::alpha, psych::omega(nfactors = 1) and cor() in test/reference/pilot-golden.R
 * (-> pilot-golden.json); small cells checked against the true counts from R.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, distMissing, rapport, tmpDir } from '../helpers/cli.js';

const golden = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/reference/pilot-golden.json'), 'utf8'));
const PILOT = path.join(ROOT, 'fixtures/report/pilot.csv');
const INST = 'relationship-engagement@1.0.0';

function table(dir: string, name: string): Record<string, string>[] {
  return parse(fs.readFileSync(path.join(dir, name)), { columns: true });
}
const close = (got: string, want: number, tol: number) => expect(Math.abs(Number(got) - want)).toBeLessThan(tol);

describe.skipIf(distMissing())('pilot report (no --outcome)', () => {
  let dir = '';
  let res: ReturnType<typeof rapport>;
  beforeAll(() => {
    dir = tmpDir('rapport-pilot-');
    res = rapport(['report', PILOT, '--instrument', INST, '--out', dir]);
  });

  it('exits 0 and writes the pilot files, and only them', () => {
    expect(res.code).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual(['.rapport-manifest.json', 'item_frequencies.csv', 'items.csv', 'report.html', 'report.txt', 'scale_correlations.csv', 'scales.csv', 'summary.json']);
    expect(res.stdout).toBe(fs.readFileSync(path.join(dir, 'report.txt'), 'utf8'));
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8')).schema).toBe('rapport.pilot/1');
  });

  it('alpha, omega, scores and n agree with psych and R', () => {
    for (const row of table(dir, 'scales.csv')) {
      const g = golden.scales[row.scale];
      expect(Number(row.n_complete)).toBe(g.n_complete);
      close(row.alpha, g.alpha, 1e-10);
      close(row.omega_total, g.omega_total, 1e-6);
      close(row.mean, g.mean, 1e-10);
      close(row.sd, g.sd, 1e-10);
      // Shown only when it stands for --min-cell respondents or more (or none).
      for (const k of ['pct_floor', 'pct_ceiling'] as const) {
        const count = Math.round((g[k] * Number(row.n_scored)) / 100);
        if (count > 0 && count < 11) expect(row[k]).toBe('');
        else close(row[k], g[k], 1e-10);
      }
    }
  });

  it('corrected item-total r, alpha if deleted, item means agree with psych::alpha and R', () => {
    const items = table(dir, 'items.csv');
    for (const row of items) {
      const f = golden.frequencies[row.item];
      close(row.mean, f.mean, 1e-10);
      close(row.sd, f.sd, 1e-10);
      if (row.scale === '') continue;
      close(row.r_drop, golden.items[row.item].r_drop, 1e-10);
      close(row.alpha_if_deleted, golden.items[row.item].alpha_if_deleted, 1e-10);
    }
    expect(items.map((r) => r.item)).toContain('portal_use');
  });

  it('flags exactly the items made bad in the fixture, for the right reasons', () => {
    const flagged = Object.fromEntries(table(dir, 'items.csv').filter((r) => r.flags !== '').map((r) => [r.item, r.flags.split(' ')]));
    expect(Object.keys(flagged).sort()).toEqual(['agreement_3', 'liking_3', 'listening_4', 'trust_2']);
    expect(flagged.trust_2).toEqual(expect.arrayContaining(['low_item_total', 'raises_alpha']));
    expect(flagged.listening_4).toContain('negative_item_total');
    expect(flagged.liking_3).toContain('item_ceiling');
    expect(flagged.agreement_3).toEqual(['high_missing']);
    const text = fs.readFileSync(path.join(dir, 'report.txt'), 'utf8');
    expect(text.replace(/\s+/g, ' ')).toContain('4 items are flagged for review: trust_2, liking_3, listening_4 and agreement_3.');
  });

  it('frequencies: shown counts are the true counts, small ones withheld, none recoverable by subtraction', () => {
    const rows = table(dir, 'item_frequencies.csv');
    const items = Object.fromEntries(table(dir, 'items.csv').map((r) => [r.item, r]));
    const byItem = new Map<string, Record<string, string>[]>();
    for (const r of rows) byItem.set(r.item, [...(byItem.get(r.item) ?? []), r]);
    expect([...byItem.keys()].sort()).toEqual(Object.keys(golden.frequencies).sort());
    for (const [item, cells] of byItem) {
      const truth: number[] = golden.frequencies[item].counts;
      expect(cells.map((c) => c.category)).toEqual([...truth.slice(0, -2).map(() => 'option'), 'missing', 'refused']);
      cells.forEach((c, i) => {
        if (truth[i] > 0 && truth[i] < 11) expect([c.n, c.n_shown]).toEqual(['', '<11']);
        if (c.n !== '') expect(Number(c.n)).toBe(truth[i]);
        else expect(['<11', '>=11']).toContain(c.n_shown);
      });
      // Each published margin (the answers; the non-answers when pct_no_answer is shown) leaves at
      // least 11 respondents in its withheld cells, or withholds none.
      const groups = items[item].pct_no_answer !== '' ? [cells.slice(0, -2), cells.slice(-2)] : [cells];
      for (const g of groups) {
        const withheld = g.map((c) => truth[cells.indexOf(c)]).filter((_, k) => g[k].n === '');
        if (withheld.length > 0) expect(withheld.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(11);
      }
    }
    expect(rows.some((r) => r.n_shown === '>=11')).toBe(true);
  });

  it('scale correlations agree with cor() on pairwise complete scores', () => {
    const rows = table(dir, 'scale_correlations.csv');
    expect(rows.length).toBe(15);
    for (const r of rows) {
      const g = golden.correlations[`${r.scale_a}~${r.scale_b}`];
      expect(Number(r.n)).toBe(g.n);
      close(r.r, g.r, 1e-10);
    }
  });

  it('report.html shows the same tables, each in its own scrolling box', () => {
    const html = fs.readFileSync(path.join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<meta name="viewport"');
    expect(html).toContain('Items flagged for review');
    expect((html.match(/<div class="table-scroll"><table>/g) ?? []).length).toBeGreaterThanOrEqual(4);
    expect(html).not.toMatch(/R0\d\d\d/); // no respondent id
  });

  it('without --outcome and --instrument, or with an option of the model, exit 2 with one sentence', () => {
    const out = tmpDir('rapport-pilot-e-');
    let r = rapport(['report', PILOT, '--predictors', 'trust', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/required option '--outcome <item\|column>' not specified \(or give --instrument/);
    r = rapport(['report', PILOT, '--instrument', INST, '--positive', 'yes', '--covariates', 'age', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--positive, --covariates belong to the outcome model/);
    r = rapport(['report', PILOT, '--instrument', INST, '--weights', 'age', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--weights belongs to the outcome model/);
  });
});
