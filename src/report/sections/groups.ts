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
 *   is withheld (null, with its n).
 */
import { meanCi } from '../../stats/mean-interval.js';
import { wilson } from '../../stats/proportion.js';
import type { GroupColumn, TraitColumn } from '../data.js';
import { NOT_STATED } from '../facts.js';
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
function shownGroup(label: string, idx: number[], y: Float64Array, traits: TraitColumn[], minCell: number): GroupRow {
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

export function groupsSection(g: GroupColumn, y: Float64Array, traits: TraitColumn[], minCell: number): { groups: GroupsResult; warnings: ReportWarning[] } {
  const { labels, members, notStated } = membersOf(g);
  const sizes = members.map((m) => m.length);
  const also = new Set(complementary(sizes, minCell, notStated));
  const small = sizes.filter((n) => n < minCell).length;
  const rows: GroupRow[] = labels.map((label, k) => {
    if (sizes[k] < minCell) return withheld(label, `<${minCell}`, traits);
    if (also.has(k)) return withheld(label, `>=${minCell}`, traits);
    return shownGroup(label, members[k], y, traits, minCell);
  });
  const alsoWithheld = [...also].sort((a, b) => a - b).map((k) => labels[k]);
  const groups = { by: g.name, minCell, rows, suppressedGroups: small + also.size };
  const warnings: ReportWarning[] = small > 0 ? [{ code: 'small_cells', by: g.name, small, minCell, alsoWithheld }] : [];
  return { groups, warnings };
}
