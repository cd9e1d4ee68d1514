/**
 * Design-based logistic regression (src/stats/svyglm.ts) against survey::svyglm
 * (test/reference/svyglm-golden.R): weighted estimates and linearisation covariance for clinicians
 * as PSUs with and without strata, strata only, weights only; JK1 replicate weights. All to 1e-6.
 */
import { describe, expect, it } from 'vitest';
import { jk1Replicates, svyLogistic, type SvyFit } from '../../src/stats/svyglm.js';
import { clusterRobustVcov } from '../../src/stats/cluster-robust.js';
import { invertSpd } from '../../src/stats/linalg.js';
import { clusterIndex, expectAllRel, readCsv, readJson } from './helpers.js';

const R = readJson('svyglm-golden.json');
const d = readCsv('cluster.csv');
const base = {
  columns: [d.num('trust'), d.num('communication'), d.num('age').map((a) => (a - 52) / 10), d.num('female')],
  y: d.num('portal_use'),
  weights: d.num('weight'),
};
const psu = clusterIndex(d.str('clinician'));
const strata = clusterIndex(d.str('stratum'));

function check(f: ReturnType<typeof svyLogistic>, ref: any, label: string): SvyFit {
  expect(f.ok, label).toBe(true);
  const fit = f as SvyFit;
  expectAllRel(fit.coefficients.map((c) => c.estimate), ref.beta, 1e-8, `${label} beta`);
  expectAllRel(fit.vcov, ref.vcov, 1e-6, `${label} vcov`);
  expectAllRel(fit.coefficients.map((c) => c.se), ref.se, 1e-6, `${label} se`);
  expect(fit.df).toBe(ref.df);
  return fit;
}

describe('design-based logistic regression (svyglm golden values)', () => {
  it('clinicians as PSUs within strata', () => check(svyLogistic({ ...base, psu, strata }), R.cluster_strata, 'cluster+strata'));
  it('clinicians as PSUs, no strata', () => check(svyLogistic({ ...base, psu }), R.cluster, 'cluster'));
  it('strata, each respondent a PSU', () => check(svyLogistic({ ...base, strata }), R.strata_only, 'strata'));
  it('weights only', () => check(svyLogistic(base), R.srs, 'srs'));
  it('JK1 replicate weights', () => check(jk1Replicates({ ...base, psu }), R.jk1, 'jk1'));

  it('unstratified cluster design = vcovCL HC1 on the weighted fit without (n-1)/(n-k)', () => {
    const f = svyLogistic({ ...base, psu }) as SvyFit;
    // the same sandwich from cluster-robust.ts with the HC0 factor G/(G-1)
    const n = base.y.length;
    const p = 5;
    const x = new Float64Array(n * p);
    for (let i = 0; i < n; i++) {
      x[i * p] = 1;
      for (let j = 1; j < p; j++) x[i * p + j] = base.columns[j - 1][i];
    }
    const b = f.coefficients.map((c) => c.estimate);
    const mu = Float64Array.from({ length: n }, (_, i) => 1 / (1 + Math.exp(-b.reduce((s, bj, j) => s + bj * x[i * p + j], 0))));
    // bread: weighted X'WX inverse
    const A = new Float64Array(p * p);
    for (let i = 0; i < n; i++) for (let a = 0; a < p; a++) for (let c = 0; c < p; c++) A[a * p + c] += base.weights[i] * mu[i] * (1 - mu[i]) * x[i * p + a] * x[i * p + c];
    const inv = invertSpd(A, p)!;
    const r = clusterRobustVcov({ x, n, p, residual: Float64Array.from(base.y, (v, i) => v - mu[i]), weights: base.weights, bread: inv, cluster: psu }, 'HC0');
    expectAllRel(r.vcov, f.vcov, 1e-7, 'HC0 = svyglm');
  });

  it('a stratum with one PSU is an error (survey.lonely.psu = "fail")', () => {
    const s = Int32Array.from(strata);
    const firstPsuOfStratum0 = psu[0];
    for (let i = 0; i < s.length; i++) if (s[i] === s[0]) s[i] = psu[i] === firstPsuOfStratum0 ? 99 : s[i];
    const f = svyLogistic({ ...base, psu, strata: s });
    expect(f.ok).toBe(false);
    if (!f.ok) expect(f.code).toBe('lonely-psu');
  });
});


describe('domain estimation (svyglm on a subset of the design, test/reference/svy-design-golden.R)', () => {
  const G = readJson('svy-design-golden.json');
  const trust = Float64Array.from(base.columns[0]);
  const domain = new Uint8Array(trust.length).fill(1);
  for (let i = 0; i < trust.length; i++) if (i < 30 || (i + 1) % 7 === 0) { trust[i] = NaN; domain[i] = 0; }
  const inp = { ...base, columns: [trust, ...base.columns.slice(1)], domain };
  for (const [key, p] of [['domain_strata', null], ['domain_cluster_strata', psu]] as const) {
    it(key, () => {
      const f = svyLogistic({ ...inp, psu: p, strata }) as SvyFit;
      expect(f.ok).toBe(true);
      expectAllRel(f.coefficients.map((c) => c.estimate), G[key].beta, 1e-8, 'beta');
      expectAllRel(f.coefficients.map((c) => c.se), G[key].se, 1e-6, 'se');
      expect(f.df + 1 - 5).toBe(G[key].df_residual);
      expect(f.n).toBe(domain.reduce((a, b) => a + b, 0));
    });
  }
});
