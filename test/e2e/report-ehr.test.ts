/**
 * Joining the EHR (issue 18): `--positive '>0'` on a numeric log-in count, `--unmatched
 * missing|negative`, and `--outcome-source`, through the built CLI on fixtures/report. The comparison is
 * checked against the same report on a yes/no column derived from the counts by hand (identical
 * model.csv), and the counts against the fixture files read independently.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, distMissing, rapport, tmpDir } from '../helpers/cli.js';

const fx = (f: string) => path.join(ROOT, 'fixtures', 'report', f);
const BASE = ['report', fx('survey.csv'), '--instrument', 'relationship-engagement@1.0.0', '--id-column', 'ResponseId', '--join'];

function summary(dir: string) {
  return JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));
}

/** The survey's ids, and the log-in count of each id in the EHR file. */
function fixtureCounts(): { ids: string[]; logins: Map<string, string> } {
  const survey: string[][] = parse(fs.readFileSync(fx('survey.csv')));
  const ehr: string[][] = parse(fs.readFileSync(fx('ehr-logins.csv')));
  const logins = new Map<string, string>();
  for (const r of ehr.slice(1)) if (!logins.has(r[0])) logins.set(r[0], r[2]);
  return { ids: survey.slice(1).map((r) => r[0]), logins };
}

describe.skipIf(distMissing())('report --join with a numeric outcome', () => {
  let recorded = '';
  it("--positive '>0' counts the respondents with at least one log-in, as a derived yes/no column does", () => {
    const { ids, logins } = fixtureCounts();
    const matched = ids.filter((id) => logins.has(id) && logins.get(id) !== '');
    const positives = matched.filter((id) => Number(logins.get(id)) > 0).length;
    const a = (recorded = tmpDir('rapport-ehr-a-'));
    const r = rapport([...BASE, fx('ehr-logins.csv'), '--on', 'ResponseId', '--outcome', 'logins_12m', '--positive', '>0', '--out', a, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = summary(a);
    expect(s.outcome.n_positive).toBe(positives);
    expect(s.outcome.n_negative).toBe(matched.length - positives);
    expect(s.outcome.positive).toEqual(['> 0']);
    expect(s.outcome.negative).toEqual(['<= 0']);
    expect(s.outcome.source).toBe('record');
    expect(s.input.join.unmatched_as).toBe('missing');
    // The same analysis with the comparison done by hand in a joined file.
    const derived = path.join(tmpDir('rapport-ehr-d-'), 'derived.csv');
    fs.writeFileSync(derived, 'ResponseId,any_login\n' + [...logins].map(([id, n]) => `${id},${n === '' ? '' : Number(n) > 0 ? 'yes' : 'no'}`).join('\n') + '\n');
    const b = tmpDir('rapport-ehr-b-');
    expect(rapport([...BASE, derived, '--on', 'ResponseId', '--outcome', 'any_login', '--positive', 'yes', '--out', b, '--quiet']).code).toBe(0);
    expect(fs.readFileSync(path.join(a, 'model.csv'), 'utf8')).toBe(fs.readFileSync(path.join(b, 'model.csv'), 'utf8'));
  });

  it('--unmatched negative counts respondents absent from the EHR file as without the outcome, and the report says so', () => {
    const { ids, logins } = fixtureCounts();
    const unmatched = ids.filter((id) => !logins.has(id)).length;
    expect(unmatched).toBeGreaterThan(0);
    const withLogin = ids.filter((id) => logins.has(id) && Number(logins.get(id)) > 0).length;
    const dir = tmpDir('rapport-ehr-u-');
    const r = rapport([...BASE, fx('ehr-logins.csv'), '--on', 'ResponseId', '--outcome', 'logins_12m', '--positive', '>0', '--unmatched', 'negative', '--out', dir, '--quiet']);
    expect(r.code).toBe(0);
    const s = summary(dir);
    expect(s.outcome.n_positive).toBe(withLogin);
    expect(s.outcome.n_positive + s.outcome.n_negative + s.outcome.n_missing).toBe(ids.length);
    expect(s.input.join).toMatchObject({ unmatched, unmatched_as: 'negative' });
    expect(s.warnings.find((w: { code: string }) => w.code === 'join_unmatched').message).toMatch(new RegExp(`^${unmatched} of ${ids.length} respondents have no row`));
    const text = fs.readFileSync(path.join(dir, 'report.txt'), 'utf8').replace(/\s+/g, ' ');
    expect(text).toContain(`${unmatched} without a match (counted as negative, --unmatched negative)`);
    expect(text).toContain('counts as negative (--unmatched negative)');
  });

  it('the caveat about self-reported use appears only for a self-reported outcome', () => {
    const rec = recorded; // the first test's report: an outcome from --join, so recorded by default
    expect(rec).not.toBe('');
    const recText = fs.readFileSync(path.join(rec, 'report.txt'), 'utf8').replace(/\s+/g, ' ');
    expect(recText).not.toMatch(/Self-reported/);
    expect(recText).toContain('recorded, not self-reported');
    expect(fs.readFileSync(path.join(rec, 'report.html'), 'utf8')).not.toMatch(/Self-reported/);
    const sv = tmpDir('rapport-ehr-s-');
    expect(rapport([...BASE, fx('ehr-logins.csv'), '--on', 'ResponseId', '--outcome', 'logins_12m', '--positive', '>0', '--outcome-source', 'survey', '--out', sv, '--quiet']).code).toBe(0);
    expect(fs.readFileSync(path.join(sv, 'report.txt'), 'utf8').replace(/\s+/g, ' ')).toContain('Self-reported logins 12m may differ from recorded use.');
    // An item of the survey is self-reported by default: test/golden-outputs/report-survey keeps the sentence.
    expect(fs.readFileSync(path.join(ROOT, 'test/golden-outputs/report-survey/report.txt'), 'utf8').replace(/\s+/g, ' ')).toContain('Self-reported portal use may differ from recorded use.');
  });

  it('bad comparisons and misplaced options are one sentence with exit 2 (or 65 for text values)', () => {
    const dir = tmpDir('rapport-ehr-e-');
    const run = (...extra: string[]) => rapport([...BASE, fx('ehr-logins.csv'), '--on', 'ResponseId', '--out', dir, ...extra]);
    let r = run('--outcome', 'logins_12m', '--positive', '>many');
    expect([r.code, r.stderr.trim().split('\n').length]).toEqual([2, 1]);
    expect(r.stderr).toMatch(/--positive >many: a comparison needs a plain number after >/);
    r = run('--outcome', 'portal_login', '--positive', '>=1');
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/"portal_login" holds the text "(yes|no)", but --positive >=1 compares numbers/);
    r = run('--outcome', 'portal_use', '--unmatched', 'negative');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/does not come from the --join file/);
    r = rapport(['report', fx('survey.csv'), '--instrument', 'relationship-engagement@1.0.0', '--id-column', 'ResponseId', '--outcome', 'portal_use', '--unmatched', 'negative', '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--unmatched .* needs --join/);
    r = run('--outcome', 'portal_use', '--positive', '>5');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no option of item portal_use satisfies it/);
  });
});
