/**
 * Reliability per scale (src/stats/reliability.ts) on test/reference/survey.csv against R:
 * `psych::alpha` (on complete cases), `psych::omega(nfactors = 1)$omega.tot`, `psych::fa(fm = "minres")`.
 * Golden values: test/reference/golden.R -> golden-scales.json.
 */
import { describe as group, expect, it } from 'vitest';
import { reliability } from '../../src/stats/reliability.js';
import { expectAllRel, expectRel, readCsv, readJson } from './helpers.js';

const data = readCsv('survey.csv');
const TRAITS = ['trust', 'respect', 'liking', 'listening', 'agreement', 'communication'];
const scales = readJson('golden-scales.json');

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
