/**
 * Within- and between-clinician parts of a patient-level predictor (the "within-between" or
 * hybrid model; Neuhaus & Kalbfleisch 1998, Biometrics 54:638): x_gi = xbar_g + (x_gi - xbar_g).
 * Entering both columns in a random-intercept model gives the within effect (a patient who rates
 * higher than the same clinician's other patients) and the between effect (patients of a clinician
 * whose patients rate higher on average); their difference, between - within, is the contextual
 * effect, with Var = V_bb + V_ww - 2 V_bw from the fit's covariance. The cluster means are over the
 * rows given (the model's respondents).
 */
import { waldEstimate, waldMultiplier, type WaldEstimate } from './wald.js';

export interface WithinBetween {
  /** Cluster mean of x for each row's cluster. */
  between: Float64Array;
  /** x minus its cluster mean. */
  within: Float64Array;
}

export function withinBetween(x: Float64Array, cluster: Int32Array): WithinBetween {
  let maxId = -1;
  for (let i = 0; i < x.length; i++) maxId = Math.max(maxId, cluster[i]);
  const sum = new Float64Array(maxId + 1);
  const cnt = new Float64Array(maxId + 1);
  for (let i = 0; i < x.length; i++) {
    sum[cluster[i]] += x[i];
    cnt[cluster[i]]++;
  }
  const between = Float64Array.from(cluster, (c) => sum[c] / cnt[c]);
  // a second pass removes the rounding of the first mean (as R's mean())
  const corr = new Float64Array(maxId + 1);
  for (let i = 0; i < x.length; i++) corr[cluster[i]] += x[i] - between[i];
  for (let i = 0; i < x.length; i++) between[i] += corr[cluster[i]] / cnt[cluster[i]];
  const within = Float64Array.from(x, (v, i) => v - between[i]);
  return { between, within };
}

export type ContextualEffect = WaldEstimate;

/**
 * between - within for the coefficients at indices b and w of a fit with covariance `vcov`
 * (row-major, p x p), with a Wald test and interval.
 */
export function contextualEffect(beta: ArrayLike<number>, vcov: Float64Array, p: number, b: number, w: number, level = 0.95): ContextualEffect {
  const estimate = beta[b] - beta[w];
  const se = Math.sqrt(vcov[b * p + b] + vcov[w * p + w] - 2 * vcov[b * p + w]);
  return waldEstimate(estimate, se, waldMultiplier(level));
}
