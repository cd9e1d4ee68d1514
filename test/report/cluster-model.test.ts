/**
 * The adjusted model under --cluster (src/report/sections/cluster-model.ts): the GLMM's coefficients
 * replace the ordinary ones, robust SEs are the CR1 sandwich of the ordinary fit, and a Firth fit (asked
 * for, or after separation) is never followed by a GLMM.
 */
import { describe, expect, it } from 'vitest';
import { clusteredModel, glmmInputOf, robustSeOf } from '../../src/report/sections/cluster-model.js';
import { fitAdjusted } from '../../src/report/sections/model.js';
import { buildDesign, type LogisticFit } from '../../src/stats/index.js';
import { fitGlmm } from '../../src/stats/glmm.js';
import { Rng } from '../../src/stats/rng.js';

function setup() {
  const rng = new Rng(11, 0);
  const G = 25;
  const m = 16;
  const codes = Int32Array.from({ length: G * m }, (_, i) => Math.floor(i / m));
  const b = Float64Array.from({ length: G }, () => 0.8 * rng.normal());
  const x = Float64Array.from(codes, () => rng.normal());
  const y = Float64Array.from(codes, (g, i) => (rng.uniform() < 1 / (1 + Math.exp(-(-0.4 + 0.6 * x[i] + b[g]))) ? 1 : 0));
  const X = buildDesign({ numeric: { x }, outcome: y });
  return { X, codes };
}
const opts = (method: 'glmm' | 'robust') => ({ method, quadrature: 1, withinBetween: false, caseMix: [], alpha: 0.05 });

describe('clustered adjusted model', () => {
  it('glmm: the random-intercept fit replaces the coefficients; robust_se from the ordinary fit', () => {
    const { X, codes } = setup();
    const r = fitAdjusted(X, X.y!, 'auto');
    const fit = r.fit as LogisticFit;
    const c = clusteredModel(X, fit, r.method, codes, opts('glmm'));
    const g = fitGlmm(glmmInputOf(X, codes));
    expect(g.ok).toBe(true);
    if (!g.ok) return;
    expect(c.method).toBe('glmm');
    expect(c.fit.coefficients.map((x) => x.estimate)).toEqual(g.coefficients.map((x) => x.estimate));
    expect(c.fit.coefficients[1].orLower).toBeCloseTo(Math.exp(g.coefficients[1].ciLow), 12);
    expect(c.robustSe.map((x) => x.se)).toEqual([...robustSeOf(X, fit, glmmInputOf(X, codes).cluster)]);
    expect(c.randomIntercept!.sd).toBe(g.sd);
    expect(c.randomIntercept!.sdCiLow!).toBeLessThan(g.sd);
    expect(c.clusters).toBe(25);
    expect(c.clusterSize).toEqual({ min: 16, median: 16, max: 16 });
  });

  it('robust: ordinary estimates with CR1 SEs (the GLMM only describes the clinicians)', () => {
    const { X, codes } = setup();
    const r = fitAdjusted(X, X.y!, 'auto');
    const fit = r.fit as LogisticFit;
    const c = clusteredModel(X, fit, r.method, codes, opts('robust'));
    expect(c.method).toBe('ml-cluster-robust');
    expect(c.fallback).toBeNull();
    c.fit.coefficients.forEach((x, j) => {
      expect(x.estimate).toBe(fit.coefficients[j].estimate);
      expect(x.se).toBe(c.robustSe[j].se);
    });
    expect(c.randomIntercept).not.toBeNull();
  });

  it('--method firth: no GLMM, the Firth fit with CR1 SEs, and the warning says it was asked for', () => {
    const { X, codes } = setup();
    const r = fitAdjusted(X, X.y!, 'firth');
    const c = clusteredModel(X, r.fit as LogisticFit, r.method, codes, opts('glmm'));
    expect(c.method).toBe('firth-cluster-robust');
    expect(c.fallback).toBe('requested_firth');
    expect(c.randomIntercept).toBeNull();
    expect(c.warnings).toEqual([{ code: 'cluster_fallback', cause: 'requested_firth', firth: true, reason: null }]);
  });
});
