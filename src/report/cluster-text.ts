/**
 * The "Clinicians" section of report.txt (--cluster): how much clinicians differ, an ASCII
 * caterpillar plot of the case-mix adjusted outcome rates, the clinicians rated better or worse,
 * the within/between split, and the reliability of clinician scores. Layout only (cluster-facts.ts).
 */
import { OUTCOME_MEASURE, type ClusterMeasure } from './cluster-types.js';
import { caterpillarCaption, clinicianSpread, clusterReliabilityIntro, comparisonNote, namedClinicians, RATING_TEXT, withinBetweenSentence } from './cluster-facts.js';
import { fmtEstCi, fmtFixed, fmtInt, fmtPct, padEnd, textTable, wrap } from './format.js';
import type { ReportResult } from './types.js';

/** Shown clinicians with an adjusted outcome rate, highest first. */
export function rankedOutcome(r: ReportResult): { cluster: string; m: ClusterMeasure }[] {
  const rows = r.clustering!.comparison.rows.flatMap((row) => {
    const m = row.measures.find((x) => x.measure === OUTCOME_MEASURE)?.value;
    return m && m.adjusted !== null ? [{ cluster: row.cluster, m }] : [];
  });
  return rows.sort((a, b) => b.m.adjusted! - a.m.adjusted! || (a.cluster < b.cluster ? -1 : 1));
}

/** Axis limits of the caterpillar: the CIs' range widened to tenths, within 0–100% (a linear CI may pass 0; its bar is cut there). */
export function caterpillarAxis(ranked: { m: ClusterMeasure }[]): { lo: number; hi: number } {
  const lo = Math.min(...ranked.map((x) => x.m.ciLow!));
  const hi = Math.max(...ranked.map((x) => x.m.ciHigh!));
  const l = Math.max(0, Math.floor(lo * 10) / 10);
  return { lo: l, hi: Math.min(1, Math.max(Math.ceil(hi * 10) / 10, l + 0.1)) };
}

function asciiCaterpillar(r: ReportResult, width = 40): string[] {
  const ranked = rankedOutcome(r);
  if (ranked.length === 0) return [];
  const { lo, hi } = caterpillarAxis(ranked);
  const pos = (v: number) => Math.round(((Math.min(Math.max(v, lo), hi) - lo) / (hi - lo)) * (width - 1));
  const ref = r.clustering!.comparison.reference.find((x) => x.measure === OUTCOME_MEASURE)?.value ?? null;
  const lw = Math.max(...ranked.map((x) => [...x.cluster].length), 6) + 2;
  const out = ['  ' + ' '.repeat(lw) + padEnd(fmtPct(100 * lo, 0), width - 4) + fmtPct(100 * hi, 0)];
  for (const { cluster, m } of ranked) {
    const line = new Array<string>(width).fill(' ');
    if (ref !== null) line[pos(ref)] = '┊';
    for (let k = pos(m.ciLow!); k <= pos(m.ciHigh!); k++) line[k] = '─';
    line[pos(m.ciLow!)] = '├';
    line[pos(m.ciHigh!)] = '┤';
    line[pos(m.adjusted!)] = m.rating === 'too-few' ? '○' : '●';
    out.push('  ' + padEnd(cluster, lw) + line.join('') + `  ${fmtPct(100 * m.adjusted!)}  ${RATING_TEXT[m.rating!]}`);
  }
  return out;
}

function reliabilityTable(r: ReportResult): string[] {
  const rows = r.clustering!.reliability.map((x) => [
    x.label,
    fmtEstCi(x.icc, x.iccCiLow, x.iccCiHigh),
    x.reliabilityAtMedian === null ? '–' : `${fmtFixed(x.reliabilityAtMedian, 2)} (n = ${fmtFixed(x.medianClusterSize, x.medianClusterSize! % 1 ? 1 : 0)})`,
    x.nFor070 === null ? '–' : fmtInt(x.nFor070),
    x.nFor080 === null ? '–' : fmtInt(x.nFor080),
  ]);
  return textTable(['Scale', 'ICC (95% CI)', 'Reliability of a mean', 'n for 0.70', 'n for 0.80'], rows, ['l', 'r', 'r', 'r', 'r']);
}

/** The section's lines (below its heading). */
export function clinicianLines(r: ReportResult, width: number): string[] {
  const c = r.clustering!;
  const L: string[] = [];
  for (const s of clinicianSpread(r)) L.push(...wrap(s, width));
  const plot = asciiCaterpillar(r);
  if (plot.length) L.push('', ...wrap(caterpillarCaption(r), width), '', ...plot);
  L.push('');
  for (const s of namedClinicians(r)) L.push(...wrap(s, width));
  L.push(...wrap(comparisonNote(r), width));
  if (c.withinBetween) {
    L.push('');
    for (const w of c.withinBetween) L.push(...wrap(withinBetweenSentence(r, w), width));
  }
  L.push('', ...wrap(clusterReliabilityIntro(), width), '', ...reliabilityTable(r));
  return L;
}
