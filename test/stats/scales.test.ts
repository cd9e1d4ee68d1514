/**
 * Descriptives, reliability and group comparison per scale on test/reference/survey.csv against R:
 * `quantile(type = 7)`, `psych::alpha` (on complete cases), `psych::omega(nfactors = 1)$omega.tot`,
 * `psych::fa(fm = "minres")`, `t.test` (Welch), hand-written Cohen's d and Mann–Whitney AUC.
 * Golden values: test/reference/golden.R -> golden-scales.json, golden-groups.json.
 */
import { describe as group, expect, it } from 'vitest';
import { describe } from '../../src/stats/descriptives.js';
import { reliability } from '../../src/stats/reliability.js';
import { compareGroups } from '../../src/stats/groups.js';
import { expectAllRel, expectRel, readCsv, readJson } from './helpers.js';

const data = readCsv('survey.csv');
const scales = readJson('golden-scales.json');
const groups = readJson('golden-groups.json');
const TRAITS = ['trust', 'respect', 'liking', 'listening', 'agreement', 'communication'];

group('descriptives per scale score', () => {
  for (const t of TRAITS) {
    it(`${t}: n, mean, SD, quartiles (type 7), min, max, % floor/ceiling/missing`, () => {
      const g = scales[t].desc;
      const d = describe(data.num(t), { floor: 1, ceiling: 5 });
      if (!d.ok) throw new Error(d.reason);
      expect(d.n).toBe(g.n);
      expect(d.nMissing).toBe(g.nMissing);
      expectRel(d.pctMissing, g.pctMissing, 1e-12, 'pctMissing');
      expectRel(d.mean, g.mean, 1e-12, 'mean');
      expectRel(d.sd, g.sd, 1e-12, 'sd');
      expectRel(d.median, g.median, 1e-12, 'median');
      expectRel(d.q1, g.q1, 1e-12, 'q1');
      expectRel(d.q3, g.q3, 1e-12, 'q3');
      expect(d.min).toBe(g.min);
      expect(d.max).toBe(g.max);
      expectRel(d.pctFloor, g.pctFloor, 1e-12, 'floor');
      expectRel(d.pctCeiling, g.pctCeiling, 1e-12, 'ceiling');
      expect(d.flags.some((f) => f.code === 'ceiling')).toBe(g.pctCeiling > 15);
    });
  }
  it('flags the trust ceiling effect (> 15% at 5)', () => {
    const d = describe(data.num('trust'), { floor: 1, ceiling: 5 });
    expect(d.ok && d.flags.map((f) => f.code)).toEqual(['ceiling']);
  });
  it('an all-missing scale gives an explained empty result, not NaN', () => {
    const d = describe(new Float64Array([NaN, NaN, NaN]), { floor: 1, ceiling: 5 });
    expect(d).toEqual({ ok: false, reason: 'every value is missing', n: 0, nMissing: 3, pctMissing: 100 });
  });
  it('a single value has no SD (null), and quantiles of tiny samples follow type 7', () => {
    const d = describe(new Float64Array([3, NaN]));
    expect(d.ok && d.sd).toBeNull();
    // R: quantile(c(1, 2, 4, 10), c(.25, .5, .75)) = 1.75 3.00 5.50
    const e = describe(new Float64Array([10, 1, 4, 2]));
    expect(e.ok && [e.q1, e.median, e.q3]).toEqual([1.75, 3, 5.5]);
  });
});

group('reliability per scale (listwise complete respondents)', () => {
  for (const t of [...TRAITS, 'engagement']) {
    it(`${t}: alpha, Feldt CI, std alpha, average r, omega total, item statistics`, () => {
      const g = scales[t];
      const r = reliability(g.items.map((c: string) => data.num(c)), { itemNames: g.items });
      if (!r.ok) throw new Error(r.reason);
      expect(r.nComplete).toBe(g.nComplete);
      expect(r.nTotal).toBe(400);
      expectRel(r.alpha, g.alpha, 1e-6, 'alpha');
      expectRel(r.alphaLower, g.feldtLower, 1e-6, 'Feldt lower');
      expectRel(r.alphaUpper, g.feldtUpper, 1e-6, 'Feldt upper');
      expectRel(r.standardizedAlpha, g.stdAlpha, 1e-6, 'std alpha');
      expectRel(r.averageR, g.averageR, 1e-6, 'average r');
      // omega: psych's optimiser (L-BFGS-B) stops early; 1e-3 is the contract
      expectRel(r.omegaTotal, g.omegaTotal, 1e-3, 'omega total');
      expectAllRel(r.loadings?.map(Math.abs) ?? [], g.loadings.map(Math.abs), 1e-3, 'minres loadings');
      expectAllRel(r.items.map((i) => i.rDrop), g.rDrop, 1e-6, 'r.drop');
      expectAllRel(r.items.map((i) => i.alphaIfDeleted as number), g.alphaIfDeleted, 1e-6, 'alpha if deleted');
      expectAllRel(r.items.map((i) => i.mean), g.itemMean, 1e-10, 'item mean');
      expectAllRel(r.items.map((i) => i.sd), g.itemSd, 1e-10, 'item sd');
      expectAllRel(r.items.map((i) => i.pctMissing), g.itemPctMissing, 1e-10, 'item % missing');
    });
  }
  it('flags the forgotten reverse key in the engagement scale and its low alpha', () => {
    const items = scales.engagement.items as string[];
    const r = reliability(items.map((c) => data.num(c)), { itemNames: items });
    if (!r.ok) throw new Error(r.reason);
    expect(r.flags.map((f) => [f.code, f.item])).toEqual([
      ['alpha-low', undefined],
      ['negative-item-total', 'engagement_3'],
    ]);
  });
  it('flags redundancy when alpha exceeds .95 and nothing for a good scale', () => {
    const base = Float64Array.from({ length: 50 }, (_, i) => 1 + (i % 5));
    const near = Float64Array.from(base, (v, i) => (i % 17 === 0 ? Math.min(5, v + 1) : v));
    const r = reliability([base, near, base]);
    expect(r.ok && r.flags.map((f) => f.code)).toEqual(['alpha-high']);
    const good = reliability(scales.trust.items.map((c: string) => data.num(c)));
    expect(good.ok && good.flags).toEqual([]);
  });
  it('degenerate scales give explained failures', () => {
    expect(reliability([new Float64Array([1, 2, 3])])).toMatchObject({ ok: false, code: 'too-few-items' });
    const allMissing = new Float64Array([NaN, NaN, NaN, NaN]);
    expect(reliability([allMissing, allMissing])).toMatchObject({ ok: false, code: 'too-few-respondents', nComplete: 0 });
    const c = new Float64Array([3, 3, 3, 3]);
    expect(reliability([c, new Float64Array([1, 2, 3, 4]), new Float64Array([2, 2, 4, 5])], { itemNames: ['a', 'b', 'c'] })).toMatchObject({
      ok: false,
      code: 'constant-item',
    });
  });
});

group('group comparison: users vs non-users of the portal', () => {
  const y = data.num('portal_use');
  for (const t of TRAITS) {
    it(`${t}: Welch t, df, p; Cohen's d with CI; AUC`, () => {
      const g = groups[t];
      const c = compareGroups(data.num(t), y);
      if (!c.ok) throw new Error(c.reason);
      expect([c.positive.n, c.negative.n]).toEqual([g.n1, g.n0]);
      expectRel(c.positive.mean, g.mean1, 1e-12, 'mean1');
      expectRel(c.negative.mean, g.mean0, 1e-12, 'mean0');
      expectRel(c.positive.sd, g.sd1, 1e-12, 'sd1');
      expectRel(c.negative.sd, g.sd0, 1e-12, 'sd0');
      expectRel(c.welch.t, g.t, 1e-10, 't');
      expectRel(c.welch.df, g.df, 1e-10, 'df');
      expectRel(c.welch.p, g.p, 1e-8, 'p');
      expectRel(c.cohensD.d, g.d, 1e-10, 'd');
      expectRel(c.cohensD.lower, g.dLower, 1e-8, 'd lower');
      expectRel(c.cohensD.upper, g.dUpper, 1e-8, 'd upper');
      expectRel(c.auc, g.auc, 1e-12, 'AUC');
    });
  }
  it('a group with fewer than 2 scores, or no variance, is an explained failure', () => {
    expect(compareGroups(new Float64Array([1, 2, 3]), new Float64Array([1, 0, 0]))).toMatchObject({ ok: false, code: 'group-too-small', nPositive: 1 });
    expect(compareGroups(new Float64Array([2, 2, 3, 3]), new Float64Array([1, 1, 0, 0]))).toMatchObject({ ok: false, code: 'no-variance' });
  });
});
