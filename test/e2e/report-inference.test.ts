/**
 * Issue 17's inference through the built CLI, against R goldens committed under test/reference/:
 * Firth's profile penalised-likelihood limits and penalised LR p on brglm2::endometrial
 * (firth-golden.R, which reproduces the published table), ML profile limits against confint()
 * (profile-golden.R, rare.csv), the GVIF once per factor against car::vif (report-inference-golden.R),
 * the seeded bootstrap (same seed, same files; --bootstrap 0, empty columns), Inf bounds in CSV and
 * JSON, a constant trait and an outcome coded 1/2.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, distMissing, rapportMany, tmpDir } from '../helpers/cli.js';

const ref = (f: string) => path.join(ROOT, 'test', 'reference', f);
const firth = JSON.parse(fs.readFileSync(ref('firth-golden.json'), 'utf8')).endometrial;
const profile = JSON.parse(fs.readFileSync(ref('profile-golden.json'), 'utf8')).rare;
const gvif = JSON.parse(fs.readFileSync(ref('report-inference-golden.json'), 'utf8')).gvif;

type Row = Record<string, string>;
function table(dir: string, file: string): Row[] {
  return parse(fs.readFileSync(path.join(dir, file), 'utf8'), { columns: true }) as Row[];
}
const rowOf = (rows: Row[], key: string, name: string) => rows.find((r) => r[key] === name)!;
const summary = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));

const dirs = Object.fromEntries(['firth', 'wald', 'rare', 'gvif', 'seedA', 'seedB', 'seedC', 'none', 'sep', 'const', 'twelve'].map((k) => [k, tmpDir(`rapport-inf-${k}-`)]));
const endo = path.join(tmpDir('rapport-inf-data-'), 'endometrial.csv');
const constant = path.join(path.dirname(endo), 'constant.csv');
const coded = path.join(path.dirname(endo), 'coded.csv');

const results = distMissing()
  ? []
  : (() => {
      fs.copyFileSync(ref('endometrial.csv'), endo);
      const scored = fs.readFileSync(path.join(ROOT, 'fixtures/report/scored.csv'), 'utf8').trim().split('\n');
      // respect set to 3 for every respondent; uses_portal recoded 1 = no, 2 = yes
      fs.writeFileSync(constant, scored.map((l, i) => (i === 0 ? l : l.replace(/^("[^"]*",[^,]*,)[^,]*,/, '$13,'))).join('\n') + '\n');
      fs.writeFileSync(coded, scored.map((l, i) => (i === 0 ? l : l.replace(/"Yes"$/, '2').replace(/"No"$/, '1'))).join('\n') + '\n');
      const sc = ['fixtures/report/scored.csv', '--outcome', 'uses_portal', '--predictors', 'trust,respect,communication', '--covariates', 'sex', '--quiet'];
      return rapportMany([
        ['report', endo, '--predictors', 'NV,PI,EH', '--outcome', 'HG', '--raw-units', '--bootstrap', '0', '--out', dirs.firth, '--quiet'],
        ['report', endo, '--predictors', 'NV,PI,EH', '--outcome', 'HG', '--raw-units', '--bootstrap', '0', '--ci', 'wald', '--out', dirs.wald, '--quiet'],
        ['report', ref('rare.csv'), '--predictors', 'x1,x2,x3', '--outcome', 'y', '--raw-units', '--method', 'ml', '--bootstrap', '0', '--out', dirs.rare, '--quiet'],
        ['report', ref('report-gvif.csv'), '--predictors', 'trust,respect', '--covariates', 'clinic', '--outcome', 'uses_portal', '--bootstrap', '0', '--out', dirs.gvif, '--quiet'],
        ['report', ...sc, '--out', dirs.seedA],
        ['report', ...sc, '--out', dirs.seedB],
        ['report', ...sc, '--seed', '7', '--out', dirs.seedC],
        ['report', ...sc, '--bootstrap', '0', '--out', dirs.none],
        ['report', 'fixtures/report/separation.csv', '--outcome', 'portal', '--predictors', 'trust,respect', '--method', 'ml', '--ci', 'profile', '--bootstrap', '0', '--out', dirs.sep, '--quiet'],
        ['report', constant, '--outcome', 'uses_portal', '--predictors', 'trust,respect,communication', '--bootstrap', '0', '--out', dirs.const, '--quiet'],
        ['report', coded, '--outcome', 'uses_portal', '--predictors', 'trust,respect,communication', '--out', dirs.twelve, '--quiet'],
      ]);
    })();

describe.skipIf(distMissing())('report inference (issue 17)', () => {
  it('Firth: profile penalised-likelihood limits and penalised LR p on endometrial (logistf’s published table)', () => {
    expect(results[0].code).toBe(0);
    const nv = rowOf(table(dirs.firth, 'model.csv'), 'term', 'NV');
    expect(nv.ci_method).toBe('profile');
    expect(Math.abs(Math.log(Number(nv.ci_low)) - firth.lower[1])).toBeLessThan(1e-4);
    expect(Math.abs(Math.log(Number(nv.ci_high)) - firth.upper[1])).toBeLessThan(1e-4);
    expect(Math.log(Number(nv.ci_low)).toFixed(2)).toBe('0.61');
    expect(Math.log(Number(nv.ci_high)).toFixed(2)).toBe('7.85');
    expect(Math.abs(Number(nv.p_value) - firth.p[1])).toBeLessThan(1e-6);
    expect(Number(nv.p_value).toFixed(3)).toBe('0.009');
    // Holm over the three traits uses the penalised LR p-values
    const pr = rowOf(table(dirs.firth, 'predictors.csv'), 'predictor', 'NV');
    expect(Number(pr.adjusted_p_holm)).toBeCloseTo(2 * firth.p[1], 8);
  });

  it('--ci wald keeps the Wald interval (0.90 to 391, p = 0.059)', () => {
    const nv = rowOf(table(dirs.wald, 'model.csv'), 'term', 'NV');
    expect(nv.ci_method).toBe('wald');
    expect(Number(nv.ci_low).toFixed(2)).toBe('0.90');
    expect(Math.round(Number(nv.ci_high))).toBe(391);
    expect(Number(nv.p_value).toFixed(3)).toBe('0.059');
  });

  it('ML with fewer than 20 events per variable: profile limits as confint()', () => {
    expect(results[2].code).toBe(0);
    const rows = table(dirs.rare, 'model.csv');
    profile.names.forEach((name: string, j: number) => {
      const r = rowOf(rows, 'term', name);
      expect(r.ci_method).toBe('profile');
      expect(Math.abs(Math.log(Number(r.ci_low)) - profile.lower[j])).toBeLessThan(1e-6 * (1 + Math.abs(profile.lower[j])));
      expect(Math.abs(Math.log(Number(r.ci_high)) - profile.upper[j])).toBeLessThan(1e-6 * (1 + Math.abs(profile.upper[j])));
      expect(Math.abs(Math.log(Number(r.ci_low)) - profile.confintLower[j]) / Math.abs(profile.confintLower[j])).toBeLessThan(1e-3);
    });
  });

  it('GVIF once per factor, as car::vif on the design; one collinearity warning (trust), none for the factor', () => {
    expect(results[3].code).toBe(0);
    const rows = table(dirs.gvif, 'model.csv');
    gvif.terms.forEach((term: string, k: number) => {
      for (const r of rows.filter((x) => x.term === term || x.term.startsWith(`${term}=`))) expect(Math.abs(Number(r.vif) - gvif.gvif[k])).toBeLessThan(1e-6 * gvif.gvif[k]);
    });
    const s = summary(dirs.gvif);
    const vifWarnings = s.warnings.filter((w: { code: string }) => w.code === 'vif');
    expect(vifWarnings.length).toBe(1);
    expect(vifWarnings[0].message).toMatch(/^trust /);
    expect(s.inference.vif.basis).toBe('design');
    const clinic = s.inference.vif.terms.find((t: { term: string }) => t.term === 'clinic');
    expect(clinic.df).toBe(2);
    expect(Math.abs(clinic.gvif_adjusted - gvif.gvifAdjusted[2])).toBeLessThan(1e-6);
  });

  it('the same seed gives identical files; another seed other resamples; --bootstrap 0 leaves the columns empty', () => {
    for (const k of [4, 5, 6, 7]) expect(results[k].code).toBe(0);
    for (const f of ['report.txt', 'report.html', 'predictors.csv', 'model.csv']) expect(fs.readFileSync(path.join(dirs.seedB, f), 'utf8')).toBe(fs.readFileSync(path.join(dirs.seedA, f), 'utf8'));
    const a = table(dirs.seedA, 'predictors.csv');
    expect(fs.readFileSync(path.join(dirs.seedC, 'predictors.csv'), 'utf8')).not.toBe(fs.readFileSync(path.join(dirs.seedA, 'predictors.csv'), 'utf8'));
    for (const r of a) {
      expect(Number(r.dominance_ci_low)).toBeLessThanOrEqual(Number(r.dominance));
      expect(Number(r.dominance_ci_high)).toBeGreaterThanOrEqual(Number(r.dominance));
    }
    expect(a.reduce((s, r) => s + Number(r.rank_first_pct), 0)).toBeCloseTo(100, 9);
    for (const r of table(dirs.none, 'predictors.csv')) expect([r.dominance_ci_low, r.dominance_ci_high, r.rank_first_pct]).toEqual(['', '', '']);
    expect(summary(dirs.none).inference.bootstrap.status).toBe('off');
  });

  it('the headline names a winner only when it ranks first in at least 60% of resamples', () => {
    const s = summary(dirs.seedA);
    const top = table(dirs.seedA, 'predictors.csv').reduce((m, r) => (Number(r.rank_first_pct) > Number(m.rank_first_pct) ? r : m));
    const txt = fs.readFileSync(path.join(dirs.seedA, 'report.txt'), 'utf8').replace(/\s+/g, ' ');
    if (Number(top.rank_first_pct) >= 60) expect(txt).toContain(`Most likely ${top.predictor} matters most (first in ${Math.round(Number(top.rank_first_pct))}% of 500 resamples`);
    else expect(txt).toContain('No trait clearly matters most');
    expect(s.inference.bootstrap.top).toBe(top.predictor);
  });

  it('an infinite profile limit is Inf in model.csv and "Inf" in summary.json', () => {
    expect(results[8].code).toBe(0);
    const trust = rowOf(table(dirs.sep, 'model.csv'), 'term', 'trust');
    expect(trust.ci_high).toBe('Inf');
    const t = summary(dirs.sep).model.terms.find((x: { term: string }) => x.term === 'trust');
    expect(t.ci_high).toBe('Inf');
  });

  it('a trait with one value among the model respondents is named as such', () => {
    expect(results[9].code).toBe(65);
    expect(results[9].stderr).toMatch(/respect has the same value for all \d+ respondents in the model/);
  });

  it('an outcome coded 1/2 without --positive stops with exit 2', () => {
    expect(results[10].code).toBe(2);
    expect(results[10].stderr).toMatch(/coded 1\/2.*--positive/);
  });
});
