/**
 * Scale reliability: Cronbach's alpha, omega and item statistics per scale from the keyed item
 * answers, with the flags and warning codes (low or high alpha, negative item-total r, and the
 * floor/ceiling flags of the scale's score distribution).
 */
import { pairwiseAlpha, reliability as reliabilityOf, type DescribeResult } from '../../stats/index.js';
import type { ScaleItems } from '../data.js';
import type { ReliabilityMethod, ReliabilityRow, ReportWarning } from '../types.js';
import { nn } from './util.js';

const FLAG_CODE = { 'alpha-low': 'low_alpha', 'alpha-high': 'high_alpha', 'negative-item-total': 'negative_item' } as const;

function missingPct(values: Float64Array): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) m++;
  return values.length ? (100 * m) / values.length : 0;
}

/** One scale's row and its warnings; `desc` is the descriptives of the scale's score. */
function scaleReliability(s: ScaleItems, desc: DescribeResult | undefined): { row: ReliabilityRow; warnings: ReportWarning[] } {
  const rel = reliabilityOf(
    s.items.map((i) => i.values),
    { itemNames: s.items.map((i) => i.id) },
  );
  const missing = s.items.map((it) => missingPct(it.values));
  const flags: string[] = [];
  const warnings: ReportWarning[] = [];
  if (!rel.ok) {
    const items = s.items.map((it, j) => ({ item: it.id, rDrop: null, alphaIfDeleted: null, mean: null, sd: null, missingPct: missing[j] }));
    const empty = { alpha: null, alphaCiLow: null, alphaCiHigh: null, stdAlpha: null, omegaTotal: null, averageR: null };
    return { row: { scale: s.scale, label: s.label, nItems: s.items.length, n: rel.nComplete, alphaMethod: 'listwise', ...empty, flags, items, note: rel.reason }, warnings };
  }
  for (const f of rel.flags) {
    const code = FLAG_CODE[f.code];
    if (!flags.includes(code)) flags.push(code);
    if (code === 'negative_item') warnings.push({ code, label: s.label, item: f.item!, r: f.value });
    else warnings.push({ code, label: s.label, alpha: f.value, threshold: f.threshold });
  }
  if (desc && desc.ok)
    for (const f of desc.flags) {
      flags.push(f.code);
      warnings.push({ code: f.code, label: s.label, pct: f.value, bound: f.bound, threshold: f.threshold });
    }
  const row: ReliabilityRow = {
    scale: s.scale,
    label: s.label,
    nItems: rel.k,
    n: rel.nComplete,
    alphaMethod: 'listwise',
    alpha: rel.alpha,
    alphaCiLow: rel.alphaLower,
    alphaCiHigh: rel.alphaUpper,
    stdAlpha: rel.standardizedAlpha,
    omegaTotal: rel.omegaTotal,
    averageR: rel.averageR,
    flags,
    items: rel.items.map((it, j) => ({ item: it.name, rDrop: nn(it.rDrop), alphaIfDeleted: nn(it.alphaIfDeleted), mean: nn(it.mean), sd: nn(it.sd), missingPct: missing[j] })),
    note: null,
  };
  return { row, warnings };
}

/**
 * psych's pairwise alpha in place of the listwise one (--reliability pairwise): alpha, standardised
 * alpha and the mean inter-item r from pairwise-complete covariances; n is the fewest respondents
 * behind any pair; the Feldt CI (which assumes one complete sample) is not given; omega and the item
 * statistics stay listwise.
 */
function pairwiseRow(row: ReliabilityRow, s: ScaleItems): ReliabilityRow {
  const pw = pairwiseAlpha(s.items.map((i) => i.values));
  if (!pw.ok) return { ...row, alphaMethod: 'pairwise', alpha: null, alphaCiLow: null, alphaCiHigh: null, stdAlpha: null, averageR: null, note: row.note ?? pw.reason };
  return { ...row, alphaMethod: 'pairwise', n: pw.minPairN, alpha: pw.alpha, alphaCiLow: null, alphaCiHigh: null, stdAlpha: pw.standardizedAlpha, averageR: pw.averageR };
}

/** Every scale's reliability (null without item answers) and the warnings, scale by scale. */
export function reliabilitySection(scales: ScaleItems[] | null, descByScale: Map<string, DescribeResult>, method: ReliabilityMethod = 'listwise'): { rows: ReliabilityRow[] | null; warnings: ReportWarning[] } {
  if (!scales) return { rows: null, warnings: [] };
  const warnings: ReportWarning[] = [];
  const rows = scales.map((s) => {
    const r = scaleReliability(s, descByScale.get(s.scale));
    warnings.push(...r.warnings);
    return method === 'pairwise' ? pairwiseRow(r.row, s) : r.row;
  });
  return { rows, warnings };
}
