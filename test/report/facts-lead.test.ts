/**
 * The sentences for leadership (src/report/facts-lead.ts, issue 18) and the headline options of
 * issue 14: "In short" keeps traits with higher odds apart from those with lower odds, "What this
 * means" uses no statistical term, every term used is explained, and --title, --period and
 * --outcome-label reach the headline of the text, HTML and JSON outputs.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/report/analyze.js';
import { inShort, outcomePhrase, reportTitle, termExplanations, whatThisMeans, workbookPeriod, workbookTitle } from '../../src/report/facts.js';
import { renderReportFiles } from '../../src/report/index.js';
import type { ReportData } from '../../src/report/data.js';

/** 400 respondents: trust raises the outcome, respect lowers it, liking does nothing (seeded LCG). */
function data(): ReportData {
  const n = 400;
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const normal = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  const trust = new Float64Array(n);
  const respect = new Float64Array(n);
  const liking = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    trust[i] = normal();
    respect[i] = normal();
    liking[i] = normal();
    const p = 1 / (1 + Math.exp(-(1.2 * trust[i] - 1.2 * respect[i])));
    y[i] = rnd() < p ? 1 : 0;
  }
  return {
    n,
    input: { file: 'x.csv', format: 'plain', instrument: null, join: null },
    counts: { read: n, excluded: [], analysed: n, invalidCells: 0 },
    traits: [
      { name: 'trust', label: 'Trust', lo: null, hi: null, values: trust },
      { name: 'respect', label: 'Respect', lo: null, hi: null, values: respect },
      { name: 'liking', label: 'Liking', lo: null, hi: null, values: liking },
    ],
    scaleItems: null,
    outcome: { variable: 'PORTAL_LOGIN', y, positive: ['1'], negative: ['0'], rule: 'default_values', label: outcomePhrase('PORTAL_LOGIN', null) },
    covariates: [],
    group: null,
    warnings: [],
  };
}

describe('the outcome in words', () => {
  it('is the column in words, never in capitals, or the --outcome-label in quotes', () => {
    expect(outcomePhrase('PORTAL_LOGIN', null)).toBe('portal login');
    expect(outcomePhrase('portal_use', undefined)).toBe('portal use');
    expect(outcomePhrase('Portal.Use', null)).toBe('Portal Use');
    expect(outcomePhrase('portal_use', '  uses the patient portal ')).toBe('“uses the patient portal”');
  });
});

describe('In short, What this means, the terms', () => {
  const r = analyze(data());
  it('keeps traits with higher odds apart from traits with lower odds', () => {
    const items = inShort(r);
    expect(items[0]).toMatch(/^Higher odds of portal login with higher trust \(odds ratio \d\.\d\d per SD\)\.$/);
    expect(items[1]).toMatch(/^Lower odds of portal login with higher respect \(odds ratio 0\.\d\d per SD\)\.$/);
    expect(items[2]).toBe('No clear difference with liking.');
    expect(items[3]).toBe('Each trait adjusted for the other traits; clear means Holm-adjusted p < 0.05.');
    expect(items.filter((s) => /respect/.test(s) && /Higher/.test(s))).toEqual([]);
  });

  it('says what it means with no statistical term, before any', () => {
    const m = whatThisMeans(r)!;
    expect(m).toContain('Portal login was more common among patients who rated their clinician higher on trust');
    expect(m).toContain('It was less common among patients who rated their clinician higher on respect.');
    expect(m).not.toMatch(/odds|ratio|\bSD\b|\bCI\b|\bp\b|Holm|dominance|significan|confidence|regression|standard|R²/i);
  });

  it('explains every term it uses, and only those', () => {
    expect(termExplanations(r).map(([k]) => k)).toEqual(['Odds ratio', 'Per SD', '95% CI', 'Holm-adjusted p', 'Dominance analysis', 'Resamples']);
    expect(termExplanations(analyze(data(), { bootstrap: 0 })).map(([k]) => k)).not.toContain('Resamples');
    expect(termExplanations(analyze(data(), { rawUnits: true })).map(([k]) => k)).not.toContain('Per SD');
    const files = renderReportFiles(r);
    const text = files['report.txt'];
    expect(text.indexOf('WHAT THIS MEANS')).toBeLessThan(text.indexOf('IN SHORT'));
    expect(text.indexOf('Terms used:')).toBeLessThan(text.indexOf('WHAT WAS ANALYSED'));
    expect(text.split('\n')[0]).toBe('Which relationship traits go with portal login');
  });
});

describe('--title, --period and --outcome-label', () => {
  const r = analyze(data(), { title: 'North clinic survey', period: '2026 Q4', outcomeLabel: 'uses the patient portal' });
  const files = renderReportFiles(r);
  it('make the headline of the text, the HTML and summary.json', () => {
    expect(reportTitle(r)).toEqual({ title: 'North clinic survey', subtitle: 'Which relationship traits go with “uses the patient portal” · 2026 Q4' });
    expect(files['report.txt'].split('\n').slice(0, 2)).toEqual(['North clinic survey', 'Which relationship traits go with “uses the patient portal” · 2026 Q4']);
    expect(files['report.html']).toContain('<h1>North clinic survey</h1><p class="subtitle">Which relationship traits go with “uses the patient portal” · 2026 Q4</p>');
    expect(files['report.html']).toContain('<title>North clinic survey · rapport report</title>');
    const json = JSON.parse(files['summary.json']);
    expect(json.headline.title).toBe('North clinic survey');
    expect(json.headline.period).toBe('2026 Q4');
    expect(json.headline.outcome).toBe('“uses the patient portal”');
    expect(json.options.outcome_label).toBe('uses the patient portal');
    // report.xlsx's summary sheet: the same title and the period
    expect([workbookTitle(r), workbookPeriod(r)]).toEqual(['North clinic survey', '2026 Q4']);
    expect(workbookPeriod(analyze(data()))).toBeUndefined();
  });

  it('the label reads in every sentence, capitalised where it starts one', () => {
    expect(whatThisMeans(r)).toContain('“Uses the patient portal” was more common among patients');
    expect(inShort(r)[0]).toMatch(/^Higher odds of “uses the patient portal” with higher trust/);
  });
});
