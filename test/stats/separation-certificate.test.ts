/**
 * The no-separation certificate from a converged ML fit (Stiemke's lemma, separation.ts notSeparated)
 * that lets fitLogistic skip the linear programs: it holds on ordinary data, never on separated data
 * (including the quasi-complete case where glm converges silently), and whenever it holds the linear
 * program agrees (property test on small random data sets, where separation is common).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildDesign } from '../../src/stats/design.js';
import { fitLogistic } from '../../src/stats/logistic.js';
import { detectSeparation, notSeparated } from '../../src/stats/separation.js';
import { readCsv } from './helpers.js';

function mlFit(X: ReturnType<typeof buildDesign>) {
  const f = fitLogistic(X, X.y as Float64Array, { separationCheck: false, diagnostics: false, termTests: false });
  if (!f.ok) throw new Error(f.reason);
  return f;
}

describe('no-separation certificate', () => {
  it('holds on the survey data, and detectSeparation gives the same answer with and without it', () => {
    const d = readCsv('survey.csv');
    const numeric: Record<string, Float64Array> = {};
    for (const t of ['trust', 'respect', 'liking', 'listening', 'agreement', 'communication', 'age']) numeric[t] = d.num(t);
    const X = buildDesign({ numeric, categorical: { sex: d.str('sex'), site: d.str('site') }, outcome: d.num('portal_use') });
    const f = mlFit(X);
    expect(f.converged).toBe(true);
    expect(notSeparated(X, X.y as Float64Array, f.fitted)).toBe(true);
    expect(detectSeparation(X, X.y as Float64Array, { fitted: f.fitted })).toEqual(detectSeparation(X, X.y as Float64Array));
  });
  it('fails on quasi-complete separation although glm converges there', () => {
    const d = readCsv('separation-quasi.csv');
    const X = buildDesign({ numeric: { x1: d.num('x1'), g: d.num('g') }, outcome: d.num('y') });
    const f = mlFit(X);
    expect(f.converged).toBe(true);
    expect(notSeparated(X, X.y as Float64Array, f.fitted)).toBe(false);
    expect(detectSeparation(X, X.y as Float64Array, { fitted: f.fitted }).status).toBe('quasi-complete');
  });
  it('fails on complete separation', () => {
    const d = readCsv('separation-complete.csv');
    const X = buildDesign({ numeric: { x1: d.num('x1'), x2: d.num('x2') }, outcome: d.num('y') });
    const f = mlFit(X);
    expect(notSeparated(X, X.y as Float64Array, f.fitted)).toBe(false);
  });
  it('whenever it holds, the linear program finds no separation (random small data sets)', () => {
    let certified = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: 30 }),
        fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 90, maxLength: 90 }),
        fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
        (n, xs, ys) => {
          const x1 = Float64Array.from({ length: n }, (_, i) => xs[i]);
          const x2 = Float64Array.from({ length: n }, (_, i) => xs[30 + i] * 0.5 + xs[60 + i]);
          const y = Float64Array.from({ length: n }, (_, i) => (ys[i] ? 1 : 0));
          const X = buildDesign({ numeric: { x1, x2 }, outcome: y });
          const f = fitLogistic(X, y, { separationCheck: false, diagnostics: false, termTests: false });
          if (!f.ok) return;
          if (notSeparated(X, y, f.fitted)) {
            certified++;
            expect(detectSeparation(X, y).status).toBe('none');
          }
        },
      ),
      { numRuns: 300, seed: 42 },
    );
    expect(certified).toBeGreaterThan(20);
  });
});
