/**
 * Drop-one likelihood-ratio tests from the dominance fits (dominance(..., { termTests: true })): the
 * reduced models without a trait are among the 2^p models, those without a covariate are fitted from
 * the full model's estimates. Against R's drop1(test = "LRT") on the survey model (golden.R ->
 * golden-survey-model.json$termTests), and equal to fitLogistic's own drop-one tests.
 */
import { describe, expect, it } from 'vitest';
import { buildDesign } from '../../src/stats/design.js';
import { dominance } from '../../src/stats/dominance.js';
import { fitLogistic } from '../../src/stats/logistic.js';
import { expectAllRel, readCsv, readJson } from './helpers.js';

const TRAITS = ['trust', 'respect', 'liking', 'listening', 'agreement', 'communication'];
const g = readJson('golden-survey-model.json');
const d = readCsv('survey.csv');
const numeric: Record<string, Float64Array> = {};
for (const t of [...TRAITS, 'age']) numeric[t] = d.num(t);
const X = buildDesign({ numeric, categorical: { sex: d.str('sex'), site: d.str('site') }, outcome: d.num('portal_use') });
const y = X.y as Float64Array;

describe('drop-one LR tests from the dominance fits', () => {
  const r = dominance(X, y, TRAITS, { termTests: true });
  if (!r.ok) throw new Error(r.reason);
  const tt = r.termTests ?? [];
  it('equal R drop1 (statistic, df, p) for every trait and covariate', () => {
    expect(tt.map((t) => t.term)).toEqual(g.termTests.terms);
    expect(tt.map((t) => t.df)).toEqual(g.termTests.df);
    expectAllRel(tt.map((t) => t.deviance), g.termTests.deviance, 1e-9, 'deviance');
    expectAllRel(tt.map((t) => t.statistic), g.termTests.statistic, 1e-6, 'LR statistic');
    expectAllRel(tt.map((t) => t.p), g.termTests.p, 1e-6, 'LR p');
    expect(tt.every((t) => t.converged)).toBe(true);
  });
  it('equal fitLogistic’s drop-one tests', () => {
    const f = fitLogistic(X, y);
    if (!f.ok) throw new Error(f.reason);
    expectAllRel(tt.map((t) => t.p), (f.termTests ?? []).map((t) => t.p), 1e-8, 'p');
  });
  it('only when asked for', () => {
    const plain = dominance(X, y, ['trust']);
    expect(plain.ok && plain.termTests).toBe(null);
  });
});
