/**
 * Hosmer–Lemeshow (src/stats/hosmer-lemeshow.ts) on the fitted probabilities of R's reference model,
 * against ResourceSelection::hoslem.test (golden.R -> golden-survey-model.json).
 */
import { describe, expect, it } from 'vitest';
import { hosmerLemeshow } from '../../src/stats/hosmer-lemeshow.js';
import { irlsLogit } from '../../src/stats/irls.js';
import { viewOf } from '../../src/stats/logistic.js';
import { expectAllRel, expectRel, readJson, surveyDesign } from './helpers.js';

const g = readJson('golden-survey-model.json');
const X = surveyDesign();
const y = X.y as Float64Array;
// the fitted probabilities of R's glm (same IRLS path; checked in logistic.test.ts)
const mu = irlsLogit(viewOf(X), y, { keepFitted: true }).mu as Float64Array;

describe('hosmerLemeshow', () => {
  it('Hosmer–Lemeshow (10 quantile groups, df 8) equals hoslem.test', () => {
    const h = hosmerLemeshow(y, mu, 10);
    if (!h?.ok) throw new Error('no HL');
    expect(h.groups).toBe(10);
    expect(h.df).toBe(g.hoslem.df);
    expectAllRel(h.table.map((r) => r.size), g.hoslem.size, 0, 'group sizes');
    expectAllRel(h.table.map((r) => r.observed), g.hoslem.observed, 0, 'observed');
    expectAllRel(h.table.map((r) => r.expected), g.hoslem.expected, 1e-6, 'expected');
    expectRel(h.statistic, g.hoslem.statistic, 1e-6, 'HL statistic');
    expectRel(h.p, g.hoslem.p, 1e-6, 'HL p');
  });
});
