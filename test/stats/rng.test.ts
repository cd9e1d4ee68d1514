/** The seeded PRNG of `simulate`/`power` (src/stats/rng.ts, re-exported by src/simulate/rng.ts): bit-exact xoshiro128**, streams, distributions. */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/stats/rng.js';

interface RefCase {
  state: [number, number, number, number];
  outputs: number[];
  output_1000001: number;
}
const ref = JSON.parse(fs.readFileSync(new URL('../reference/xoshiro128ss.json', import.meta.url), 'utf8')) as { cases: RefCase[] };

describe('xoshiro128**', () => {
  it('matches the reference C implementation (test/reference/xoshiro128ss.c) bit for bit', () => {
    expect(ref.cases.length).toBe(3);
    for (const c of ref.cases) {
      const r = Rng.fromState(c.state);
      const got = Array.from({ length: 10 }, () => r.nextU32());
      expect(got).toEqual(c.outputs);
      for (let i = 0; i < 999990; i++) r.nextU32();
      expect(r.nextU32()).toBe(c.output_1000001);
    }
  });
});

describe('seeding and streams', () => {
  it('same (seed, stream) gives the same sequence; a different seed or stream gives another', () => {
    const seq = (seed: number, stream = 0) => {
      const r = new Rng(seed, stream);
      return Array.from({ length: 8 }, () => r.nextU32());
    };
    expect(seq(2026)).toEqual(seq(2026));
    expect(seq(2026)).not.toEqual(seq(2027));
    expect(seq(2026, 1)).not.toEqual(seq(2026, 0));
    // seeds differing only in the high 32 bits, and negative seeds, are distinct too
    expect(seq(1)).not.toEqual(seq(1 + 2 ** 32));
    expect(seq(-1)).not.toEqual(seq(1));
    // reseed restarts exactly
    const r = new Rng(5, 9);
    const a = [r.normal(), r.uniform(), r.nextU32()];
    r.reseed(5, 9);
    expect([r.normal(), r.uniform(), r.nextU32()]).toEqual(a);
  });

  it('neighbouring seeds give uncorrelated first draws', () => {
    const n = 20000;
    const u = new Float64Array(n);
    for (let s = 0; s < n; s++) u[s] = new Rng(s).uniform();
    let m = 0;
    for (const x of u) m += x;
    m /= n;
    let cov = 0;
    let v = 0;
    for (let i = 0; i + 1 < n; i++) cov += (u[i] - m) * (u[i + 1] - m);
    for (const x of u) v += (x - m) * (x - m);
    // mean of U(0,1): SE 0.002; lag-1 correlation of independent draws: SE 1/sqrt(n) = 0.007
    expect(Math.abs(m - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(cov / v)).toBeLessThan(0.03);
  });
});

describe('distributions', () => {
  it('uniform(): in [0, 1), mean 1/2, variance 1/12', () => {
    const r = new Rng(11);
    const n = 200000;
    let s = 0;
    let s2 = 0;
    let lo = 1;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      const x = r.uniform();
      s += x;
      s2 += x * x;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
  });

  it('int(k): every value equally likely (chi-square, 9 df, below the 0.999 quantile 27.88)', () => {
    const r = new Rng(3);
    const counts = new Array(10).fill(0);
    const n = 100000;
    for (let i = 0; i < n; i++) counts[r.int(10)]++;
    const chi = counts.reduce((a, c) => a + (c - n / 10) ** 2 / (n / 10), 0);
    expect(chi).toBeLessThan(27.88);
  });

  it('normal(): mean 0, variance 1, skewness 0, kurtosis 3, tail share P(|Z| > 1.96) = 0.05', () => {
    const r = new Rng(7);
    const n = 400000;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let tail = 0;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      s1 += z;
      s2 += z * z;
      s3 += z * z * z;
      s4 += z * z * z * z;
      if (Math.abs(z) > 1.959963984540054) tail++;
    }
    const mean = s1 / n;
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(s2 / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    expect(Math.abs(s3 / n)).toBeLessThan(4 * Math.sqrt(15 / n));
    expect(Math.abs(s4 / n - 3)).toBeLessThan(4 * Math.sqrt(96 / n));
    expect(Math.abs(tail / n - 0.05)).toBeLessThan(4 * Math.sqrt((0.05 * 0.95) / n));
  });
});

describe('re-export', () => {
  it('simulate/rng.ts re-exports the same generator (one home)', async () => {
    const sim = await import('../../src/simulate/rng.js');
    expect(sim.Rng).toBe(Rng);
  });
});
