/**
 * The warm-started Newton engine (src/stats/newton.ts) used by dominance analysis: on the survey data
 * its deviances equal glm's (irlsLogit to 1e-12, itself checked against R), from a cold start and
 * from the final pass of a smaller model, in fewer passes.
 */
import { describe, expect, it } from 'vitest';
import { irlsLogit } from '../../src/stats/irls.js';
import { viewOf } from '../../src/stats/logistic.js';
import { newtonFit, newtonPass, newtonStep } from '../../src/stats/newton.js';
import { buildDesign } from '../../src/stats/design.js';
import { expectRel, readCsv } from './helpers.js';

function surveyDesign() {
  const d = readCsv('survey.csv');
  const numeric: Record<string, Float64Array> = {};
  for (const t of ['trust', 'respect', 'liking', 'listening', 'agreement', 'communication', 'age']) numeric[t] = d.num(t);
  return buildDesign({ numeric, categorical: { sex: d.str('sex'), site: d.str('site') }, outcome: d.num('portal_use') });
}

describe('warm-started Newton fits', () => {
  const X = surveyDesign();
  const y = X.y as Float64Array;
  const { data, n, p } = X;
  const glm = (cols: number[]) => irlsLogit(viewOf(X, cols), y, { epsilon: 1e-12, maxit: 50 });
  let events = 0;
  for (let i = 0; i < n; i++) events += y[i];
  const beta0 = new Float64Array(p);
  beta0[0] = Math.log(events / (n - events));
  const start = newtonPass(data, n, p, y, beta0);

  it('the intercept-only start is that model’s optimum (decrement 0 to rounding)', () => {
    const s = newtonStep(start, p, Int32Array.of(0));
    expect(s).not.toBeNull();
    expect(s!.dec).toBeLessThan(1e-20 * start.dev);
  });

  it('a cold fit of the full model equals glm', () => {
    const all = Int32Array.from({ length: p }, (_, j) => j);
    const f = newtonFit(data, n, p, y, all, start);
    expect(f.converged).toBe(true);
    expectRel(f.deviance, glm(Array.from(all)).deviance, 1e-12, 'deviance');
  });

  it('a larger model started from a smaller one’s final pass equals glm, in at most 3 passes', () => {
    const small = Int32Array.of(0, 1, 2);
    const fs = newtonFit(data, n, p, y, small, start);
    expectRel(fs.deviance, glm([0, 1, 2]).deviance, 1e-12, 'small');
    const big = Int32Array.of(0, 1, 2, 3, 7);
    const fb = newtonFit(data, n, p, y, big, fs.state);
    expect(fb.converged).toBe(true);
    expect(fb.passes).toBeLessThanOrEqual(3);
    expectRel(fb.deviance, glm([0, 1, 2, 3, 7]).deviance, 1e-12, 'big');
  });

  it('converges from starts far from the optimum (damped steps), as glm from its own start', () => {
    const all = Int32Array.from({ length: p }, (_, j) => j);
    const full = newtonFit(data, n, p, y, all, start);
    // the full model without trust, from the full estimates (trust's coefficient zeroed)
    const keep = Array.from(all).filter((c) => c !== 1);
    const b1 = Float64Array.from(full.state.beta);
    b1[1] = 0;
    const f1 = newtonFit(data, n, p, y, Int32Array.from(keep), newtonPass(data, n, p, y, b1));
    expect(f1.converged).toBe(true);
    expectRel(f1.deviance, glm(keep).deviance, 1e-12, 'without trust');
    // every coefficient four times too large: an undamped Newton iteration overshoots from here
    const b4 = Float64Array.from(full.state.beta, (v) => 4 * v);
    const f4 = newtonFit(data, n, p, y, all, newtonPass(data, n, p, y, b4), { maxit: 60 });
    expect(f4.converged).toBe(true);
    expectRel(f4.deviance, glm(Array.from(all)).deviance, 1e-12, 'from 4x');
  });

  it('reports a singular system instead of stepping', () => {
    // two copies of the intercept column: A_SS is singular
    const f = newtonFit(data, n, p, y, Int32Array.of(0, 0), start);
    expect(f.singular).toBe(true);
    expect(f.converged).toBe(false);
  });
});
