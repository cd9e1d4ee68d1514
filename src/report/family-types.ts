/**
 * The result types of an ordinal or count outcome (issue 17): which model family, why, the outcome's
 * distribution, the proportional-odds tests and the negative binomial's theta. Numbers and codes
 * only; facts-family.ts words them. Absent from the result of a yes/no outcome.
 */

/** `--outcome-type`: binary (logistic), ordinal (proportional odds), count (negative binomial). */
export type OutcomeType = 'binary' | 'ordinal' | 'count';

/**
 * Why the outcome has its type: chosen with --outcome-type (`option`), or the default: an item with
 * three or more ordered options (`item_options`), a column of whole numbers >= 0 with more than two
 * values (`count_values`).
 */
export type OutcomeTypeRule = 'option' | 'item_options' | 'count_values';

/** One category of an ordinal outcome, lowest first, among the model respondents. */
export interface OutcomeCategory {
  label: string;
  n: number;
}

/** The count outcome among the model respondents. */
export interface CountSummary {
  n: number;
  mean: number;
  variance: number;
  /** Respondents with a count of 0. */
  zeros: number;
  median: number;
}

/** The likelihood-ratio test of proportional odds for one trait or covariate (against the partial model). */
export interface PoTestRow {
  term: string;
  statistic: number | null;
  df: number;
  p: number | null;
}

export interface FamilyResult {
  type: 'ordinal' | 'count';
  rule: OutcomeTypeRule;
  /** Ordinal: the categories with their counts in the model sample (lowest first); null for a count. */
  categories: OutcomeCategory[] | null;
  /** The lowest category's label (ordinal) or "0" (count): the split used for descriptives and group rates. */
  lowest: string;
  count: CountSummary | null;
  /** Ordinal: per-term LR tests of proportional odds; null for a count or when no model was fitted. */
  poTests: PoTestRow[] | null;
  /** Count: the negative binomial's theta (Var = mu + mu^2/theta) and its SE; null otherwise. */
  theta: { estimate: number; se: number } | null;
}

/** Warnings of an ordinal or count model. */
export type FamilyWarning =
  | { code: 'proportional_odds'; term: string; statistic: number; df: number; p: number }
  | { code: 'overdispersion'; theta: number; factor: number; mean: number }
  | { code: 'no_overdispersion'; theta: number }
  | { code: 'family_not_converged'; method: 'polr' | 'negbin'; iterations: number };
