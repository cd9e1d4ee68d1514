/**
 * The facts module (src/report/facts.ts) is the one place sentences come from: the text and HTML
 * reports state the same "What was analysed" facts (they had drifted: traits by label in HTML, join
 * duplicates only in text), and summary.json's warning sentences are facts' wording of the codes.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/report/analyze.js';
import { analysedFacts, warningText } from '../../src/report/facts.js';
import { renderReportFiles } from '../../src/report/index.js';
import type { ReportData } from '../../src/report/data.js';

function data(): ReportData {
  const n = 60;
  const trust = Float64Array.from({ length: n }, (_, i) => 1 + ((i * 7) % 17) / 4);
  const respect = Float64Array.from({ length: n }, (_, i) => 1 + ((i * 11) % 13) / 3);
  const y = Float64Array.from({ length: n }, (_, i) => ((i * 5) % 9 < 4 ? 1 : 0));
  return {
    n,
    input: { file: 'x.csv', format: 'plain', instrument: null, join: { file: 'ehr.csv', on: 'id', rows: 70, matched: 55, unmatched: 5, unused: 15, duplicateKeys: 2, columns: ['logins'] } },
    counts: { read: n, excluded: [], analysed: n, invalidCells: 0 },
    traits: [
      { name: 'trust', label: 'Trust in the doctor', lo: 1, hi: 5, values: trust },
      { name: 'respect', label: 'Respect', lo: 1, hi: 5, values: respect },
    ],
    scaleItems: null,
    outcome: { variable: 'portal_use', y, positive: ['1'], negative: ['0'], rule: 'default_values', label: 'portal use' },
    covariates: [],
    group: null,
    warnings: [{ code: 'join_duplicates', keys: 2, file: 'ehr.csv' }],
  };
}

describe('text and HTML state the same facts', () => {
  const r = analyze(data());
  const files = renderReportFiles(r);
  const oneLine = (s: string) => s.replace(/\s+/g, ' ');
  it('traits by name and the join with its duplicate keys, in both', () => {
    const text = Object.fromEntries(analysedFacts(r, 'text').map(([k, v]) => [k, Array.isArray(v) ? v.join(' ') : v]));
    const html = Object.fromEntries(analysedFacts(r, 'html').map(([k, v]) => [k, Array.isArray(v) ? v.join(' ') : v]));
    expect(text.Traits).toBe('trust, respect (odds ratios per 1 SD, standardised on the model respondents)');
    expect(html.Traits).toBe(text.Traits);
    expect(html.Joined).toBe(text.Joined);
    expect(text.Joined).toBe('ehr.csv on id (logins): 55 respondents matched, 5 without a match, 15 rows of the joined file not in the survey, 2 duplicate keys (first row used)');
    expect(files['report.html']).toContain(`<dt>Traits</dt><dd>${text.Traits}</dd>`);
    expect(files['report.html']).toContain('2 duplicate keys (first row used)');
    expect(oneLine(files['report.txt'])).toContain(`Traits ${text.Traits}`);
    expect(oneLine(files['report.txt'])).toContain('2 duplicate keys (first row used)');
  });
  it("summary.json carries facts' sentence for each warning code", () => {
    const json = JSON.parse(files['summary.json']);
    expect(json.warnings[0]).toEqual({ code: 'join_duplicates', message: warningText(r.warnings[0], 'portal use') });
    expect(json.warnings[0].message).toBe('2 keys occur more than once in ehr.csv; the first row of each was used.');
    expect(json.outcome.rule).toBe('default: 1, yes or true');
    expect(json.method.reason).toMatch(/^Maximum-likelihood logistic regression \(no separation; converged in \d+ iterations\)\.$/);
  });
});
