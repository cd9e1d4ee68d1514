import { describe, expect, it } from 'vitest';
import { waldEstimate, waldMultiplier } from '../../src/stats/wald.js';

// R 4.2.2, options(digits = 17):
//   e <- 0.5; s <- 0.2; 2 * pnorm(-abs(e / s)); e - qnorm(0.975) * s; e + qnorm(0.975) * s
//   2 * pnorm(-abs(-1.3 / 0.4)); -1.3 - qnorm(0.95) * 0.4; -1.3 + qnorm(0.95) * 0.4
describe('waldEstimate', () => {
  it('z, two-sided p and the 95% interval, as R', () => {
    const w = waldEstimate(0.5, 0.2);
    expect(w.z).toBe(2.5);
    expect(w.p).toBeCloseTo(0.01241933065155227, 15);
    expect(w.ciLow).toBeCloseTo(0.10800720309198925, 14);
    expect(w.ciHigh).toBeCloseTo(0.89199279690801081, 14);
  });
  it('another level through waldMultiplier; a negative estimate', () => {
    const w = waldEstimate(-1.3, 0.4, waldMultiplier(0.9));
    expect(w.z).toBeCloseTo(-3.25, 15);
    expect(w.p).toBeCloseTo(0.0011540500847815342, 15);
    expect(w.ciLow).toBeCloseTo(-1.9579414507805888, 14);
    expect(w.ciHigh).toBeCloseTo(-0.64205854921941141, 14);
  });
});
