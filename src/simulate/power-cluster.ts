/**
 * Power for a clustered design (`rapport power --clusters K --cluster-size m --icc rho`): each
 * simulated data set has K clinicians of m patients (simulate's step 7), and the model fitted is the
 * report's clustered model: the random-intercept logistic model (Laplace), or, when the data are
 * separated (the report's rule, stats/firth-decision.ts), the Firth fit with cluster-robust (CR1)
 * SEs; a GLMM that cannot be fitted falls back to the ML fit with CR1 SEs, as the report does.
 * Hsieh's formula is given alongside at the effective sample size n / DE with the design effect
 * DE = 1 + (m - 1) rho (Kish), rho the latent ICC asked for.
 */
import { clusterRobustVcov } from '../stats/cluster-robust.js';
import { firthDecision } from '../stats/firth-decision.js';
import { designColumns, fitGlmm } from '../stats/glmm.js';
import { fitLogistic, type LogisticFit, type LogisticOptions } from '../stats/logistic.js';
import { detectSeparation } from '../stats/separation.js';
import { waldEstimate } from '../stats/wald.js';
import type { SimData } from './generate.js';
import type { ModelFitter } from './power.js';

export interface ClusteredFit {
  p: number;
  estimate: number;
  se: number;
  method: 'ml' | 'firth' | 'none';
  n: number;
}

/** Kish's design effect of equal clusters of m with intraclass correlation rho. */
export function designEffect(m: number, rho: number): number {
  return 1 + (m - 1) * rho;
}

function robustP(fit: LogisticFit, data: Float64Array, n: number, p: number, y: Float64Array, cluster: Int32Array, j: number): number {
  const residual = Float64Array.from(y, (v, i) => v - fit.fitted[i]);
  const se = clusterRobustVcov({ x: data, n, p, residual, bread: fit.covariance, cluster }).se[j];
  return waldEstimate(fit.coefficients[j].estimate, se).p;
}

/** The report's clustered model on one simulated data set; the p-value of scale `trait`. */
export function fitClustered(fitter: ModelFitter, d: SimData, trait: number): ClusteredFit {
  const { X, y } = fitter.design(d);
  const cluster = Int32Array.from(X.rows, (r) => d.cluster![r]);
  const base: LogisticOptions = { termTests: false, diagnostics: false, separationCheck: false };
  const ml = fitLogistic(X, y, base);
  if (!ml.ok) return { p: NaN, estimate: NaN, se: NaN, method: 'none', n: X.n };
  const j = trait + 1;
  if (firthDecision(ml, () => detectSeparation(X, y)).useFirth) {
    const f = fitLogistic(X, y, { ...base, method: 'firth' });
    if (!f.ok) return { p: NaN, estimate: NaN, se: NaN, method: 'none', n: X.n };
    return { p: robustP(f, X.data, X.n, X.p, y, cluster, j), estimate: f.coefficients[j].estimate, se: NaN, method: 'firth', n: X.n };
  }
  const g = fitGlmm({ columns: designColumns(X.data, X.n, X.p), y: Float64Array.from(y), cluster });
  if (!g.ok) return { p: robustP(ml, X.data, X.n, X.p, y, cluster, j), estimate: ml.coefficients[j].estimate, se: NaN, method: 'ml', n: X.n };
  const c = g.coefficients[j];
  return { p: c.p, estimate: c.estimate, se: c.se, method: 'ml', n: X.n };
}
