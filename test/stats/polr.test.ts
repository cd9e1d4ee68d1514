/**
 * Proportional-odds regression (polr.ts) against MASS::polr (estimates), ordinal::clm (analytic-Hessian
 * SEs) and the LR tests against the partial proportional-odds model (ordinal, as nominal_test):
 * polr-golden.R -> polr-golden.json. Outcome engagement_1 (5 levels) on survey.csv.
 */
import { describe, expect, it } from 'vitest';
import { buildDesign } from '../../src/stats/design.js';
import { fitPolr, proportionalOddsTests } from '../../src/stats/polr.js';
import { expectAllRel, expectRel, readCsv, readJson } from './helpers.js';

const g = readJson('polr-golden.json');
const d = readCsv('survey.csv');
const X = buildDesign({
  numeric: { trust: d.num('trust'), communication: d.num('communication'), age: d.num('age') },
  categorical: { sex: d.str('sex') },
  outcome: d.num('engagement_1'),
});
const y = Float64Array.from(X.y as Float64Array, (v) => v - 1);

describe('proportional-odds regression', () => {
  const fit = fitPolr(X, y, 5);
  if (!fit.ok) throw new Error(fit.reason);
  it('estimates equal clm to 1e-6 and polr to 1e-5; log-likelihood to 1e-10', () => {
    expect(fit.n).toBe(g.n);
    expectAllRel(fit.thresholds.map((t) => t.estimate), g.zeta, 1e-6, 'zeta');
    expectAllRel(fit.coefficients.map((c) => c.estimate), g.beta, 1e-6, 'beta');
    expectAllRel(fit.thresholds.map((t) => t.estimate), g.polrZeta, 1e-5, 'polr zeta');
    expectAllRel(fit.coefficients.map((c) => c.estimate), g.polrBeta, 1e-5, 'polr beta');
    expectRel(fit.logLik, g.logLik, 1e-10, 'logLik');
    expect(fit.converged).toBe(true);
  });
  it('analytic-Hessian SEs equal clm to 1e-6', () => {
    expectAllRel(fit.thresholds.map((t) => t.se), g.zetaSe, 1e-6, 'zeta SE');
    expectAllRel(fit.coefficients.map((c) => c.se), g.betaSe, 1e-6, 'beta SE');
  });
  it('thresholds are named level|level and increase', () => {
    expect(fit.thresholds.map((t) => t.name)).toEqual(['1|2', '2|3', '3|4', '4|5']);
    for (let k = 1; k < 4; k++) expect(fit.thresholds[k].estimate).toBeGreaterThan(fit.thresholds[k - 1].estimate);
  });
  it('LR tests of proportional odds per term equal ordinal (nominal effects) to 1e-6', () => {
    const po = proportionalOddsTests(X, y, fit);
    expect(po.map((t) => t.term)).toEqual(g.poTerms);
    expect(po.map((t) => t.df)).toEqual(g.poDf);
    expectAllRel(po.map((t) => t.statistic), g.poLRT, 1e-6, 'LRT');
    expectAllRel(po.map((t) => t.p), g.poP, 1e-6, 'p');
  });
  it('rejects outcomes with fewer than 3 categories, bad codes and empty categories', () => {
    expect(fitPolr(X, y, 2)).toMatchObject({ ok: false });
    expect(fitPolr(X, Float64Array.from(y, (v) => v + 0.5), 5)).toMatchObject({ ok: false, reason: expect.stringMatching(/coded 0\.\.4/) });
    expect(fitPolr(X, y, 6)).toMatchObject({ ok: false, reason: expect.stringMatching(/category 6 of 6 has no respondents/) });
  });
});
