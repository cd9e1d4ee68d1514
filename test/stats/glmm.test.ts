/**
 * Random-intercept logistic model (src/stats/glmm.ts) against lme4::glmer at tight settings
 * (test/reference/glmm-golden.R): generated data with known parameters (cluster.csv), the tau = 0
 * boundary (cluster-flat.csv) and a subset of lme4's InstEval (lecturers rated by students,
 * dichotomised good = y >= 4; see the R script).
 * Two references: (1) the same approximate likelihood written out in R and minimised there with
 * numDeriv's Richardson derivatives (`own`): fixed effects, SD, their full-Hessian SEs and the
 * deviance to 1e-6 relative; (2) glmer itself: fixed effects to 1e-4 relative (a coefficient near 0
 * to 1e-4 of its SE), SD to 1e-3, deviance to 1e-8, conditional modes and their SDs to 1e-3, SEs to
 * 1e-4 on the small data set and 2e-3 on InstEval, where glmer's finite-difference Hessian of
 * deviance values (deriv12, step 1e-4) carries about 1e-3 rounding error (the own reference shows
 * ours is the exact one there).
 */
import { describe, expect, it } from 'vitest';
import { clusterData, fitGlmm, glmmDeviance, glmmWork, type GlmmFit } from '../../src/stats/glmm.js';
import { gaussHermite } from '../../src/stats/gauss-hermite.js';
import { clusterIndex, expectAllRel, expectRel, readCsv, readJson } from './helpers.js';

const R = readJson('glmm-golden.json');


function clusterInput(file: string) {
  const d = readCsv(file);
  return {
    columns: [d.num('trust'), d.num('communication'), d.num('age').map((a) => (a - 52) / 10), d.num('female')],
    names: ['trust', 'communication', 'age10', 'female'],
    y: d.num('portal_use'),
    cluster: clusterIndex(d.str('clinician')),
  };
}

function instEval() {
  const d = readCsv('insteval-subset.csv');
  return { columns: [d.num('service'), d.num('studage'), d.num('lectage')], y: d.num('good'), cluster: clusterIndex(d.str('lecturer')) };
}

/** d deviance / d phi_j by a central difference (step 1e-5). */
function centralDifference(w: ReturnType<typeof glmmWork>, phi: Float64Array, j: number): number {
  const h = 1e-5;
  const a = Float64Array.from(phi);
  a[j] += h;
  const b = Float64Array.from(phi);
  b[j] -= h;
  return (glmmDeviance(w, a, null) - glmmDeviance(w, b, null)) / (2 * h);
}

function compare(f: ReturnType<typeof fitGlmm>, ref: any, own: any, label: string, seTol = 1e-4): GlmmFit {
  expect(f.ok, label).toBe(true);
  const fit = f as GlmmFit;
  expect(fit.converged, `${label} converged`).toBe(true);
  // (1) our own R optimisation of the same likelihood
  // relative to max(|b|, SE): a coefficient near 0 is compared on the scale of its SE
  fit.coefficients.forEach((c, j) => {
    expect(Math.abs(c.estimate - own.beta[j]), `${label} beta[${j}] (own R)`).toBeLessThanOrEqual(1e-6 * Math.max(Math.abs(own.beta[j]), own.se[j]));
  });
  expectAllRel(fit.coefficients.map((c) => c.se), own.se, 1e-6, `${label} se (own R)`);
  expectAllRel(fit.vcov, own.vcov, 1e-5, `${label} vcov (own R)`);
  expectRel(fit.sd, own.sd, 1e-6, `${label} sd (own R)`);
  expectRel(fit.sdSe, own.sd_se, 1e-5, `${label} se of sd (own R)`);
  expectRel(fit.deviance, own.deviance, 1e-10, `${label} deviance (own R)`);
  // (2) glmer
  fit.coefficients.forEach((c, j) => {
    const err = Math.abs(c.estimate - ref.beta[j]);
    expect(err, `${label} beta[${j}] ${c.estimate} vs glmer ${ref.beta[j]}`).toBeLessThanOrEqual(1e-4 * Math.max(Math.abs(ref.beta[j]), ref.se[j]));
  });
  expectAllRel(fit.coefficients.map((c) => c.se), ref.se, seTol, `${label} se`);
  expectRel(fit.sd, ref.sd, 1e-3, `${label} sd`);
  expectRel(fit.deviance, ref.deviance, 1e-8, `${label} deviance`);
  for (let g = 0; g < ref.modes.length; g++) {
    expect(Math.abs(fit.modes[g] - ref.modes[g]), `${label} mode ${g}`).toBeLessThan(1e-3);
    expect(Math.abs(fit.modeSd[g] - ref.mode_sd[g]), `${label} mode sd ${g}`).toBeLessThan(1e-3);
  }
  return fit;
}

describe('random-intercept logistic model (glmer golden values)', () => {
  it('Laplace on generated data: estimates, full-Hessian SEs, SD, deviance, conditional modes', () => {
    const fit = compare(fitGlmm(clusterInput('cluster.csv')), R.cluster_laplace, R.own.cluster_laplace, 'laplace');
    expect(fit.boundary).toBe(false);
    expect(fit.clusters).toBe(40);
    // the SD's Wald interval on the log scale contains the truth (1) and is the stated transform
    const [lo, hi] = fit.sdCi!;
    expect(lo).toBeLessThan(1);
    expect(hi).toBeGreaterThan(1);
    expectRel(Math.sqrt(lo * hi), fit.sd, 1e-12, 'log-symmetric');
    expectRel(fit.icc, fit.variance / (fit.variance + Math.PI ** 2 / 3), 1e-12, 'icc');
    expectRel(fit.medianOddsRatio, Math.exp(Math.sqrt(2 * fit.variance) * 0.6744897501960817), 1e-12, 'MOR');
    // the conditional (use.hessian = FALSE) SEs differ from the full-Hessian ones: we report the latter
    expect(Math.abs(fit.coefficients[0].se - R.cluster_laplace.se_conditional[0])).toBeGreaterThan(1e-5);
  });

  it('adaptive Gauss–Hermite quadrature with 7 points (nAGQ = 7)', () => {
    compare(fitGlmm(clusterInput('cluster.csv'), { nAGQ: 7 }), R.cluster_agq7, R.own.cluster_agq7, 'agq7');
  });

  it('InstEval subset (60 lecturers, good = y >= 4): Laplace and nAGQ = 5', () => {
    compare(fitGlmm(instEval()), R.insteval_laplace, R.own.insteval_laplace, 'insteval', 2e-3);
    compare(fitGlmm(instEval(), { nAGQ: 5 }), R.insteval_agq5, R.own.insteval_agq5, 'insteval agq5', 2e-3);
  });

  it('no clinician effect: the tau = 0 boundary, flagged, with the fixed effects of glm', () => {
    const f = fitGlmm(clusterInput('cluster-flat.csv'));
    expect(f.ok).toBe(true);
    const fit = f as GlmmFit;
    expect(R.flat_laplace.singular).toBe(true);
    expect(fit.boundary).toBe(true);
    expect(fit.flags).toContain('boundary');
    expect(fit.sd).toBe(0);
    expect(fit.sdCi).toBeNull();
    expectAllRel(fit.coefficients.map((c) => c.estimate), R.flat_laplace.beta, 1e-4, 'flat beta');
    expectRel(fit.deviance, R.flat_laplace.deviance, 1e-8, 'flat deviance');
  });

  it('the analytic gradient equals central differences of the deviance (Laplace and AGQ)', () => {
    const inp = clusterInput('cluster.csv');
    const d = clusterData(inp.columns, inp.y, inp.cluster);
    for (const k of [1, 4, 7]) {
      const w = glmmWork(d, k);
      const phi = Float64Array.of(0.8, -0.5, 0.6, 0.3, -0.1, 0.2);
      const g = new Float64Array(6);
      glmmDeviance(w, phi, g);
      for (let j = 0; j < 6; j++) {
        const fd = centralDifference(w, phi, j);
        expect(Math.abs(g[j] - fd), `nAGQ ${k} component ${j}`).toBeLessThan(1e-5 * (1 + Math.abs(fd)));
      }
    }
  });

  it('more than 16 columns (the looped kernel): gradient and beta-block information as the unrolled kernel sees them', () => {
    const inp = clusterInput('cluster.csv');
    const n = inp.y.length;
    const extra = Array.from({ length: 13 }, (_, j) => Float64Array.from({ length: n }, (_, i) => Math.sin(i * (j + 1.3))));
    const d = clusterData([...inp.columns, ...extra], inp.y, inp.cluster);
    expect(d.p).toBe(18);
    const w = glmmWork(d, 1);
    const phi = Float64Array.from({ length: 19 }, (_, j) => (j === 0 ? 0.9 : j === 1 ? -0.4 : 0.05 * Math.cos(j)));
    const g = new Float64Array(19);
    const info = new Float64Array(18 * 18);
    glmmDeviance(w, phi, g, info);
    for (const j of [0, 1, 5, 18]) {
      const fd = centralDifference(w, phi, j);
      expect(Math.abs(g[j] - fd), `component ${j}`).toBeLessThan(1e-5 * (1 + Math.abs(fd)));
    }
    // info is symmetric and its diagonal positive
    for (let j = 0; j < 18; j++) {
      expect(info[j * 18 + j]).toBeGreaterThan(0);
      for (let k = 0; k < j; k++) expect(info[j * 18 + k]).toBe(info[k * 18 + j]);
    }
  });

  it('Gauss–Hermite rules integrate polynomials exactly (sum w = sqrt(pi), sum w z^2 = sqrt(pi)/2)', () => {
    for (const k of [1, 2, 5, 7, 20]) {
      const { nodes, weights } = gaussHermite(k);
      let s0 = 0;
      let s2 = 0;
      for (let i = 0; i < k; i++) {
        s0 += weights[i];
        s2 += weights[i] * nodes[i] ** 2;
      }
      expectRel(s0, Math.sqrt(Math.PI), 1e-13, `k=${k} w`);
      if (k > 1) expectRel(s2, Math.sqrt(Math.PI) / 2, 1e-13, `k=${k} w z^2`);
    }
  });

  it('bad input is a failure with a reason, never NaN', () => {
    const inp = clusterInput('cluster.csv');
    const y = Float64Array.from(inp.y);
    y[3] = 2;
    const f = fitGlmm({ ...inp, y });
    expect(f.ok).toBe(false);
    expect(fitGlmm({ ...inp, cluster: new Int32Array(inp.y.length) }).ok).toBe(false);
    expect(fitGlmm({ ...inp, y: new Float64Array(inp.y.length) }).ok).toBe(false);
  });
});
