/** The --dyad part of report.txt: the pairing, the two agreement tables and the surfaces' readings. */
import type { ReportResult } from './types.js';
import { fmtEstCi, fmtFixed, fmtInt, fmtPct, textTable, wrap } from './format.js';
import { agreementEffectText, CONCORDANCE_INTRO, DYAD_HEADINGS, DYAD_TRAITS_INTRO, dyadClusterText, dyadPairing, dyadWithheldText, surfaceFailureText, surfaceIntro, surfaceSentence } from './facts.js';

const WIDTH = 78;

function heading(s: string): string[] {
  return ['', s.toUpperCase(), '-'.repeat(Math.min(WIDTH, [...s].length))];
}

function bullets(lines: string[]): string[] {
  return lines.flatMap((s) => {
    const ws = wrap(s, WIDTH, '    ');
    ws[0] = '  - ' + ws[0].slice(4);
    return ws;
  });
}

export function dyadText(r: ReportResult): string[] {
  const d = r.dyads;
  if (!d) return [];
  const out = r.outcome.label;
  const L = [...heading(DYAD_HEADINGS.section), ...wrap(dyadPairing(d, r.counts.analysed)), '', ...wrap(dyadClusterText(d))];
  const withheld = dyadWithheldText(d);
  if (withheld) L.push('', ...wrap(withheld));
  if (d.traits.length > 0) {
    const rows = d.traits.map((t) => [t.trait, fmtInt(t.nPairs), fmtFixed(t.patientMean, 2), fmtFixed(t.clinicianMean, 2), fmtEstCi(t.correlation, t.correlationCiLow, t.correlationCiHigh), fmtEstCi(t.iccA1, t.iccCiLow, t.iccCiHigh), `${fmtFixed(t.meanDifference, 2)} (${fmtFixed(t.loaLow, 2)} to ${fmtFixed(t.loaHigh, 2)})`]);
    L.push(...heading(DYAD_HEADINGS.traits), ...wrap(DYAD_TRAITS_INTRO), '', ...textTable(['Trait', 'Pairs', 'Patient', 'Clinician', 'r (95% CI)', 'ICC (95% CI)', 'P − C (limits)'], rows, ['l', 'r', 'r', 'r', 'l', 'l', 'l']));
  }
  if (d.concordance.length > 0) {
    const rows = d.concordance.map((c) => [c.label, fmtInt(c.nPairs), fmtPct(c.percentAgreement, 0), fmtEstCi(c.kappa, c.kappaCiLow, c.kappaCiHigh)]);
    L.push(...heading(DYAD_HEADINGS.concordance), ...wrap(CONCORDANCE_INTRO), '', ...textTable(['Item', 'Pairs', 'Same', 'Kappa (95% CI)'], rows, ['l', 'r', 'r', 'l']), '');
    L.push(...bullets(d.concordance.map((c) => `${c.label}, agreeing vs not: ${agreementEffectText(c, d.minCell)}`)));
  }
  if (d.surfaces.length > 0 || d.surfaceFailures.length > 0) {
    L.push(...heading(DYAD_HEADINGS.surface.replace('OUTCOME', out)), ...wrap(surfaceIntro(d, out)), '');
    L.push(...bullets([...d.surfaces.map((s) => surfaceSentence(s, out)), ...d.surfaceFailures.map((f) => surfaceFailureText(f, d.minCell))]));
  }
  return L;
}
