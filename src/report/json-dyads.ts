/** summary.json's `dyads` key: the --dyad result with its sentences (the heat-map lattice stays in the HTML). */
import { dyadClusterText, dyadPairing, surfaceSentence } from './facts.js';
import type { ReportResult } from './types.js';

export function dyadSummary(r: ReportResult): Record<string, unknown> {
  const d = r.dyads!;
  return {
    ...d,
    pairing: dyadPairing(d, r.counts.analysed),
    standardErrors: dyadClusterText(d),
    surfaces: d.surfaces.map(({ grid: _grid, ...s }) => ({ ...s, sentence: surfaceSentence(s as typeof d.surfaces[number], r.outcome.label) })),
  };
}
