/**
 * The outcome rate (Wilson 95% CI) and trait means (t CIs) by --group-by group, with small-cell
 * suppression: groups under --min-cell show no statistics, and when exactly one group is that small
 * the smallest shown group is withheld too, so its size cannot be worked out from the total.
 */
import { meanCi } from '../../stats/mean-interval.js';
import { wilson } from '../../stats/proportion.js';
import type { GroupColumn, TraitColumn } from '../data.js';
import type { GroupRow, GroupsResult, ReportWarning } from '../types.js';

/** Row indices per level, plus a `(missing)` group when some rows have no level. */
function membersOf(g: GroupColumn): { labels: string[]; members: number[][] } {
  const members: number[][] = g.levels.map(() => []);
  const miss: number[] = [];
  for (let i = 0; i < g.codes.length; i++) {
    if (g.codes[i] >= 0) members[g.codes[i]].push(i);
    else miss.push(i);
  }
  const labels = [...g.levels];
  if (miss.length > 0) {
    labels.push('(missing)');
    members.push(miss);
  }
  return { labels, members };
}

/** A group whose statistics are not shown: n as `<minCell` (too small) or `>=minCell` (withheld). */
function withheld(label: string, nLabel: string, traits: TraitColumn[]): GroupRow {
  const none = { nOutcome: null, events: null, rate: null, rateCiLow: null, rateCiHigh: null };
  return { group: label, n: null, nLabel, suppressed: true, ...none, traits: traits.map((t) => ({ predictor: t.name, n: null, mean: null, ciLow: null, ciHigh: null })) };
}

function shownGroup(label: string, idx: number[], y: Float64Array, traits: TraitColumn[]): GroupRow {
  let no = 0;
  let ev = 0;
  for (const i of idx)
    if (y[i] === 0 || y[i] === 1) {
      no++;
      ev += y[i];
    }
  const w = wilson(ev, no);
  return {
    group: label,
    n: idx.length,
    nLabel: String(idx.length),
    suppressed: false,
    nOutcome: no,
    events: ev,
    rate: no > 0 ? ev / no : null,
    rateCiLow: w ? w.low : null,
    rateCiHigh: w ? w.high : null,
    traits: traits.map((t) => {
      const m = meanCi(Float64Array.from(idx, (i) => t.values[i]));
      return { predictor: t.name, n: m.n, mean: m.mean, ciLow: m.low, ciHigh: m.high };
    }),
  };
}

export function groupsSection(g: GroupColumn, y: Float64Array, traits: TraitColumn[], minCell: number): { groups: GroupsResult; warnings: ReportWarning[] } {
  const { labels, members } = membersOf(g);
  let small = 0;
  const rows: GroupRow[] = labels.map((label, k) => {
    if (members[k].length >= minCell) return shownGroup(label, members[k], y, traits);
    small++;
    return withheld(label, `<${minCell}`, traits);
  });
  // Complementary suppression: with exactly one small group, the total minus the groups shown would
  // give its size (and its events), so the smallest shown group is withheld too.
  let alsoWithheld: string | null = null;
  if (small === 1) {
    let k = -1;
    rows.forEach((row, j) => {
      if (!row.suppressed && (k < 0 || (row.n ?? 0) < (rows[k].n ?? 0))) k = j;
    });
    if (k >= 0) {
      alsoWithheld = rows[k].group;
      rows[k] = withheld(rows[k].group, `>=${minCell}`, traits);
    }
  }
  const groups = { by: g.name, minCell, rows, suppressedGroups: small + (alsoWithheld === null ? 0 : 1) };
  const warnings: ReportWarning[] = small > 0 ? [{ code: 'small_cells', by: g.name, small, minCell, alsoWithheld }] : [];
  return { groups, warnings };
}
