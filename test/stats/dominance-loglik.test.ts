/**
 * Dominance analysis from any model's log-likelihood (dominance-loglik.ts) against R: every subset of
 * the traits fitted with ordinal::clm (proportional odds, covariate age in every model) or
 * MASS::glm.nb, McFadden R² = 1 - logLik/logLik0, general dominance weights
 * (test/reference/outcome-family-golden.R -> outcome-family-golden.json, on outcome-family.csv).
 */
import { describe, expect, it } from 'vitest';
import { buildDesign } from '../../src/stats/design.js';
import { dominanceByLogLik } from '../../src/stats/dominance-loglik.js';
import { fitNegbin } from '../../src/stats/negbin.js';
import { fitPolr } from '../../src/stats/polr.js';
import { standardise } from '../../src/stats/standardise.js';
import { expectAllRel, expectRel, readCsv, readJson } from './helpers.js';

const g = readJson('outcome-family-golden.json');
const d = readCsv('outcome-family.csv');
const traits: string[] = g.traits;
const all = new Uint8Array(g.n).fill(1);
const z = Object.fromEntries(traits.map((t) => [t, standardise(d.num(t), all).z]));

describe('dominance from the log-likelihood', () => {
  it('proportional-odds model with a covariate: weights, R² full and covariates-only equal R to 1e-6', () => {
    const X = buildDesign({ numeric: { ...z, age: d.num('age') }, outcome: d.num('portal_frequency') });
    const r = dominanceByLogLik(X, traits, (Xs) => {
      const f = fitPolr(Xs, X.y!, 4);
      return f.ok ? f.logLik : null;
    });
    if (!r.ok) throw new Error(r.reason);
    expectAllRel(r.traits.map((t) => t.general), g.ordinal.dominance.general, 1e-6, 'general');
    expectRel(r.r2Full, g.ordinal.dominance.r2Full, 1e-6, 'r2 full');
    expectRel(r.r2Covariates, g.ordinal.dominance.r2Covariates, 1e-5, 'r2 covariates');
    expect(r.models).toBe(8);
    expect(r.failed).toEqual([]);
    const sum = r.traits.reduce((a, t) => a + t.general, 0);
    expectRel(sum, r.r2Full - r.r2Covariates, 1e-12, 'weights add up');
    expect(r.traits.map((t) => t.rank)).toEqual([1, 2, 3]);
  });
  it('negative binomial (theta re-estimated in every model): weights equal R to 1e-6', () => {
    const X = buildDesign({ numeric: z, outcome: d.num('portal_logins') });
    const r = dominanceByLogLik(X, traits, (Xs) => {
      const f = fitNegbin(Xs, X.y!);
      return f.ok ? f.logLik : null;
    });
    if (!r.ok) throw new Error(r.reason);
    expectAllRel(r.traits.map((t) => t.general), g.count.dominance.general, 1e-6, 'general');
    expectRel(r.r2Full, g.count.dominance.r2Full, 1e-6, 'r2 full');
  });
  it('refuses no traits and too many; a model that cannot be fitted is counted', () => {
    const X = buildDesign({ numeric: z, outcome: d.num('portal_logins') });
    expect(dominanceByLogLik(X, [], () => -1)).toMatchObject({ ok: false });
    expect(dominanceByLogLik(X, Array.from({ length: 13 }, (_, i) => `t${i}`), () => -1)).toMatchObject({ ok: false, reason: expect.stringMatching(/2\^13/) });
    const r = dominanceByLogLik(X, traits, (Xs) => (Xs.p === 4 ? null : -100 + Xs.p));
    expect(r).toMatchObject({ ok: true, failed: ['trust+agreement+communication'] });
  });
});
