/**
 * The report's one-trait models fitted on distinct (score, outcome) pairs weighted by their counts
 * (sections/unadjusted.ts, collapsedModel) equal the same glm fitted on the rows (fitLogistic), standardised and in
 * raw units, with missing scores and outcomes.
 */
import { describe, expect, it } from 'vitest';
import { unadjustedModels } from '../../src/report/sections/unadjusted.js';
import { buildDesign, fitLogistic } from '../../src/stats/index.js';

function data(n: number, seed: number) {
  let s = seed;
  const rnd = (): number => ((s = (s * 48271) % 2147483647) / 2147483647);
  const trait = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    trait[i] = rnd() < 0.05 ? NaN : 1 + Math.floor(rnd() * 17) / 4; // 1, 1.25, ..., 5
    const eta = -0.5 + 0.1 * ((trait[i] || 3) - 3);
    y[i] = rnd() < 0.02 ? NaN : rnd() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
  }
  return { trait, y };
}

function byRows(trait: Float64Array, y: Float64Array, raw: boolean) {
  const keep = Array.from(trait, (v, i) => v === v && (y[i] === 0 || y[i] === 1));
  const vals = trait.filter((_, i) => keep[i]);
  const m = vals.reduce((a, b) => a + b, 0) / vals.length;
  const sd = Math.sqrt(vals.reduce((a, b) => a + (b - m) * (b - m), 0) / (vals.length - 1));
  const x = Float64Array.from(trait, (v, i) => (keep[i] ? (raw ? v : (v - m) / sd) : NaN));
  const X = buildDesign({ numeric: { x }, outcome: Float64Array.from(y, (v, i) => (keep[i] ? v : NaN)) });
  const f = fitLogistic(X, X.y!, { termTests: false, diagnostics: false, separationCheck: false });
  if (!f.ok) throw new Error(f.reason);
  return { n: X.n, c: f.coefficients[1] };
}

describe('one-trait models on weighted distinct pairs', () => {
  for (const raw of [false, true])
    it(`equal glm on the rows (${raw ? 'raw units' : 'standardised'})`, () => {
      const { trait, y } = data(20_000, 11);
      const [r] = unadjustedModels([trait], y, raw, 'ml');
      const { n, c } = byRows(trait, y, raw);
      expect(r.n).toBe(n);
      for (const [got, want] of [
        [r.or, c.oddsRatio],
        [r.low, c.orLower],
        [r.high, c.orUpper],
        [r.p, c.p],
      ] as const)
        expect(Math.abs((got as number) - want) / Math.abs(want), `${got} vs ${want}`).toBeLessThan(1e-10);
    });
  it('a trait with one distinct score gives no model, as on the rows', () => {
    const { y } = data(500, 3);
    const [r] = unadjustedModels([new Float64Array(500).fill(2)], y, false, 'ml');
    expect(r).toMatchObject({ or: null, p: null });
  });
});
