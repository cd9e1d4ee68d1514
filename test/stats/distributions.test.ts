/**
 * Distribution functions against R 4.2 (`pnorm`, `pt`, `pchisq`, `pf`, `qnorm`, `qt`, `qchisq`,
 * `qf`, with `lower.tail` TRUE and FALSE). Golden values: test/reference/golden.R ->
 * golden-distributions.json.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { pChiSq, pF, pNormal, pNormalTwoSided, pT, pTTwoSided, qChiSq, qF, qNormal, qT } from '../../src/stats/distributions.js';
import { expectRel } from './helpers.js';

interface Case { fn: string; args: number[]; lower: boolean; value: number }
const cases: Case[] = JSON.parse(readFileSync(new URL('../reference/golden-distributions.json', import.meta.url), 'utf8'));

const fns: Record<string, (args: number[], lower: boolean) => number> = {
  pnorm: ([x], l) => pNormal(x, l),
  pt: ([x, df], l) => pT(x, df, l),
  pchisq: ([x, df], l) => pChiSq(x, df, l),
  pf: ([x, a, b], l) => pF(x, a, b, l),
  qnorm: ([p], l) => qNormal(p, l),
  qt: ([p, df], l) => qT(p, df, l),
  qchisq: ([p, df], l) => qChiSq(p, df, l),
  qf: ([p, a, b], l) => qF(p, a, b, l),
};

describe('distributions agree with R far into the tails', () => {
  it('has golden cases for every function', () => {
    expect(new Set(cases.map((c) => c.fn))).toEqual(new Set(Object.keys(fns)));
    expect(cases.length).toBeGreaterThan(100);
  });
  for (const c of cases) {
    const rcall = `${c.fn}(${c.args.join(', ')}, lower.tail = ${c.lower ? 'TRUE' : 'FALSE'})`;
    it(`${rcall} = ${c.value}`, () => {
      const got = fns[c.fn](c.args, c.lower);
      // p-values: 1e-6 relative down to 1e-15 (the contract); we check 1e-9 everywhere
      // the value is above 1e-300, which is far stricter
      if (c.value === 0 || Math.abs(c.value) < 1e-300) expect(Math.abs(got)).toBeLessThan(1e-290);
      else expectRel(got, c.value, 1e-9, rcall);
    });
  }
});

describe('tail behaviour the report relies on', () => {
  it('a p-value of about 1e-20 comes out as such, not 0', () => {
    // R: pnorm(-9.262340089798408) = 1e-20
    expectRel(pNormal(-9.262340089798408), 1e-20, 1e-9);
    expectRel(pNormalTwoSided(9.262340089798408), 2e-20, 1e-9);
  });
  it('two-sided t p-value is twice the upper tail and never exceeds 1', () => {
    expectRel(pTTwoSided(3, 5), 2 * pT(3, 5, false), 1e-14);
    expect(pTTwoSided(0, 5)).toBe(1);
  });
  it('quantiles invert the CDFs (property)', () => {
    for (const p of [1e-30, 1e-12, 0.001, 0.2, 0.5, 0.8, 0.999]) {
      for (const df of [1, 3.5, 17, 250]) {
        expectRel(pT(qT(p, df), df), p, 1e-10, `pT(qT(${p}, ${df}))`);
        expectRel(pT(qT(p, df, false), df, false), p, 1e-10, `upper pT(qT(${p}, ${df}))`);
        expectRel(pChiSq(qChiSq(p, df, false), df, false), p, 1e-10, `qchisq upper ${p} ${df}`);
        expectRel(pChiSq(qChiSq(p, df), df), p, 1e-10, `qchisq ${p} ${df}`);
        expectRel(pF(qF(p, df, 2 * df + 1, false), df, 2 * df + 1, false), p, 1e-10, `qf upper ${p} ${df}`);
      }
    }
  });
  it('rejects impossible arguments', () => {
    expect(() => qNormal(1.5)).toThrow(RangeError);
    expect(() => pT(1, 0)).toThrow(RangeError);
    expect(pChiSq(-1, 3)).toBe(0);
    expect(pChiSq(-1, 3, false)).toBe(1);
  });
});
