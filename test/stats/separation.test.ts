/**
 * Separation. Data: test/reference/separation-complete.csv (y = 1 exactly when x1 > 0.2; R's glm:
 * "algorithm did not converge", "fitted probabilities numerically 0 or 1 occurred") and
 * separation-quasi.csv (every respondent with g = 1 has y = 1; R's glm converges silently with
 * SE(g) = 1264). Firth estimates against brglm2 (type = "AS_mean"). Golden: golden-separation.json.
 */
import { describe, expect, it } from 'vitest';
import { buildDesign } from '../../src/stats/design.js';
import { fitLogistic } from '../../src/stats/logistic.js';
import { detectSeparation } from '../../src/stats/separation.js';
import { firthDecision } from '../../src/stats/firth-decision.js';
import { expectAllRel, expectRel, readCsv, readJson } from './helpers.js';

const g = readJson('golden-separation.json');

function load(name: string, vars: string[]) {
  const d = readCsv(`${name}.csv`);
  const numeric: Record<string, Float64Array> = {};
  for (const v of vars) numeric[v] = d.num(v);
  return buildDesign({ numeric, outcome: d.num('y') });
}

describe('complete separation', () => {
  const X = load('separation-complete', ['x1', 'x2']);
  const y = X.y as Float64Array;
  it('the LP check finds complete separation by x1 (not the noise x2)', () => {
    const s = detectSeparation(X, y);
    expect(s.status).toBe('complete');
    expect(s.terms).toEqual(['x1']);
    expect(s.columns).toContain('x1');
    // the direction separates: (2y - 1) x'b >= 0 for every respondent
    const b = s.direction as number[];
    for (let i = 0; i < X.n; i++) {
      let e = 0;
      for (let j = 0; j < X.p; j++) e += X.data[i * X.p + j] * b[j];
      expect((2 * y[i] - 1) * e).toBeGreaterThanOrEqual(-1e-9);
    }
  });
  it('the ML fit reports what R warns about, and the separation, instead of hiding it', () => {
    const fit = fitLogistic(X, y);
    if (!fit.ok) throw new Error(fit.reason);
    expect(fit.converged).toBe(g['separation-complete'].mlConverged);
    expect(fit.iterations).toBe(25);
    // R: "algorithm did not converge", "fitted probabilities numerically 0 or 1 occurred"
    expect(fit.boundary).toBe(true);
    expect(fit.separation?.status).toBe('complete');
    expect(fit.separation?.terms).toEqual(['x1']);
    // the one ML → Firth rule: separated, so Firth
    expect(firthDecision(fit, () => detectSeparation(X, y))).toMatchObject({ useFirth: true, cause: 'separation' });
    // like R's, the x1 estimate has run off (R: 256.5 with SE 87815), along the same IRLS path
    const w = g['separation-complete'];
    expectAllRel(fit.coefficients.map((c) => c.estimate), w.mlEstimate, 1e-6, 'ML estimate');
    expectAllRel(fit.coefficients.map((c) => c.se), w.mlSe, 1e-6, 'ML se');
  });
  it('the Firth fit is finite and equals brglm2', () => {
    const f = fitLogistic(X, y, { method: 'firth' });
    if (!f.ok) throw new Error(f.reason);
    const w = g['separation-complete'].firth;
    expect(f.converged).toBe(true);
    expectAllRel(f.coefficients.map((c) => c.estimate), w.estimate, 1e-6, 'estimate');
    expectAllRel(f.coefficients.map((c) => c.se), w.se, 1e-6, 'se');
    expectAllRel(f.coefficients.map((c) => c.p), w.p, 1e-6, 'p');
  });
});

describe('quasi-complete separation', () => {
  const X = load('separation-quasi', ['x1', 'g']);
  const y = X.y as Float64Array;
  it('the LP check finds quasi-complete separation by g', () => {
    const s = detectSeparation(X, y);
    expect(s.status).toBe('quasi-complete');
    expect(s.terms).toEqual(['g']);
    expect(s.columns).toEqual(['g']);
  });
  it('the ML fit matches R (which converges silently) and adds the separation warning', () => {
    const fit = fitLogistic(X, y);
    if (!fit.ok) throw new Error(fit.reason);
    const w = g['separation-quasi'];
    expect(fit.converged).toBe(true);
    expect(fit.iterations).toBe(w.mlIterations);
    // same IRLS path as glm.fit, so even the diverging estimate of g (19.16, SE 1264) is R's
    expectAllRel(fit.coefficients.map((c) => c.estimate), w.mlEstimate, 1e-6, 'ML estimate');
    expectAllRel(fit.coefficients.map((c) => c.se), w.mlSe, 1e-6, 'ML se');
    expect(fit.separation?.status).toBe('quasi-complete');
    expect(fit.separation?.terms).toEqual(['g']);
    expect(firthDecision(fit, () => detectSeparation(X, y))).toMatchObject({ useFirth: true, cause: 'separation' });
  });
  it('the Firth fit equals brglm2', () => {
    const f = fitLogistic(X, y, { method: 'firth' });
    if (!f.ok) throw new Error(f.reason);
    const w = g['separation-quasi'].firth;
    expectAllRel(f.coefficients.map((c) => c.estimate), w.estimate, 1e-6, 'estimate');
    expectAllRel(f.coefficients.map((c) => c.se), w.se, 1e-6, 'se');
    expectAllRel(f.coefficients.map((c) => c.z), w.z, 1e-6, 'z');
    expectAllRel(f.coefficients.map((c) => c.p), w.p, 1e-6, 'p');
  });
});

describe('no separation', () => {
  it('overlapping data are not flagged, including a categorical term', () => {
    const X = buildDesign({
      numeric: { x: Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]) },
      categorical: { c: ['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b'] },
      outcome: Float64Array.from([0, 1, 0, 1, 1, 0, 1, 0]),
    });
    expect(detectSeparation(X, X.y as Float64Array).status).toBe('none');
  });
  it('a dummy level that only has events is quasi-complete separation by that term', () => {
    const X = buildDesign({
      numeric: { x: Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]) },
      categorical: { c: ['a', 'b', 'a', 'b', 'a', 'b', 'c', 'c', 'c'] },
      outcome: Float64Array.from([0, 1, 0, 1, 1, 0, 1, 1, 1]),
    });
    const s = detectSeparation(X, X.y as Float64Array);
    expect(s.status).toBe('quasi-complete');
    expect(s.terms).toEqual(['c']);
    expect(s.columns).toEqual(['c=c']);
  });
});
