/**
 * The report's result: one plain, JSON-serialisable object produced by `analyze()` and read by every
 * renderer (text, CSV, JSON, HTML). Numbers that do not exist are `null`, never NaN. The object holds
 * counts and statistics only: no respondent ids and no free-text answers.
 */

export type Method = 'ml' | 'firth';
export type MethodOption = 'auto' | Method;

export interface Warning {
  /** Stable code for scheduled jobs, e.g. `low_epv`, `separation`, `low_alpha`, `vif`, `negative_item`. */
  code: string;
  message: string;
}

export interface Count {
  reason: string;
  n: number;
}

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
}

export interface OutcomeInfo {
  variable: string;
  /** Values (codes or labels) counted as positive, as shown to the reader. */
  positive: string[];
  negative: string[];
  /** Short name used in sentences, e.g. "portal use". */
  label: string;
  /** Respondents analysed with a positive, negative or missing outcome. */
  nPositive: number;
  nNegative: number;
  nMissing: number;
  /** nPositive / (nPositive + nNegative), or null. */
  prevalence: number | null;
  /** How the positive value(s) were chosen. */
  rule: string;
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
  /** Respondents who answered every item of the scale. */
  n: number;
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

export interface BoxSummary {
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
  mean: number;
}

export interface TermRow {
  term: string;
  /** The variable the term belongs to (for a dummy `sex=male`, `sex`). */
  variable: string;
  kind: 'intercept' | 'trait' | 'numeric' | 'level';
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
  method: Method;
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
}

export interface GroupsResult {
  by: string;
  minCell: number;
  rows: GroupRow[];
  suppressedGroups: number;
}

export interface MethodInfo {
  requested: 'auto' | Method;
  used: Method | null;
  /** One sentence: why this method. */
  reason: string;
  separation: { detected: boolean; kind: string | null; terms: string[] };
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
  };
  counts: Counts;
  outcome: OutcomeInfo;
  predictors: PredictorInfo[];
  covariates: CovariateInfo[];
  /** Respondents in the model, and those dropped by reason (no outcome, no <predictor>, ...). */
  sample: { n: number; dropped: Count[] };
  method: MethodInfo;
  reliability: ReliabilityRow[] | null;
  /** Why reliability was skipped (no instrument). */
  reliabilityNote: string | null;
  descriptives: DescriptiveRow[];
  model: ModelResult | null;
  predictorRows: PredictorRow[];
  dominance: DominanceInfo | null;
  groups: GroupsResult | null;
  warnings: Warning[];
  /** null when everything was computed; else why the model could not be fitted (exit 65). */
  modelError: string | null;
}
