/**
 * `rapport report --weights` (and --strata, --replicate-weights) through the built CLI against R's
 * survey package (test/reference/svy-design-golden.R on test/reference/svy-design.csv): model.csv's
 * design-based estimates, SEs, t p-values and CIs to 1e-6, the weighted rate and means with their
 * intervals, svyby rates by group, the design summary (sum of weights, Kish n); and the bad-weight
 * rules (exit 65 with file, line and column; missing weights dropped with a counted warning).
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, distMissing, rapport, tmpDir } from '../helpers/cli.js';

const G = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/reference/svy-design-golden.json'), 'utf8'));
const DATA = 'test/reference/svy-design.csv';
const BASE = ['report', DATA, '--predictors', 'trust,communication', '--covariates', 'age,female', '--outcome', 'portal_use', '--weights', 'weight', '--quiet'];

function table(dir: string, name: string): Record<string, string>[] {
  return parse(fs.readFileSync(path.join(dir, name), 'utf8'), { columns: true });
}

const rel = (got: string | number, want: number, tol: number, label: string) => {
  const g = Number(got);
  expect(Math.abs(g - want) / Math.max(Math.abs(want), 1e-300), `${label}: ${g} vs R ${want}`).toBeLessThan(tol);
};

function checkModel(dir: string, ref: any, method: string) {
  const rows = table(dir, 'model.csv');
  expect(rows.map((r) => r.term)).toEqual(ref.terms);
  rows.forEach((r, j) => {
    expect(r.method).toBe(method);
    rel(r.estimate, ref.estimate[j], 1e-6, `${r.term} estimate`);
    rel(r.std_error, ref.se[j], 1e-6, `${r.term} se`);
    rel(r.p_value, ref.p[j], 1e-6, `${r.term} p`);
    rel(r.odds_ratio, ref.or[j], 1e-6, `${r.term} or`);
    rel(r.ci_low, ref.ci_low[j], 1e-6, `${r.term} ci_low`);
    rel(r.ci_high, ref.ci_high[j], 1e-6, `${r.term} ci_high`);
    expect(r.lr_p).toBe('');
  });
}

function checkSummary(dir: string, ref: any) {
  const s = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));
  const d = s.design;
  rel(d.sum_weights, ref.sum_weights, 1e-12, 'sum of weights');
  rel(d.effective_n, ref.kish_n, 1e-12, 'Kish n');
  expect(d.df).toBe(ref.degf);
  const [rate, ...means] = ref.means;
  rel(d.outcome.estimate, rate.mean, 1e-10, 'weighted rate');
  rel(d.outcome.se, rate.se, 1e-8, 'rate se');
  rel(d.outcome.ci_low, ref.rate_ci[0], 1e-7, 'rate ci low');
  rel(d.outcome.ci_high, ref.rate_ci[1], 1e-7, 'rate ci high');
  means.forEach((m: any, k: number) => {
    const t = d.traits[k];
    expect(t.predictor).toBe(m.variable);
    rel(t.estimate, m.mean, 1e-10, `${m.variable} mean`);
    rel(t.se, m.se, 1e-8, `${m.variable} se`);
    rel(t.ci_low, m.ci[0], 1e-8, `${m.variable} ci low`);
    rel(t.ci_high, m.ci[1], 1e-8, `${m.variable} ci high`);
  });
  const pred = table(dir, 'predictors.csv');
  rel(pred[0].adjusted_or, ref.or[1], 1e-6, 'predictors.csv adjusted OR');
  expect(pred[0].weighted).toBe('unadjusted;adjusted;dominance');
  return s;
}

describe.skipIf(distMissing())('report --weights against R survey', () => {
  it('weights and strata: model.csv as svyglm, weighted rates by group as svyby, text says weighted', () => {
    const dir = tmpDir('rapport-design-strata-');
    const r = rapport([...BASE, '--strata', 'stratum', '--group-by', 'stratum', '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    checkModel(dir, G.report_strata, 'svyglm');
    const s = checkSummary(dir, G.report_strata);
    expect(s.design.n_strata).toBe(4);
    const groups = table(dir, 'groups.csv');
    expect(Object.keys(groups[0])).toContain('weighted_outcome_rate');
    groups.forEach((g, k) => {
      expect(g.group).toBe(G.report_strata.by_stratum.group[k]);
      rel(g.weighted_outcome_rate, G.report_strata.by_stratum.rate[k], 1e-10, `${g.group} rate`);
    });
    const text = fs.readFileSync(path.join(dir, 'report.txt'), 'utf8');
    expect(text).toMatch(/Weighted \(design-based\) logistic regression/);
    expect(text).toMatch(/Weighted rate \(95% CI\)/);
    expect(s.warnings.map((w: any) => w.code)).toContain('design_dominance');
    expect(fs.readFileSync(path.join(dir, 'report.html'), 'utf8')).toMatch(/Weighted rate of portal use/);
  });

  it('weights only (each respondent a sampling unit)', () => {
    const dir = tmpDir('rapport-design-w-');
    const r = rapport([...BASE, '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    checkModel(dir, G.report_weights, 'svyglm');
    checkSummary(dir, G.report_weights);
  });

  it('weights, strata and --cluster: the clinicians are the sampling units (svydesign(ids = ~ clinician)), no clinician-level model', () => {
    const dir = tmpDir('rapport-design-cluster-');
    const r = rapport([...BASE, '--strata', 'stratum', '--cluster', 'clinician', '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    checkModel(dir, G.report_cluster_strata, 'svyglm');
    const s = checkSummary(dir, G.report_cluster_strata);
    expect(s.warnings.map((w: any) => w.code)).toContain('cluster_design');
    expect(fs.existsSync(path.join(dir, 'clusters.csv'))).toBe(false);
    const bad = rapport([...BASE, '--cluster', 'clinician', '--cluster-method', 'robust', '--out', tmpDir('rapport-design-cluster-bad-')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--cluster-method is for the clinician-level model/);
  });

  it('JK1 replicate weights', () => {
    const dir = tmpDir('rapport-design-rep-');
    const r = rapport([...BASE, '--replicate-weights', 'repw', '--replicate-type', 'jk1', '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    checkModel(dir, G.report_replicate, 'svyglm-jk1');
    const s = checkSummary(dir, G.report_replicate);
    expect(s.design.replicate).toEqual({ prefix: 'repw', type: 'jk1', replicates: 40 });
  });
});

/** A copy of the header and first data rows of the design data with the weight cells of some lines (1 = header) replaced. */
function withWeights(rows: number, set: Record<number, string>, col = 2): string {
  const lines = fs.readFileSync(path.join(ROOT, DATA), 'utf8').trim().split('\n').slice(0, rows + 1);
  for (const [line, v] of Object.entries(set)) {
    const cells = lines[Number(line) - 1].split(',');
    cells[col] = v;
    lines[Number(line) - 1] = cells.join(',');
  }
  const file = path.join(tmpDir('rapport-design-bad-'), 'w.csv');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

const run = (file: string, extra: string[] = []) => {
  const out = tmpDir('rapport-design-out-');
  return { out, r: rapport(['report', file, '--predictors', 'trust,communication', '--outcome', 'portal_use', '--weights', 'weight', '--out', out, '--quiet', ...extra]) };
};

describe.skipIf(distMissing())('bad weights', () => {
  it('a negative weight: exit 65 naming file, line and column; nothing written', () => {
    const file = withWeights(300, { 57: '-1.5' });
    const { out, r } = run(file);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain(`${file}, line 57, column "weight": the weight "-1.5" is negative`);
    expect(fs.readdirSync(out)).toEqual([]);
  });
  it('a weight that is not a number: exit 65 with its line', () => {
    const { r } = run(withWeights(300, { 80: 'heavy' }));
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/line 80, column "weight": the weight "heavy" is not a number/);
  });
  it('no positive weight: exit 65', () => {
    const zeros = Object.fromEntries(Array.from({ length: 300 }, (_, k) => [k + 2, k % 2 ? '0' : '']));
    const { r } = run(withWeights(300, zeros));
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/no respondent has a positive weight \(150 missing, 150 zero\)/);
  });
  it('missing and zero weights: those respondents dropped from the whole report, counted', () => {
    const { out, r } = run(withWeights(300, { 3: '', 9: '', 10: '0' }));
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(s.design.dropped).toEqual({ missing: 2, zero: 1 });
    expect(s.design.n).toBe(297);
    expect(s.sample.n).toBe(297);
    const w = s.warnings.find((x: any) => x.code === 'weights_dropped');
    expect(w.message).toMatch(/^3 respondents have no positive weight in "weight" \(2 missing and 1 zero\)/);
  });
  it('a stratum with a single respondent: exit 65 (its variance cannot be estimated), as survey.lonely.psu = "fail"', () => {
    const { r } = run(withWeights(300, { 5: 's9' }, 1), ['--strata', 'stratum']);
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/column "stratum": stratum "s9" has a single respondent with a weight/);
  });
  it('a weighted respondent without a stratum, or without a replicate weight: exit 65 naming the column', () => {
    const a = run(withWeights(300, { 12: '' }, 1), ['--strata', 'stratum']).r;
    expect(a.code).toBe(65);
    expect(a.stderr).toMatch(/column "stratum": 1 weighted respondent has no stratum \(the first is data row 11\)/);
    const b = run(withWeights(300, { 20: '' }, 12), ['--replicate-weights', 'repw']).r;
    expect(b.code).toBe(65);
    expect(b.stderr).toMatch(/column "repw4": the replicate weight of data row 19 is missing/);
  });
  it('design options without --weights, and --strata beside replicate weights: usage errors (exit 2)', () => {
    expect(rapport(['report', DATA, '--predictors', 'trust', '--outcome', 'portal_use', '--strata', 'stratum']).code).toBe(2);
    expect(run(path.join(ROOT, DATA), ['--replicate-weights', 'repw', '--strata', 'stratum']).r.code).toBe(2);
    const r = run(path.join(ROOT, DATA), ['--replicate-weights', 'nosuch']).r;
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/--replicate-weights nosuch needs columns nosuch1, nosuch2/);
  });
});

describe.skipIf(distMissing())('--pool-small through the CLI', () => {
  it('clinicians under --min-cell 30 shown together as "other"; no shown row under 30; weighted rates', () => {
    const dir = tmpDir('rapport-pool-');
    const r = rapport([...BASE, '--group-by', 'clinician', '--min-cell', '30', '--pool-small', '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    const rows = table(dir, 'groups.csv');
    const other = rows.find((x) => x.group === 'other')!;
    expect(Number(other.n)).toBeGreaterThanOrEqual(30);
    for (const x of rows) expect(Number(x.n)).toBeGreaterThanOrEqual(30);
    const s = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));
    const pooled = s.groups.rows.find((x: any) => x.group === 'other').pooled as string[];
    expect(pooled.length).toBeGreaterThan(1);
    expect(rows.reduce((a, x) => a + Number(x.n), 0)).toBe(1105);
    expect(s.warnings.map((w: any) => w.code)).toContain('pooled_groups');
  });
  it('--pool-small without --group-by: usage error', () => {
    expect(rapport(['report', DATA, '--predictors', 'trust', '--outcome', 'portal_use', '--pool-small']).code).toBe(2);
  });
});

describe.skipIf(distMissing())('weights on separated data', () => {
  it('no weighted model exists: Firth stays (unweighted) and the report says so with design_model', () => {
    const lines = fs.readFileSync(path.join(ROOT, 'fixtures/report/separation.csv'), 'utf8').trim().split('\n');
    const file = path.join(tmpDir('rapport-design-sep-'), 'sep.csv');
    fs.writeFileSync(file, lines.map((l, k) => `${l},${k === 0 ? 'w' : 1 + (k % 3)}`).join('\n') + '\n');
    const out = tmpDir('rapport-design-sep-out-');
    const r = rapport(['report', file, '--predictors', 'trust,respect', '--outcome', 'portal', '--weights', 'w', '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(table(out, 'model.csv').every((x) => x.method === 'firth')).toBe(true);
    const s = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(s.design.model_weighted).toBe(false);
    expect(table(out, 'predictors.csv')[0].weighted).toBe('dominance');
    expect(s.warnings.find((w: any) => w.code === 'design_model').message).toMatch(/^The data show separation, so no weighted \(design-based\) model exists/);
  });
});
