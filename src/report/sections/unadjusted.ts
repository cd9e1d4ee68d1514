/**
 * The unadjusted models: one logistic model per trait, on the respondents with that trait and the
 * outcome, by the adjusted model's method. Runs in the report's worker thread (see parallel.ts).
 */
import { buildDesign, fitLogistic, pNormalTwoSided, qNormal } from '../../stats/index.js';
import { irlsLogit } from '../../stats/irls.js';
import { meanSd, standardise } from '../../stats/standardise.js';
import type { Method } from '../types.js';

export interface UnadjustedRow {
  n: number;
  or: number | null;
  low: number | null;
  high: number | null;
  p: number | null;
}

/**
 * One logistic model per trait on the respondents with that trait and the outcome, the trait
 * standardised on them (or in raw units). Same method as the adjusted model.
 */
export function unadjustedModels(traits: Float64Array[], y: Float64Array, rawUnits: boolean, method: Method): UnadjustedRow[] {
  const n = y.length;
  return traits.map((values) => {
    const u = new Uint8Array(n);
    let k = 0;
    for (let i = 0; i < n; i++)
      if (values[i] === values[i] && (y[i] === 0 || y[i] === 1)) {
        u[i] = 1;
        k++;
      }
    if (k < 3) return { n: k, or: null, low: null, high: null, p: null };
    if (method === 'ml') {
      const fast = collapsedModel(values, y, u, k, rawUnits);
      if (fast) return fast;
    }
    let x: Float64Array;
    if (rawUnits) {
      x = new Float64Array(n);
      for (let i = 0; i < n; i++) x[i] = u[i] ? values[i] : NaN;
    } else x = standardise(values, u).z;
    const yu = new Float64Array(n);
    for (let i = 0; i < n; i++) yu[i] = u[i] ? y[i] : NaN;
    const Xu = buildDesign({ numeric: { x }, outcome: yu });
    const f = fitLogistic(Xu, Xu.y!, { method, termTests: false, diagnostics: false, separationCheck: false });
    if (!f.ok) return { n: k, or: null, low: null, high: null, p: null };
    const c = f.coefficients[1];
    return { n: k, or: c.oddsRatio, low: c.orLower, high: c.orUpper, p: c.p };
  });
}

/** Above this many distinct (score, outcome) pairs the one-trait model is fitted on the rows themselves. */
const COLLAPSE_MAX = 20_000;

/**
 * The one-trait ML model on the distinct (score, outcome) pairs weighted by their counts: a survey
 * scale score takes few distinct values, and glm on the rows and glm on the weighted pairs run the
 * same iterations to the same estimates (each sum over rows is a sum over pairs times counts; every
 * respondent starts at glm's mustart either way). Null when the data are unusual (one distinct score,
 * one outcome class, too many distinct scores, no convergence): the caller then fits the rows.
 */
function collapsedModel(values: Float64Array, y: Float64Array, u: Uint8Array, k: number, rawUnits: boolean): UnadjustedRow | null {
  const slot = new Map<number, number>();
  const score: number[] = [];
  const c1: number[] = [];
  const c0: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (!u[i]) continue;
    const v = values[i];
    let s = slot.get(v);
    if (s === undefined) {
      s = score.length;
      if (s >= COLLAPSE_MAX) return null;
      slot.set(v, s);
      score.push(v);
      c1.push(0);
      c0.push(0);
    }
    if (y[i] === 1) c1[s]++;
    else c0[s]++;
  }
  let events = 0;
  for (const c of c1) events += c;
  if (score.length < 2 || events === 0 || events === k) return null;
  let mean = 0;
  let sd = 1;
  if (!rawUnits) ({ mean, sd } = meanSd(values, u));
  const rows: number[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  score.forEach((v, s) => {
    const x = rawUnits ? v : (v - mean) / sd;
    if (c1[s] > 0) rows.push(1, x), ys.push(1), ws.push(c1[s]);
    if (c0[s] > 0) rows.push(1, x), ys.push(0), ws.push(c0[s]);
  });
  const data = Float64Array.from(rows);
  const r = irlsLogit({ data, n: ys.length, stride: 2, cols: Int32Array.of(0, 1) }, Float64Array.from(ys), { weights: Float64Array.from(ws) });
  if (!r.converged || !r.covariance || r.singularColumn >= 0) return null;
  const est = r.beta[1];
  const se = Math.sqrt(r.covariance[3]);
  if (!(se > 0) || !Number.isFinite(est)) return null;
  const z = qNormal(1 - (1 - 0.95) / 2); // as fitLogistic's default level
  return { n: k, or: Math.exp(est), low: Math.exp(est - z * se), high: Math.exp(est + z * se), p: pNormalTwoSided(est / se) };
}
