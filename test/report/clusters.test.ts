/**
 * The clinician comparisons of report --cluster (src/report/sections/clusters.ts): adjuster columns,
 * the small-cell rules (as --group-by, complementary included), and the numbers of shown clinicians
 * equal to the case-mix kernel's on the same respondents.
 */
import { describe, expect, it } from 'vitest';
import { adjusterColumns, clusterComparison, clusterReliability } from '../../src/report/sections/clusters.js';
import type { CovariateColumn, GroupColumn, TraitColumn } from '../../src/report/data.js';
import { caseMixAdjust } from '../../src/stats/case-mix.js';
import { oneWayReml } from '../../src/stats/icc-oneway.js';
import { Rng } from '../../src/stats/rng.js';

const SIZES = [12, 15, 5, 4, 20];
const LEVELS = ['A', 'B', 'C', 'D', 'E'];

function data() {
  const rng = new Rng(7, 0);
  const codes: number[] = [];
  SIZES.forEach((n, g) => { for (let i = 0; i < n; i++) codes.push(g); });
  const N = codes.length;
  const age = Float64Array.from(codes, () => 30 + 40 * rng.uniform());
  const trust = Float64Array.from(codes, (g, i) => 3 + 0.3 * g + 0.01 * age[i] + rng.normal());
  // B's respondents mostly unscored on "few": only 9 of 15 answer
  let seenB = 0;
  const few = Float64Array.from(codes, (g) => (g === 1 && ++seenB > 9 ? NaN : 2 + rng.normal()));
  const y = Float64Array.from(codes, () => (rng.uniform() < 0.4 ? 1 : 0));
  const cluster: GroupColumn = { name: 'clinician', codes: Int32Array.from(codes), levels: LEVELS };
  const traits: TraitColumn[] = [
    { name: 'trust', label: 'Trust', lo: 1, hi: 5, values: trust },
    { name: 'few', label: 'Few', lo: 1, hi: 5, values: few },
  ];
  const caseMix: CovariateColumn[] = [{ name: 'age', kind: 'numeric', values: age }];
  return { N, cluster, traits, y, caseMix };
}

describe('clinician comparisons', () => {
  it('adjusters: numeric as they are, categories as dummies of the non-reference levels (missing stays missing)', () => {
    const a = adjusterColumns([
      { name: 'age', kind: 'numeric', values: Float64Array.of(30, 40, 50) },
      { name: 'sex', kind: 'categorical', values: ['F', null, 'X'], levels: ['F', 'M', 'X'] },
    ]);
    expect(a.names).toEqual(['age', 'sex=M', 'sex=X']);
    expect([...a.values[1]]).toEqual([0, NaN, 0]);
    expect([...a.values[2]]).toEqual([0, NaN, 1]);
  });

  it('small clinicians absent, the smallest other withheld, shown numbers equal the case-mix kernel', () => {
    const d = data();
    const { comparison, warnings } = clusterComparison({ cluster: d.cluster, traits: d.traits, y: d.y, caseMix: d.caseMix, minCell: 11, alpha: 0.05 });
    // C (5) and D (4) are small: 9 < 11 together, so A (12, the smallest shown) is withheld too
    expect(comparison.rows.map((r) => [r.cluster, r.nLabel, r.withheld])).toEqual([['A', '>=11', true], ['B', '15', false], ['E', '20', false]]);
    expect(comparison.small).toBe(2);
    expect(comparison.alsoWithheld).toBe(1);
    expect(warnings).toEqual([{ code: 'small_clusters', by: 'clinician', small: 2, minCell: 11, alsoWithheld: 1 }]);
    expect(comparison.rows[0].measures.every((m) => m.value.adjusted === null)).toBe(true);
    const kernel = caseMixAdjust(d.traits[0].values, [d.caseMix[0].values as Float64Array], d.cluster.codes, { minCell: 11, minReliability: 0.7 });
    expect(kernel.ok).toBe(true);
    if (!kernel.ok) return;
    const E = comparison.rows[2].measures.find((m) => m.measure === 'trust')!.value;
    const k = kernel.clusters.find((c) => c.cluster === 4)!;
    expect(E).toEqual({ n: 20, mean: k.mean, adjusted: k.adjusted, ciLow: k.ciLow, ciHigh: k.ciHigh, reliability: k.reliability, rating: k.rating });
    // B: only 9 answered "few" (under 11): withheld; its trust and outcome are shown
    const B = comparison.rows[1].measures;
    expect(B.find((m) => m.measure === 'few')!.value.adjusted).toBeNull();
    expect(B.find((m) => m.measure === 'trust')!.value.n).toBe(15);
    expect(B.find((m) => m.measure === 'outcome')!.value.n).toBe(15);
    expect(comparison.reference.map((r) => r.measure)).toEqual(['trust', 'few', 'outcome']);
  });

  it('reliability rows are the one-way REML fits of each score', () => {
    const d = data();
    const [trust] = clusterReliability(d.traits, d.cluster);
    const f = oneWayReml(d.traits[0].values, d.cluster.codes);
    expect(f.ok).toBe(true);
    if (!f.ok) return;
    expect(trust).toMatchObject({ scale: 'trust', n: d.N, icc: f.icc, tau2: f.tau2, sigma2: f.sigma2, reliabilityAtMedian: f.reliabilityAtMedian, nFor070: f.nFor070, nFor080: f.nFor080 });
  });
});
