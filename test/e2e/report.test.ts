/**
 * `rapport report` end to end through the built CLI (npm test builds first): every CSV checked against
 * golden values from R (test/reference/report-golden.R → report-golden.json: glm, brglm2, psych::alpha,
 * psych::omega, t.test, prop.test, a hand-written general dominance analysis), the text report's
 * sections and formats, small-cell suppression in every output, --join, the failure path (exit 65 with
 * everything else written), determinism, and the HTML page rendered in headless Chromium.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { parse } from 'csv-parse/sync';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, distMissing, rapport, tmpDir, BIN } from '../helpers/cli.js';

const golden = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/reference/report-golden.json'), 'utf8'));
const fx = (f: string) => path.join('fixtures', 'report', f);
const skip = distMissing();
if (skip) console.warn('test/e2e/report.test.ts: dist/ is missing, so the report end-to-end tests are skipped (run npx tsc -p tsconfig.json).');

type Row = Record<string, string>;
function readCsv(file: string): { header: string[]; rows: Row[] } {
  const recs: string[][] = parse(fs.readFileSync(file, 'utf8'), { relax_column_count: false });
  const header = recs[0];
  return { header, rows: recs.slice(1).map((r) => Object.fromEntries(header.map((h, j) => [h, r[j]]))) };
}

/** |a - b| <= tol * max(|b|, tiny): relative error, with an absolute floor for values near 0. */
function close(actual: string | number | null | undefined, expected: number | null, tol = 1e-6, floor = 1e-12): void {
  if (expected === null || expected === undefined) {
    expect(actual === '' || actual === null || actual === undefined).toBe(true);
    return;
  }
  const a = typeof actual === 'string' ? Number(actual) : (actual as number);
  expect(typeof actual === 'string' ? actual.length > 0 : actual !== null).toBe(true);
  const err = Math.abs(a - expected);
  const lim = tol * Math.max(Math.abs(expected), floor);
  if (!(err <= lim)) throw new Error(`expected ${expected}, got ${actual} (relative error ${err / Math.abs(expected)})`);
}

const arr = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

const TRAITS = ['trust', 'respect', 'liking', 'listening', 'agreement', 'communication'];

function checkModel(dir: string, g: any, method: string) {
  const { header, rows } = readCsv(path.join(dir, 'model.csv'));
  expect(header.slice(0, 8)).toEqual(['term', 'estimate', 'std_error', 'z', 'p_value', 'odds_ratio', 'ci_low', 'ci_high']);
  expect(rows.map((r) => r.term)).toEqual(arr(g.model.term));
  rows.forEach((r, j) => {
    close(r.estimate, arr(g.model.estimate)[j]);
    close(r.std_error, arr(g.model.std_error)[j]);
    close(r.z, arr(g.model.z)[j]);
    close(r.p_value, arr(g.model.p_value)[j]);
    close(r.odds_ratio, arr(g.model.odds_ratio)[j]);
    close(r.ci_low, arr(g.model.ci_low)[j]);
    close(r.ci_high, arr(g.model.ci_high)[j]);
    expect(r.method).toBe(method);
  });
}

function checkPredictors(dir: string, g: any, opts: { dominance: boolean }) {
  const { header, rows } = readCsv(path.join(dir, 'predictors.csv'));
  expect(header.slice(0, 13)).toEqual([
    'predictor',
    'rank',
    'unadjusted_or',
    'unadjusted_ci_low',
    'unadjusted_ci_high',
    'unadjusted_p',
    'adjusted_or',
    'adjusted_ci_low',
    'adjusted_ci_high',
    'adjusted_p',
    'adjusted_p_holm',
    'dominance',
    'auc',
  ]);
  const p = g.predictors;
  expect(rows.map((r) => r.predictor)).toEqual(arr(p.predictor));
  rows.forEach((r, j) => {
    for (const k of ['unadjusted_or', 'unadjusted_ci_low', 'unadjusted_ci_high', 'unadjusted_p', 'adjusted_or', 'adjusted_ci_low', 'adjusted_ci_high', 'adjusted_p', 'adjusted_p_holm', 'auc'])
      close(r[k], arr(p[k])[j]);
    expect(Number(r.unadjusted_n)).toBe(arr(p.unadjusted_n)[j]);
    if (opts.dominance) {
      close(r.dominance, arr(p.dominance)[j]);
      expect(Number(r.rank)).toBe(arr(p.rank)[j]);
    }
  });
}

describe.skipIf(skip)('rapport report: survey export scored with the built-in instrument (golden A)', () => {
  const dir = tmpDir('rapport-report-a-');
  let res: ReturnType<typeof rapport>;
  const args = [
    'report',
    fx('survey.csv'),
    '--instrument',
    'relationship-engagement',
    '--id-column',
    'ResponseId',
    '--outcome',
    'portal_use',
    '--covariates',
    'age,sex',
    '--group-by',
    'clinic',
    '--bootstrap',
    '500', // the default, written out: rapport() in the tests otherwise draws none (test/helpers/cli.ts)
    '--out',
    dir,
  ];
  beforeAll(() => {
    res = rapport(args);
  });
  const A = golden.A;

  it('exits 0, prints report.txt on stdout, writes every file', () => {
    expect(res.stderr).not.toMatch(/internal error/);
    expect(res.code).toBe(0);
    const files = fs.readdirSync(dir).sort();
    expect(files).toEqual(
      ['.rapport-manifest.json', 'descriptives.csv', 'groups.csv', 'model.csv', 'predictors.csv', 'reliability.csv', 'reliability_items.csv', 'report.html', 'report.txt', 'summary.json'].sort(),
    );
    expect(res.stdout).toBe(fs.readFileSync(path.join(dir, 'report.txt'), 'utf8'));
  });

  it('model.csv equals R glm (standardised traits, sex dummies against the first sorted level)', () => checkModel(dir, A.report, 'ml'));

  it('predictors.csv equals R: unadjusted and adjusted ORs, Holm p, dominance weights and rank, AUC', () => checkPredictors(dir, A.report, { dominance: true }));

  it('reliability.csv and reliability_items.csv equal psych::alpha and psych::omega', () => {
    const { header, rows } = readCsv(path.join(dir, 'reliability.csv'));
    expect(header.slice(0, 9)).toEqual(['scale', 'n_items', 'n', 'alpha', 'alpha_ci_low', 'alpha_ci_high', 'std_alpha', 'omega_total', 'average_r']);
    expect(rows.map((r) => r.scale)).toEqual(TRAITS);
    for (const r of rows) {
      const g = A.reliability[r.scale];
      expect(Number(r.n_items)).toBe(g.n_items);
      expect(Number(r.n)).toBe(g.n);
      close(r.alpha, g.alpha);
      close(r.alpha_ci_low, g.alpha_ci_low);
      close(r.alpha_ci_high, g.alpha_ci_high);
      close(r.std_alpha, g.std_alpha);
      close(r.average_r, g.average_r);
      close(r.omega_total, g.omega_total, 1e-3);
    }
    expect(rows.find((r) => r.scale === 'trust')!.flags).toContain('ceiling');
    const items = readCsv(path.join(dir, 'reliability_items.csv'));
    expect(items.header).toEqual(['scale', 'item', 'r_drop', 'alpha_if_deleted', 'mean', 'sd', 'missing_pct']);
    expect(items.rows.length).toBe(22);
    for (const r of items.rows) {
      const g = A.reliability[r.scale];
      const j = g.items.indexOf(r.item);
      expect(j).toBeGreaterThanOrEqual(0);
      close(r.r_drop, g.r_drop[j]);
      close(r.alpha_if_deleted, g.alpha_if_deleted[j]);
      close(r.mean, g.mean[j]);
      close(r.sd, g.sd[j]);
      close(r.missing_pct, g.missing_pct[j]);
    }
  });

  it('descriptives.csv equals R (quantile type 7, t.test Welch, Cohen d with CI, Mann-Whitney AUC)', () => {
    const { header, rows } = readCsv(path.join(dir, 'descriptives.csv'));
    expect(header[0]).toBe('scale');
    expect(rows.map((r) => r.scale)).toEqual(TRAITS);
    for (const r of rows) {
      const g = A.descriptives[r.scale];
      for (const k of Object.keys(g)) close(r[k], g[k], 1e-6, 1e-9);
    }
  });

  it('groups.csv: Wilson CIs and t CIs as R, and the group below --min-cell shows n <11 and nothing else', () => {
    const { header, rows } = readCsv(path.join(dir, 'groups.csv'));
    expect(header.slice(0, 6)).toEqual(['group', 'n', 'n_outcome', 'outcome_rate', 'rate_ci_low', 'rate_ci_high']);
    expect(rows.map((r) => r.group)).toEqual(Object.keys(A.groups));
    // Complementary suppression: one group under --min-cell means the smallest other group is withheld
    // too (n shown as >=11), so the small one's size cannot be worked out from the total.
    const names = Object.keys(A.groups);
    const primary = names.filter((k) => A.groups[k].suppressed);
    const shown = names.filter((k) => !A.groups[k].suppressed).sort((a, b) => A.groups[a].n - A.groups[b].n);
    const secondary = primary.length === 1 ? shown[0] : undefined;
    expect(primary.length).toBeGreaterThan(0);
    for (const r of rows) {
      const g = A.groups[r.group];
      if (g.suppressed || r.group === secondary) {
        expect(r.n).toBe(g.suppressed ? '<11' : '>=11');
        for (const [k, v] of Object.entries(r)) if (k !== 'group' && k !== 'n') expect(v).toBe('');
        continue;
      }
      expect(Number(r.n)).toBe(g.n);
      expect(Number(r.n_outcome)).toBe(g.n_outcome);
      close(r.outcome_rate, g.rate);
      close(r.rate_ci_low, g.rate_low);
      close(r.rate_ci_high, g.rate_high);
      for (const t of TRAITS) {
        close(r[`${t}_mean`], g.traits[t].mean);
        close(r[`${t}_ci_low`], g.traits[t].low);
        close(r[`${t}_ci_high`], g.traits[t].high);
      }
    }
  });

  it('summary.json: counts, fit statistics as R, suppression, status ok; the run time only under "run"', () => {
    const s = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));
    expect(s.status).toBe('ok');
    expect(s.counts.read).toBe(A.n_read);
    expect(s.outcome.n_missing).toBe(A.outcome_missing);
    expect(s.outcome.n_positive).toBe(A.positive);
    expect(s.sample.n).toBe(A.report.n);
    expect(s.sample.dropped.reduce((a: number, d: any) => a + d.n, 0)).toBe(A.report.dropped);
    const f = s.model.fit;
    expect(f.events).toBe(A.report.events);
    close(f.deviance, A.report.fit.deviance);
    close(f.null_deviance, A.report.fit.null_deviance);
    close(f.nagelkerke, A.report.fit.nagelkerke);
    close(f.mcfadden, A.report.fit.mcfadden);
    close(f.auc, A.report.fit.auc.auc);
    close(f.auc_ci_low, A.report.fit.auc.low);
    close(f.auc_ci_high, A.report.fit.auc.high);
    close(f.hl_statistic, A.report.fit.hoslem.statistic);
    close(f.hl_p, A.report.fit.hoslem.p);
    close(f.lr_statistic, A.report.fit.lr);
    const vif = s.model.terms.filter((t: any) => t.term !== '(Intercept)').map((t: any) => t.vif);
    // the GVIF of each row's variable (car::vif on the design; for a one-column term its VIF)
    vif.forEach((v: number, j: number) => close(v, A.report.fit.gvif[j]));
    const mobile = s.groups.rows.find((r: any) => r.group === 'Mobile unit');
    expect(mobile).toMatchObject({ n: null, n_label: '<11', suppressed: true, rate: null, n_outcome: null, events: null });
    expect(mobile.traits.every((t: any) => t.mean === null && t.n === null)).toBe(true);
    expect(Object.keys(s.run).sort()).toEqual(['elapsed_seconds', 'started_at']);
  });

  it('report.txt: every section, odds ratios as "1.92 (95% CI 1.55–2.36)", p like R, plain-language ranking', () => {
    const t = fs.readFileSync(path.join(dir, 'report.txt'), 'utf8');
    for (const h of ['WHAT WAS ANALYSED', 'SCALE RELIABILITY', 'TRAIT MEANS BY PORTAL USE', 'ADJUSTED MODEL', 'WHICH TRAITS MATTER MOST', 'MODEL FIT', 'PORTAL USE BY CLINIC', 'WARNINGS', 'READ WITH CARE'])
      expect(t).toContain(h);
    const p = A.report.predictors;
    const i = p.predictor.indexOf('trust');
    const f = (x: number) => x.toFixed(2);
    expect(t).toContain(`trust (per SD)             ${f(p.adjusted_or[i])} (95% CI ${f(p.adjusted_ci_low[i])}–${f(p.adjusted_ci_high[i])})  < 0.001`);
    expect(t).toMatch(/1\. Each 1-SD higher trust score went with 1\.92 times the odds of portal use,\s+after adjusting for respect, liking, listening, agreement, communication,\s+age and sex/);
    expect(t).toContain('├');
    expect(t).toMatch(/Events per variable\s+45\.1/);
    expect(t).toMatch(/AUC\s+0\.768 \(95% CI 0\.737–0\.799, DeLong\)/);
    expect(t).toContain('Hosmer–Lemeshow');
    expect(t).toContain('Nagelkerke R²        0.286');
    expect(t).toMatch(/Mobile unit\s+<11\s+suppressed/);
    expect(t).toContain('cross-sectional');
    expect(t).toMatch(
      /IN SHORT\n-+\n\s+- Higher\s+odds\s+of\s+portal\s+use\s+with\s+higher\s+trust\s+\(odds\s+ratio\s+1\.92\s+per\s+SD\)\s+and\s+patient-centred\s+communication\s+\(1\.60\)\.\n\s+- No\s+clear\s+difference\s+with\s+respect,\s+liking,\s+listening\s+and\s+agreement\.\n\s+- Each\s+trait\s+adjusted\s+for\s+the\s+other\s+traits,\s+age\s+and\s+sex;\s+clear\s+means\s+Holm-adjusted\s+p\s+<\s+0\.05\.\n\s+- Most\s+likely\s+trust\s+matters\s+most\s+\(first\s+in\s+88%\s+of\s+500\s+resamples;\s+37%\s+of\s+the\s+variation\s+the\s+traits\s+explain\s+together/,
    );
    expect(t).not.toMatch(/\b0\.000\b/);
    expect(t).not.toMatch(/p = 0(\s|$)/);
  });

  it('never writes respondent ids or free-text answers into any output', () => {
    for (const f of fs.readdirSync(dir)) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      expect(text).not.toContain('PRIVATE-NOTE');
      expect(text).not.toMatch(/R_\d{5}/);
    }
    expect(res.stdout).not.toMatch(/R_\d{5}/);
  });

  it('the same input gives byte-identical files (apart from summary.json "run")', () => {
    const dir2 = tmpDir('rapport-report-a2-');
    const r2 = rapport([...args.slice(0, -1), dir2, '--quiet']);
    expect(r2.code).toBe(0);
    expect(r2.stderr).toBe('');
    for (const f of fs.readdirSync(dir)) {
      const a = fs.readFileSync(path.join(dir, f), 'utf8');
      const b = fs.readFileSync(path.join(dir2, f), 'utf8');
      if (f === 'summary.json' || f === '.rapport-manifest.json') {
        // The manifest holds each file's SHA-256, so summary.json's hash differs with its "run" too.
        const strip = (x: string) => {
          const o = JSON.parse(x);
          delete o.run;
          if (o.files) delete o.files['summary.json'];
          return JSON.stringify(o);
        };
        expect(strip(b)).toBe(strip(a));
      } else expect(b).toBe(a);
    }
  });

  it('the worker thread (forced with RAPPORT_REPORT_WORKER=1) gives the same files as inline work', () => {
    const dir3 = tmpDir('rapport-report-a3-');
    const r3 = rapport([...args.slice(0, -1), dir3, '--quiet', '--debug'], { env: { RAPPORT_REPORT_WORKER: '1' } });
    expect(r3.code).toBe(0);
    expect(r3.stderr).toMatch(/timing: 2 job\(s\) ran in a worker thread/);
    for (const f of fs.readdirSync(dir)) {
      if (f === 'summary.json' || f === '.rapport-manifest.json') continue;
      expect(fs.readFileSync(path.join(dir3, f), 'utf8')).toBe(fs.readFileSync(path.join(dir, f), 'utf8'));
    }
  });

  it('--min-cell changes the suppression threshold everywhere', () => {
    const d = tmpDir('rapport-report-mc-');
    const r = rapport([...args.slice(0, -1), d, '--min-cell', '75', '--format', 'json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.groups.rows.filter((x: any) => x.suppressed).map((x: any) => x.group)).toEqual(['Mobile unit', 'Old Town']);
    const g = readCsv(path.join(d, 'groups.csv')).rows.find((x) => x.group === 'Old Town')!;
    expect(g.n).toBe('<75');
    expect(g.outcome_rate).toBe('');
    const html = fs.readFileSync(path.join(d, 'report.html'), 'utf8');
    expect(html).toContain('n &lt;75: suppressed');
    expect(html).not.toMatch(/Old Town[^\n]*40\.6%/);
    expect(fs.readFileSync(path.join(d, 'report.txt'), 'utf8')).toMatch(/Old Town\s+<75\s+suppressed/);
  });
});

const SAMPLE = path.join(ROOT, 'fixtures/sample/qualtrics-sample.csv');
describe.skipIf(skip || !fs.existsSync(SAMPLE))('npm start: the report on the bundled Qualtrics sample', () => {
  it('reads the Qualtrics export, and the traits with a true effect come out on top', () => {
    const dir = tmpDir('rapport-report-sample-');
    const r = rapport(['report', 'fixtures/sample/qualtrics-sample.csv', '--instrument', 'relationship-engagement', '--outcome', 'portal_use', '--out', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Input\s+fixtures\/sample\/qualtrics-sample\.csv \(Qualtrics export\)/);
    const s = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));
    expect(s.counts.read).toBe(400);
    // simulated with odds ratios trust 2.0, agreement 1.6, communication 1.4 and 1 for the others
    const top3 = s.predictor_rows.filter((p: any) => p.rank <= 3).map((p: any) => p.predictor).sort();
    expect(top3).toEqual(['agreement', 'communication', 'trust']);
  });
});

describe.skipIf(skip)('rapport report --join (golden B)', () => {
  it('takes the outcome from the EHR file by key, counts unmatched respondents, and fits as R', () => {
    const dir = tmpDir('rapport-report-b-');
    const r = rapport([
      'report',
      fx('survey.csv'),
      '--instrument',
      'relationship-engagement',
      '--id-column',
      'ResponseId',
      '--join',
      fx('ehr-logins.csv'),
      '--on',
      'ResponseId',
      '--outcome',
      'portal_login',
      '--positive',
      'yes',
      '--covariates',
      'age',
      '--out',
      dir,
    ]);
    expect(r.code).toBe(0);
    const B = golden.B;
    checkModel(dir, B.report, 'ml');
    checkPredictors(dir, B.report, { dominance: true });
    const s = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));
    expect(s.input.join).toMatchObject({ on: 'ResponseId', rows: B.join_rows, unmatched: B.unmatched, unused: B.join_unused, matched: 900 - B.unmatched, columns: ['portal_login'] });
    expect(s.sample.n).toBe(B.report.n);
    expect(r.stdout).toMatch(/Joined\s+fixtures\/report\/ehr-logins\.csv on ResponseId/);
    expect(r.stdout).toMatch(/40 of 900 respondents have no row in\s+fixtures\/report\/ehr-logins\.csv/);
  });
});

describe.skipIf(skip)('rapport report on an already scored file (golden C and F)', () => {
  const base = ['report', fx('scored.csv'), '--predictors', 'trust,respect,communication', '--outcome', 'uses_portal', '--covariates', 'sex'];
  it('scores per SD as R; reliability is skipped and says why', () => {
    const dir = tmpDir('rapport-report-c-');
    const r = rapport([...base, '--out', dir]);
    expect(r.code).toBe(0);
    checkModel(dir, golden.C.report, 'ml');
    checkPredictors(dir, golden.C.report, { dominance: true });
    for (const row of readCsv(path.join(dir, 'descriptives.csv')).rows) {
      const g = golden.C.descriptives[row.scale];
      for (const k of Object.keys(g)) close(row[k], g[k], 1e-6, 1e-9);
    }
    expect(readCsv(path.join(dir, 'reliability.csv')).rows).toEqual([]);
    expect(r.stdout).toMatch(/Not computed: the input is an already scored file/);
    expect(r.stdout).toMatch(/"Yes" counts as uses portal \(default: 1, yes or true\)/);
  });
  it('--raw-units gives odds ratios per scale point as R', () => {
    const dir = tmpDir('rapport-report-f-');
    const r = rapport([...base, '--raw-units', '--out', dir]);
    expect(r.code).toBe(0);
    checkModel(dir, golden.F.report, 'ml');
    checkPredictors(dir, golden.F.report, { dominance: true });
    expect(r.stdout).toContain('Each 1-point higher trust score');
    expect(readCsv(path.join(dir, 'predictors.csv')).rows[0].units).toBe('raw');
  });
});

describe.skipIf(skip)('rapport report: separation and failures', () => {
  it('--method auto switches to Firth on complete separation and says so (estimates equal brglm2)', () => {
    const dir = tmpDir('rapport-report-d-');
    // --ci wald: the Wald CIs and p of brglm2's summary (the default, profile penalised likelihood, is
    // checked against logistf's published values in report-inference.test.ts)
    const r = rapport(['report', fx('separation.csv'), '--predictors', 'trust,respect', '--outcome', 'portal', '--ci', 'wald', '--out', dir]);
    expect(r.code).toBe(0);
    checkModel(dir, golden.D.report, 'firth');
    checkPredictors(dir, golden.D.report, { dominance: false });
    expect(r.stdout).toMatch(/Method\s+Firth’s bias-reduced logistic regression, because the data show\s+complete\s+separation \(by trust\)/);
    expect(r.stdout).toMatch(/Switched to Firth’s method/);
    const s = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));
    expect(s.method).toMatchObject({ requested: 'auto', used: 'firth', separation: { detected: true, kind: 'complete', terms: ['trust'] } });
  });

  it('--method ml keeps maximum likelihood and warns about the separation', () => {
    const dir = tmpDir('rapport-report-d2-');
    const r = rapport(['report', fx('separation.csv'), '--predictors', 'trust,respect', '--outcome', 'portal', '--method', 'ml', '--out', dir, '--format', 'json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.method.used).toBe('ml');
    expect(s.warnings.some((w: any) => w.code === 'separation')).toBe(true);
  });

  it('one outcome class: exit 65, everything else written, the reason in report.txt and summary.json', () => {
    const dir = tmpDir('rapport-report-e-');
    const r = rapport(['report', fx('one-class.csv'), '--predictors', 'trust,respect', '--outcome', 'portal', '--out', dir]);
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/the model could not be fitted: all 80 respondents in the model have the same outcome/);
    const s = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));
    expect(s.status).toBe('model_not_fitted');
    expect(s.model_error).toMatch(/same outcome/);
    expect(s.model).toBeNull();
    const t = fs.readFileSync(path.join(dir, 'report.txt'), 'utf8');
    expect(t).toMatch(/The model could not be fitted: all 80 respondents/);
    expect(readCsv(path.join(dir, 'model.csv')).rows).toEqual([]);
    const d = readCsv(path.join(dir, 'descriptives.csv')).rows;
    expect(d.map((x) => x.scale)).toEqual(['trust', 'respect']);
    expect(Number(d[0].n)).toBe(80);
    expect(fs.existsSync(path.join(dir, 'report.html'))).toBe(true);
  });

  it('an outcome with more than two values and no --positive is an error giving their number and the three most common', () => {
    const r = rapport(['report', fx('survey.csv'), '--instrument', 'relationship-engagement', '--outcome', 'clinic', '--out', tmpDir()]);
    expect(r.code).toBe(65);
    // Clinics: Hilltop 234, Northside 218, Lakeside 191, Riverside 179, Old Town 71, Mobile unit 7 (no counts, no rare value).
    expect(r.stderr).toContain('the outcome column "clinic" has 6 different values (the most common: "Hilltop", "Northside", "Lakeside", ...); say which mean "uses the portal" with --positive');
    expect(r.stderr).not.toMatch(/Mobile unit|\(\d+\)/);
  });

  it('an unknown variable is an error naming what is available; --join without --on is a usage error', () => {
    const r = rapport(['report', fx('scored.csv'), '--predictors', 'trust,trustt', '--outcome', 'uses_portal', '--out', tmpDir()]);
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/the predictor "trustt" is not a column of the input; available: id, trust, respect, communication, sex, uses_portal/);
    const u = rapport(['report', fx('scored.csv'), '--predictors', 'trust', '--outcome', 'uses_portal', '--join', fx('ehr-logins.csv')]);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/--join and --on go together/);
  });

  it('reads standard input with -, and exits 66 for a missing input and 73 when --out cannot be created', () => {
    const dir = tmpDir('rapport-report-stdin-');
    const r = rapport(['report', '-', '--predictors', 'trust,respect', '--outcome', 'uses_portal', '--out', dir, '--format', 'json'], {
      input: fs.readFileSync(path.join(ROOT, fx('scored.csv'))),
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).input.file).toBe('<stdin>');
    const missing = rapport(['report', 'no-such.csv', '--predictors', 'trust', '--outcome', 'y', '--out', dir]);
    expect(missing.code).toBe(66);
    expect(missing.stderr).toMatch(/no-such\.csv: no such file/);
    const blocked = rapport(['report', fx('scored.csv'), '--predictors', 'trust', '--outcome', 'uses_portal', '--out', path.join(ROOT, 'package.json', 'sub')]);
    expect(blocked.code).toBe(73);
    expect(blocked.stderr).not.toMatch(/internal error/);
  });

  it('--title, --period and --outcome-label take one line of text: empty, too long or a control character is exit 2', () => {
    for (const [flag, value] of [['--title', ''], ['--period', '2026\nQ4'], ['--outcome-label', 'x'.repeat(201)], ['--title', 'a\u001b[31mb']]) {
      const r = rapport(['report', fx('scored.csv'), '--predictors', 'trust,respect', '--outcome', 'uses_portal', flag, value, '--out', tmpDir('rapport-report-title-')]);
      expect(r.code, `${flag} ${JSON.stringify(value)}`).toBe(2);
      expect(r.stderr).toContain(`${flag} `);
      expect(r.stderr).toMatch(/give one line of text \(1 to 200 characters, no control characters\)/);
      expect(r.stderr).not.toContain('\u001b');
    }
  });

  it('a closed stdout pipe ends quietly', () => {
    const dir = tmpDir('rapport-report-pipe-');
    const r = spawnSync('/bin/sh', ['-c', `node "${BIN}" report ${fx('scored.csv')} --predictors trust,respect --outcome uses_portal --out "${dir}" | head -n 1`], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('Which relationship traits go with uses portal\n');
    expect(r.stderr).not.toMatch(/EPIPE|Error/);
    expect(fs.existsSync(path.join(dir, 'summary.json'))).toBe(true);
  });
});

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
if (!CHROMIUM && !skip) console.warn('test/e2e/report.test.ts: chromium is not installed, so the HTML rendering test is skipped (apt-get install chromium).');

describe.skipIf(skip || !CHROMIUM)('report.html in headless Chromium', () => {
  it('is self-contained and renders to a screenshot', () => {
    const dir = tmpDir('rapport-report-html-');
    const r = rapport([
      'report',
      fx('survey.csv'),
      '--instrument',
      'relationship-engagement',
      '--outcome',
      'portal_use',
      '--covariates',
      'age,sex',
      '--group-by',
      'clinic',
      '--out',
      dir,
      '--quiet',
    ]);
    expect(r.code).toBe(0);
    const htmlFile = path.join(dir, 'report.html');
    const html = fs.readFileSync(htmlFile, 'utf8');
    expect(html).not.toMatch(/<script|<link|@import|url\(|https?:\/\//i);
    expect((html.match(/<svg /g) ?? []).length).toBe(10); // forest, dominance, distributions, calibration, groups: each wide (desktop, print) and narrow (phone)
    expect(html).toContain('@media print');
    const png = path.join(dir, 'page.png');
    const profile = tmpDir('rapport-chromium-');
    const c = spawnSync(
      CHROMIUM!,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        `--user-data-dir=${profile}`,
        `--screenshot=${png}`,
        '--window-size=1200,3000',
        `file://${htmlFile}`,
      ],
      { encoding: 'utf8', timeout: 90_000 },
    );
    expect(c.status).toBe(0);
    const buf = fs.readFileSync(png);
    expect(buf.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(buf.readUInt32BE(16)).toBe(1200); // width from the IHDR chunk
    expect(buf.readUInt32BE(20)).toBe(3000);
    expect(buf.length).toBeGreaterThan(100_000); // a page with charts and text, not a blank one
  });
});
