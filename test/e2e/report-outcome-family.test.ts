/**
 * Ordinal and count outcomes through the built CLI (issue 17), against R
 * (test/reference/outcome-family-golden.R -> outcome-family-golden.json, on outcome-family.csv):
 * model.csv against MASS::polr (1e-5) and ordinal::clm (estimates and SEs, 1e-6) or MASS::glm.nb
 * (1e-6), the proportional-odds warning on data built to violate it and not on data that satisfy it,
 * predictors.csv's one-trait models and dominance in the same family, the default type from the
 * item's options or the column's values, and the usage errors.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, distMissing, rapport, tmpDir } from '../helpers/cli.js';

const g = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/reference/outcome-family-golden.json'), 'utf8'));
const data = path.join('test', 'reference', 'outcome-family.csv');
const TRAITS = ['--predictors', 'trust,agreement,communication'];

function table(dir: string, file: string): Record<string, string>[] {
  return parse(fs.readFileSync(path.join(dir, file), 'utf8'), { columns: true });
}

function near(got: string | number, want: number, tol: number, label: string) {
  const x = Number(got);
  expect(Math.abs(x - want) / Math.max(Math.abs(want), 1e-300), `${label}: ${x} vs R ${want}`).toBeLessThan(tol);
}

function run(args: string[], prefix: string) {
  const dir = tmpDir(prefix);
  const r = rapport(['report', data, ...TRAITS, ...args, '--out', dir, '--quiet', '--format', 'json']);
  return { ...r, dir, json: r.code === 0 ? JSON.parse(r.stdout) : null };
}

/** A phrase as a regular expression that allows any line wrapping between its words. */
const phrase = (s: string) => new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+'), 'i');

const codes = (json: { warnings: { code: string; message: string }[] }) => json.warnings.map((w) => w.code);

describe.skipIf(distMissing())('report: ordinal outcome (proportional odds)', () => {
  const r = run(['--outcome', 'portal_frequency', '--outcome-type', 'ordinal', '--covariates', 'age'], 'rapport-ord-');
  const m = r.code === 0 ? table(r.dir, 'model.csv') : [];
  const o = g.ordinal;
  it('model.csv: thresholds then coefficients, equal to polr (1e-5) and clm (1e-6, SEs too), method polr', () => {
    expect(r.code, r.stderr).toBe(0);
    expect(m.map((x) => x.term)).toEqual(['0|1', '1|2', '2|3', 'trust', 'agreement', 'communication', 'age']);
    const est = m.map((x) => Number(x.estimate));
    const se = m.map((x) => Number(x.std_error));
    [...o.zeta, ...o.beta].forEach((w: number, i: number) => near(est[i], w, 1e-6, `clm ${m[i].term}`));
    [...o.polrZeta, ...o.polrBeta].forEach((w: number, i: number) => near(est[i], w, 1e-5, `polr ${m[i].term}`));
    [...o.zetaSe, ...o.betaSe].forEach((w: number, i: number) => near(se[i], w, 1e-6, `SE ${m[i].term}`));
    expect(new Set(m.map((x) => x.method))).toEqual(new Set(['polr']));
    expect(m.slice(0, 3).every((x) => x.odds_ratio === '' && x.ci_low === '')).toBe(true);
    near(m[3].odds_ratio, Math.exp(o.beta[0]), 1e-6, 'odds ratio');
    o.dropP.forEach((w: number, i: number) => near(m[3 + i].lr_p, w, 1e-5, `drop-one LR p ${m[3 + i].term}`));
  });
  it('proportional odds holds here: LR tests equal R (1e-5), no warning', () => {
    const po = r.json.family.po_tests;
    expect(po.map((t: { term: string }) => t.term)).toEqual(['trust', 'agreement', 'communication', 'age']);
    o.poLRT.forEach((w: number, i: number) => near(po[i].statistic, w, 1e-5, `PO LRT ${po[i].term}`));
    expect(codes(r.json)).not.toContain('proportional_odds');
  });
  it('one-trait models and dominance in the same family (McFadden R² from the log-likelihood)', () => {
    const p = table(r.dir, 'predictors.csv');
    p.forEach((row, i) => near(row.unadjusted_or, Math.exp(o.unadjusted[i]), 1e-6, `unadjusted ${row.predictor}`));
    p.forEach((row, i) => near(row.dominance, o.dominance.general[i], 1e-6, `dominance ${row.predictor}`));
    near(r.json.dominance.r2_full, o.dominance.r2Full, 1e-6, 'R² full');
    expect(p.find((row) => row.rank === '1')!.predictor).toBe('trust');
  });
  it('says why the outcome is ordinal and what its rate is', () => {
    const text = fs.readFileSync(path.join(r.dir, 'report.txt'), 'utf8');
    expect(text).toMatch(phrase('ordinal, 4 ordered categories (0 < 1 < 2 < 3); proportional-odds model (chosen with --outcome-type)'));
    expect(text).toMatch(phrase('the share above the lowest category ("0")'));
    expect(text).toMatch(phrase('respondents with higher trust and agreement scores report higher portal frequency'));
    expect(fs.readFileSync(path.join(r.dir, 'report.html'), 'utf8')).toContain('Categories, thresholds and the proportional-odds test');
  });
});

describe.skipIf(distMissing())('report: the proportional-odds warning', () => {
  it('fires for trust on data built so that trust raises any use but lowers heavy use', () => {
    const r = run(['--outcome', 'frequency_nonpo', '--outcome-type', 'ordinal'], 'rapport-nonpo-');
    expect(r.code, r.stderr).toBe(0);
    const po = r.json.family.po_tests;
    g.nonpo.poLRT.forEach((w: number, i: number) => near(po[i].statistic, w, 1e-5, `PO LRT ${po[i].term}`));
    const w = r.json.warnings.find((x: { code: string; message: string }) => x.code === 'proportional_odds' && x.message.startsWith('trust:'));
    expect(w?.message).toMatch(/trust: the proportional-odds assumption fails .*p < 0\.001/);
  });
});

describe.skipIf(distMissing())('report: count outcome (negative binomial)', () => {
  it('a column of whole numbers >= 0 is a count by default; model.csv equals glm.nb (1e-6), theta with SE, overdispersion note', () => {
    const r = run(['--outcome', 'portal_logins'], 'rapport-nb-');
    expect(r.code, r.stderr).toBe(0);
    const m = table(r.dir, 'model.csv');
    const c = g.count;
    expect(m.map((x) => x.term)).toEqual(['(Intercept)', 'trust', 'agreement', 'communication', '(theta)']);
    c.beta.forEach((w: number, i: number) => near(m[i].estimate, w, 1e-6, `beta ${m[i].term}`));
    c.se.forEach((w: number, i: number) => near(m[i].std_error, w, 1e-6, `SE ${m[i].term}`));
    c.p.forEach((w: number, i: number) => near(m[i].p_value, w, 1e-5, `p ${m[i].term}`));
    near(m[1].odds_ratio, Math.exp(c.beta[1]), 1e-6, 'rate ratio');
    near(m[4].estimate, c.theta, 1e-6, 'theta');
    near(m[4].std_error, c.thetaSe, 1e-6, 'theta SE');
    expect(new Set(m.map((x) => x.method))).toEqual(new Set(['negbin']));
    expect(r.json.family.type).toBe('count');
    expect(codes(r.json)).toContain('overdispersion');
    const p = table(r.dir, 'predictors.csv');
    p.forEach((row, i) => near(row.dominance, c.dominance.general[i], 1e-6, `dominance ${row.predictor}`));
    const text = fs.readFileSync(path.join(r.dir, 'report.txt'), 'utf8');
    expect(text).toMatch(phrase('a count; negative binomial model (the default for a column of whole numbers 0 or more'));
    expect(text).toMatch(phrase('times the expected number of portal logins'));
  });
  it('under-dispersed counts: theta runs off to infinity, the Poisson-limit note, drop-one LR p as drop1 on glm(poisson)', () => {
    const r = run(['--outcome', 'frequency_nonpo', '--outcome-type', 'count'], 'rapport-pois-');
    expect(r.code, r.stderr).toBe(0);
    expect(codes(r.json)).toEqual(['no_overdispersion']);
    const m = table(r.dir, 'model.csv');
    g.poisson.beta.forEach((w: number, i: number) => near(m[i].estimate, w, 1e-6, `beta ${m[i].term}`));
    g.poisson.dropP.forEach((w: number, i: number) => near(m[i + 1].lr_p, w, 1e-5, `drop-one p ${m[i + 1].term}`));
  });
  it('--weights (a design-based logistic model) and --cluster are refused for a count, exit 2', () => {
    const r = run(['--outcome', 'portal_logins', '--weights', 'age'], 'rapport-nb-w-');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--weights: the design-based model is a logistic one; portal_logins is a count/);
    const c = run(['--outcome', 'portal_logins', '--cluster', 'age'], 'rapport-nb-c-');
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/--cluster: the clinician-level models are logistic ones; portal_logins is a count/);
  });
  it('a count joined from another file with --join is a count too', () => {
    const dir = tmpDir('rapport-nb-join-');
    const lines = fs.readFileSync(path.join(ROOT, data), 'utf8').trim().split('\n').map((l) => l.split(','));
    const h = lines[0];
    const keep = (cols: string[]) => lines.map((r) => cols.map((c) => r[h.indexOf(c)]).join(',')).join('\n') + '\n';
    fs.writeFileSync(path.join(dir, 'survey.csv'), keep(['id', 'trust', 'agreement', 'communication']));
    fs.writeFileSync(path.join(dir, 'ehr.csv'), keep(['id', 'portal_logins']));
    const out = path.join(dir, 'out');
    const r = rapport(['report', path.join(dir, 'survey.csv'), ...TRAITS, '--outcome', 'portal_logins', '--join', path.join(dir, 'ehr.csv'), '--on', 'id', '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const m = table(out, 'model.csv');
    g.count.beta.forEach((w: number, i: number) => near(m[i].estimate, w, 1e-6, `joined beta ${m[i].term}`));
  });
});

describe.skipIf(distMissing())('report: choosing the outcome type', () => {
  const sample = ['report', 'fixtures/sample/qualtrics-sample.csv', '--instrument', 'relationship-engagement'];
  it('an item with 4 ordered options is ordinal by default; thresholds are named by the option labels', () => {
    const dir = tmpDir('rapport-item-ord-');
    const r = rapport([...sample, '--outcome', 'portal_frequency', '--out', dir, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const m = table(dir, 'model.csv');
    expect(m.slice(0, 3).map((x) => x.term)).toEqual(['Not at all|Once or twice', 'Once or twice|3 to 9 times', '3 to 9 times|10 times or more']);
    expect(r.stdout).toMatch(phrase('proportional-odds model (the default for an item with 4 ordered options)'));
  });
  it('--positive keeps the yes/no model; --outcome-type binary without it asks for --positive', () => {
    const dir = tmpDir('rapport-item-bin-');
    const r = rapport([...sample, '--outcome', 'portal_frequency', '--positive', '2,3', '--out', dir, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(new Set(table(dir, 'model.csv').map((x) => x.method))).toEqual(new Set(['ml']));
    const b = rapport([...sample, '--outcome', 'portal_frequency', '--outcome-type', 'binary', '--out', tmpDir('rapport-item-b2-'), '--quiet']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/say which count as positive with --positive/);
  });
  it('usage errors: --method with an ordinal outcome, --outcome-type count on an item, --positive with ordinal', () => {
    const a = rapport([...sample, '--outcome', 'portal_frequency', '--method', 'firth', '--out', tmpDir('rapport-e1-'), '--quiet']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--method firth chooses between logistic fits/);
    const b = rapport([...sample, '--outcome', 'portal_frequency', '--outcome-type', 'count', '--out', tmpDir('rapport-e2-'), '--quiet']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/portal_frequency is a choice item/);
    const c = rapport([...sample, '--outcome', 'portal_frequency', '--outcome-type', 'ordinal', '--positive', '3', '--out', tmpDir('rapport-e3-'), '--quiet']);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/--positive applies to a yes\/no outcome/);
  });
});
