/**
 * Generalised VIF (vif.ts) against car::vif on a glm (basis 'model': correlations of the coefficient
 * estimates) and against the same formula on the unweighted predictor correlations (basis 'design'),
 * gvif-golden.R -> gvif-golden.json; invariance of the GVIF to the reference level of a factor.
 */
import { describe, expect, it } from 'vitest';
import { buildDesign } from '../../src/stats/design.js';
import { fitLogistic } from '../../src/stats/logistic.js';
import { modelVif, vif } from '../../src/stats/vif.js';
import { expectAllRel, readCsv, readJson } from './helpers.js';

const g = readJson('gvif-golden.json');
const d = readCsv('survey.csv');
const numeric = Object.fromEntries(['trust', 'respect', 'liking', 'age'].map((v) => [v, d.num(v)]));
const make = (levels?: Record<string, string[]>) =>
  buildDesign({ numeric, categorical: { sex: d.str('sex'), site: d.str('site') }, outcome: d.num('portal_use'), levels });

function modelGvif(X: ReturnType<typeof make>) {
  const fit = fitLogistic(X, X.y as Float64Array, { epsilon: 1e-14, maxit: 100, diagnostics: false, separationCheck: false, termTests: false });
  if (!fit.ok) throw new Error(fit.reason);
  const v = modelVif(X, fit.covariance);
  if (!v.ok) throw new Error(v.reason);
  return v;
}

describe('GVIF', () => {
  const X = make();
  it('basis "model" equals car::vif on the glm (GVIF, df, GVIF^(1/(2 df))) to 1e-6', () => {
    const v = modelGvif(X);
    expect(X.n).toBe(g.n);
    expect(v.basis).toBe('model');
    expect(v.terms.map((t) => t.term)).toEqual(g.terms);
    expect(v.terms.map((t) => t.df)).toEqual(g.df);
    expectAllRel(v.terms.map((t) => t.gvif), g.gvif, 1e-6, 'GVIF');
    expectAllRel(v.terms.map((t) => t.gvifAdjusted), g.gvifAdjusted, 1e-6, 'GVIF^(1/2df)');
  });
  it('basis "design" equals the formula on the unweighted predictor correlations, and differs from car', () => {
    const v = vif(X);
    if (!v.ok) throw new Error(v.reason);
    expect(v.basis).toBe('design');
    expectAllRel(v.terms.map((t) => t.gvif), g.designGvif, 1e-9, 'design GVIF');
    expectAllRel(v.columns.map((c) => c.vif), g.designVif, 1e-9, 'design VIF');
    expect(Math.abs(v.terms[0].gvif - g.gvif[0])).toBeGreaterThan(0.1);
  });
  it('the GVIF of a factor does not depend on its reference level; per-dummy VIFs do', () => {
    const X2 = make({ site: ['west', 'east', 'north'] });
    const a = modelGvif(X);
    const b = modelGvif(X2);
    expectAllRel(b.terms.map((t) => t.gvif), a.terms.map((t) => t.gvif), 1e-8, 'relevelled GVIF');
    const dummies = (v: typeof a) => v.columns.filter((c) => c.name.startsWith('site=')).map((c) => c.vif);
    expect(Math.abs(dummies(a)[0] - dummies(b)[0])).toBeGreaterThan(1e-3);
  });
  it('rejects a covariance matrix of the wrong size', () => {
    expect(() => modelVif(X, new Float64Array(4))).toThrow(/covariance/);
  });
});
