/**
 * `simulate --outcome-type ordinal` (generate.ts step 4b): the yes/no outcome and every other column
 * are exactly as without the option; the ordinal item's lowest category is exactly the negative yes/no
 * outcome; and a proportional-odds fit on the scores recovers the odds ratios put in (inside its 95%
 * CI in most seeds) with thresholds one logit apart.
 */
import { describe, expect, it } from 'vitest';
import { loadInstrument } from '../../src/instrument/load.js';
import { ORDINAL_STEP, ordinalCategory, planSimulation, simulate } from '../../src/simulate/generate.js';
import { csvString } from '../../src/simulate/writers.js';
import { buildDesign } from '../../src/stats/design.js';
import { fitPolr } from '../../src/stats/polr.js';
import { standardise } from '../../src/stats/standardise.js';

const inst = loadInstrument('relationship-engagement');
const effects = { trust: 2.0, agreement: 1.5 };

describe('simulate: ordinal outcome', () => {
  it('changes only the ordinal item; its lowest category is the negative yes/no outcome', () => {
    const bin = planSimulation(inst, { effects });
    const ord = planSimulation(inst, { effects, outcomeType: 'ordinal' });
    expect(ord.ci.items[ord.ordinal].id).toBe('portal_frequency');
    const a = simulate(bin, 500, 9);
    const b = simulate(ord, 500, 9);
    expect(Array.from(b.truth)).toEqual(Array.from(a.truth));
    b.cat.forEach((c, t) => {
      if (t !== ord.ordinal) expect(Array.from(c)).toEqual(Array.from(a.cat[t]));
    });
    for (let i = 0; i < 500; i++) expect(b.ordinal![i] === 0).toBe(b.truth[i] === 0);
    expect(new Set(b.ordinal)).toEqual(new Set([0, 1, 2, 3]));
    expect(csvString(bin, a, 'plain', 9)).not.toBe(csvString(ord, b, 'plain', 9));
  });
  it('ordinalCategory counts the cuts 0, 1, 2 below y*', () => {
    expect([-0.5, 0, 0.01, 1.5, 2.01, 99].map((v) => ordinalCategory(v, 4))).toEqual([0, 0, 1, 2, 3, 3]);
    expect(ORDINAL_STEP).toBe(1);
  });
  it('polr on the scores recovers the odds ratios (inside the 95% CI in at least 4 of 5 seeds) and cuts one logit apart', () => {
    const plan = planSimulation(inst, { effects, outcomeType: 'ordinal', missing: 0 });
    const names = plan.ci.scales.map((s) => s.id);
    let covered = 0;
    for (let seed = 1; seed <= 5; seed++) {
      const d = simulate(plan, 1500, seed);
      const use = new Uint8Array(1500).fill(1);
      const X = buildDesign({ numeric: Object.fromEntries(names.map((s, k) => [s, standardise(d.scores[k].subarray(0, 1500), use).z])), outcome: Float64Array.from(d.ordinal!.subarray(0, 1500)) });
      const f = fitPolr(X, X.y!, 4);
      if (!f.ok) throw new Error(f.reason);
      const ok = Object.entries(effects).every(([s, or]) => {
        const c = f.coefficients.find((x) => x.name === s)!;
        return Math.abs(c.estimate - Math.log(or)) < 1.96 * c.se;
      });
      if (ok) covered++;
      const gaps = [f.thresholds[1].estimate - f.thresholds[0].estimate, f.thresholds[2].estimate - f.thresholds[1].estimate];
      for (const g of gaps) expect(Math.abs(g - ORDINAL_STEP)).toBeLessThan(0.3);
    }
    expect(covered).toBeGreaterThanOrEqual(4);
  });
  it('an instrument without a follow-up of 3+ options refuses --outcome-type ordinal', () => {
    expect(() => planSimulation(loadInstrument('care'), { outcomeType: 'ordinal' })).toThrow(/--outcome-type ordinal: instrument care has no item with 3 or more options/);
  });
});
