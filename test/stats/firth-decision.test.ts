/**
 * The ML → Firth rule (src/stats/firth-decision.ts), on R's reference data sets: complete separation
 * (glm does not converge, fitted probabilities 0 or 1), quasi-complete separation (glm converges
 * silently; brglm2's detect_separation finds it), and an ordinary survey model (no switch).
 */
import { describe, expect, it } from 'vitest';
import { buildDesign } from '../../src/stats/design.js';
import { fitLogistic, type LogisticFit } from '../../src/stats/logistic.js';
import { detectSeparation, type SeparationResult } from '../../src/stats/separation.js';
import { firthDecision, isSeparated } from '../../src/stats/firth-decision.js';
import { readCsv, readJson } from './helpers.js';

const g = readJson('golden-separation.json');

function design(name: string, vars: string[]) {
  const d = readCsv(`${name}.csv`);
  const numeric: Record<string, Float64Array> = {};
  for (const v of vars) numeric[v] = d.num(v);
  return buildDesign({ numeric, outcome: d.num('y') });
}

function mlFit(X: ReturnType<typeof design>, separationCheck: boolean): LogisticFit {
  const f = fitLogistic(X, X.y!, { termTests: false, diagnostics: false, separationCheck });
  if (!f.ok) throw new Error(f.reason);
  return f;
}

const none: SeparationResult = { status: 'none', terms: [], columns: [], direction: null };

describe('firthDecision', () => {
  it('complete separation: R does not converge and warns of 0/1 probabilities; the rule says Firth, because of separation', () => {
    const X = design('separation-complete', ['x1', 'x2']);
    const f = mlFit(X, false);
    expect(f.converged).toBe(g['separation-complete'].mlConverged);
    expect(f.boundary).toBe(true);
    const d = firthDecision(f, () => detectSeparation(X, X.y!));
    expect(d).toMatchObject({ useFirth: true, cause: 'separation' });
    expect(d.separation?.status).toBe('complete');
  });
  it('quasi-complete separation with a converged fit: the fit carries the check (as the report runs it), Firth', () => {
    const X = design('separation-quasi', ['x1', 'g']);
    const f = mlFit(X, true);
    expect(f.converged).toBe(true);
    expect(isSeparated(f.separation)).toBe(true);
    expect(firthDecision(f, () => { throw new Error('not needed'); })).toMatchObject({ useFirth: true, cause: 'separation' });
  });
  it('an ordinary converged fit needs no separation check and stays ML', () => {
    const X = design('separation-quasi', ['x1']);
    const f = mlFit(X, false);
    expect(f.converged && !f.boundary).toBe(true);
    let checked = 0;
    const d = firthDecision(f, () => (checked++, none));
    expect(d).toEqual({ useFirth: false, cause: null, separation: null });
    expect(checked).toBe(0);
  });
  it('a fit that did not converge without separation goes to Firth because of the non-convergence', () => {
    const d = firthDecision({ converged: false, boundary: false, separation: null }, () => none);
    expect(d).toEqual({ useFirth: true, cause: 'not_converged', separation: none });
    const u = firthDecision({ converged: true, boundary: true, separation: null }, () => ({ ...none, status: 'undetermined' }));
    expect(u.useFirth).toBe(false);
  });
});
