/**
 * sections/dyads.ts: the codes of a surface's reading (facts-dyads.ts words them) on data drawn from a
 * known surface, the --min-cell withholding, and the agree/disagree indicator (dyad-load.ts).
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/stats/rng.js';
import { agreeIndicator, enterableItems } from '../../src/report/dyad-load.js';
import type { ReportData } from '../../src/report/data.js';
import type { DyadData, DyadItemColumns } from '../../src/report/dyad-types.js';
import { dyadSection } from '../../src/report/sections/dyads.js';
import { surfaceSentence } from '../../src/report/facts-dyads.js';

/** n pairs of scores on 1..5 (quarter points) and an outcome from logit = f(P - 3, C - 3). */
function draw(n: number, seed: number, f: (p: number, c: number) => number) {
  const rng = new Rng(seed);
  const q = () => 1 + rng.int(17) / 4;
  const P = new Float64Array(n);
  const C = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    P[i] = q();
    C[i] = q();
    y[i] = rng.uniform() < 1 / (1 + Math.exp(-f(P[i] - 3, C[i] - 3))) ? 1 : 0;
  }
  return { P, C, y };
}

function dyadsOf(P: Float64Array, C: Float64Array): DyadData {
  return { file: 'c.csv', on: 'visit_id', instrument: null, rows: P.length, invalidCells: 0, matched: P.length, unmatched: 0, unused: 0, duplicateKeys: 0, patientDuplicateKeys: 0, unpairedTraits: [], traits: [{ name: 'trust', label: 'Trust', lo: 1, hi: 5, patient: P, clinician: C }], items: [], cluster: null };
}

function dataOf(y: Float64Array): ReportData {
  return { outcome: { variable: 'portal_use', y, positive: ['1'], negative: ['0'], rule: 'default_values', label: 'portal use' }, covariates: [] } as unknown as ReportData;
}

describe('dyadSection: the reading of a surface', () => {
  it('highest where both rate high, rising along agreement, lower the more the two diverge', () => {
    const { P, C, y } = draw(3000, 7, (p, c) => -0.5 + 0.8 * (p + c) - 0.6 * (p - c) ** 2);
    const r = dyadSection(dyadsOf(P, C), dataOf(y), { fit: null, X: null }, 11);
    const s = r.surfaces[0];
    expect(s.reading).toEqual({ highest: 'both_high', agreement: 'rises', divergence: 'lower_when_diverging' });
    // a1 = 1.6 and a4 = -2.4 per scale point were put in
    expect(Math.abs(s.terms.find((t) => t.term === 'a1')!.estimate - 1.6)).toBeLessThan(0.3);
    expect(Math.abs(s.terms.find((t) => t.term === 'a4')!.estimate + 2.4)).toBeLessThan(0.5);
    expect(s.grid).toHaveLength(21);
    expect(surfaceSentence(s, 'portal use')).toMatch(/^Trust: portal use was highest where both rated trust high; it rose as both ratings rose together \(a1 = [\d.]+, p < 0\.001\), and was lower the more their ratings diverged \(a4 = -[\d.]+, p < 0\.001\)\.$/);
  });
  it('higher where the patient rates above the clinician (a3 > 0, no curvature)', () => {
    const { P, C, y } = draw(3000, 8, (p, c) => 0.9 * (p - c));
    const s = dyadSection(dyadsOf(P, C), dataOf(y), { fit: null, X: null }, 11).surfaces[0];
    expect(s.reading).toEqual({ highest: 'patient_higher', agreement: 'flat', divergence: 'higher_when_patient_higher' });
  });
  it('withholds a trait with fewer than --min-cell complete pairs from every table', () => {
    const { P, C, y } = draw(30, 9, () => 0);
    P.fill(NaN, 0, 20);
    const r = dyadSection(dyadsOf(P, C), dataOf(y), { fit: null, X: null }, 11);
    expect([r.traits, r.surfaces, r.withheldTraits]).toEqual([[], [], ['trust']]);
  });
});

describe('agree/disagree indicators', () => {
  const item = (p: number[], c: number[]): DyadItemColumns => ({ key: 'visit_reason', label: 'visit reason', levels: [1, 2, 3], patient: Float64Array.from(p), clinician: Float64Array.from(c) });
  it('1 when both chose the same option, 0 when not, missing when either did not answer', () => {
    expect(Array.from(agreeIndicator(item([1, 2, NaN, 3], [1, 3, 2, NaN])))).toEqual([1, 0, NaN, NaN]);
  });
  it('enter the model only when agreeing and disagreeing pairs both reach --min-cell', () => {
    const p = Array.from({ length: 30 }, (_, i) => 1 + (i % 3));
    const agreeAll = item(p, p);
    const mixed = item(p, p.map((v, i) => (i < 12 ? v : 1 + (v % 3))));
    expect(enterableItems([agreeAll, mixed], 11)).toEqual([mixed]);
    expect(enterableItems([mixed], 13)).toEqual([]);
  });
});
