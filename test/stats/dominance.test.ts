/**
 * General dominance (McFadden R², covariates age + sex + site in every model) of the six traits on
 * the survey data, against a hand-written R enumeration of all 64 `glm` fits (golden.R ->
 * golden-survey-model.json$dominance).
 */
import { describe, expect, it } from 'vitest';
import { buildDesign } from '../../src/stats/design.js';
import { dominance } from '../../src/stats/dominance.js';
import { expectAllRel, expectRel, readCsv, readJson } from './helpers.js';

const TRAITS = ['trust', 'respect', 'liking', 'listening', 'agreement', 'communication'];
const g = readJson('golden-survey-model.json').dominance;
const d = readCsv('survey.csv');
const numeric: Record<string, Float64Array> = {};
for (const t of [...TRAITS, 'age']) numeric[t] = d.num(t);
const X = buildDesign({ numeric, categorical: { sex: d.str('sex'), site: d.str('site') }, outcome: d.num('portal_use') });

describe('dominance analysis', () => {
  const r = dominance(X, X.y as Float64Array, TRAITS);
  if (!r.ok) throw new Error(r.reason);
  it('general and conditional dominance equal the R enumeration to 1e-6', () => {
    expect(r.models).toBe(64);
    expect(r.covariates).toEqual(['age', 'sex', 'site']);
    expectAllRel(r.traits.map((t) => t.general), g.general, 1e-6, 'general');
    r.traits.forEach((t, j) => expectAllRel(t.conditional, g.conditional[j], 1e-6, `conditional ${t.term}`));
    expect(r.traits.map((t) => t.rank)).toEqual(g.rank);
    expectRel(r.r2Full, g.r2Full, 1e-8, 'R2 full');
    expectRel(r.r2Covariates, g.r2Covariates, 1e-8, 'R2 covariates');
    expect(r.nonConverged).toEqual([]);
  });
  it('weights sum to R²(all) - R²(covariates) and shares to 1', () => {
    const sum = r.traits.reduce((a, t) => a + t.general, 0);
    expectRel(sum, r.r2Full - r.r2Covariates, 1e-12, 'sum of weights');
    expectRel(r.traits.reduce((a, t) => a + t.share, 0), 1, 1e-12, 'sum of shares');
  });
  it('with a single trait the weight is its increment over the covariates', () => {
    const one = dominance(X, X.y as Float64Array, ['trust']);
    if (!one.ok) throw new Error(one.reason);
    expect(one.models).toBe(2);
    expectRel(one.traits[0].general, one.r2Full - one.r2Covariates, 1e-14, 'single');
    expect(one.traits[0].rank).toBe(1);
  });
  it('rejects unknown trait names and degenerate data', () => {
    expect(() => dominance(X, X.y as Float64Array, ['nope'])).toThrow(/not a term/);
    const y1 = new Float64Array(X.n).fill(1);
    expect(dominance(X, y1, TRAITS)).toMatchObject({ ok: false });
  });
});

describe('dominance with sampling weights (test/reference/svy-design-golden.R)', () => {
  const w = readJson('svy-design-golden.json').weighted_dominance;
  const s = readCsv('svy-design.csv');
  const Xw = buildDesign({ numeric: { trust: s.num('trust'), communication: s.num('communication'), age: s.num('age'), female: s.num('female') }, order: ['trust', 'communication', 'age', 'female'], outcome: s.num('portal_use') });
  const weights = s.num('weight');
  const mean = weights.reduce((a, b) => a + b, 0) / weights.length;
  it('general weights and R² of the weighted fits equal weighted glm deviances (1e-6)', () => {
    const r = dominance(Xw, Xw.y as Float64Array, ['trust', 'communication'], { weights: weights.map((x) => x / mean), termTests: true });
    if (!r.ok) throw new Error(r.reason);
    expectAllRel(r.traits.map((t) => t.general), w.general, 1e-6, 'general');
    expectRel(r.r2Full, w.r2_full, 1e-8, 'R2 full');
    expectRel(r.r2Covariates, w.r2_covariates, 1e-6, 'R2 covariates');
    expect(r.termTests).toBeNull(); // LR tests are not design-based
  });
});
