/**
 * Every sentence of the pilot (item-analysis) report: the headline, the facts of "What was
 * analysed", section intros, the words for each item and scale flag, and the warnings. Re-exported by
 * facts.ts. Plain text: the HTML renderer escapes it.
 */
import { andList, fmtFixed, fmtInt } from './format.js';
import { exclusionReason, formatName } from './names.js';
import type { ItemFlag, PilotResult, PilotWarning, ScaleFlag } from './pilot-types.js';

export const PILOT_TITLE = 'rapport pilot report: how the items and scales behaved';

/** Words for each item flag (thresholds as in src/report/sections/items.ts). */
export const ITEM_FLAG_TEXT: Record<ItemFlag, string> = {
  negative_item_total: 'goes against the rest of its scale (corrected item-total r below 0): check its wording and reverse keying',
  low_item_total: 'agrees little with the rest of its scale (corrected item-total r below 0.30)',
  raises_alpha: 'the scale’s alpha would rise by 0.01 or more without it',
  high_missing: 'more than 10% gave no answer',
  item_floor: '80% or more of the answers are the lowest option',
  item_ceiling: '80% or more of the answers are the highest option',
};

/** Short words for the flags column of a table. */
export const ITEM_FLAG_SHORT: Record<ItemFlag, string> = {
  negative_item_total: 'r < 0',
  low_item_total: 'r < 0.30',
  raises_alpha: 'alpha rises without it',
  high_missing: '>10% no answer',
  item_floor: '>=80% lowest',
  item_ceiling: '>=80% highest',
};

export const SCALE_FLAG_SHORT: Record<ScaleFlag, string> = {
  low_alpha: 'alpha < 0.70',
  high_alpha: 'alpha > 0.95',
  floor: '>15% at floor',
  ceiling: '>15% at ceiling',
  overlap: 'r >= 0.85 with another scale',
};

export function pilotWarningText(w: PilotWarning): string {
  switch (w.code) {
    case 'input':
      return w.text;
    case 'invalid_cells':
      return `${fmtInt(w.n)} cells were not an option of their item and count as missing (use --errors to list them).`;
    case 'not_tabulated':
      return `Not tabulated: ${andList(w.items)} (number or multiple-choice items).`;
    case 'small_cells':
      return `${fmtInt(w.withheld)} frequency cells are withheld: counts from 1 to ${w.minCell - 1} show as <${w.minCell}, and further cells as >=${w.minCell} where a withheld count could otherwise be worked out by subtraction (--min-cell ${w.minCell}).`;
  }
}

/** The first paragraph: how many respondents, scales and items, and how many items need a look. */
export function pilotHeadline(r: PilotResult): string {
  const flagged = r.items.filter((it) => it.flags.length > 0);
  const alphas = r.scales.map((s) => s.alpha).filter((a): a is number => a !== null);
  const range = alphas.length === 0 ? '' : alphas.length === 1 ? ` Alpha was ${fmtFixed(alphas[0], 2)}.` : ` Alpha ranged from ${fmtFixed(Math.min(...alphas), 2)} to ${fmtFixed(Math.max(...alphas), 2)}.`;
  const low = r.scales.filter((s) => s.flags.includes('low_alpha')).map((s) => s.label);
  const lowText = low.length ? ` Below 0.70: ${andList(low)}.` : '';
  const review = flagged.length === 0 ? ' No item is flagged for review.' : ` ${flagged.length === 1 ? '1 item is' : `${fmtInt(flagged.length)} items are`} flagged for review: ${andList(flagged.map((it) => it.item))}.`;
  return `In short: ${fmtInt(r.counts.analysed)} respondents answered ${fmtInt(r.items.length)} items in ${fmtInt(r.scales.length)} scales.${range}${lowText}${review}`;
}

/** The facts of "What was analysed". */
export function pilotFacts(r: PilotResult): [string, string][] {
  const c = r.counts;
  const excluded = c.excluded.map((x) => `${fmtInt(x.n)} ${exclusionReason(x)}`).join(', ');
  const facts: [string, string][] = [['Input', r.input.format ? `${r.input.file} (${formatName(r.input.format)})` : r.input.file]];
  if (r.input.instrument) facts.push(['Instrument', `${r.input.instrument.id} ${r.input.instrument.version}, ${r.input.instrument.title}`]);
  facts.push(['Respondents', `${fmtInt(c.read)} read, ${excluded ? `${excluded} excluded` : '0 excluded'}, ${fmtInt(c.analysed)} analysed`]);
  facts.push(['Outcome', 'none: a pilot (item-analysis) report; give --outcome for the model of which traits predict it']);
  facts.push(['Small cells', `counts under ${r.minCell} withheld (--min-cell ${r.minCell})`]);
  return facts;
}

export const PILOT_INTRO = {
  scales:
    'Cronbach’s alpha (Feldt 95% CI) and McDonald’s omega total (one-factor model) on the respondents who answered every item of the scale; the score’s mean (SD) and the share of scores at the lowest and highest possible value (– when that share stands for fewer respondents than --min-cell). Omega turns round an item that goes against the others (as psych::omega does), so a wrongly keyed item lowers alpha but not omega.',
  items:
    'Per item: mean (SD) of the answers, the share without an answer (– where it would reveal a small count), the corrected item-total correlation (the item against the sum of the scale’s other items) and the scale’s alpha without the item. Reverse-keyed items (R) are reversed for the correlations.',
  frequencies: (minCell: number) =>
    `Respondents choosing each option, leaving the item empty (missing, including invalid cells) or refusing (a missing code such as “prefer not to answer”); the percentages of all respondents are in item_frequencies.csv and the HTML page. <${minCell}: from 1 to ${minCell - 1} respondents; >=${minCell}: withheld so that a small count cannot be worked out from the others.`,
  correlations: 'Pearson correlations between scale scores (respondents with both scores). Scales that correlate 0.85 or more may measure the same thing.',
  review: 'Items to look at before the main survey, and why.',
};

export const PILOT_NO_REVIEW = 'No item is flagged for review.';

/** One line per flagged item: "trust_3 (trust): agrees little with ...; more than 10% ...". */
export function reviewLines(r: PilotResult): string[] {
  return r.items.filter((it) => it.flags.length > 0).map((it) => `${it.item}${it.scale ? ` (${it.scale})` : ''}: ${it.flags.map((f) => ITEM_FLAG_TEXT[f]).join('; ')}.`);
}

export const PILOT_FOOTER = 'The tables behind this report are in scales.csv, items.csv, item_frequencies.csv, scale_correlations.csv and summary.json.';
