/**
 * Weighted means and rates with linearisation SEs (src/stats/svy-mean.ts) against survey::svymean
 * (test/reference/svy-mean-golden.R) under four designs, to 1e-10 (mean) and 1e-8 (SE).
 */
import { describe, expect, it } from 'vitest';
import { svyInterval, svyMean, type SvyMean } from '../../src/stats/svy-mean.js';
import { svyMeanReplicate, type ReplicateMean } from '../../src/stats/svy-replicate.js';
import { clusterIndex, expectRel, readCsv, readJson } from './helpers.js';

const R = readJson('svy-mean-golden.json');
const d = readCsv('cluster.csv');
const w = d.num('weight');
const psu = clusterIndex(d.str('clinician'));
const strata = clusterIndex(d.str('stratum'));
const designs: [string, Int32Array | null, Int32Array | null][] = [
  ['cluster_strata', psu, strata],
  ['cluster', psu, null],
  ['strata_only', null, strata],
  ['srs', null, null],
];

describe('weighted means and rates (svymean golden values)', () => {
  for (const [name, p, s] of designs) {
    it(name, () => {
      for (const v of ['score', 'portal_use']) {
        const m = svyMean(d.num(v), w, p, s) as SvyMean;
        expect(m.ok).toBe(true);
        expectRel(m.mean, R[name][v][0], 1e-10, `${name} ${v} mean`);
        expectRel(m.se, R[name][v][1], 1e-8, `${name} ${v} se`);
      }
    });
  }
  it('bad weights are a failure', () => {
    const bad = Float64Array.from(w);
    bad[2] = 0;
    expect(svyMean(d.num('score'), bad).ok).toBe(false);
  });
});

describe('domain means (svymean na.rm = TRUE, test/reference/svy-design-golden.R)', () => {
  const G = readJson('svy-design-golden.json');
  const trust = d.num('trust');
  const domain = new Uint8Array(trust.length).fill(1);
  for (let i = 0; i < trust.length; i++) if (i < 30 || (i + 1) % 7 === 0) { trust[i] = NaN; domain[i] = 0; }
  for (const [key, p] of [['domain_strata', null], ['domain_cluster_strata', psu]] as const) {
    it(key, () => {
      const m = svyMean(trust, w, p, strata, domain) as SvyMean;
      expect(m.ok).toBe(true);
      expectRel(m.mean, G[key].mean, 1e-10, 'mean');
      expectRel(m.se, G[key].mean_se, 1e-8, 'se');
      expect(m.df).toBe(G[key].degf);
    });
  }
});

const dd = readCsv('svy-design.csv');
const reps = dd.header.filter((h) => /^repw\d+$/.test(h)).map((h) => dd.num(h));

describe('design-based intervals (confint(svymean, df = degf) and svyciprop logit, svy-design-golden.R)', () => {
  const G = readJson('svy-design-golden.json');
  for (const key of ['report_weights', 'report_strata', 'report_replicate']) {
    it(key, () => {
      const ref = G[key];
      for (const m of ref.means) {
        const ci = svyInterval(m.mean, m.se, ref.degf, 'mean')!;
        expectRel(ci.low, m.ci[0], 1e-10, `${m.variable} low`);
        expectRel(ci.high, m.ci[1], 1e-10, `${m.variable} high`);
      }
      const rate = ref.means[0];
      // replicate designs: svyciprop's SE of logit(p) comes from the replicates
      const rep = key === 'report_replicate' ? (svyMeanReplicate(d.num('portal_use'), w, reps) as ReplicateMean) : null;
      if (rep) expectRel(rep.mean, rate.mean, 1e-10, 'replicate rate');
      const p = svyInterval(rate.mean, rate.se, ref.degf, 'proportion', rep ? rep.logitSe : null)!;
      expectRel(p.low, ref.rate_ci[0], 1e-8, 'rate low'); // svyciprop fits the logit by glm (its default tolerance)
      expectRel(p.high, ref.rate_ci[1], 1e-8, 'rate high');
    });
  }
  it('no interval for a rate of 0 or 1, or without degrees of freedom', () => {
    expect(svyInterval(0, 0, 10, 'proportion')).toBeNull();
    expect(svyInterval(0.5, 0.1, 0, 'mean')).toBeNull();
  });
});
