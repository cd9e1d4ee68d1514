/**
 * Gauss–Hermite rules (src/stats/gauss-hermite.ts) against lme4::GHrule(k) converted to the exp(-z^2)
 * weight (test/reference/gauss-hermite-golden.R), and exactness on polynomials.
 */
import { describe, expect, it } from 'vitest';
import { gaussHermite } from '../../src/stats/gauss-hermite.js';
import { readJson } from './helpers.js';

const golden = readJson('gauss-hermite-golden.json') as { rules: { k: number; nodes: number | number[]; weights: number | number[] }[] };
const arr = (x: number | number[]) => (Array.isArray(x) ? x : [x]);
const close = (got: number, want: number, label: string) => expect(Math.abs(got - want), label).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));

describe('gaussHermite', () => {
  it('nodes and weights equal lme4::GHrule for k = 1, 2, 3, 5, 7, 10, 20, 25', () => {
    expect(golden.rules.length).toBe(8);
    for (const g of golden.rules) {
      const r = gaussHermite(g.k);
      const nodes = arr(g.nodes);
      const weights = arr(g.weights);
      expect(r.nodes.length).toBe(g.k);
      for (let i = 0; i < g.k; i++) {
        close(r.nodes[i], nodes[i], `k=${g.k} node ${i}`);
        close(r.weights[i], weights[i], `k=${g.k} weight ${i}`);
      }
    }
  });
  it('integrates z^4 exp(-z^2) exactly (3 sqrt(pi) / 4) from k = 3 on', () => {
    for (const k of [3, 8, 30]) {
      const { nodes, weights } = gaussHermite(k);
      let s = 0;
      for (let i = 0; i < k; i++) s += weights[i] * nodes[i] ** 4;
      close(s, (3 * Math.sqrt(Math.PI)) / 4, `k=${k}`);
    }
  });
  it('a number of points outside 1..100 is a RangeError', () => {
    expect(() => gaussHermite(0)).toThrow(RangeError);
    expect(() => gaussHermite(2.5)).toThrow(RangeError);
  });
});
