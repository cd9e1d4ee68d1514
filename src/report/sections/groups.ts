/**
 * The outcome rate (Wilson 95% CI) and trait means (t CIs) by --group-by group, with small-cell
 * suppression:
 * - a group under --min-cell shows no statistics (n as `<minCell`);
 * - complementary suppression: while the withheld groups together number fewer than --min-cell, the
 *   smallest shown group is withheld too (n as `>=minCell`), so no small group can be worked out by
 *   subtracting the shown groups from the total. Respondents with no group ("not stated", flagged
 *   `notStated`) are withheld when few, but a small not-stated group alone forces no other group to be
 *   withheld (how many did not say is not a group's statistic); once reported it counts like any group;
 * - a rate or mean of a shown group whose own denominator (respondents answering) is under --min-cell
 *   is withheld (null, with its n);
 * - --pool-small: the stated groups under --min-cell are shown together as one group, "other", when
 *   together they reach --min-cell (then no stated group is small, so none is withheld for them and the
 *   small groups are never shown one by one); when "other" would still be small, they are withheld as
 *   without the option (complementary rule included). "Not stated" is never pooled into "other".
 * Under a sampling design (--weights) the rates and means of shown groups are weighted (domains of the
 * whole design, sections/design.ts); which groups are shown depends on respondent counts only.
 */
import { meanCi } from '../../stats/mean-interval.js';
import { wilson } from '../../stats/proportion.js';
import type { GroupColumn, TraitColumn } from '../data.js';
import { NOT_STATED, POOLED_GROUP } from '../facts.js';
import type { GroupEstimator } from './design.js';
import type { GroupRow, GroupsResult, ReportWarning } from '../types.js';

/** Row indices per level, plus a not-stated group when some rows have no level. */
function membersOf(g: GroupColumn): { labels: string[]; members: number[][]; notStated: number } {
  const members: number[][] = g.levels.map(() => []);
  const miss: number[] = [];
  for (let i = 0; i < g.codes.length; i++) {
    if (g.codes[i] >= 0) members[g.codes[i]].push(i);
    else miss.push(i);
  }
  const labels = [...g.levels];
  if (miss.length > 0) {
    labels.push(NOT_STATED);
    members.push(miss);
  }
  return { labels, members, notStated: miss.length > 0 ? labels.length - 1 : -1 };
}

/** A group whose statistics are not shown: n as `<minCell` (too small) or `>=minCell` (withheld). */
function withheld(label: string, nLabel: string, traits: TraitColumn[]): GroupRow {
  const none = { nOutcome: null, events: null, rate: null, rateCiLow: null, rateCiHigh: null };
  return { group: label, n: null, nLabel, suppressed: true, ...none, traits: traits.map((t) => ({ predictor: t.name, n: null, mean: null, ciLow: null, ciHigh: null })) };
}

/** A shown group; a rate or mean with fewer than minCell answering is withheld (all null). */
function shownGroup(label: string, idx: number[], y: Float64Array, traits: TraitColumn[], minCell: number, weighted?: GroupEstimator): GroupRow {
  if (weighted) return weightedGroup(shownGroup(label, idx, y, traits, minCell), idx, y, traits, weighted);
  let no = 0;
  let ev = 0;
  for (const i of idx)
    if (y[i] === 0 || y[i] === 1) {
      no++;
      ev += y[i];
    }
  const w = no >= minCell ? wilson(ev, no) : null;
  const rate = no >= minCell ? { nOutcome: no, events: ev, rate: ev / no } : { nOutcome: null, events: null, rate: null };
  return {
    group: label,
    n: idx.length,
    nLabel: String(idx.length),
    suppressed: false,
    ...rate,
    rateCiLow: w ? w.low : null,
    rateCiHigh: w ? w.high : null,
    traits: traits.map((t) => {
      const m = meanCi(Float64Array.from(idx, (i) => t.values[i]));
      if (m.n < minCell) return { predictor: t.name, n: null, mean: null, ciLow: null, ciHigh: null };
      return { predictor: t.name, n: m.n, mean: m.mean, ciLow: m.low, ciHigh: m.high };
    }),
  };
}

/**
 * Which groups to withhold besides the small ones: while some stated group is small and the withheld
 * groups number fewer than minCell together, the smallest shown group (ties: the first). Indexes.
 */
export function complementary(sizes: number[], minCell: number, notStated = -1): number[] {
  const out: number[] = [];
  const isWithheld = sizes.map((n) => n < minCell);
  if (!sizes.some((n, k) => n < minCell && k !== notStated)) return out;
  let total = sizes.reduce((a, n, k) => a + (isWithheld[k] ? n : 0), 0);
  while (total < minCell) {
    let k = -1;
    sizes.forEach((n, j) => {
      if (!isWithheld[j] && (k < 0 || n < sizes[k])) k = j;
    });
    if (k < 0) break;
    isWithheld[k] = true;
    total += sizes[k];
    out.push(k);
  }
  return out;
}

/** The unweighted row with its shown rate and means replaced by the weighted ones (counts unchanged). */
function weightedGroup(row: GroupRow, idx: number[], y: Float64Array, traits: TraitColumn[], weighted: GroupEstimator): GroupRow {
  const rate = row.rate !== null ? weighted(idx, y, 'proportion') : null;
  return {
    ...row,
    rate: rate ? rate.estimate : null,
    rateCiLow: rate ? rate.ciLow : null,
    rateCiHigh: rate ? rate.ciHigh : null,
    traits: row.traits.map((t, k) => {
      const m = t.mean !== null ? weighted(idx, traits[k].values, 'mean') : null;
      return m ? { ...t, mean: m.estimate, ciLow: m.ciLow, ciHigh: m.ciHigh } : { ...t, mean: null, ciLow: null, ciHigh: null };
    }),
  };
}

/**
 * --pool-small: the stated groups under minCell as one "other" group when together they reach it.
 * Returns the new labels and members (pooled group last before "not stated") and the pooled names, or null.
 */
export function poolSmallGroups(labels: string[], members: number[][], notStated: number, minCell: number): { labels: string[]; members: number[][]; notStated: number; pooled: string[] } | null {
  const small = labels.map((_, k) => k).filter((k) => k !== notStated && members[k].length < minCell);
  const total = small.reduce((a, k) => a + members[k].length, 0);
  if (small.length < 2 || total < minCell) return null;
  const keep = labels.map((_, k) => k).filter((k) => !small.includes(k) && k !== notStated);
  const label = labels.includes(POOLED_GROUP) ? `${POOLED_GROUP} (pooled)` : POOLED_GROUP;
  const pooledMembers = small.flatMap((k) => members[k]).sort((a, b) => a - b);
  const outLabels = [...keep.map((k) => labels[k]), label, ...(notStated >= 0 ? [labels[notStated]] : [])];
  const outMembers = [...keep.map((k) => members[k]), pooledMembers, ...(notStated >= 0 ? [members[notStated]] : [])];
  return { labels: outLabels, members: outMembers, notStated: notStated >= 0 ? outLabels.length - 1 : -1, pooled: small.map((k) => labels[k]) };
}

export interface GroupOptions {
  /** Weighted rates and means (a sampling design). */
  weighted?: GroupEstimator;
  /** Pool small groups into "other" (--pool-small). */
  poolSmall?: boolean;
}

export function groupsSection(g: GroupColumn, y: Float64Array, traits: TraitColumn[], minCell: number, opts: GroupOptions = {}): { groups: GroupsResult; warnings: ReportWarning[] } {
  const stated = membersOf(g);
  const pool = opts.poolSmall ? poolSmallGroups(stated.labels, stated.members, stated.notStated, minCell) : null;
  const { labels, members, notStated } = pool ?? stated;
  const sizes = members.map((m) => m.length);
  const also = new Set(complementary(sizes, minCell, notStated));
  const small = sizes.filter((n) => n < minCell).length;
  const rows: GroupRow[] = labels.map((label, k) => {
    if (sizes[k] < minCell) return withheld(label, `<${minCell}`, traits);
    if (also.has(k)) return withheld(label, `>=${minCell}`, traits);
    const row = shownGroup(label, members[k], y, traits, minCell, opts.weighted);
    return pool && k === labels.length - 1 - (notStated >= 0 ? 1 : 0) ? { ...row, pooled: pool.pooled } : row;
  });
  const alsoWithheld = [...also].sort((a, b) => a - b).map((k) => labels[k]);
  const groups = { by: g.name, minCell, rows, suppressedGroups: small + also.size };
  const warnings: ReportWarning[] = small > 0 ? [{ code: 'small_cells', by: g.name, small, minCell, alsoWithheld }] : [];
  if (pool) warnings.push({ code: 'pooled_groups', by: g.name, groups: pool.pooled.length, minCell });
  else if (opts.poolSmall && small > 0) warnings.push({ code: 'pool_too_small', by: g.name, minCell });
  return { groups, warnings };
}
