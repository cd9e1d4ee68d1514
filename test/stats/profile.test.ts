/**
 * Profile-likelihood CIs of ML logistic fits against exact roots of the profile deviance in R
 * (uniroot on glm.fit with an offset; profile-golden.R -> profile-golden.json). R's confint() is
 * within its spline error (about 1e-4) of both; the CI-method rule on hand-made fits.
 */
import { describe, expect, it } from 'vitest';
import { buildDesign } from '../../src/stats/design.js';
import { fitLogistic } from '../../src/stats/logistic.js';
import { chooseCiMethod, profileConfint } from '../../src/stats/profile.js';
import { expectAllRel, expectRel, readCsv, readJson } from './helpers.js';

const g = readJson('profile-golden.json');

function fitCsv(file: string, vars: string[]) {
  const d = readCsv(file);
  const X = buildDesign({ numeric: Object.fromEntries(vars.map((v) => [v, d.num(v)])), outcome: d.num('y') });
  const fit = fitLogistic(X, X.y as Float64Array, { epsilon: 1e-14, maxit: 100, diagnostics: false, separationCheck: false, termTests: false });
  if (!fit.ok) throw new Error(fit.reason);
  return { X, fit };
}

describe.each([
  ['rare', 'rare.csv', ['x1', 'x2', 'x3']],
  ['strong', 'strong.csv', ['x1', 'x2']],
] as const)('profile CIs on %s', (key, file, vars) => {
  const { X, fit } = fitCsv(file, [...vars]);
  const ref = g[key];
  const ci = profileConfint(X, X.y as Float64Array, { beta: fit.coefficients.map((c) => c.estimate), deviance: fit.deviance, se: fit.coefficients.map((c) => c.se) });
  it('estimates and deviance match glm', () => {
    expectAllRel(fit.coefficients.map((c) => c.estimate), ref.estimate, 1e-8, 'estimate');
    expectRel(fit.deviance, ref.deviance, 1e-12, 'deviance');
  });
  it('limits equal the exact roots of the profile to 1e-6', () => {
    expect(ci.map((c) => c.name)).toEqual(ref.names);
    expectAllRel(ci.map((c) => c.lower.value), ref.lower, 1e-6, 'lower');
    expectAllRel(ci.map((c) => c.upper.value), ref.upper, 1e-6, 'upper');
    for (const c of ci) expect(c.lower.converged && c.upper.converged).toBe(true);
  });
  it("R's confint() agrees only to its spline error (1e-4), and the interval is asymmetric", () => {
    expectAllRel(ci.map((c) => c.lower.value), ref.confintLower, 1e-4, 'confint lower');
    expectAllRel(ci.map((c) => c.upper.value), ref.confintUpper, 1e-4, 'confint upper');
    const c1 = ci[1];
    expect(Math.abs(c1.upper.value - c1.estimate - (c1.estimate - c1.lower.value))).toBeGreaterThan(1e-3);
  });
});

describe('profile under separation', () => {
  it('an infinite limit is returned as Infinity, not a number', () => {
    // x = 1 always has y = 1: the slope's MLE is infinite; its lower limit is finite, its upper is not
    const x = Float64Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? 1 : 0));
    const y = Float64Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? 1 : i % 3 === 0 ? 1 : 0));
    const X = buildDesign({ numeric: { x }, outcome: y });
    // profile from where glm stops (a large finite slope, deviance at its infimum to ~1e-8)
    const fit = fitLogistic(X, y, { diagnostics: false, separationCheck: false, termTests: false });
    if (!fit.ok) throw new Error(fit.reason);
    const dev = profileConfint(X, y, { beta: fit.coefficients.map((c) => c.estimate), deviance: fit.deviance, se: fit.coefficients.map((c) => c.se) }, { columns: [1] });
    expect(fit.coefficients[1].estimate).toBeGreaterThan(10);
    expect(Number.isFinite(dev[0].lower.value)).toBe(true);
    expect(dev[0].upper.value).toBe(Infinity);
  });
});

describe('chooseCiMethod', () => {
  const coef = (est: number[]) => est.map((e, j) => ({ name: j === 0 ? '(Intercept)' : `x${j}`, estimate: e }));
  it('profile when events per variable < 20', () => {
    const r = chooseCiMethod({ n: 400, nEvents: 20, coefficients: coef([-3.9, 0.7, 0.2, 0.2]) });
    expect(r.epv).toBeCloseTo(20 / 3, 12);
    expect(r).toMatchObject({ method: 'profile', reasons: ['low-epv'] });
  });
  it('EPV counts the smaller outcome class', () => {
    expect(chooseCiMethod({ n: 1000, nEvents: 960, coefficients: coef([3, 0.1]) }).epv).toBe(40);
  });
  it('profile when any |log OR| > 3 (the intercept does not count), Wald otherwise', () => {
    expect(chooseCiMethod({ n: 1000, nEvents: 500, coefficients: coef([-5, 3.2]) })).toMatchObject({ method: 'profile', reasons: ['large-estimate'] });
    expect(chooseCiMethod({ n: 1000, nEvents: 500, coefficients: coef([-5, -2.9, 1]) })).toMatchObject({ method: 'wald', reasons: [] });
    expect(chooseCiMethod({ n: 1000, nEvents: 500, coefficients: coef([-5, -3.01]) }).method).toBe('profile');
  });
});
