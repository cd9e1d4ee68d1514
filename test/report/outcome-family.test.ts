/**
 * Ordinal and count outcomes in memory (load + analyze, no CLI): how the type is chosen, categories
 * that do not occur, the reasons a model cannot be fitted, bad values, and the rendered files.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/report/analyze.js';
import { modelErrorText } from '../../src/report/facts.js';
import { renderReportFiles } from '../../src/report/index.js';
import { loadReportData } from '../../src/report/load.js';
import { loadInstrument } from '../../src/instrument/load.js';
import { Rng } from '../../src/stats/rng.js';

/** n rows of trust and an outcome made by `y(trust, u)` (u uniform), as CSV text. */
function csv(n: number, y: (trust: number, u: number) => number | string, seed = 7): string {
  const rng = new Rng(seed);
  const r = () => rng.uniform();
  let s = 'id,trust,y\n';
  for (let i = 0; i < n; i++) {
    const t = 1 + Math.round(r() * 16) / 4;
    s += `R${i},${t},${y(t, r())}\n`;
  }
  return s;
}

const load = (text: string, extra: Record<string, unknown> = {}) => loadReportData({ input: 'mem.csv', text, outcome: 'y', predictors: ['trust'], ...extra });

describe('choosing the outcome type', () => {
  it('whole numbers >= 0 with more than two values: count; two values: yes/no; text: yes/no rules', async () => {
    const c = await load(csv(60, (t, u) => Math.floor(u * t * 2)));
    expect(c.outcome.family).toMatchObject({ type: 'count', rule: 'count_values' });
    const b = await load(csv(60, (t, u) => (u < t / 6 ? 1 : 0)));
    expect(b.outcome.family).toBeUndefined();
    await expect(load(csv(60, (t, u) => (u < 0.5 ? 'Yes' : u < 0.8 ? 'No' : 'Maybe')))).rejects.toThrow(/say which mean "uses the portal"/);
    await expect(load(csv(60, (t, u) => Math.floor(u * 4)), { positive: ['3'] })).resolves.toMatchObject({ outcome: { rule: 'positive_value' } });
  });
  it('a column whose values are nearly all distinct is not taken for a count (it identifies respondents)', async () => {
    let i = 0;
    await expect(load(csv(60, () => 1000 + i++))).rejects.toThrow(/identifies respondents|different values/);
  });
  it('--outcome-type count refuses a negative or fractional value; ordinal needs 3 values', async () => {
    await expect(load(csv(30, (t, u) => (u < 0.1 ? -1 : 2)), { outcomeType: 'count' })).rejects.toThrow(/the value -1; a count is a whole number 0 or more/);
    await expect(load(csv(30, (t, u) => (u < 0.5 ? 1 : 2)), { outcomeType: 'ordinal' })).rejects.toThrow(/has 2 different values; an ordinal outcome needs at least 3/);
    await expect(load(csv(30, (t, u) => (u < 0.5 ? 'a' : 'b')), { outcomeType: 'ordinal' })).rejects.toThrow(/must hold numbers in their order/);
  });
});

describe('fitting', () => {
  it('a category that does not occur is skipped: thresholds join the neighbours that do', async () => {
    const d = await load(csv(200, (t, u) => (u < 0.15 + 0.05 * t ? 5 : u < 0.5 ? 2 : 0)), { outcomeType: 'ordinal' });
    const r = analyze(d);
    expect(r.model!.terms.filter((t) => t.kind === 'threshold').map((t) => t.term)).toEqual(['0|2', '2|5']);
    expect(r.family!.categories!.map((c) => c.label)).toEqual(['0', '2', '5']);
  });
  it('an item with 4 options of which 2 occur: no model, with the reason (exit 65 in the CLI)', async () => {
    const inst = loadInstrument('relationship-engagement');
    let text = 'ResponseId,trust_1,trust_2,trust_3,trust_4,portal_frequency\n';
    for (let i = 0; i < 40; i++) text += `r${i},${1 + (i % 5)},${1 + ((i * 3) % 5)},3,4,${i % 2}\n`;
    const d = await loadReportData({ input: 'mem.csv', text, instrument: inst, outcome: 'portal_frequency', predictors: ['trust'] });
    const r = analyze(d);
    expect(r.model).toBeNull();
    expect(r.modelError).toEqual({ code: 'too_few_categories', observed: 2, total: 4 });
    expect(modelErrorText(r)).toMatch(/only 2 of the outcome's 4 categories occur/);
    const files = renderReportFiles(r, { elapsedSeconds: 0, startedAt: '2026-01-01T00:00:00Z' });
    expect(files['report.txt']).toContain('The model could not be fitted');
  });
  it('a count that is the same for everyone: no model, with the reason', async () => {
    const r = analyze(await load(csv(40, () => 3), { outcomeType: 'count' }));
    expect(r.modelError).toEqual({ code: 'constant_outcome', n: 40 });
    expect(modelErrorText(r)).toMatch(/all 40 respondents in the model have the same count/);
  });
  it('the rendered files: rate ratios for a count, summary.json family, no odds-ratio wording', async () => {
    const r = analyze(await load(csv(300, (t, u) => Math.floor((-Math.log(1 - u) * t) / 2))));
    const files = renderReportFiles(r, { elapsedSeconds: 0, startedAt: '2026-01-01T00:00:00Z' });
    const json = JSON.parse(files['summary.json']);
    expect(json.family.type).toBe('count');
    expect(json.model.fit.method).toBe('negbin');
    expect(files['report.txt']).toMatch(/Rate ratio/);
    expect(files['report.txt']).not.toMatch(/odds/i);
    expect(files['report.html']).toContain('Adjusted rate ratios with 95% confidence intervals (negative binomial)');
    expect(files['predictors.csv'].split('\n')[1]).toMatch(/^trust,1,/);
  });
});
