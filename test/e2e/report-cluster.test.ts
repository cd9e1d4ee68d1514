/**
 * The clinician level of `rapport report --cluster` through the built CLI, against R
 * (test/reference/cluster-report-golden.R -> cluster-report-golden.json) on simulated patients nested
 * in clinicians (test/reference/cluster-report.csv, from `rapport simulate --clusters`):
 * model.csv against glmer (Laplace and nAGQ = 5) and vcovCL (HC1), cluster_reliability.csv against
 * lmer, clusters.csv against an R implementation of the CAHPS case-mix formula, and the small-cell
 * rules (clinicians C035 and C036 have 6 and 4 patients).
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, distMissing, rapport, tmpDir } from '../helpers/cli.js';

const golden = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/reference/cluster-report-golden.json'), 'utf8'));
const DATA = path.join(ROOT, 'test/reference/cluster-report.csv');
const TRAITS = ['trust', 'respect', 'liking', 'listening', 'agreement', 'communication'];
const BASE = ['report', DATA, '--predictors', TRAITS.join(','), '--outcome', 'portal_use', '--covariates', 'age,sex', '--cluster', 'clinician_id', '--quiet'];

function table(dir: string, file: string): Record<string, string>[] {
  return parse(fs.readFileSync(path.join(dir, file), 'utf8'), { columns: true });
}
const rel = (got: string | number, want: number) => Math.abs(Number(got) - want) / Math.max(Math.abs(want), 1e-12);

function run(extra: string[]): string {
  const dir = tmpDir('rapport-cluster-');
  const r = rapport([...BASE, ...extra, '--out', dir]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return dir;
}

describe.skipIf(distMissing())('report --cluster against R', () => {
  it('glmm (Laplace): fixed effects and SEs as glmer, robust_se as vcovCL, SD, lmer ICCs, case-mix clusters.csv', () => {
    const dir = run(['--within-between']);
    const model = table(dir, 'model.csv');
    expect(model.map((r) => r.term)).toEqual(['(Intercept)', ...TRAITS, 'age', 'sex=M']);
    model.forEach((r, j) => {
      expect(r.method).toBe('glmm');
      expect(rel(r.estimate, golden.glmm.beta[j])).toBeLessThan(1e-4);
      expect(rel(r.std_error, golden.glmm.se[j])).toBeLessThan(1e-4);
      expect(rel(r.robust_se, golden.robust_se[j])).toBeLessThan(1e-6);
    });
    const s = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));
    const c = s.clustering;
    expect(c.variable).toBe('clinician_id');
    expect(c.clusters).toBe(36);
    expect(c.cluster_size).toEqual(golden.cluster_size);
    expect(rel(c.random_intercept.sd, golden.glmm.sd)).toBeLessThan(1e-3);
    expect(rel(c.random_intercept.icc, golden.glmm.sd ** 2 / (golden.glmm.sd ** 2 + Math.PI ** 2 / 3))).toBeLessThan(2e-3);
    expect(c.random_intercept.sd_ci_low).toBeLessThan(c.random_intercept.sd);
    expect(c.random_intercept.sd_ci_high).toBeGreaterThan(c.random_intercept.sd);
    expect(s.sample.n).toBe(golden.n_model);
    expect(c.within_between.map((w: { predictor: string }) => w.predictor)).toEqual(TRAITS);
    for (const w of c.within_between) {
      const g = golden.within_between[w.predictor];
      // relative to max(|estimate|, SE): glmer's bobyqa leaves ~3e-5 of noise on a between effect with SE 0.75
      const off = (got: number, want: number, se: number) => Math.abs(got - want) / Math.max(Math.abs(want), se);
      const se = (Math.log(w.contextual_ci_high) - Math.log(w.contextual_ci_low)) / (2 * 1.959963984540054);
      const seOf = (lo: number, hi: number) => (Math.log(hi) - Math.log(lo)) / (2 * 1.959963984540054);
      expect(off(Math.log(w.within_or), g.within, seOf(w.within_ci_low, w.within_ci_high))).toBeLessThan(1e-4);
      expect(off(Math.log(w.between_or), g.between, seOf(w.between_ci_low, w.between_ci_high))).toBeLessThan(1e-4);
      expect(off(Math.log(w.contextual_ratio), g.contextual, se)).toBeLessThan(1e-4);
      expect(rel(se, g.contextual_se)).toBeLessThan(1e-3);
    }

    const relRows = table(dir, 'cluster_reliability.csv');
    expect(Object.keys(relRows[0])).toEqual(['scale', 'icc', 'icc_ci_low', 'icc_ci_high', 'tau2', 'sigma2', 'median_cluster_size', 'reliability_at_median', 'n_for_0.70', 'n_for_0.80']);
    relRows.forEach((r, j) => {
      const g = golden.reliability[TRAITS[j]];
      expect(r.scale).toBe(TRAITS[j]);
      for (const k of ['tau2', 'sigma2', 'icc'] as const) expect(rel(r[k], g[k])).toBeLessThan(1e-4);
      const lambda = g.tau2 / g.sigma2;
      expect(Number(r['n_for_0.70'])).toBe(Math.ceil(0.7 / (0.3 * lambda) - 1e-9));
    });

    const rows = table(dir, 'clusters.csv');
    const labels = rows.map((r) => r.cluster);
    // small clinicians never appear; together they number 10 < 11, so the smallest shown one is withheld too
    expect(labels).not.toContain('C035');
    expect(labels).not.toContain('C036');
    const withheld = rows.filter((r) => r.n === '>=11');
    expect(withheld.length).toBe(1);
    expect(Object.values(withheld[0]).slice(2).every((v) => v === '')).toBe(true);
    let compared = 0;
    for (const measure of [...TRAITS, 'outcome']) {
      const g = golden.case_mix[measure];
      for (const r of rows.filter((x) => x.n !== '>=11')) {
        const k = g.cluster.indexOf(r.cluster);
        expect(Math.abs(Number(r[`${measure}_mean`]) - g.mean[k])).toBeLessThan(1e-8);
        expect(Math.abs(Number(r[`${measure}_adjusted`]) - g.adjusted[k])).toBeLessThan(1e-8);
        expect(Math.abs(Number(r[`${measure}_ci_low`]) - g.ci_low[k])).toBeLessThan(1e-8);
        expect(Math.abs(Number(r[`${measure}_ci_high`]) - g.ci_high[k])).toBeLessThan(1e-8);
        expect(Math.abs(Number(r[`${measure}_reliability`]) - g.reliability[k])).toBeLessThan(1e-6);
        expect(r[`${measure}_rating`]).toBe(g.rating[k]);
        compared++;
      }
    }
    expect(compared).toBe(7 * 33);
    const text = fs.readFileSync(path.join(dir, 'report.txt'), 'utf8');
    expect(text.indexOf('CLINICIANS')).toBeGreaterThan(text.indexOf('In short'));
    expect(text.indexOf('CLINICIANS')).toBeLessThan(text.indexOf('WHAT WAS ANALYSED'));
    expect(text).not.toMatch(/C035|C036/);
    const html = fs.readFileSync(path.join(dir, 'report.html'), 'utf8');
    expect(html).toContain('aria-label="Case-mix adjusted rate by clinician"');
    expect(html).not.toMatch(/C035|C036/);
  });

  it('--quadrature 5 as glmer(nAGQ = 5); --cluster-method robust: glm estimates with vcovCL SEs', () => {
    const agq = table(run(['--quadrature', '5']), 'model.csv');
    agq.forEach((r, j) => {
      expect(rel(r.estimate, golden.glmm_agq5.beta[j])).toBeLessThan(1e-4);
      expect(rel(r.std_error, golden.glmm_agq5.se[j])).toBeLessThan(1e-3);
    });
    const rob = table(run(['--cluster-method', 'robust']), 'model.csv');
    rob.forEach((r, j) => {
      expect(r.method).toBe('ml-cluster-robust');
      expect(rel(r.estimate, golden.glm_beta[j])).toBeLessThan(1e-6);
      expect(rel(r.std_error, golden.robust_se[j])).toBeLessThan(1e-6);
      expect(r.robust_se).toBe(r.std_error);
    });
  });

  it('separated data: no GLMM, the Firth fit with cluster-robust SEs, and the report says so', () => {
    const dir = tmpDir('rapport-cluster-sep-');
    const lines = fs.readFileSync(DATA, 'utf8').trim().split('\n');
    const y = lines[0].split(',').indexOf('portal_use');
    // sep = 3 x outcome + a little: it classifies every respondent perfectly
    const sep = [lines[0] + ',sep', ...lines.slice(1).map((l, i) => { const v = l.split(',')[y]; return `${l},${v === '' ? '' : Number(v) * 3 + (i % 7) / 10}`; })];
    const file = path.join(dir, 'sep.csv');
    fs.writeFileSync(file, sep.join('\n') + '\n');
    const r = rapport(['report', file, '--predictors', 'trust,sep', '--outcome', 'portal_use', '--cluster', 'clinician_id', '--within-between', '--format', 'json', '--out', path.join(dir, 'out'), '--quiet']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.clustering.method).toBe('firth-cluster-robust');
    expect(s.clustering.random_intercept).toBeNull();
    const codes = s.warnings.map((w: { code: string }) => w.code);
    expect(codes).toEqual(expect.arrayContaining(['firth', 'cluster_fallback', 'cluster_within_between', 'cluster_dominance']));
    for (const row of table(path.join(dir, 'out'), 'model.csv')) {
      expect(row.method).toBe('firth-cluster-robust');
      expect(row.std_error).toBe(row.robust_se);
    }
  });
});
