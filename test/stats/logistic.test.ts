/**
 * Logistic regression against R: `glm(portal_use ~ trust + respect + liking + listening +
 * agreement + communication + age + sex + site, family = binomial)` on test/reference/survey.csv
 * (complete cases), with `summary`, `confint.default`, `drop1(test = "LRT")`; and the rare-outcome
 * data set (5% events). The c statistic, Hosmer–Lemeshow and VIF have their own test files (auc,
 * hosmer-lemeshow, vif). Golden values: test/reference/golden.R.
 */
import { describe, expect, it } from 'vitest';
import { buildDesign } from '../../src/stats/design.js';
import { fitLogistic, type LogisticFit } from '../../src/stats/logistic.js';
import { expectAllRel, expectRel, readCsv, readJson, surveyDesign } from './helpers.js';

const TRAITS = ['trust', 'respect', 'liking', 'listening', 'agreement', 'communication'];

function ok(r: ReturnType<typeof fitLogistic>): LogisticFit {
  if (!r.ok) throw new Error(`fit failed: ${r.reason}`);
  return r;
}

describe('ML logistic regression on the survey data (3-level categorical covariate)', () => {
  const g = readJson('golden-survey-model.json');
  const X = surveyDesign();
  const fit = ok(fitLogistic(X, X.y as Float64Array));

  it('uses the same respondents and dummy coding as R (first sorted level is the reference)', () => {
    expect(X.n).toBe(g.n);
    expect(X.names).toEqual(['(Intercept)', ...TRAITS, 'age', 'sex=male', 'site=north', 'site=west']);
    expect(X.terms.find((t) => t.name === 'site')?.reference).toBe('east');
  });
  it('estimates, SEs, z, p and Wald CIs equal summary(glm) / confint.default to 1e-6', () => {
    expectAllRel(fit.coefficients.map((c) => c.estimate), g.estimate, 1e-6, 'estimate');
    expectAllRel(fit.coefficients.map((c) => c.se), g.se, 1e-6, 'se');
    expectAllRel(fit.coefficients.map((c) => c.z), g.z, 1e-6, 'z');
    expectAllRel(fit.coefficients.map((c) => c.p), g.p, 1e-6, 'p');
    expectAllRel(fit.coefficients.map((c) => c.lower), g.lower, 1e-6, 'lower');
    expectAllRel(fit.coefficients.map((c) => c.upper), g.upper, 1e-6, 'upper');
    expectAllRel(fit.coefficients.map((c) => c.oddsRatio), g.estimate.map(Math.exp), 1e-6, 'OR');
  });
  it('converges in the same number of iterations as glm.fit', () => {
    expect(fit.converged).toBe(true);
    expect(fit.iterations).toBe(g.iterations);
    expect(fit.boundary).toBe(false);
  });
  it('deviances, logLik, AIC, model LR test, McFadden and Nagelkerke R²', () => {
    expectRel(fit.deviance, g.deviance, 1e-9, 'deviance');
    expectRel(fit.nullDeviance, g.nullDeviance, 1e-12, 'null deviance');
    expect(fit.dfResidual).toBe(g.dfResidual);
    expect(fit.dfNull).toBe(g.dfNull);
    expectRel(fit.logLik, g.logLik, 1e-9, 'logLik');
    expectRel(fit.aic, g.aic, 1e-9, 'AIC');
    expectRel(fit.lrTest?.statistic, g.lrStatistic, 1e-7, 'LR');
    expect(fit.lrTest?.df).toBe(g.lrDf);
    expectRel(fit.lrTest?.p, g.lrP, 1e-6, 'LR p');
    expectRel(fit.r2McFadden, g.mcfadden, 1e-8, 'McFadden');
    expectRel(fit.r2Nagelkerke, g.nagelkerke, 1e-8, 'Nagelkerke');
    expectAllRel(fit.fitted, g.fitted, 1e-7, 'fitted');
  });
  it('drop-one LR tests per term equal drop1(fit, test = "LRT"), site tested with 2 df', () => {
    const tt = fit.termTests ?? [];
    expect(tt.map((t) => t.term)).toEqual(g.termTests.terms);
    expect(tt.map((t) => t.df)).toEqual(g.termTests.df);
    expectAllRel(tt.map((t) => t.deviance), g.termTests.deviance, 1e-9, 'drop1 deviance');
    expectAllRel(tt.map((t) => t.statistic), g.termTests.statistic, 1e-6, 'drop1 LRT');
    expectAllRel(tt.map((t) => t.p), g.termTests.p, 1e-6, 'drop1 p');
  });
  it('finds no separation', () => {
    expect(fit.separation?.status).toBe('none');
  });
  it('Firth fit equals brglm2 (AS_mean) estimates and SEs', () => {
    const f = ok(fitLogistic(X, X.y as Float64Array, { method: 'firth' }));
    expect(f.converged).toBe(true);
    expectAllRel(f.coefficients.map((c) => c.estimate), g.firth.estimate, 1e-6, 'Firth estimate');
    expectAllRel(f.coefficients.map((c) => c.se), g.firth.se, 1e-6, 'Firth se');
    expectAllRel(f.coefficients.map((c) => c.p), g.firth.p, 1e-6, 'Firth p');
    expectRel(f.deviance, g.firth.deviance, 1e-8, 'Firth deviance');
    expect(f.ciMethod).toBe('Wald');
    expect(f.lrTest).toBeNull();
  });
});

describe('rare outcome (5% events)', () => {
  const g = readJson('golden-rare.json');
  const d = readCsv('rare.csv');
  const X = buildDesign({ numeric: { x1: d.num('x1'), x2: d.num('x2'), x3: d.num('x3') }, outcome: d.num('y') });
  it('has about 5% events', () => {
    expect(g.events / g.n).toBeCloseTo(0.05, 2);
  });
  it('ML fit equals glm', () => {
    const fit = ok(fitLogistic(X, X.y as Float64Array));
    expect(fit.nEvents).toBe(g.events);
    expect(fit.iterations).toBe(g.iterations);
    expectAllRel(fit.coefficients.map((c) => c.estimate), g.estimate, 1e-6, 'estimate');
    expectAllRel(fit.coefficients.map((c) => c.se), g.se, 1e-6, 'se');
    expectAllRel(fit.coefficients.map((c) => c.p), g.p, 1e-6, 'p');
    expectAllRel(fit.coefficients.map((c) => c.lower), g.lower, 1e-6, 'lower');
    expectAllRel(fit.coefficients.map((c) => c.upper), g.upper, 1e-6, 'upper');
    expectAllRel(fit.termTests?.map((t) => t.statistic) ?? [], g.termTests.statistic, 1e-6, 'drop1');
    expectAllRel(fit.termTests?.map((t) => t.p) ?? [], g.termTests.p, 1e-6, 'drop1 p');
    expectRel(fit.aic, g.aic, 1e-9, 'AIC');
    const c = fit.cStatistic;
    if (!c?.ok) throw new Error('no AUC');
    expectRel(c.auc, g.delong.auc, 1e-9, 'AUC');
    expectRel(c.variance, g.delong.variance, 1e-6, 'DeLong var');
    const h = fit.hosmerLemeshow;
    if (!h?.ok) throw new Error('no HL');
    expectRel(h.statistic, g.hoslem.statistic, 1e-6, 'HL');
    expectRel(h.p, g.hoslem.p, 1e-6, 'HL p');
  });
  it('Firth fit equals brglm2 AS_mean, with Wald CIs', () => {
    const f = ok(fitLogistic(X, X.y as Float64Array, { method: 'firth' }));
    expectAllRel(f.coefficients.map((c) => c.estimate), g.firth.estimate, 1e-6, 'Firth estimate');
    expectAllRel(f.coefficients.map((c) => c.se), g.firth.se, 1e-6, 'Firth se');
    expectAllRel(f.coefficients.map((c) => c.z), g.firth.z, 1e-6, 'Firth z');
    expectAllRel(f.coefficients.map((c) => c.p), g.firth.p, 1e-6, 'Firth p');
    expectAllRel(f.coefficients.map((c) => c.lower), g.firth.lower, 1e-6, 'Firth lower');
    expectAllRel(f.coefficients.map((c) => c.upper), g.firth.upper, 1e-6, 'Firth upper');
    // Firth shrinks towards zero relative to ML in a rare-event sample
    const ml = ok(fitLogistic(X, X.y as Float64Array));
    expect(Math.abs(f.coefficients[0].estimate)).toBeLessThan(Math.abs(ml.coefficients[0].estimate));
  });
});

describe('p-values far in the tail (strong effect, test/reference/strong.csv)', () => {
  const g = readJson('golden-strong.json');
  const d = readCsv('strong.csv');
  const X = buildDesign({ numeric: { x1: d.num('x1'), x2: d.num('x2') }, outcome: d.num('y') });
  const fit = ok(fitLogistic(X, X.y as Float64Array));
  it('Wald p of about 7e-35 and LR p of about 1e-76 equal R to 1e-6 relative', () => {
    expect(g.p[1]).toBeLessThan(1e-30);
    expectAllRel(fit.coefficients.map((c) => c.estimate), g.estimate, 1e-6, 'estimate');
    expectAllRel(fit.coefficients.map((c) => c.se), g.se, 1e-6, 'se');
    expectAllRel(fit.coefficients.map((c) => c.p), g.p, 1e-6, 'Wald p');
    expectRel(fit.lrTest?.p, g.lrP, 1e-6, 'model LR p');
    expectAllRel(fit.termTests?.map((t) => t.p) ?? [], g.termTests.p, 1e-6, 'drop1 p');
  });
});
