/**
 * The report's input in memory: one typed-array column per variable, one entry per analysed
 * respondent (excluded rows are already gone). Built by load.ts from a survey export (scored with the
 * instrument) or from an already scored file; consumed by analyze(). No ids, no free text.
 */
import type { DyadData } from './dyad-types.js';
import type { Counts, InputInfo, OutcomeRule, OutcomeSource, OutcomeTypeRule, PredictorInfo, ReportWarning } from './types.js';

export interface TraitColumn extends PredictorInfo {
  values: Float64Array;
}

export interface ItemColumn {
  id: string;
  /** Keyed values (reverse-keyed items already reversed), NaN = no answer. */
  values: Float64Array;
}

export interface ScaleItems {
  scale: string;
  label: string;
  items: ItemColumn[];
}

export type CovariateColumn =
  | { name: string; kind: 'numeric'; values: Float64Array }
  | { name: string; kind: 'categorical'; values: (string | null)[]; levels: string[] };

export interface GroupColumn {
  name: string;
  /** Index into `levels`, -1 = missing. */
  codes: Int32Array;
  levels: string[];
}

export interface OutcomeColumn {
  variable: string;
  /** 1 = positive, 0 = negative, NaN = missing. */
  y: Float64Array;
  positive: string[];
  negative: string[];
  rule: OutcomeRule;
  label: string;
  /** The item's question (the instrument's first language) when the outcome is an item. */
  question?: string;
  /**
   * An ordinal or count outcome (absent for yes/no): its values (category index 0..K-1 in order, or
   * the count; NaN = missing), the category labels (ordinal) and why it has this type. `y` then holds
   * the split shown in descriptives and group rates: above the lowest category, or a count above 0.
   */
  family?: { type: 'ordinal' | 'count'; values: Float64Array; levels: string[] | null; rule: OutcomeTypeRule };
  /** Self-reported (survey) or recorded (record); set by loadReportData. */
  source?: OutcomeSource;
}

/**
 * The sampling design (--weights, --strata, --replicate-weights; --cluster as the PSU when given):
 * one entry per analysed respondent, every weight > 0 (respondents without a positive weight are
 * dropped by the loader, design-load.ts). Codes are 0-based indexes into the levels.
 */
export interface DesignColumns {
  weightsName: string;
  weights: Float64Array;
  strata: { name: string; codes: Int32Array; levels: string[] } | null;
  cluster: { name: string; codes: Int32Array; levels: string[] } | null;
  replicate: { prefix: string; type: 'jk1'; names: string[]; columns: Float64Array[] } | null;
  /** Respondents dropped for a missing or a zero weight. */
  dropped: { missing: number; zero: number };
}

export interface ReportData {
  n: number;
  input: InputInfo;
  counts: Counts;
  traits: TraitColumn[];
  /** Item columns per scale for reliability; null without an instrument. */
  scaleItems: ScaleItems[] | null;
  outcome: OutcomeColumn;
  covariates: CovariateColumn[];
  group: GroupColumn | null;
  /** The sampling design, when --weights is given. */
  design?: DesignColumns | null;
  /** The clinician column (--cluster) and the case-mix adjusters (--case-mix; default: the covariates). */
  cluster?: GroupColumn | null;
  caseMix?: CovariateColumn[] | null;
  /** Warnings found while loading (unmatched join keys, invalid cells ...). */
  warnings: ReportWarning[];
  /** --dyad before pairing: the patient side's keys (never output) and paired items; dyad-load.ts replaces it by `dyads`. */
  dyadSide?: DyadSide;
  /** --dyad after pairing (dyad-load.ts): both sides' scores and paired answers, one entry per respondent. */
  dyads?: DyadData;
}

export interface DyadSide {
  on: string;
  keys: string[];
  /** Paired item id of the patient's form → its values (NaN = no answer). */
  items: Map<string, Float64Array>;
}
