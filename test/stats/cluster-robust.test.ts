/**
 * Cluster-robust covariance (src/stats/cluster-robust.ts) against sandwich::vcovCL on the glm of
 * cluster.csv (test/reference/cluster-robust-golden.R): HC1 (G/(G-1) x (n-1)/(n-k)) and HC0 (G/(G-1)) to 1e-6.
 */
import { describe, expect, it } from 'vitest';
import { clusterRobustVcov } from '../../src/stats/cluster-robust.js';
import { irlsLogit } from '../../src/stats/irls.js';
import { interceptDesign } from '../../src/stats/svyglm.js';
import { expectAllRel, readCsv, readJson } from './helpers.js';
import { clusterIndex } from './helpers.js';

const R = readJson('cluster-robust-golden.json');

function fit() {
  const d = readCsv('cluster.csv');
  const cols = [d.num('trust'), d.num('communication'), d.num('age').map((a) => (a - 52) / 10), d.num('female')];
  const y = d.num('portal_use');
  const n = y.length;
  const p = cols.length + 1;
  const x = interceptDesign(cols, n);
  const f = irlsLogit({ data: x, n, stride: p, cols: Int32Array.from({ length: p }, (_, j) => j) }, y, { epsilon: 1e-14, maxit: 100, keepFitted: true });
  const residual = Float64Array.from(y, (v, i) => v - f.mu![i]);
  return { x, n, p, residual, bread: f.covariance!, cluster: clusterIndex(d.str('clinician')), beta: f.beta };
}

describe('cluster-robust covariance (vcovCL golden values)', () => {
  const inp = fit();
  it('the glm matches R', () => {
    expectAllRel(inp.beta, R.beta, 1e-10, 'beta');
  });
  it('HC1 (CR1, Stata): covariance and SEs to 1e-6', () => {
    const r = clusterRobustVcov(inp, 'HC1');
    expect(r.clusters).toBe(40);
    expectAllRel(r.vcov, R.hc1, 1e-6, 'vcov');
    expectAllRel(r.se, R.se_hc1, 1e-6, 'se');
    expect(r.factor).toBeCloseTo((40 / 39) * ((inp.n - 1) / (inp.n - 5)), 14);
  });
  it('HC0 (G/(G-1) only)', () => {
    const r = clusterRobustVcov(inp, 'HC0');
    expectAllRel(r.se, R.se_hc0, 1e-6, 'se');
  });
  it('every row its own cluster: HC0 x (n-1)/n is the heteroskedasticity-consistent HC0 sandwich', () => {
    const own = { ...inp, cluster: Int32Array.from({ length: inp.n }, (_, i) => i) };
    const a = clusterRobustVcov(own, 'HC0');
    const b = clusterRobustVcov({ ...own, cluster: Int32Array.from({ length: inp.n }, (_, i) => inp.n - 1 - i) }, 'HC0');
    expectAllRel(a.vcov, b.vcov, 1e-12, 'relabelling clusters changes nothing');
  });
  it('one cluster is an error', () => {
    expect(() => clusterRobustVcov({ ...inp, cluster: new Int32Array(inp.n) })).toThrow(/at least 2 clusters/);
  });
});
