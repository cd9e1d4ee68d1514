/**
 * The IRLS engine (src/stats/irls.ts): glm's estimates, iterations and deviance on R's reference model
 * (golden.R -> golden-survey-model.json), and the generated (unrolled) kernel against the generic one.
 */
import { describe, expect, it } from 'vitest';
import { irlsLogit } from '../../src/stats/irls.js';
import { viewOf } from '../../src/stats/logistic.js';
import { expectAllRel, expectRel, readJson, surveyDesign } from './helpers.js';

describe('irlsLogit on the survey model', () => {
  const g = readJson('golden-survey-model.json');
  const X = surveyDesign();
  it('estimates, deviance and iterations equal glm.fit', () => {
    const r = irlsLogit(viewOf(X), X.y as Float64Array);
    expect(r.converged).toBe(true);
    expect(r.iterations).toBe(g.iterations);
    expectAllRel(r.beta, g.estimate, 1e-6, 'estimate');
    expectRel(r.deviance, g.deviance, 1e-9, 'deviance');
  });
});

describe('IRLS kernels', () => {
  it('the generated (unrolled) pass and the generic pass give the same normal equations', async () => {
    const { __kernels } = await import('../../src/stats/irls.js');
    let s = 7;
    const rnd = (): number => ((s = (s * 48271) % 2147483647) / 2147483647);
    for (const q of [1, 3, 7]) {
      const n = 500;
      const data = Float64Array.from({ length: n * (q + 1) }, rnd);
      const y = Float64Array.from({ length: n }, () => (rnd() < 0.4 ? 1 : 0));
      const cols = Int32Array.from({ length: q }, (_, j) => j + 1);
      const coef = Float64Array.from({ length: q }, () => rnd() - 0.5);
      for (const start of [true, false]) {
        const A1 = new Float64Array(q * q), b1 = new Float64Array(q), A2 = new Float64Array(q * q), b2 = new Float64Array(q);
        const m1 = new Float64Array(n), m2 = new Float64Array(n);
        const r1 = __kernels.unrolledKernel(q)(data, q + 1, cols, n, y, coef, start, A1, b1, m1, null);
        const r2 = __kernels.genericKernel(data, q + 1, cols, n, y, coef, start, A2, b2, m2, null);
        expectRel(r1.dev, r2.dev, 1e-13, 'dev');
        for (let j = 0; j < q; j++) for (let k = 0; k <= j; k++) expectRel(A1[j * q + k], A2[j * q + k], 1e-12, 'A');
        expectAllRel(b1, Array.from(b2), 1e-12, 'b');
        expectAllRel(m1, Array.from(m2), 0, 'mu');
      }
    }
  });
});
