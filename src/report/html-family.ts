/**
 * The HTML page's section of an ordinal or count outcome: the thresholds and the per-term
 * proportional-odds tests, or theta. Empty for a yes/no outcome. Sentences come from facts.ts; the
 * page's own section, table and escaping functions are passed in.
 */
import { familyOf, familySectionIntro, familySectionTitle, poVerdict, thresholdRows } from './facts.js';
import { fmtFixed, fmtP } from './format.js';
import type { ReportResult } from './types.js';

type Cell = { t: string; num?: boolean; cls?: string };
type Table = (head: Cell[], rows: { cells: Cell[]; cls?: string }[]) => string;

export function familyHtml(r: ReportResult, section: (title: string, body: string, id?: string) => string, table: Table, esc: (s: string) => string): string {
  const f = familyOf(r);
  if (!f || !r.model) return '';
  const intro = `<p>${esc(familySectionIntro(f))}</p>`;
  if (f.family.type === 'count') {
    const th = f.family.theta!;
    return section(familySectionTitle(f), intro + table([{ t: 'Theta', num: true }, { t: 'SE', num: true }], [{ cells: [{ t: fmtFixed(th.estimate, 3), num: true }, { t: fmtFixed(th.se, 3), num: true }] }]), 'family');
  }
  const thresholds = table(
    [{ t: 'Threshold' }, { t: 'Estimate', num: true }, { t: 'SE', num: true }],
    thresholdRows(f).map((t) => ({ cells: [{ t: t.term }, { t: fmtFixed(t.estimate, 3), num: true }, { t: fmtFixed(t.stdError, 3), num: true }] })),
  );
  const po = table(
    [{ t: 'Term' }, { t: 'LR χ²', num: true }, { t: 'df', num: true }, { t: 'p', num: true }, { t: 'Proportional odds' }],
    (f.family.poTests ?? []).map((t) => ({
      cls: t.p !== null && t.p < 0.05 ? 'flag' : undefined,
      cells: [{ t: t.term }, { t: fmtFixed(t.statistic, 2), num: true }, { t: String(t.df), num: true }, { t: fmtP(t.p), num: true }, { t: poVerdict(t.p) }],
    })),
  );
  return section(familySectionTitle(f), intro + thresholds + po, 'family');
}
