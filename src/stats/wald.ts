/**
 * A Wald estimate: an estimate with its standard error, z = estimate / se, the two-sided normal p-value
 * and the normal-theory interval estimate ± qnorm(1 - (1 - level) / 2) se. One home for the row shared
 * by the GLMM coefficients, the response-surface terms and the contextual effect.
 */
import { pNormalTwoSided, qNormal } from './distributions.js';

export interface WaldEstimate {
  estimate: number;
  se: number;
  z: number;
  p: number;
  ciLow: number;
  ciHigh: number;
}

/** The normal quantile of a two-sided interval at `level` (1.959964 for 0.95). */
export function waldMultiplier(level = 0.95): number {
  return qNormal(1 - (1 - level) / 2);
}

/** Wald z, p and interval of one estimate; `multiplier` from waldMultiplier (pass it in a loop). */
export function waldEstimate(estimate: number, se: number, multiplier = waldMultiplier()): WaldEstimate {
  const z = estimate / se;
  return { estimate, se, z, p: pNormalTwoSided(z), ciLow: estimate - multiplier * se, ciHigh: estimate + multiplier * se };
}
