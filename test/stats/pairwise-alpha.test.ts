/**
 * Pairwise alpha (reliability.ts pairwiseAlpha) against psych::alpha's default use = "pairwise"
 * (pairwise-alpha-golden.R -> pairwise-alpha-golden.json), per scale of survey.csv; the listwise
 * alpha of reliability() differs from it whenever items are skipped.
 */
import { describe, expect, it } from 'vitest';
import { pairwiseAlpha, reliability } from '../../src/stats/reliability.js';
import { expectRel, readCsv, readJson } from './helpers.js';

const g = readJson('pairwise-alpha-golden.json');
const d = readCsv('survey.csv');

describe.each(Object.keys(g))('pairwise alpha of %s', (scale) => {
  const ref = g[scale];
  const items = ref.items.map((c: string) => d.num(c));
  it('alpha, standardised alpha and average r equal psych to 1e-10', () => {
    const r = pairwiseAlpha(items);
    if (!r.ok) throw new Error(r.reason);
    expect(r.method).toBe('pairwise');
    expectRel(r.alpha, ref.alpha, 1e-10, 'alpha');
    expectRel(r.standardizedAlpha, ref.stdAlpha, 1e-10, 'std alpha');
    expectRel(r.averageR, ref.averageR, 1e-10, 'average r');
  });
  it('listwise reliability() equals psych on complete cases', () => {
    const l = reliability(items);
    if (!l.ok) throw new Error(l.reason);
    expectRel(l.alpha, ref.listwiseAlpha, 1e-10, 'listwise alpha');
  });
});

describe('pairwise alpha failures', () => {
  it('too few items, or a pair answered together by fewer than 3', () => {
    expect(pairwiseAlpha([Float64Array.of(1, 2, 3)])).toMatchObject({ ok: false, code: 'too-few-items' });
    const a = Float64Array.of(1, 2, NaN, NaN, 3);
    const b = Float64Array.of(NaN, NaN, 1, 2, 3);
    expect(pairwiseAlpha([a, b])).toMatchObject({ ok: false, code: 'too-few-respondents' });
  });
});
