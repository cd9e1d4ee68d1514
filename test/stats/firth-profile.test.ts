/**
 * Firth penalised-likelihood inference (logistf's defaults) against the R reference written from the
 * penalised log-likelihood (firth-golden.R -> firth-golden.json), which reproduces the published
 * endometrial table (Heinze & Schemper 2002); FLIC against glm with the Firth slopes as offset.
 */
import { describe, expect, it } from 'vitest';
import { buildDesign } from '../../src/stats/design.js';
import { firthInference, flic } from '../../src/stats/firth-profile.js';
import { expectAllRel, expectRel, readCsv, readJson } from './helpers.js';

const g = readJson('firth-golden.json');

function design(file: string, vars: string[], outcome: string) {
  const d = readCsv(file);
  return buildDesign({ numeric: Object.fromEntries(vars.map((v) => [v, d.num(v)])), outcome: d.num(outcome) });
}

describe.each([
  ['endometrial', 'endometrial.csv', ['NV', 'PI', 'EH'], 'HG'],
  ['rare', 'rare.csv', ['x1', 'x2', 'x3'], 'y'],
] as const)('Firth inference on %s', (key, file, vars, outcome) => {
  const X = design(file, [...vars], outcome);
  const y = X.y as Float64Array;
  const ref = g[key];
  const r = firthInference(X, y);
  if (!r.ok) throw new Error(r.reason);
  it('estimates and penalised log-likelihood match', () => {
    expectAllRel(r.coefficients.map((c) => c.estimate), ref.estimate, 1e-7, 'estimate');
    expectRel(r.penalizedLogLik, ref.pll, 1e-10, 'l*');
    expect(r.converged).toBe(true);
  });
  it('profile penalised-likelihood limits match to 1e-6', () => {
    expectAllRel(r.coefficients.map((c) => c.lower.value), ref.lower, 1e-6, 'lower');
    expectAllRel(r.coefficients.map((c) => c.upper.value), ref.upper, 1e-6, 'upper');
  });
  it('penalised LR tests match (statistic 1e-6, p-value 1e-6)', () => {
    expectAllRel(r.coefficients.map((c) => c.test.statistic), ref.chisq, 1e-6, 'chisq');
    expectAllRel(r.coefficients.map((c) => c.test.p), ref.p, 1e-6, 'p');
  });
  it('FLIC: intercept and fitted probabilities as glm with offset; mean fitted = event rate', () => {
    const f = flic(X, y, r.coefficients.map((c) => c.estimate));
    expectRel(f.intercept, ref.flicIntercept, 1e-8, 'FLIC intercept');
    expectAllRel(f.fitted, ref.flicFitted, 1e-8, 'FLIC fitted');
    const mean = f.fitted.reduce((a, b) => a + b, 0) / f.fitted.length;
    expectRel(mean, y.reduce((a, b) => a + b, 0) / y.length, 1e-12, 'mean fitted');
  });
});

describe('endometrial: the published table (Heinze & Schemper 2002)', () => {
  const X = design('endometrial.csv', ['NV', 'PI', 'EH'], 'HG');
  const r = firthInference(X, X.y as Float64Array);
  if (!r.ok) throw new Error(r.reason);
  it('NV: log-odds 2.93, profile 0.61 to 7.85, p = 0.009 (the Wald interval would be far narrower below)', () => {
    const nv = r.coefficients[1];
    expect(nv.estimate.toFixed(2)).toBe('2.93');
    expect(nv.lower.value.toFixed(2)).toBe('0.61');
    expect(nv.upper.value.toFixed(2)).toBe('7.85');
    expect(nv.test.p.toFixed(3)).toBe('0.009');
    // Wald: 2.93 -/+ 1.96 x 1.55 = -0.11 .. 5.97 (OR 0.90 .. 391), p = 0.059
    expect(nv.estimate - 1.959964 * nv.se).toBeLessThan(0);
  });
});

describe('penalised LR test of a several-column term', () => {
  const d = readCsv('survey.csv');
  const take = <T,>(a: ArrayLike<T>): T[] => Array.from(a).slice(0, 150);
  const X = buildDesign({ numeric: { trust: Float64Array.from(take(d.num('trust'))) }, categorical: { site: take(d.str('site')) }, outcome: Float64Array.from(take(d.num('portal_use'))) });
  const r = firthInference(X, X.y as Float64Array);
  if (!r.ok) throw new Error(r.reason);
  it('site (2 dummies held at 0, df = 2) as the R reference', () => {
    const ref = g.siteTerm;
    expect(X.n).toBe(ref.n);
    const site = r.termTests.find((t) => t.name === 'site')!;
    expect(site.df).toBe(2);
    expectRel(r.penalizedLogLik, ref.pll, 1e-10, 'l*');
    expectRel(site.statistic, ref.chisq, 1e-6, 'chisq');
    expectRel(site.p, ref.p, 1e-6, 'p');
  });
});
