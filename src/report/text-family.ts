/**
 * The text report's section of an ordinal or count outcome: the thresholds and the per-term
 * proportional-odds tests, or theta. Empty for a yes/no outcome. Sentences come from facts.ts.
 */
import { familyOf, familySectionIntro, familySectionTitle, poVerdict, thresholdRows } from './facts.js';
import { fmtFixed, fmtP, textTable, wrap } from './format.js';
import type { ReportResult } from './types.js';

export function familyText(r: ReportResult, heading: (s: string) => string[]): string[] {
  const f = familyOf(r);
  if (!f || !r.model) return [];
  const L = [...heading(familySectionTitle(f)), ...wrap(familySectionIntro(f)), ''];
  if (f.family.type === 'count') {
    const th = f.family.theta!;
    return [...L, `  Theta ${fmtFixed(th.estimate, 3)} (SE ${fmtFixed(th.se, 3)})`];
  }
  const th = thresholdRows(f).map((t) => [t.term, fmtFixed(t.estimate, 3), fmtFixed(t.stdError, 3)]);
  L.push(...textTable(['Threshold', 'Estimate', 'SE'], th, ['l', 'r', 'r']), '');
  const po = (f.family.poTests ?? []).map((t) => [t.term, fmtFixed(t.statistic, 2), String(t.df), fmtP(t.p), poVerdict(t.p)]);
  L.push(...textTable(['Term', 'LR χ²', 'df', 'p', 'Proportional odds'], po, ['l', 'r', 'r', 'r', 'l']));
  return L;
}
