/**
 * The pilot report's items: response frequencies with small-cell suppression, item statistics and
 * the flags that mark an item for review.
 *
 * Suppression (--min-cell, default 11). An item's cells are its options, "missing" (empty or invalid)
 * and "refused"; they add up to the respondents analysed, which the report states. A count from 1 to
 * minCell - 1 is withheld (`<11`). Two margins are published besides the total: the answers (the
 * options together, behind the item's mean and percentages) and the non-answers (missing and refused
 * together, as items.csv's percent without an answer). So within each of the two groups, while the
 * withheld cells add up to fewer than minCell, the smallest shown non-zero cell is withheld too
 * (`>=11`): no withheld cell can be worked out by subtracting the shown ones from its margin. When a
 * group cannot be made safe that way (its margin is itself small), the percent without an answer is
 * withheld and the rule is applied to the whole row instead. A zero is shown (it reveals nobody).
 *
 * Flags (codes; pilot-facts.ts words them):
 * - negative_item_total: corrected item-total r below 0 (reverse keying wrong, or a different idea);
 * - low_item_total: corrected item-total r from 0 to below 0.30 (a common rule of thumb);
 * - raises_alpha: alpha without the item at least 0.01 higher than the scale's;
 * - high_missing: more than 10% without an answer;
 * - item_floor / item_ceiling: 80% or more of the answers at the lowest / highest option (scale items
 *   with three or more options: the item cannot tell respondents apart).
 */
import { describe } from '../../stats/index.js';
import type { Reliability } from '../../stats/reliability.js';
import type { PilotItemData } from '../pilot-load.js';
import type { FrequencyCell, ItemFlag, PilotItem } from '../pilot-types.js';
import { nn } from './util.js';

export const ITEM_THRESHOLDS = { lowItemTotal: 0.3, raisesAlpha: 0.01, highMissingPct: 10, extremePct: 80 } as const;

/**
 * Cells to withhold in one row of counts split into groups (0: answers, 1: non-answers); see the
 * module comment. `marginShown` is false when the non-answer margin must be withheld too.
 */
export function suppressRow(counts: ArrayLike<number>, group: ArrayLike<number>, minCell: number): { withheld: boolean[]; small: boolean[]; marginShown: boolean } {
  const k = counts.length;
  const small = Array.from({ length: k }, (_, i) => counts[i] > 0 && counts[i] < minCell);
  const withheld = [...small];
  const fix = (idx: number[]): boolean => {
    for (;;) {
      let sum = 0;
      let any = false;
      for (const i of idx)
        if (withheld[i]) {
          sum += counts[i];
          any = true;
        }
      if (!any || sum >= minCell) return true;
      let next = -1;
      for (const i of idx) if (!withheld[i] && counts[i] > 0 && (next < 0 || counts[i] < counts[next])) next = i;
      if (next < 0) return false;
      withheld[next] = true;
    }
  };
  const all = Array.from({ length: k }, (_, i) => i);
  const ok0 = fix(all.filter((i) => group[i] === 0));
  const ok1 = fix(all.filter((i) => group[i] === 1));
  if (ok0 && ok1) return { withheld, small, marginShown: true };
  fix(all);
  return { withheld, small, marginShown: false };
}

/** The frequency cells of one item, suppressed; and whether its percent without an answer may be shown. */
function frequencyCells(d: PilotItemData, n: number, minCell: number): { cells: FrequencyCell[]; marginShown: boolean; withheld: boolean[] } {
  const m = d.options.length;
  const group = Array.from({ length: m + 2 }, (_, i) => (i < m ? 0 : 1));
  const s = suppressRow(d.counts, group, minCell);
  const cells: FrequencyCell[] = Array.from(d.counts, (count, i) => {
    const kind = i < m ? 'option' : i === m ? 'missing' : 'refused';
    const shown = !s.withheld[i];
    return {
      kind,
      value: i < m ? d.options[i].value : null,
      label: i < m ? d.options[i].label : kind,
      n: shown ? count : null,
      nLabel: shown ? String(count) : s.small[i] ? `<${minCell}` : `>=${minCell}`,
      pct: shown && n > 0 ? (100 * count) / n : null,
    };
  });
  return { cells, marginShown: s.marginShown, withheld: s.withheld };
}

/** Item statistics from reliability (corrected item-total r, alpha if deleted, loading), when the item is in a scale. */
export interface ItemReliability {
  rel: Reliability | null;
  position: number;
}

/** One item's row: frequencies, statistics and flags. */
export function itemRow(d: PilotItemData, scaleId: string | null, r: ItemReliability | null, n: number, minCell: number): PilotItem {
  const { cells, marginShown, withheld } = frequencyCells(d, n, minCell);
  const m = d.options.length;
  let answered = 0;
  for (let i = 0; i < m; i++) answered += d.counts[i];
  const noAnswer = n - answered;
  const desc = answered >= minCell ? describe(d.values) : null;
  // A percent of the answers with its count would give the answers' margin: only when that margin is published.
  const pctOf = (i: number) => (withheld[i] || !marginShown || answered === 0 ? null : (100 * d.counts[i]) / answered);
  const st = r?.rel ? r.rel.items[r.position] : null;
  const item: PilotItem = {
    item: d.id,
    scale: scaleId,
    reverse: d.reverse,
    mean: desc && desc.ok ? desc.mean : null,
    sd: desc && desc.ok ? desc.sd : null,
    pctNoAnswer: marginShown && n > 0 ? (100 * noAnswer) / n : null,
    pctLowest: m > 0 ? pctOf(0) : null,
    pctHighest: m > 0 ? pctOf(m - 1) : null,
    rDrop: st ? nn(st.rDrop) : null,
    alphaIfDeleted: st ? nn(st.alphaIfDeleted) : null,
    loading: r?.rel?.loadings ? nn(r.rel.loadings[r.position]) : null,
    flags: [],
    frequencies: cells,
  };
  item.flags = itemFlags(item, r?.rel ?? null, n > 0 ? (100 * noAnswer) / n : 0, d, answered);
  return item;
}

/** The review flags of one item (see the module comment). `pctNoAnswer` is the exact share, for the flag only. */
function itemFlags(it: PilotItem, rel: Reliability | null, pctNoAnswer: number, d: PilotItemData, answered: number): ItemFlag[] {
  const T = ITEM_THRESHOLDS;
  const flags: ItemFlag[] = [];
  if (it.rDrop !== null) {
    if (it.rDrop < 0) flags.push('negative_item_total');
    else if (it.rDrop < T.lowItemTotal) flags.push('low_item_total');
  }
  if (rel && it.alphaIfDeleted !== null && it.alphaIfDeleted - rel.alpha >= T.raisesAlpha) flags.push('raises_alpha');
  if (pctNoAnswer > T.highMissingPct) flags.push('high_missing');
  const m = d.options.length;
  if (it.scale !== null && m >= 3 && answered > 0) {
    if ((100 * d.counts[0]) / answered >= T.extremePct) flags.push('item_floor');
    if ((100 * d.counts[m - 1]) / answered >= T.extremePct) flags.push('item_ceiling');
  }
  return flags;
}
