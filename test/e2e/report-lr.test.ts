/**
 * model.csv's `lr_p` column (drop-one likelihood-ratio test of each row's variable, from the dominance
 * fits) through the built CLI, against R's drop1(test = "LRT") on the same models
 * (test/reference/report-lr-golden.R -> report-lr-golden.json): configurations A (built-in instrument,
 * age + sex), B (--join, age) and C (already scored file, sex); empty for the intercept; under Firth the penalised LR test (empty with --ci wald).
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, distMissing, rapport, tmpDir } from '../helpers/cli.js';

const golden = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/reference/report-lr-golden.json'), 'utf8'));
const fx = (f: string) => path.join('fixtures', 'report', f);

function lrColumn(dir: string): string[] {
  const recs: string[][] = parse(fs.readFileSync(path.join(dir, 'model.csv'), 'utf8'));
  const j = recs[0].indexOf('lr_p');
  expect(j).toBeGreaterThan(0);
  return recs.slice(1).map((r) => r[j]);
}

function check(dir: string, want: (number | null)[]) {
  const got = lrColumn(dir);
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    if (want[i] === null) expect(g).toBe('');
    else expect(Math.abs(Number(g) - (want[i] as number)) / (want[i] as number)).toBeLessThan(1e-6);
  });
}

describe.skipIf(distMissing())('model.csv lr_p equals R drop1', () => {
  it('A: built-in instrument, covariates age and sex (one p on both sex levels)', () => {
    const dir = tmpDir('rapport-lr-a-');
    const r = rapport(['report', fx('survey.csv'), '--instrument', 'relationship-engagement', '--id-column', 'ResponseId', '--outcome', 'portal_use', '--covariates', 'age,sex', '--bootstrap', '0', '--out', dir, '--quiet']);
    expect(r.code).toBe(0);
    check(dir, golden.A);
  });
  it('B: --join, covariate age', () => {
    const dir = tmpDir('rapport-lr-b-');
    const r = rapport(['report', fx('survey.csv'), '--instrument', 'relationship-engagement', '--id-column', 'ResponseId', '--join', fx('ehr-logins.csv'), '--on', 'ResponseId', '--outcome', 'portal_login', '--positive', 'yes', '--covariates', 'age', '--bootstrap', '0', '--out', dir, '--quiet']);
    expect(r.code).toBe(0);
    check(dir, golden.B);
  });
  it('C: already scored file, covariate sex', () => {
    const dir = tmpDir('rapport-lr-c-');
    const r = rapport(['report', fx('scored.csv'), '--predictors', 'trust,respect,communication', '--outcome', 'uses_portal', '--covariates', 'sex', '--bootstrap', '0', '--out', dir, '--quiet']);
    expect(r.code).toBe(0);
    check(dir, golden.C);
  });
  it('Firth (separation): penalised LR tests (one-column terms: the same as p_value); none with --ci wald', () => {
    const dir = tmpDir('rapport-lr-d-');
    const r = rapport(['report', fx('separation.csv'), '--predictors', 'trust,respect', '--outcome', 'portal', '--bootstrap', '0', '--out', dir, '--quiet']);
    expect(r.code).toBe(0);
    const recs: string[][] = parse(fs.readFileSync(path.join(dir, 'model.csv'), 'utf8'));
    const [p, lr] = [recs[0].indexOf('p_value'), recs[0].indexOf('lr_p')];
    expect(recs[1][lr]).toBe('');
    for (const row of recs.slice(2)) expect(row[lr]).toBe(row[p]);
    const wald = tmpDir('rapport-lr-e-');
    expect(rapport(['report', fx('separation.csv'), '--predictors', 'trust,respect', '--outcome', 'portal', '--bootstrap', '0', '--ci', 'wald', '--out', wald, '--quiet']).code).toBe(0);
    expect(lrColumn(wald).every((v) => v === '')).toBe(true);
  });
});
