/**
 * The design's part of the report through analyze() (no CLI): a design with weights and strata makes
 * every model figure weighted (and says so in text, HTML and CSV), the weighted rate is the hand
 * computation sum(w y) / sum(w), and the design sentences read right in the singular and plural.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/report/analyze.js';
import { designWarningText } from '../../src/report/design-facts.js';
import { renderReportFiles } from '../../src/report/index.js';
import type { ReportData } from '../../src/report/data.js';

function data(withDesign: boolean): ReportData {
  const n = 120;
  const trust = Float64Array.from({ length: n }, (_, i) => 1 + ((i * 7) % 17) / 4);
  const y = Float64Array.from({ length: n }, (_, i) => ((i * 5) % 9 < 4 ? 1 : 0));
  const weights = Float64Array.from({ length: n }, (_, i) => 1 + (i % 4));
  return {
    n,
    input: { file: 'x.csv', format: 'plain', instrument: null, join: null },
    counts: { read: n, excluded: [], analysed: n, invalidCells: 0 },
    traits: [{ name: 'trust', label: 'Trust', lo: 1, hi: 5, values: trust }],
    scaleItems: null,
    outcome: { variable: 'portal_use', y, positive: ['1'], negative: ['0'], rule: 'default_values', label: 'portal use' },
    covariates: [],
    group: { name: 'site', codes: Int32Array.from({ length: n }, (_, i) => i % 3), levels: ['a', 'b', 'c'] },
    design: withDesign
      ? { weightsName: 'w', weights, strata: { name: 'st', codes: Int32Array.from({ length: n }, (_, i) => i % 2), levels: ['s1', 's2'] }, cluster: null, replicate: null, dropped: { missing: 0, zero: 0 } }
      : null,
    warnings: [],
  };
}

describe('a sampling design in the report', () => {
  const d = data(true);
  const r = analyze(d);
  const files = renderReportFiles(r, { elapsedSeconds: 0, startedAt: '2026-01-01T00:00:00Z' });

  it('the weighted rate is sum(w y) / sum(w); Kish n is (sum w)^2 / sum w^2', () => {
    let sw = 0, swy = 0, sw2 = 0;
    d.design!.weights.forEach((w, i) => { sw += w; swy += w * d.outcome.y[i]; sw2 += w * w; });
    expect(r.design!.outcome!.estimate).toBeCloseTo(swy / sw, 14);
    expect(r.design!.effectiveN).toBeCloseTo((sw * sw) / sw2, 10);
    expect(r.design!.nStrata).toBe(2);
    expect(r.design!.df).toBe(120 - 2);
  });

  it('the model is design-based, differs from the unweighted one, and every output says weighted', () => {
    const plain = analyze(data(false));
    expect(r.model!.fit.method).toBe('svyglm');
    expect(plain.model!.fit.method).toBe('ml');
    expect(r.model!.terms[1].estimate).not.toBeCloseTo(plain.model!.terms[1].estimate, 6);
    expect(r.model!.fit.aic).toBeNaN();
    expect(files['model.csv']).toMatch(/,svyglm,/);
    expect(files['groups.csv'].split('\n')[0]).toContain('weighted_outcome_rate');
    expect(files['predictors.csv'].split('\n')[0]).toMatch(/,weighted$/);
    expect(files['report.txt']).toMatch(/Weighted rate \(95% CI\)/);
    expect(files['report.html']).toMatch(/Weighted \(design-based\) logistic regression/);
    expect(JSON.parse(files['summary.json']).design.weights).toBe('w');
    // without a design nothing mentions weights
    const plainFiles = renderReportFiles(plain, { elapsedSeconds: 0, startedAt: '2026-01-01T00:00:00Z' });
    expect(Object.values(plainFiles).some((t) => /weighted/i.test(t))).toBe(false);
  });

  it('sentences in the singular and the plural', () => {
    expect(designWarningText({ code: 'weights_dropped', column: 'w', missing: 1, zero: 0 })).toBe('1 respondent has no positive weight in "w" (1 missing) and was left out of the whole report: a design-based analysis covers the weighted sample only.');
    expect(designWarningText({ code: 'weights_dropped', column: 'w', missing: 2, zero: 3 })).toMatch(/^5 respondents have no positive weight in "w" \(2 missing and 3 zero\) and were left out/);
  });
});
