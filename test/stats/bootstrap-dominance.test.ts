/**
 * Bootstrap of the general dominance weights: rapport's resamples (seed 2026, 20 resamples on
 * survey.csv) replayed in R with 64 glm fits each (bootstrap-dominance-golden.R): the weights of
 * every resample to 1e-6, the percentile CIs and the rank-first shares; determinism of the seed; the
 * distinct-row collapse.
 */
import { describe, expect, it } from 'vitest';
import { buildDesign } from '../../src/stats/design.js';
import { dominance } from '../../src/stats/dominance.js';
import { bootstrapDominance, distinctRows } from '../../src/stats/bootstrap-dominance.js';
import { expectAllRel, readCsv, readJson } from './helpers.js';

const TRAITS = ['trust', 'respect', 'liking', 'listening', 'agreement', 'communication'];
const ix = readJson('bootstrap-dominance-indices.json');
const g = readJson('bootstrap-dominance-golden.json');
const d = readCsv('survey.csv');
const X = buildDesign({
  numeric: Object.fromEntries([...TRAITS, 'age'].map((t) => [t, d.num(t)])),
  categorical: { sex: d.str('sex'), site: d.str('site') },
  outcome: d.num('portal_use'),
});
const y = X.y as Float64Array;

describe('bootstrap dominance against R replaying the same resamples', () => {
  const r = bootstrapDominance(X, y, TRAITS, { resamples: 20, seed: 2026, keepResamples: true, method: 'refit' });
  if (!r.ok) throw new Error(r.reason);
  it('draws the committed resamples (same seed, same rows)', () => {
    expect(r.draws!.map((x) => Array.from(x.rows, (i) => i + 1))).toEqual(ix.rows);
  });
  it('every resample\'s general weights equal R\'s to 1e-6', () => {
    r.draws!.forEach((x, b) => expectAllRel(x.general, g.general[b], 1e-6, `resample ${b + 1}`));
    expect(r.failed).toBe(0);
  });
  it('point weights, percentile CIs (type 7) and rank-first shares', () => {
    expectAllRel(r.traits.map((t) => t.general), g.point, 1e-6, 'point');
    expectAllRel(r.traits.map((t) => t.ciLow), g.ciLow, 1e-6, 'ci low');
    expectAllRel(r.traits.map((t) => t.ciHigh), g.ciHigh, 1e-6, 'ci high');
    expect(r.traits.map((t) => t.rankFirstPct)).toEqual(g.rankFirstPct);
    expect(r.traits.reduce((a, t) => a + t.rankFirstPct, 0)).toBeCloseTo(100, 10);
  });
  it('the full-data weights are those of dominance()', () => {
    const dm = dominance(X, y, TRAITS);
    if (!dm.ok) throw new Error(dm.reason);
    expectAllRel(r.traits.map((t) => t.general), dm.traits.map((t) => t.general), 1e-9, 'point vs dominance');
  });
  it('the linearised bootstrap equals R\'s first-order replay to 1e-6, and stays near the refits', () => {
    const lin = bootstrapDominance(X, y, TRAITS, { resamples: 20, seed: 2026, keepResamples: true, method: 'linearised' });
    if (!lin.ok) throw new Error(lin.reason);
    expect(lin.method).toBe('linearised');
    lin.draws!.forEach((x, b) => expectAllRel(x.general, g.linearised[b], 1e-6, `linearised ${b + 1}`));
    // its error is a few units of deviance over the null deviance: at n = 273 (null deviance 350) up to
    // 0.02 per weight, too coarse, which is why 'auto' refits here; at a million respondents 1e-5
    let worst = 0;
    lin.draws!.forEach((x, b) => x.general.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - g.general[b][j])))));
    expect(worst).toBeLessThan(0.03);
    expect(worst).toBeGreaterThan(1e-4);
  });
  it('auto: refits for small data', () => {
    const a = bootstrapDominance(X, y, TRAITS, { resamples: 2, seed: 1 });
    expect(a).toMatchObject({ ok: true, method: 'refit' });
  });
  it('another seed gives other resamples; the same seed the same result', () => {
    const a = bootstrapDominance(X, y, TRAITS, { resamples: 3, seed: 1 });
    const b = bootstrapDominance(X, y, TRAITS, { resamples: 3, seed: 1 });
    const c = bootstrapDominance(X, y, TRAITS, { resamples: 3, seed: 2 });
    expect(a).toEqual(b);
    if (!a.ok || !c.ok) throw new Error('failed');
    expect(a.traits[0].ciLow).not.toBe(c.traits[0].ciLow);
  });
});

describe('distinctRows', () => {
  it('collapses identical rows into counts, and weighted dominance on them equals dominance on all rows', () => {
    // duplicate every row twice more: 3n rows, n distinct, counts 3
    const n = X.n;
    const data = new Float64Array(3 * n * X.p);
    for (let k = 0; k < 3; k++) data.set(X.data, k * n * X.p);
    const y3 = new Float64Array(3 * n);
    for (let k = 0; k < 3; k++) y3.set(y, k * n);
    const X3 = { ...X, n: 3 * n, data, rows: new Uint32Array(3 * n), y: y3 };
    const dr = distinctRows(X3, y3);
    expect(dr.X.n).toBe(n);
    expect(Array.from(new Set(dr.counts))).toEqual([3]);
    expect(dr.of[n + 5]).toBe(dr.of[5]);
    const d1 = dominance(X, y, TRAITS);
    const d3 = dominance(X3, y3, TRAITS);
    if (!d1.ok || !d3.ok) throw new Error('failed');
    expectAllRel(d3.traits.map((t) => t.general), d1.traits.map((t) => t.general), 1e-9, 'tripled');
  });
});
