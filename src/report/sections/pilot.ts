/**
 * The pilot (item-analysis) report: per scale Cronbach's alpha (Feldt CI) and McDonald's omega total
 * (src/stats/reliability.ts, checked against psych::alpha and psych::omega(nfactors = 1)), the score's
 * floor and ceiling (src/stats/descriptives.ts), correlations between scale scores
 * (src/stats/correlation.ts), and per item the frequencies, statistics and flags of items.ts. Pure: no I/O.
 */
import { describe, pearsonCorrelation, reliability as reliabilityOf } from '../../stats/index.js';
import { VERSION } from '../../version.js';
import type { PilotData } from '../pilot-load.js';
import type { PilotResult, PilotScale, PilotWarning, ScaleCorrelation, ScaleFlag } from '../pilot-types.js';
import type { Reliability } from '../../stats/reliability.js';
import { itemRow } from './items.js';
import { nn } from './util.js';

/** Two scales whose scores correlate this much (or more) may measure one thing: both are flagged `overlap`. */
export const OVERLAP_R = 0.85;

const REL_FLAG = { 'alpha-low': 'low_alpha', 'alpha-high': 'high_alpha' } as const;

/** A percent of n withheld when it stands for 1 to minCell - 1 respondents. */
function safePct(pct: number | null, n: number, minCell: number): number | null {
  if (pct === null) return null;
  const count = Math.round((pct * n) / 100);
  return count > 0 && count < minCell ? null : pct;
}

function scaleRow(s: PilotData['scales'][number], minCell: number): { row: PilotScale; rel: Reliability | null } {
  const rel = reliabilityOf(s.keyed, { itemNames: s.items.map(String) });
  const d = describe(s.scores, { floor: s.lo, ceiling: s.hi });
  const flags: ScaleFlag[] = [];
  if (rel.ok) for (const f of rel.flags) if (f.code !== 'negative-item-total' && !flags.includes(REL_FLAG[f.code])) flags.push(REL_FLAG[f.code]);
  if (d.ok) for (const f of d.flags) flags.push(f.code);
  const row: PilotScale = {
    scale: s.id,
    label: s.label,
    nItems: s.items.length,
    nComplete: rel.nComplete,
    alpha: rel.ok ? nn(rel.alpha) : null,
    alphaCiLow: rel.ok ? nn(rel.alphaLower) : null,
    alphaCiHigh: rel.ok ? nn(rel.alphaUpper) : null,
    omegaTotal: rel.ok ? nn(rel.omegaTotal) : null,
    averageR: rel.ok ? nn(rel.averageR) : null,
    nScored: d.n,
    mean: d.ok ? d.mean : null,
    sd: d.ok ? d.sd : null,
    lo: s.lo,
    hi: s.hi,
    pctFloor: d.ok ? safePct(d.pctFloor, d.n, minCell) : null,
    pctCeiling: d.ok ? safePct(d.pctCeiling, d.n, minCell) : null,
    flags,
    note: rel.ok ? null : rel.reason,
  };
  return { row, rel: rel.ok ? rel : null };
}

/** Pearson r of every pair of scale scores (pairwise complete); withheld below minCell pairs. */
function scaleCorrelations(data: PilotData, minCell: number): ScaleCorrelation[] {
  const out: ScaleCorrelation[] = [];
  const S = data.scales;
  for (let a = 0; a < S.length; a++)
    for (let b = a + 1; b < S.length; b++) {
      const c = pearsonCorrelation(S[a].scores, S[b].scores);
      const shown = c.ok && c.n >= minCell;
      out.push({ a: S[a].id, b: S[b].id, n: c.n, r: shown ? c.r : null, ciLow: shown ? c.ciLow : null, ciHigh: shown ? c.ciHigh : null });
    }
  return out;
}

export function analyzePilot(data: PilotData, minCell: number): PilotResult {
  const scaleRows = data.scales.map((s) => scaleRow(s, minCell));
  const correlations = scaleCorrelations(data, minCell);
  for (const c of correlations)
    if (c.r !== null && c.r >= OVERLAP_R)
      for (const id of [c.a, c.b]) {
        const row = scaleRows.find((x) => x.row.scale === id)!.row;
        if (!row.flags.includes('overlap')) row.flags.push('overlap');
      }
  const items = data.items.map((d) => {
    const k = d.scale;
    const r = k >= 0 ? { rel: scaleRows[k].rel, position: data.scales[k].items.indexOf(d.index) } : null;
    return itemRow(d, k >= 0 ? data.scales[k].id : null, r, data.n, minCell);
  });
  const withheld = items.reduce((a, it) => a + it.frequencies.filter((f) => f.n === null).length, 0);
  const warnings: PilotWarning[] = [...data.warnings];
  if (withheld > 0) warnings.push({ code: 'small_cells', minCell, withheld });
  return {
    kind: 'pilot',
    tool: { name: 'rapport', version: VERSION },
    input: { file: data.file, format: data.format, instrument: data.instrument, join: null },
    counts: data.counts,
    minCell,
    scales: scaleRows.map((x) => x.row),
    items,
    correlations,
    warnings,
  };
}
