/**
 * Harrell's bootstrap validation (validate.ts) replaying rapport's resamples in R
 * (validate-indices.json -> validate-golden.R -> validate-golden.json), and the Hosmer–Lemeshow
 * group choice (hosmerLemeshowAuto) against the same rule written in R.
 */
import { describe, expect, it } from 'vitest';
import { buildDesign } from '../../src/stats/design.js';
import { fitLogistic } from '../../src/stats/logistic.js';
import { calibration, validateLogistic } from '../../src/stats/validate.js';
import { hosmerLemeshowAuto } from '../../src/stats/hosmer-lemeshow.js';
import { expectRel, readCsv, readJson } from './helpers.js';

const g = readJson('validate-golden.json');
const ix = readJson('validate-indices.json');
const d = readCsv('rare.csv');
const X = buildDesign({ numeric: { x1: d.num('x1'), x2: d.num('x2'), x3: d.num('x3') }, outcome: d.num('y') });
const y = X.y as Float64Array;

describe('bootstrap-validated AUC and calibration (Harrell)', () => {
  const v = validateLogistic(X, y, { resamples: 30, seed: 11, keepResamples: true });
  if (!v.ok) throw new Error(v.reason);
  it('draws the committed resamples', () => {
    expect(v.draws!.map((r) => Array.from(r, (i) => i + 1))).toEqual(ix.rows);
    expect(v.failed).toBe(0);
  });
  it('apparent, optimism and corrected AUC equal the R replay to 1e-6', () => {
    expectRel(v.auc.apparent, g.aucApparent, 1e-12, 'apparent AUC');
    expectRel(v.auc.optimism, g.aucOptimism, 1e-6, 'AUC optimism');
    expectRel(v.auc.corrected, g.aucCorrected, 1e-6, 'corrected AUC');
  });
  it('calibration intercept and slope optimism and corrected values to 1e-6', () => {
    expectRel(v.calibrationIntercept.optimism, g.interceptOptimism, 1e-6, 'intercept optimism');
    expectRel(v.calibrationSlope.optimism, g.slopeOptimism, 1e-6, 'slope optimism');
    expectRel(v.calibrationSlope.corrected, g.slopeCorrected, 1e-6, 'corrected slope');
    expectRel(v.calibrationIntercept.corrected, g.interceptCorrected, 1e-6, 'corrected intercept');
    expect(v.calibrationSlope.corrected).toBeLessThan(1); // shrinkage: an overfitted rare-event model
  });
  it('calibration on the fitting data is intercept 0 and slope 1', () => {
    const fit = fitLogistic(X, y, { epsilon: 1e-14, maxit: 100, diagnostics: false, separationCheck: false, termTests: false });
    if (!fit.ok) throw new Error(fit.reason);
    const c = calibration(fit.linearPredictor, y);
    expect(Math.abs(c.intercept)).toBeLessThan(1e-8);
    expect(Math.abs(c.slope - 1)).toBeLessThan(1e-8);
  });
});

describe('Hosmer–Lemeshow groups with expected counts >= 5', () => {
  it('20 events in 400: no grouping qualifies, and the failure says why', () => {
    const fit = fitLogistic(X, y, { epsilon: 1e-14, maxit: 100, diagnostics: false, separationCheck: false, termTests: false });
    if (!fit.ok) throw new Error(fit.reason);
    const r = hosmerLemeshowAuto(y, fit.fitted);
    expect(g.hlRare.groups).toBeNull();
    expect(r.requested).toBeNull();
    expect(r.result).toMatchObject({ ok: false, reason: expect.stringMatching(/at least 5 expected/) });
  });
  it('strong.csv: the most groups that qualify, and the statistic, as in R', () => {
    const s = readCsv('strong.csv');
    const Xs = buildDesign({ numeric: { x1: s.num('x1'), x2: s.num('x2') }, outcome: s.num('y') });
    const fit = fitLogistic(Xs, Xs.y as Float64Array, { epsilon: 1e-14, maxit: 100, diagnostics: false, separationCheck: false, termTests: false });
    if (!fit.ok) throw new Error(fit.reason);
    const r = hosmerLemeshowAuto(Xs.y as Float64Array, fit.fitted);
    expect(r.requested).toBe(g.hlStrong.groups);
    if (!r.result.ok) throw new Error(r.result.reason);
    expectRel(r.result.statistic, g.hlStrong.statistic, 1e-6, 'HL statistic');
    expectRel(r.result.p, g.hlStrong.p, 1e-6, 'HL p');
    for (const t of r.result.table) expect(Math.min(t.expected, t.size - t.expected)).toBeGreaterThanOrEqual(5);
  });
});
