/**
 * `rapport report --dyad` (issue 15) on the committed fixture pair test/fixtures/dyads/: every number of
 * dyads.csv, concordance.csv and surface.csv, the agree/disagree indicators of model.csv (and their CR1
 * SEs by clinician) and the pairing counts against R (test/reference/dyad-report-golden.R and .json);
 * --on A=B; an already scored clinician file; --min-cell withholding; no key or id in any output.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { distMissing, rapport, tmpDir } from '../helpers/cli.js';

const FIX = 'test/fixtures/dyads';
const golden = JSON.parse(fs.readFileSync('test/reference/dyad-report-golden.json', 'utf8'));
const BASE = ['report', `${FIX}/patients.csv`, '--instrument', 'relationship-engagement', '--outcome', 'portal_use', '--covariates', 'age'];
const DYAD = ['--dyad', `${FIX}/clinicians.csv`, '--dyad-instrument', 'relationship-engagement-clinician', '--on', 'visit_id'];

function readCsv(file: string): Record<string, string>[] {
  const [head, ...rows] = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  const names = head.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [names[i], v])));
}

/** |a - b| <= tol * max(1, |b|). */
function close(a: number, b: number, tol: number, what: string): void {
  expect(Math.abs(a - b), `${what}: ${a} vs R ${b}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));
}

function run(args: string[]): { dir: string; stdout: string } {
  const dir = tmpDir();
  const r = rapport([...args, '--out', dir]);
  expect(r.code, r.stderr).toBe(0);
  return { dir, stdout: r.stdout };
}

describe.skipIf(distMissing())('report --dyad against R', () => {
  let out: { dir: string; stdout: string };
  beforeAll(() => {
    out = run([...BASE, ...DYAD]);
  });

  it('dyads.csv: means and SDs, cor.test (1e-10), psych::ICC ICC2 (1e-8), Bland–Altman (1e-10)', () => {
    const rows = readCsv(path.join(out.dir, 'dyads.csv'));
    expect(rows.map((r) => r.trait)).toEqual(golden.dyads.map((g: { trait: string }) => g.trait));
    for (const [i, g] of (golden.dyads as Record<string, number | string>[]).entries()) {
      for (const [k, v] of Object.entries(g)) {
        if (k === 'trait') continue;
        close(Number(rows[i][k]), v as number, k.startsWith('icc') ? 1e-8 : 1e-10, `${g.trait} ${k}`);
      }
    }
  });

  it('concordance.csv: percent agreement, psych::cohen.kappa kappa and CI, weighted kappa (1e-8)', () => {
    const rows = readCsv(path.join(out.dir, 'concordance.csv'));
    expect(Object.keys(rows[0])).toEqual(['item', 'n_pairs', 'percent_agreement', 'kappa', 'kappa_ci_low', 'kappa_ci_high', 'weighted_kappa', 'weighted_kappa_ci_low', 'weighted_kappa_ci_high']);
    expect(rows.map((r) => r.item)).toEqual(golden.concordance.map((g: { item: string }) => g.item));
    for (const [i, g] of (golden.concordance as Record<string, number | string>[]).entries())
      for (const [k, v] of Object.entries(g)) if (k !== 'item') close(Number(rows[i][k]), v as number, 1e-8, `${g.item} ${k}`);
  });

  it('surface.csv: b1..b5 and a1..a4 from glm with sandwich::vcovCL HC1 by clinician (1e-6)', () => {
    const rows = readCsv(path.join(out.dir, 'surface.csv'));
    expect(rows).toHaveLength(golden.surface.length);
    for (const [i, g] of (golden.surface as Record<string, number | string>[]).entries()) {
      expect([rows[i].trait, rows[i].term, Number(rows[i].n)]).toEqual([g.trait, g.term, g.n]);
      for (const k of ['estimate', 'std_error', 'z', 'p_value']) close(Number(rows[i][k]), g[k] as number, 1e-6, `${g.trait} ${g.term} ${k}`);
    }
  });

  it('the agree/disagree indicators enter the ordinary model (model.csv, glm 1e-6) with CR1 SEs in summary.json (vcovCL 1e-6)', () => {
    const model = readCsv(path.join(out.dir, 'model.csv'));
    const summary = JSON.parse(fs.readFileSync(path.join(out.dir, 'summary.json'), 'utf8'));
    for (const g of golden.ordinary as { term: string; estimate: number; std_error: number; robust_std_error: number }[]) {
      const row = model.find((r) => r.term === g.term)!;
      close(Number(row.estimate), g.estimate, 1e-6, `${g.term} estimate`);
      close(Number(row.std_error), g.std_error, 1e-6, `${g.term} se`);
      const c = summary.dyads.concordance.find((x: { item: string }) => `agree_${x.item}` === g.term).model;
      close(Math.log(c.odds_ratio), g.estimate, 1e-6, `${g.term} log OR`);
      // The adjusted model stops at glm's default epsilon (1e-8) and R's fit path differs (standardised
      // traits), so the sandwich, built from the final residuals, agrees to about 2e-6.
      close((Math.log(c.ci_high) - Math.log(c.ci_low)) / (2 * 1.959963984540054), g.robust_std_error, 1e-5, `${g.term} CR1 se`);
    }
  });

  it('counts the pairing as R does and says so; no visit key, clinician id or form id reaches any output', () => {
    const s = JSON.parse(fs.readFileSync(path.join(out.dir, 'summary.json'), 'utf8')).dyads;
    const p = golden.pairing;
    expect([s.rows, s.matched, s.unmatched, s.unused, s.duplicate_keys, s.cluster.clusters]).toEqual([p.clinician_rows, p.matched, p.patients - p.matched, p.unused, p.duplicate_keys, p.clusters]);
    const text = out.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('149 of 150 patient rows paired');
    expect(text).toContain('cluster-robust by clinician (clinician_id, 25 clinicians; CR1');
    for (const f of fs.readdirSync(out.dir)) expect(fs.readFileSync(path.join(out.dir, f), 'utf8'), f).not.toMatch(/\b(V\d{3}|C\d{3}|F\d{3}|P\d{3})\b/);
  });

  it('--on visit_id=VisitID pairs a clinician file whose key has another name, with the same results', () => {
    const dir = tmpDir();
    const renamed = path.join(dir, 'clin.csv');
    fs.writeFileSync(renamed, fs.readFileSync(`${FIX}/clinicians.csv`, 'utf8').replace('id,visit_id,', 'id,VisitID,'));
    const r = run([...BASE, '--dyad', renamed, '--dyad-instrument', 'relationship-engagement-clinician', '--on', 'visit_id=VisitID']);
    for (const f of ['dyads.csv', 'concordance.csv', 'surface.csv']) expect(fs.readFileSync(path.join(r.dir, f), 'utf8'), f).toBe(fs.readFileSync(path.join(out.dir, f), 'utf8'));
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('by visit_id=VisitID');
  });

  it('an already scored clinician file (rapport score --keep) gives the same dyads.csv and surface.csv', () => {
    const dir = tmpDir();
    const scored = path.join(dir, 'clin-scored.csv');
    const s = rapport(['score', `${FIX}/clinicians.csv`, '--instrument', 'relationship-engagement-clinician', '--keep', 'visit_id,clinician_id', '--out', scored]);
    expect(s.code, s.stderr).toBe(0);
    const r = run([...BASE, '--dyad', scored, '--on', 'visit_id']);
    // The scored file holds the scores to 12 significant digits: the same numbers to about 1e-10.
    for (const f of ['dyads.csv', 'surface.csv']) {
      const a = readCsv(path.join(r.dir, f));
      const b = readCsv(path.join(out.dir, f));
      expect(a.length, f).toBe(b.length);
      a.forEach((row, i) => Object.entries(row).forEach(([k, v]) => (Number.isNaN(Number(v)) ? expect(v).toBe(b[i][k]) : close(Number(v), Number(b[i][k]), 1e-8, `${f} ${k}`))));
    }
    expect(readCsv(path.join(r.dir, 'concordance.csv'))).toEqual([]);
  });

  it('withholds traits and items with fewer than --min-cell pairs', () => {
    const r = run([...BASE, ...DYAD, '--min-cell', '149']);
    expect(readCsv(path.join(r.dir, 'dyads.csv')).map((x) => x.trait)).toEqual(['trust', 'listening', 'agreement']);
    expect(readCsv(path.join(r.dir, 'concordance.csv'))).toEqual([]);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('Withheld, with fewer than 149 complete pairs: respect, liking, visit_reason, visit_problem, visit_plan and visit_selfcare.');
  });
});

describe.skipIf(distMissing())('report --join --on A=B (issue 18)', () => {
  it('joins a file whose key has another name, with the same results as when the names match', () => {
    const dir = tmpDir();
    const renamed = path.join(dir, 'ehr.csv');
    fs.writeFileSync(renamed, fs.readFileSync('fixtures/report/ehr-logins.csv', 'utf8').replace('"ResponseId"', '"respondent"'));
    const args = (join: string, on: string) => ['report', 'fixtures/report/survey.csv', '--instrument', 'relationship-engagement', '--id-column', 'ResponseId', '--join', join, '--on', on, '--outcome', 'portal_login', '--positive', 'yes', '--covariates', 'age'];
    const a = run(args('fixtures/report/ehr-logins.csv', 'ResponseId'));
    const b = run(args(renamed, 'ResponseId=respondent'));
    expect(fs.readFileSync(path.join(b.dir, 'model.csv'), 'utf8')).toBe(fs.readFileSync(path.join(a.dir, 'model.csv'), 'utf8'));
    const bad = rapport([...args(renamed, 'ResponseId'), '--out', tmpDir()]);
    expect(bad.code).toBe(65);
    expect(bad.stderr).toContain('has no column "ResponseId" to join on');
    expect(bad.stderr).toContain('(--on ResponseId=<its name> when it differs)');
  });
});

describe.skipIf(distMissing())('report --dyad: bad input', () => {
  it('counts cells of the clinicians\' file that are not an answer (scored as missing) and says so', () => {
    const dir = tmpDir();
    const bad = path.join(dir, 'clin.csv');
    fs.writeFileSync(bad, fs.readFileSync(`${FIX}/clinicians.csv`, 'utf8').replace(/^(F001,V001,C001,)\d/m, '$17'));
    const r = run([...BASE, '--dyad', bad, '--dyad-instrument', 'relationship-engagement-clinician', '--on', 'visit_id']);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain("1 cell of the clinicians' file was not an answer to its item and counted as missing");
    expect(JSON.parse(fs.readFileSync(path.join(r.dir, 'summary.json'), 'utf8')).dyads.invalid_cells).toBe(1);
  });
  it('exit 2 for --dyad-instrument without --dyad or --dyad without --on; exit 65 naming the file for a missing key or cluster column', () => {
    const noDyad = rapport([...BASE, '--dyad-instrument', 'relationship-engagement-clinician', '--out', tmpDir()]);
    expect([noDyad.code, noDyad.stderr]).toEqual([2, "rapport: --dyad-instrument describes the --dyad file; give the clinicians' file with --dyad <file> --on <key column>.\n"]);
    const noOn = rapport([...BASE, '--dyad', `${FIX}/clinicians.csv`, '--out', tmpDir()]);
    expect(noOn.code).toBe(2);
    const key = rapport([...BASE, ...DYAD.slice(0, -1), 'visit', '--out', tmpDir()]);
    expect([key.code, key.stderr.split('; its columns')[0]]).toEqual([65, `rapport: ${FIX}/patients.csv: has no column "visit" to pair the clinician's form on`]);
    const key2 = rapport([...BASE, ...DYAD.slice(0, -1), 'visit_id=visit', '--out', tmpDir()]);
    expect([key2.code, key2.stderr.split('; its columns')[0]]).toEqual([65, `rapport: ${FIX}/clinicians.csv: has no column "visit" to pair the visits on`]);
    const out = tmpDir();
    const cl = rapport([...BASE, ...DYAD, '--dyad-cluster', 'doctor', '--out', out]);
    expect([cl.code, cl.stderr.split('; its columns')[0]]).toEqual([65, `rapport: ${FIX}/clinicians.csv: has no column "doctor" for --dyad-cluster`]);
    expect(fs.readdirSync(out)).toEqual([]);
  });
});
