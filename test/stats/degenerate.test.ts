/**
 * Degenerate inputs give typed, explained results (ok: false with a code and a sentence) or a
 * DataError for malformed input — never NaN in a table. The design-matrix builder is in design.test.ts.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildDesign, sortLevels } from '../../src/stats/design.js';
import { fitLogistic } from '../../src/stats/logistic.js';
import { DataError } from '../../src/errors.js';

const x = Float64Array.from([1.2, 0.4, 2.2, 3.1, 0.9, 1.7, 2.8, 0.1, 1.5, 2.0]);
const y = Float64Array.from([0, 0, 1, 1, 0, 1, 1, 0, 0, 1]);

describe('logistic regression: degenerate cases', () => {
  it('a constant predictor names the predictor', () => {
    const X = buildDesign({ numeric: { x, k: new Float64Array(10).fill(3) }, outcome: y });
    const r = fitLogistic(X, X.y as Float64Array);
    expect(r).toMatchObject({ ok: false, code: 'constant-predictor' });
    expect(!r.ok && r.reason).toMatch(/"k" has the same value \(3\) for all 10 respondents/);
  });
  it('a categorical variable with one observed level is constant (no column) and harmless', () => {
    const X = buildDesign({ numeric: { x }, categorical: { s: new Array(10).fill('a') }, outcome: y });
    expect(X.names).toEqual(['(Intercept)', 'x']);
    expect(X.terms.find((t) => t.name === 's')?.columns).toEqual([]);
    expect(fitLogistic(X, X.y as Float64Array).ok).toBe(true);
  });
  it('an outcome with one class', () => {
    const X = buildDesign({ numeric: { x }, outcome: new Float64Array(10).fill(1) });
    expect(fitLogistic(X, X.y as Float64Array)).toMatchObject({ ok: false, code: 'one-outcome-class', reason: 'All 10 respondents have outcome 1; a logistic model needs both outcomes.' });
  });
  it('fewer respondents than coefficients', () => {
    const X = buildDesign({
      numeric: { a: Float64Array.from([1, 2, 3]), b: Float64Array.from([3, 1, 2]), c: Float64Array.from([0, 5, 1]) },
      outcome: Float64Array.from([0, 1, 0]),
    });
    expect(fitLogistic(X, X.y as Float64Array)).toMatchObject({ ok: false, code: 'too-few-respondents' });
  });
  it('perfectly collinear predictors name the redundant one', () => {
    const X = buildDesign({ numeric: { x, twice: Float64Array.from(x, (v) => 2 * v + 1) }, outcome: y });
    const r = fitLogistic(X, X.y as Float64Array);
    expect(r).toMatchObject({ ok: false, code: 'collinear-predictors' });
    expect(!r.ok && r.reason).toMatch(/"twice"/);
  });
  it('no complete respondent, and a non-binary outcome', () => {
    const X = buildDesign({ numeric: { x: new Float64Array(4).fill(NaN) }, outcome: Float64Array.from([0, 1, 0, 1]) });
    expect(X.n).toBe(0);
    expect(X.nDropped).toBe(4);
    expect(fitLogistic(X, X.y as Float64Array)).toMatchObject({ ok: false, code: 'no-respondents' });
    const Z = buildDesign({ numeric: { x }, outcome: Float64Array.from(y, (v) => v + 1) });
    expect(fitLogistic(Z, Z.y as Float64Array)).toMatchObject({ ok: false, code: 'outcome-not-binary' });
  });
  it('a successful fit has no NaN anywhere in its tables (property over random data)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), (seed) => {
        let s = seed;
        const rnd = (): number => ((s = (s * 48271) % 2147483647) / 2147483647);
        const n = 40;
        const a = Float64Array.from({ length: n }, rnd);
        const b = Float64Array.from({ length: n }, rnd);
        const yy = Float64Array.from(a, (v, i) => (rnd() < 0.3 + 0.4 * v * b[i] ? 1 : 0));
        const X = buildDesign({ numeric: { a, b }, outcome: yy });
        const r = fitLogistic(X, X.y as Float64Array);
        if (!r.ok) return; // explained failure is fine (e.g. one class)
        for (const c of r.coefficients) for (const v of Object.values(c)) if (typeof v === 'number') expect(Number.isNaN(v)).toBe(false);
        for (const t of r.termTests ?? []) expect(Number.isNaN(t.p)).toBe(false);
        expect(Number.isNaN(r.r2Nagelkerke)).toBe(false);
      }),
      { numRuns: 30 },
    );
  });
});
