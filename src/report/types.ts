/**
 * The report's result: one plain object produced by `analyze()` and read by every renderer (text,
 * CSV, JSON, HTML). Numbers that do not exist are `null`, never NaN. It holds numbers, flags and
 * codes only: every sentence (warnings, the method's reason, why the model was not fitted) is worded
 * by facts.ts. No respondent ids and no free-text answers.
 */
import type { DyadResult } from './dyad-types.js';
import type { FirthCause } from '../stats/firth-decision.js';
import type { BoxSummary } from '../stats/quantile.js';
import type { FamilyResult, FamilyWarning } from './family-types.js';
import type { ClusteringResult, ClusterWarning } from './cluster-types.js';

export type { BoxSummary };
export type Method = 'ml' | 'firth';
/** How the reported model was estimated: ML or Firth, or design-based (svyglm.ts, svy-replicate.ts). */
export type ModelMethod = Method | 'svyglm' | 'svyglm-jk1';
export type MethodOption = 'auto' | Method;
/** The model of an ordinal (proportional odds, MASS::polr) or count (negative binomial, MASS::glm.nb) outcome. */
export type FamilyMethod = 'polr' | 'negbin';
export type { FamilyResult, OutcomeCategory, OutcomeType, OutcomeTypeRule, PoTestRow } from './family-types.js';

/**
 * A warning: a stable code for scheduled jobs (`summary.json`'s `warnings[].code`) and the numbers
 * facts.ts words it with. `label` is the scale's label.
 */
export type ReportWarning =
  | { code: 'input'; text: string }
  | { code: 'invalid_cells'; n: number }
  | { code: 'join_column'; column: string }
  | { code: 'join_unmatched'; unmatched: number; n: number; file: string; on: string; columns: string[]; outcome: string | null; as: 'missing' | 'negative' }
  | { code: 'join_duplicates'; keys: number; file: string }
  | { code: 'low_alpha' | 'high_alpha'; label: string; alpha: number; threshold: number }
  | { code: 'negative_item'; label: string; item: string; r: number }
  | { code: 'floor' | 'ceiling'; label: string; pct: number; bound: number; threshold: number }
  | { code: 'fit'; kind: 'not_converged'; method: Method; iterations: number }
  | { code: 'fit'; kind: 'boundary' }
  | { code: 'separation'; status: 'complete' | 'quasi-complete' | 'undetermined'; who: string[] }
  | { code: 'firth'; cause: FirthCause; separation: SeparationInfo; iterations: number }
  | { code: 'low_epv'; epv: number }
  | { code: 'vif'; term: string; vif: number; df: number; gvifAdjusted: number }
  | { code: 'calibration'; p: number }
  | { code: 'model_not_fitted'; error: ModelError }
  | { code: 'dominance'; kind: 'not_converged'; count: number; models: number }
  | { code: 'dominance'; kind: 'failed'; reason: string }
  | { code: 'small_cells'; by: string; small: number; minCell: number; alsoWithheld: string[] }
  | { code: 'small_level'; variable: string; levels: string[]; reference: boolean; minCell: number }
  | { code: 'rare_outcome'; prevalence: number }
  | { code: 'weights_dropped'; column: string; missing: number; zero: number }
  | { code: 'design_dominance'; kind: 'weighted' | 'replicate' }
  | { code: 'pooled_groups'; by: string; groups: number; minCell: number }
  | { code: 'pool_too_small'; by: string; minCell: number }
  | { code: 'design_model'; kind: 'firth'; requested: boolean }
  | { code: 'design_model'; kind: 'failed'; reason: string }
  | ClusterWarning
  | FamilyWarning;

export type WarningCode = ReportWarning['code'];

/** Why no model was fitted. `fit_failed` carries the statistics core's reason. */
export type ModelError =
  | { code: 'no_complete' }
  | { code: 'one_class'; n: number; events: number }
  | { code: 'too_few_events'; smaller: number; parameters: number }
  | { code: 'fit_failed'; reason: string }
  | { code: 'constant_predictor'; variable: string; n: number }
  | { code: 'constant_outcome'; n: number }
  | { code: 'too_few_categories'; observed: number; total: number };

/** Why rows were excluded before analysis (the scoring pipeline's reasons). */
export type ExclusionReason = 'preview' | 'test' | 'spam' | 'incomplete' | 'duplicate' | (string & {});

export interface Count {
  reason: ExclusionReason;
  n: number;
}

/** Respondents left out of the model: no outcome (`variable` null), or missing that variable. */
export interface Dropped {
  variable: string | null;
  n: number;
}

/** How the positive outcome value(s) were chosen. */
export type OutcomeRule = 'positive_option' | 'higher_option' | 'positive_value' | 'default_values' | 'outcome_type' | 'positive_comparison';
/** Where the outcome was recorded: answered by the respondent, or taken from records (the EHR). */
export type OutcomeSource = 'survey' | 'record';

export interface InputInfo {
  /** The input as named on the command line (`-` shows as `<stdin>`). */
  file: string;
  /** Platform format detected or forced (qualtrics, redcap, plain ...), when known. */
  format: string | null;
  instrument: { id: string; version: string; title: string } | null;
  join: JoinInfo | null;
}

export interface JoinInfo {
  file: string;
  on: string;
  /** Data rows in the joined file. */
  rows: number;
  /** Respondents of the main input with a row in the joined file. */
  matched: number;
  /** Respondents of the main input without a row in the joined file. */
  unmatched: number;
  /** Rows of the joined file whose key is not in the main input. */
  unused: number;
  /** Keys that occur more than once in the joined file (the first row is used). */
  duplicateKeys: number;
  /** Columns taken from the joined file. */
  columns: string[];
  /** --unmatched: what an unmatched respondent's joined outcome counts as. */
  unmatchedAs: 'missing' | 'negative';
}

export interface OutcomeInfo {
  variable: string;
  /** Values (codes or labels) counted as positive, as shown to the reader. */
  positive: string[];
  negative: string[];
  /** Short name used in sentences, e.g. "portal use". */
  label: string;
  /** The item's question when the outcome is an instrument item, else null. */
  question: string | null;
  /** Respondents analysed with a positive, negative or missing outcome. */
  nPositive: number;
  nNegative: number;
  nMissing: number;
  /** nPositive / (nPositive + nNegative), or null. */
  prevalence: number | null;
  /** How the positive value(s) were chosen. */
  rule: OutcomeRule;
  /** --outcome-source: self-reported (survey) or recorded (record). */
  source: OutcomeSource;
}

export interface Counts {
  /** Data rows read from the input. */
  read: number;
  /** Rows excluded before analysis, by reason (previews, incomplete, ...). */
  excluded: Count[];
  /** Respondents analysed (read minus excluded). */
  analysed: number;
  /** Invalid cells treated as missing (with --instrument). */
  invalidCells: number;
}

export interface PredictorInfo {
  name: string;
  /** Human label (the scale's label, or the column name). */
  label: string;
  /** Lowest and highest possible score, when known (for floor/ceiling and plots). */
  lo: number | null;
  hi: number | null;
}

export interface CovariateInfo {
  name: string;
  kind: 'numeric' | 'categorical';
  /** Levels in sorted order for a categorical covariate (the first is the reference). */
  levels: string[] | null;
}

export interface ReliabilityItemRow {
  item: string;
  rDrop: number | null;
  alphaIfDeleted: number | null;
  mean: number | null;
  sd: number | null;
  missingPct: number;
}

export interface ReliabilityRow {
  scale: string;
  label: string;
  nItems: number;
  /** Respondents who answered every item of the scale (pairwise: the fewest behind any pair of items). */
  n: number;
  /** listwise: complete cases (default); pairwise: psych's pairwise-complete covariances (--reliability pairwise). */
  alphaMethod: 'listwise' | 'pairwise';
  alpha: number | null;
  alphaCiLow: number | null;
  alphaCiHigh: number | null;
  stdAlpha: number | null;
  omegaTotal: number | null;
  averageR: number | null;
  /** Flag codes: low_alpha, high_alpha, negative_item, floor, ceiling. */
  flags: string[];
  items: ReliabilityItemRow[];
  /** Why the statistics are missing, when they are. */
  note: string | null;
}

export interface DescriptiveRow {
  scale: string;
  label: string;
  n: number;
  mean: number | null;
  sd: number | null;
  median: number | null;
  q1: number | null;
  q3: number | null;
  min: number | null;
  max: number | null;
  pctFloor: number | null;
  pctCeiling: number | null;
  pctMissing: number;
  nPositive: number;
  meanPositive: number | null;
  sdPositive: number | null;
  nNegative: number;
  meanNegative: number | null;
  sdNegative: number | null;
  meanDifference: number | null;
  cohensD: number | null;
  cohensDCiLow: number | null;
  cohensDCiHigh: number | null;
  welchT: number | null;
  welchDf: number | null;
  welchP: number | null;
  auc: number | null;
  /** A five-number summary per outcome group for the HTML distribution plot. */
  boxPositive: BoxSummary | null;
  boxNegative: BoxSummary | null;
}

export interface TermRow {
  term: string;
  /** The variable the term belongs to (for a dummy `sex=male`, `sex`). */
  variable: string;
  kind: 'intercept' | 'trait' | 'numeric' | 'level' | 'threshold' | 'dispersion';
  estimate: number;
  stdError: number;
  z: number;
  pValue: number;
  oddsRatio: number;
  ciLow: number;
  ciHigh: number;
  vif: number | null;
  /**
   * Drop-one likelihood-ratio test of the row's variable (R's `drop1(fit, test = "LRT")`; for a
   * categorical variable the same on each of its levels). Null for the intercept and for Firth fits.
   */
  lrStatistic: number | null;
  lrDf: number | null;
  lrP: number | null;
}

export interface ModelFit {
  n: number;
  events: number;
  nonEvents: number;
  /** Number of coefficients besides the intercept. */
  parameters: number;
  /** min(events, non-events) / parameters. */
  epv: number;
  method: ModelMethod | FamilyMethod;
  converged: boolean;
  iterations: number;
  deviance: number;
  nullDeviance: number;
  logLik: number;
  aic: number;
  lrStatistic: number | null;
  lrDf: number | null;
  lrP: number | null;
  mcfadden: number | null;
  nagelkerke: number | null;
  auc: number | null;
  aucCiLow: number | null;
  aucCiHigh: number | null;
  hlStatistic: number | null;
  hlDf: number | null;
  hlP: number | null;
}

export interface ModelResult {
  terms: TermRow[];
  fit: ModelFit;
  /** Units of the trait predictors: 'sd' (standardised on the model respondents) or 'raw'. */
  units: 'sd' | 'raw';
  /** Mean and SD of each trait on the model respondents (used for standardising). */
  scaling: { predictor: string; mean: number; sd: number }[];
}

export interface PredictorRow {
  predictor: string;
  label: string;
  rank: number | null;
  unadjustedN: number;
  unadjustedOr: number | null;
  unadjustedCiLow: number | null;
  unadjustedCiHigh: number | null;
  unadjustedP: number | null;
  adjustedOr: number | null;
  adjustedCiLow: number | null;
  adjustedCiHigh: number | null;
  adjustedP: number | null;
  adjustedPHolm: number | null;
  dominance: number | null;
  /** Share of the traits' total dominance (0..1). */
  dominanceShare: number | null;
  /** Mann–Whitney AUC of the trait alone (respondents with the trait and the outcome). */
  auc: number | null;
  /** Bootstrap percentile 95% CI of the dominance weight and % of resamples ranking it first (null with --bootstrap 0). */
  dominanceCiLow: number | null;
  dominanceCiHigh: number | null;
  rankFirstPct: number | null;
}

export interface DominanceInfo {
  /** R² (McFadden) of traits plus covariates, and of covariates alone. */
  r2Full: number;
  r2Covariates: number;
  models: number;
}

export interface GroupRow {
  group: string;
  /** Respondents in the group (all analysed, whatever their outcome); null when suppressed. */
  n: number | null;
  /** The count as shown: the number, or `<11` when the group is below the small-cell limit. */
  nLabel: string;
  suppressed: boolean;
  nOutcome: number | null;
  events: number | null;
  rate: number | null;
  rateCiLow: number | null;
  rateCiHigh: number | null;
  traits: { predictor: string; n: number | null; mean: number | null; ciLow: number | null; ciHigh: number | null }[];
  /** --pool-small: the groups pooled into this "other" row (only on that row). */
  pooled?: string[];
}

export interface GroupsResult {
  by: string;
  minCell: number;
  rows: GroupRow[];
  suppressedGroups: number;
}

export interface SeparationInfo {
  detected: boolean;
  kind: string | null;
  terms: string[];
}

/** Why the method was used (facts.ts words it). */
export type MethodChoice =
  | { kind: 'not_fitted' }
  | { kind: 'requested_firth' }
  | { kind: 'requested_ml'; converged: boolean; iterations: number }
  | { kind: 'auto_ml'; iterations: number }
  | { kind: 'auto_firth'; cause: FirthCause; iterations: number }
  | { kind: FamilyMethod; converged: boolean; iterations: number };

export interface MethodInfo {
  requested: 'auto' | Method;
  used: Method | FamilyMethod | null;
  choice: MethodChoice;
  separation: SeparationInfo;
}

export interface ReportResult {
  tool: { name: 'rapport'; version: string };
  input: InputInfo;
  options: {
    outcome: string;
    predictors: string[];
    covariates: string[];
    groupBy: string | null;
    minCell: number;
    method: MethodOption;
    rawUnits: boolean;
    /** --title, --period and --outcome-label as given (null when not). */
    title: string | null;
    period: string | null;
    outcomeLabel: string | null;
  };
  counts: Counts;
  outcome: OutcomeInfo;
  predictors: PredictorInfo[];
  covariates: CovariateInfo[];
  /** Respondents in the model, and those dropped by reason (no outcome, no <predictor>, ...). */
  sample: { n: number; dropped: Dropped[] };
  method: MethodInfo;
  /** Null without an instrument (the item answers are not available). */
  reliability: ReliabilityRow[] | null;
  descriptives: DescriptiveRow[];
  model: ModelResult | null;
  predictorRows: PredictorRow[];
  dominance: DominanceInfo | null;
  groups: GroupsResult | null;
  /** --dyad: the patient–clinician part (sections/dyads.ts); absent without --dyad. */
  dyads?: DyadResult | null;
  /** The sampling design and the weighted estimates, with --weights; else null. */
  design: DesignResult | null;
  warnings: ReportWarning[];
  /** null when everything was computed; else why the model could not be fitted (exit 65). */
  modelError: ModelError | null;
  /** Issue 17: how the CIs, p-values, fitted probabilities, VIF, validation and bootstrap were obtained. */
  inference: InferenceInfo;
  /** Ordinal and count outcomes only (absent for a yes/no outcome): the outcome's model family. */
  family?: FamilyResult;
  /** The clinician level (--cluster); absent or null without it. */
  clustering?: ClusteringResult | null;
}

export type CiOption = 'auto' | 'profile' | 'wald';
export type ReliabilityMethod = 'listwise' | 'pairwise';

/** Why profile intervals were used: the rule's reasons (ML), Firth's default, or --ci profile. */
export type CiReason = 'low_epv' | 'large_estimate' | 'firth' | 'requested';

export interface CiInfo {
  requested: CiOption;
  method: 'profile' | 'wald';
  reasons: CiReason[];
  /** p-values of the model table: Wald z tests, or penalised likelihood-ratio tests (Firth). */
  pValues: 'wald' | 'penalised_lr';
  /** False when some profile limit or test did not converge (then less reliable). */
  converged: boolean;
}

export interface GvifRow {
  term: string;
  df: number;
  gvif: number;
  gvifAdjusted: number;
}

export interface CalibrationGroup {
  n: number;
  predicted: number;
  observed: number;
}

/** Harrell's bootstrap validation, or why there is none. */
export type ValidationInfo =
  | { status: 'ok'; resamples: number; failed: number; seed: number; auc: Validated; calibrationIntercept: Validated; calibrationSlope: Validated }
  | { status: 'off' }
  | { status: 'too_large'; n: number; parameters: number }
  | { status: 'firth' }
  | { status: 'design' }
  | { status: 'cluster' }
  | { status: 'failed'; reason: string };

export interface Validated {
  apparent: number;
  optimism: number;
  corrected: number;
}

/** The dominance bootstrap, or why there is none. */
export type BootstrapInfo =
  | { status: 'ok'; resamples: number; seed: number; failed: number; fitting: 'refit' | 'linearised'; top: string | null; topPct: number | null }
  | { status: 'off' }
  | { status: 'design' }
  | { status: 'cluster' }
  | { status: 'failed'; reason: string };

export interface InferenceInfo {
  ci: CiInfo | null;
  /** Where the fitted probabilities (AUC, Hosmer–Lemeshow, calibration) come from. */
  fitted: 'ml' | 'flic';
  /** GVIF per variable (Fox & Monette), from the unweighted design (not the glm-weighted VIF of car::vif). */
  vif: { basis: 'design'; terms: GvifRow[] } | null;
  /** Hosmer–Lemeshow groups used (expected counts >= 5), or null when no grouping qualifies. */
  hlGroups: number | null;
  calibrationGroups: CalibrationGroup[];
  /** LOWESS of the outcome on the fitted probability (R's lowess(p, y, iter = 0)), at most 101 points. */
  calibrationCurve: { predicted: number; observed: number }[];
  validation: ValidationInfo;
  bootstrap: BootstrapInfo;
  /** Under Firth the dominance analysis still uses ML fits (McFadden R² is an ML quantity). */
  dominanceFits: 'ml';
  reliability: ReliabilityMethod;
}

/** A design-based estimate: a weighted mean or rate, its linearisation or replicate SE and 95% CI. */
export interface WeightedEstimate {
  /** Respondents behind it (unweighted). */
  n: number;
  estimate: number;
  se: number;
  ciLow: number | null;
  ciHigh: number | null;
}

/** The sampling design (--weights, --strata, --cluster as PSU, --replicate-weights) and its estimates. */
export interface DesignResult {
  weights: string;
  strata: string | null;
  nStrata: number | null;
  /** The PSU column (--cluster), or null: each respondent is a PSU (ids = ~1). */
  cluster: string | null;
  nPsus: number;
  replicate: { prefix: string; type: 'jk1'; replicates: number } | null;
  variance: 'linearisation' | 'jk1';
  /** Respondents with a positive weight (those analysed). */
  n: number;
  sumWeights: number;
  /** Kish's effective sample size (sum w)^2 / sum w^2. */
  effectiveN: number;
  /** Design degrees of freedom (PSUs minus strata; replicates minus 1). */
  df: number;
  dropped: { missing: number; zero: number };
  /** The weighted rate of the outcome (respondents with an outcome). */
  outcome: WeightedEstimate | null;
  /** The weighted mean of each trait (respondents with a score). */
  traits: (WeightedEstimate & { predictor: string })[];
  /** Whether the adjusted model is design-based (false: not fitted, or Firth on separated data). */
  modelWeighted: boolean;
  /** Whether the dominance weights come from weighted fits. */
  dominanceWeighted: boolean;
}
