/**
 * The pilot (item-analysis) report's result: what `rapport report <export> --instrument <id>` without
 * `--outcome` computes. Numbers, flags and codes only; pilot-facts.ts words them. No ids, no free
 * text; every count under --min-cell is withheld (null with its label) as described in
 * sections/items.ts.
 */
import type { Counts, InputInfo } from './types.js';

/** Why an item is flagged for review (thresholds in sections/items.ts, words in pilot-facts.ts). */
export type ItemFlag = 'negative_item_total' | 'low_item_total' | 'raises_alpha' | 'high_missing' | 'item_floor' | 'item_ceiling';

/** Why a scale is flagged. */
export type ScaleFlag = 'low_alpha' | 'high_alpha' | 'floor' | 'ceiling' | 'overlap';

/** One cell of an item's response frequencies. */
export interface FrequencyCell {
  /** `option`: an answer option; `missing`: empty or invalid cell; `refused`: a missing code of the response set (refused, does not apply). */
  kind: 'option' | 'missing' | 'refused';
  /** The option's value (options only). */
  value: number | string | null;
  label: string;
  /** Respondents, or null when withheld. */
  n: number | null;
  /** The count as shown: the number, `<minCell` (small) or `>=minCell` (withheld so a small cell cannot be worked out). */
  nLabel: string;
  /** Percent of all respondents analysed, or null when withheld. */
  pct: number | null;
}

export interface PilotItem {
  item: string;
  /** The scale's id, or null for an item in no scale. */
  scale: string | null;
  reverse: boolean;
  /** Mean and SD of the answers (raw values, not reverse-keyed); null when fewer than --min-cell answered. */
  mean: number | null;
  sd: number | null;
  /** Percent of respondents with no answer (empty, invalid or refused); null when withheld. */
  pctNoAnswer: number | null;
  /** Percent of answers at the lowest and the highest option; null when withheld. */
  pctLowest: number | null;
  pctHighest: number | null;
  /** Corrected item-total correlation and alpha if the item is deleted (scale items with a reliability). */
  rDrop: number | null;
  alphaIfDeleted: number | null;
  /** One-factor loading (scales of 3 or more items). */
  loading: number | null;
  flags: ItemFlag[];
  frequencies: FrequencyCell[];
}

export interface PilotScale {
  scale: string;
  label: string;
  nItems: number;
  /** Respondents who answered every item (alpha and omega are computed on them). */
  nComplete: number;
  alpha: number | null;
  alphaCiLow: number | null;
  alphaCiHigh: number | null;
  omegaTotal: number | null;
  averageR: number | null;
  /** Respondents with a score, and its mean and SD. */
  nScored: number;
  mean: number | null;
  sd: number | null;
  lo: number;
  hi: number;
  /** Percent of scores at the lowest and highest possible score; null when withheld (1 to minCell - 1 respondents). */
  pctFloor: number | null;
  pctCeiling: number | null;
  flags: ScaleFlag[];
  /** Why alpha is missing (too few items or complete respondents), as the statistics core says. */
  note: string | null;
}

/** Pearson correlation of two scale scores on the respondents with both. */
export interface ScaleCorrelation {
  a: string;
  b: string;
  n: number;
  r: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

export type PilotWarning =
  | { code: 'input'; text: string }
  | { code: 'invalid_cells'; n: number }
  | { code: 'not_tabulated'; items: string[] }
  | { code: 'small_cells'; minCell: number; withheld: number };

export interface PilotResult {
  kind: 'pilot';
  tool: { name: string; version: string };
  input: InputInfo;
  counts: Counts;
  minCell: number;
  scales: PilotScale[];
  items: PilotItem[];
  correlations: ScaleCorrelation[];
  warnings: PilotWarning[];
}
