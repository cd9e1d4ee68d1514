/**
 * Cluster-robust (sandwich) covariance of a logistic fit, as `sandwich::vcovCL(fit, cluster = ~ g,
 * type = "HC1")` (the default `cadjust = TRUE`):
 *   V = c B (sum_g s_g s_g') B,   s_g = sum_{i in g} w_i x_i (y_i - mu_i),   B = (X'WX)^-1 (the model's
 *   covariance, summary(glm)$cov.unscaled), with c = G/(G-1) x (n-1)/(n-k) for "HC1" (Stata's
 *   vce(cluster), the CR1 reported by rapport) and c = G/(G-1) for "HC0".
 * `clubSandwich`'s "CR1" is the HC0 form; say which one a report shows (it is "HC1" here by default).
 * s_g is the estimating function of a canonical-link GLM (x (y - mu) times the prior weight).
 */
export type ClusterRobustType = 'HC1' | 'HC0';

export interface ClusterRobustInput {
  /** Row-major design, n x p (intercept column included). */
  x: Float64Array;
  n: number;
  p: number;
  /** Response residual y_i - mu_i of each row. */
  residual: Float64Array;
  /** Prior weight of each row (default 1). */
  weights?: Float64Array | null;
  /** The model's covariance (X'WX)^-1, row-major p x p. */
  bread: Float64Array;
  /** Cluster of each row, whole numbers >= 0. */
  cluster: Int32Array;
}

export interface ClusterRobustResult {
  vcov: Float64Array;
  se: Float64Array;
  clusters: number;
  /** The small-sample factor applied. */
  factor: number;
}

/** Sum of the estimating functions per cluster (rows of a G x p matrix, indexed by cluster id). */
function clusterScores(inp: ClusterRobustInput): { S: Float64Array; used: Uint8Array; ids: number } {
  const { x, n, p, residual, cluster } = inp;
  let maxId = -1;
  for (let i = 0; i < n; i++) maxId = Math.max(maxId, cluster[i]);
  const S = new Float64Array((maxId + 1) * p);
  const used = new Uint8Array(maxId + 1);
  for (let i = 0; i < n; i++) {
    const c = cluster[i];
    used[c] = 1;
    const r = residual[i] * (inp.weights ? inp.weights[i] : 1);
    for (let j = 0; j < p; j++) S[c * p + j] += x[i * p + j] * r;
  }
  return { S, used, ids: maxId + 1 };
}

/** B M B for symmetric p x p B and M (row-major). */
export function sandwichProduct(B: Float64Array, M: Float64Array, p: number, factor: number): Float64Array {
  const T = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let k = 0; k < p; k++) {
    const b = B[i * p + k];
    if (b !== 0) for (let j = 0; j < p; j++) T[i * p + j] += b * M[k * p + j];
  }
  const V = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let k = 0; k < p; k++) {
    const t = T[i * p + k];
    if (t !== 0) for (let j = 0; j < p; j++) V[i * p + j] += t * B[k * p + j];
  }
  for (let i = 0; i < p * p; i++) V[i] *= factor;
  return V;
}

export function clusterRobustVcov(inp: ClusterRobustInput, type: ClusterRobustType = 'HC1'): ClusterRobustResult {
  const { n, p } = inp;
  const { S, used, ids } = clusterScores(inp);
  const M = new Float64Array(p * p);
  let G = 0;
  for (let c = 0; c < ids; c++) {
    if (!used[c]) continue;
    G++;
    for (let a = 0; a < p; a++) {
      const sa = S[c * p + a];
      for (let b = 0; b < p; b++) M[a * p + b] += sa * S[c * p + b];
    }
  }
  if (G < 2) throw new RangeError(`clusterRobustVcov: ${G} cluster; cluster-robust standard errors need at least 2 clusters.`);
  const factor = (G / (G - 1)) * (type === 'HC1' ? (n - 1) / (n - p) : 1);
  const vcov = sandwichProduct(inp.bread, M, p, factor);
  const se = Float64Array.from({ length: p }, (_, j) => Math.sqrt(vcov[j * p + j]));
  return { vcov, se, clusters: G, factor };
}
