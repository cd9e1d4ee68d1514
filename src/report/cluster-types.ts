/**
 * The clinician level of the report (`--cluster <column>`, issue 14): numbers, flags and codes only
 * (cluster-facts.ts words them). Part of ReportResult as `clustering` (null without --cluster).
 * Cluster labels are clinician identifiers (not respondent ids): a clinician with fewer than
 * --min-cell respondents never appears by label in any output.
 */
export type ClusterMethod = 'glmm' | 'robust';

/** The outcome rate's key among the clinician measures (clusters.csv's `outcome_` columns). */
export const OUTCOME_MEASURE = 'outcome';

/** How the adjusted model accounts for the clustering. */
export type ClusterModelKind = 'glmm' | 'ml-cluster-robust' | 'firth-cluster-robust';

export interface ClusterModelOptions {
  method: ClusterMethod;
  /** Quadrature points (1 = Laplace). */
  quadrature: number;
  withinBetween: boolean;
  /** Case-mix adjusters (column names). */
  caseMix: string[];
  alpha: number;
}

/** Why the GLMM was not the adjusted model although it was asked for. */
export type GlmmFallback = 'separation' | 'requested_firth' | 'failed' | null;

export interface RandomIntercept {
  variance: number;
  sd: number;
  /** Profile-likelihood interval of the SD (glmm-profile.ts); variance interval = its square. */
  sdCiLow: number | null;
  sdCiHigh: number | null;
  varianceCiLow: number | null;
  varianceCiHigh: number | null;
  /** Latent-scale ICC tau^2 / (tau^2 + pi^2/3), with the interval from the SD's. */
  icc: number;
  iccCiLow: number | null;
  iccCiHigh: number | null;
  medianOddsRatio: number;
  morCiLow: number | null;
  morCiHigh: number | null;
  boundary: boolean;
  converged: boolean;
  nAGQ: number;
  deviance: number;
}

/** One trait split into the clinician's mean and the patient's deviation from it. */
export interface WithinBetweenRow {
  predictor: string;
  withinOr: number;
  withinCiLow: number;
  withinCiHigh: number;
  withinP: number;
  betweenOr: number;
  betweenCiLow: number;
  betweenCiHigh: number;
  betweenP: number;
  /** between / within odds ratio (exp of the contextual effect) with its Wald CI and p. */
  contextualRatio: number;
  contextualCiLow: number;
  contextualCiHigh: number;
  contextualP: number;
}

/** One row of cluster_reliability.csv: the one-way REML ICC of a scale score. */
export interface ClusterReliabilityRow {
  scale: string;
  label: string;
  n: number;
  icc: number | null;
  iccCiLow: number | null;
  iccCiHigh: number | null;
  tau2: number | null;
  sigma2: number | null;
  medianClusterSize: number | null;
  reliabilityAtMedian: number | null;
  nFor070: number | null;
  nFor080: number | null;
}

export type ClusterRating = 'better' | 'same' | 'worse' | 'too-few';

/** A measure (a trait's mean score or the outcome rate) of one shown clinician, case-mix adjusted. */
export interface ClusterMeasure {
  /** Null when fewer than --min-cell of the clinician's respondents have the measure (withheld). */
  n: number | null;
  mean: number | null;
  adjusted: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  reliability: number | null;
  rating: ClusterRating | null;
}

export interface ClusterRow {
  cluster: string;
  /** Respondents of the clinician; null when withheld by the complementary rule (nLabel `>=11`). */
  n: number | null;
  nLabel: string;
  withheld: boolean;
  /** One per trait, in the predictors' order, then the outcome rate (key `outcome`). */
  measures: { measure: string; value: ClusterMeasure }[];
}

export interface ClusterComparison {
  /** Adjusters used (numeric as they are, categorical as dummies). */
  caseMix: string[];
  /** Why the comparison (or one measure of it) could not be computed: measure -> failure code. */
  failures: { measure: string; reason: string }[];
  rows: ClusterRow[];
  /** Clinicians below --min-cell (absent from every output), and those withheld besides. */
  small: number;
  alsoWithheld: number;
  /** Reference: the mean of the adjusted means, per measure. */
  reference: { measure: string; value: number | null }[];
}

export interface ClusteringResult {
  variable: string;
  method: ClusterModelKind;
  requested: ClusterMethod;
  fallback: GlmmFallback;
  /** The GLMM's failure reason when it could not be fitted (fallback 'failed'). */
  fallbackReason: string | null;
  clusters: number;
  clusterSize: { min: number; median: number; max: number };
  /** Random-intercept variance and ICC from the GLMM (also fitted for the description with the robust method when possible). */
  randomIntercept: RandomIntercept | null;
  /** CR1 SEs of the ordinary fit, by term (model.csv's robust_se). */
  robustSe: { term: string; se: number }[];
  withinBetween: WithinBetweenRow[] | null;
  reliability: ClusterReliabilityRow[];
  comparison: ClusterComparison;
  minCell: number;
  alpha: number;
}

/** The warning codes of the clinician level (part of ReportWarning). */
export type ClusterWarning =
  | { code: 'cluster_fit'; kind: 'not_converged' | 'boundary' }
  | { code: 'cluster_fallback'; cause: 'separation' | 'requested_firth' | 'failed'; firth: boolean; reason: string | null }
  | { code: 'cluster_dominance' }
  /** --cluster with --weights: the clinicians are the design's sampling units; no clinician-level model. */
  | { code: 'cluster_design' }
  | { code: 'cluster_within_between'; firth: boolean }
  | { code: 'small_clusters'; by: string; small: number; minCell: number; alsoWithheld: number };
