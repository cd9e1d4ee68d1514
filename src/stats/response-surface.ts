/**
 * Polynomial response surface of a binary outcome on two sides' ratings of one trait (Edwards 1994;
 * Shanock et al. 2010), as a logistic regression:
 *   logit P(y = 1) = b0 + b1 P + b2 C + b3 P² + b4 P C + b5 C² (+ covariates)
 * with P and C (patient's and clinician's scores) centred at the scale midpoint, and the surface
 * quantities along the line of agreement (P = C): a1 = b1 + b2 (slope), a2 = b3 + b4 + b5 (curvature),
 * and the line of disagreement (P = -C): a3 = b1 - b2, a4 = b3 - b4 + b5, each with SE sqrt(l' V l),
 * Wald z and two-sided p from a covariance V of the coefficients: the fit's own (as R's `vcov(glm)`),
 * or any other one passed as `covariance` (e.g. the cluster-robust CR1 by clinician).
 */
import { clusterRobustVcov } from './cluster-robust.js';
import { buildDesign, type DesignMatrix } from './design.js';
import { waldEstimate, waldMultiplier, type WaldEstimate } from './wald.js';
import { fitLogistic, type LogisticFailure, type LogisticFit } from './logistic.js';

export const SURFACE_TERMS = ['b1', 'b2', 'b3', 'b4', 'b5', 'a1', 'a2', 'a3', 'a4'] as const;
export type SurfaceTermName = (typeof SURFACE_TERMS)[number];

/** Coefficient weights of each quantity over (b1, ..., b5). */
const CONTRASTS: Record<SurfaceTermName, number[]> = {
  b1: [1, 0, 0, 0, 0], b2: [0, 1, 0, 0, 0], b3: [0, 0, 1, 0, 0], b4: [0, 0, 0, 1, 0], b5: [0, 0, 0, 0, 1],
  a1: [1, 1, 0, 0, 0], a2: [0, 0, 1, 1, 1], a3: [1, -1, 0, 0, 0], a4: [0, 0, 1, -1, 1],
};

export interface SurfaceInput {
  /** Patient's and clinician's scores, one per pair (NaN = missing); the outcome 0/1 (NaN = missing). */
  patient: ArrayLike<number>;
  clinician: ArrayLike<number>;
  outcome: ArrayLike<number>;
  /** The scale midpoint both scores are centred at (3 for a 1–5 scale). */
  midpoint: number;
  /** Numeric covariates (NaN = missing); pairs missing any variable are left out. */
  covariates?: Record<string, ArrayLike<number>>;
}

export interface SurfaceOptions {
  level?: number;
  method?: 'ml' | 'firth';
  /** IRLS convergence tolerance (R's glm epsilon; default 1e-8 as glm's). */
  epsilon?: number;
  /** Another covariance of the coefficients (row-major p x p in design order), e.g. cluster-robust. */
  covariance?: (fit: LogisticFit, design: DesignMatrix) => Float64Array;
}

export interface SurfaceTerm extends WaldEstimate {
  term: SurfaceTermName;
}

export interface ResponseSurface {
  ok: true;
  n: number;
  nEvents: number;
  midpoint: number;
  terms: SurfaceTerm[];
  /** Which covariance the SEs come from. */
  covarianceSource: 'model' | 'custom';
  covariance: Float64Array;
  fit: LogisticFit;
  design: DesignMatrix;
  /** Covariate means over the pairs used (the heat map holds covariates there). */
  covariateMeans: Record<string, number>;
}

/** Design column names of the five surface terms. */
const COLS = ['P', 'C', 'P^2', 'P*C', 'C^2'];

export function responseSurface(input: SurfaceInput, opts: SurfaceOptions = {}): ResponseSurface | LogisticFailure {
  const n0 = input.patient.length;
  const P = Float64Array.from({ length: n0 }, (_, i) => input.patient[i] - input.midpoint);
  const C = Float64Array.from({ length: n0 }, (_, i) => input.clinician[i] - input.midpoint);
  const cov = input.covariates ?? {};
  for (const name of Object.keys(cov)) if (COLS.includes(name)) throw new RangeError(`responseSurface: a covariate may not be named ${name}.`);
  const numeric: Record<string, ArrayLike<number>> = {
    P, C, 'P^2': P.map((v) => v * v), 'P*C': P.map((v, i) => v * C[i]), 'C^2': C.map((v) => v * v), ...cov,
  };
  const design = buildDesign({ numeric, order: [...COLS, ...Object.keys(cov)], outcome: input.outcome });
  const fit = fitLogistic(design, design.y!, { method: opts.method, level: opts.level, epsilon: opts.epsilon, termTests: false, diagnostics: false });
  if (!fit.ok) return fit;
  const p = design.p;
  const V = opts.covariance ? opts.covariance(fit, design) : fit.covariance;
  const z = waldMultiplier(opts.level);
  const terms = SURFACE_TERMS.map((term): SurfaceTerm => {
    const l = new Float64Array(p);
    CONTRASTS[term].forEach((w, j) => (l[1 + j] = w));
    let est = 0;
    let v = 0;
    for (let a = 0; a < p; a++) {
      est += l[a] * fit.coefficients[a].estimate;
      for (let b = 0; b < p; b++) v += l[a] * V[a * p + b] * l[b];
    }
    return { term, ...waldEstimate(est, Math.sqrt(v), z) };
  });
  const covariateMeans: Record<string, number> = Object.create(null);
  Object.keys(cov).forEach((name, k) => {
    let s = 0;
    for (let i = 0; i < design.n; i++) s += design.data[i * p + 6 + k];
    covariateMeans[name] = s / design.n;
  });
  return { ok: true, n: fit.n, nEvents: fit.nEvents, midpoint: input.midpoint, terms, covarianceSource: opts.covariance ? 'custom' : 'model', covariance: V, fit, design, covariateMeans };
}

/** Predicted probability at scores (patientScore, clinicianScore), covariates at their means (for a heat map). */
export function surfaceProbability(s: ResponseSurface, patientScore: number, clinicianScore: number): number {
  const P = patientScore - s.midpoint;
  const C = clinicianScore - s.midpoint;
  const b = s.fit.coefficients.map((c) => c.estimate);
  let eta = b[0] + b[1] * P + b[2] * C + b[3] * P * P + b[4] * P * C + b[5] * C * C;
  Object.values(s.covariateMeans).forEach((m, k) => (eta += b[6 + k] * m));
  return 1 / (1 + Math.exp(-eta));
}

/**
 * The cluster-robust covariance by clinician for `covariance`: CR1 as `sandwich::vcovCL(fit, cluster,
 * type = "HC1")` (cluster-robust.ts). `cluster` holds a whole-number id (>= 0) per input pair.
 */
export function clusterCovariance(cluster: ArrayLike<number>): NonNullable<SurfaceOptions['covariance']> {
  return (fit, X) =>
    clusterRobustVcov({
      x: X.data,
      n: X.n,
      p: X.p,
      residual: Float64Array.from({ length: X.n }, (_, i) => X.y![i] - fit.fitted[i]),
      bread: fit.covariance,
      cluster: Int32Array.from(X.rows, (row) => cluster[row]),
    }).vcov;
}
