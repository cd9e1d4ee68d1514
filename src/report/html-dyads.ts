/**
 * The --dyad part of report.html: the pairing, the two agreement tables, and per trait the response
 * surface as a heat map (inline SVG) of predicted outcome over the patient's score (across) and the
 * clinician's (up), with the line of agreement drawn, and its plain-word reading. html.ts passes its
 * escaping and layout helpers in (no import back into html.ts).
 */
import type { SurfaceResult } from './dyad-types.js';
import type { ReportResult } from './types.js';
import { fmtEstCi, fmtFixed, fmtInt, fmtPct } from './format.js';
import { agreementEffectText, capitalise, CONCORDANCE_INTRO, DYAD_HEADINGS, DYAD_TRAITS_INTRO, dyadClusterText, dyadPairing, dyadWithheldText, SURFACE_CAPTION, surfaceFailureText, surfaceIntro, surfaceSentence } from './facts.js';

type Cell = { t: string; num?: boolean };
export interface HtmlKit {
  esc: (s: string) => string;
  section: (title: string, body: string, id?: string) => string;
  table: (head: Cell[], rows: { cells: Cell[] }[]) => string;
}

/** Light to dark blue over 0..1. */
function colour(v: number): string {
  const a = [239, 243, 255];
  const b = [8, 69, 148];
  const t = Math.max(0, Math.min(1, v));
  return `rgb(${a.map((x, k) => Math.round(x + (b[k] - x) * t)).join(',')})`;
}

/** The heat map: cells coloured by predicted probability scaled over the map's own range, axes, line of agreement, legend. */
export function surfaceSvg(s: SurfaceResult, outcomeLabel: string, esc: (s: string) => string): string {
  const N = s.grid.length;
  const size = 300;
  const cell = size / N;
  const left = 60;
  const top = 16;
  const all = s.grid.flat();
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const scale = (p: number) => (hi > lo ? (p - lo) / (hi - lo) : 0.5);
  const rects = s.grid
    .flatMap((row, j) => row.map((p, i) => `<rect x="${(left + i * cell).toFixed(2)}" y="${(top + (N - 1 - j) * cell).toFixed(2)}" width="${(cell + 0.3).toFixed(2)}" height="${(cell + 0.3).toFixed(2)}" fill="${colour(scale(p))}"/>`))
    .join('');
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const v = fmtFixed(s.lo + f * (s.hi - s.lo), 1);
    const x = left + cell / 2 + f * (size - cell);
    const y = top + size - cell / 2 - f * (size - cell);
    return `<text x="${x.toFixed(1)}" y="${top + size + 14}" text-anchor="middle">${v}</text><text x="${left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end">${v}</text>`;
  });
  const legend = [0, 0.5, 1].map((f, k) => `<rect x="${left + size + 20}" y="${top + (2 - k) * 40}" width="16" height="40" fill="${colour(f)}"/><text x="${left + size + 40}" y="${top + (2 - k) * 40 + 24}">${fmtPct(100 * (lo + f * (hi - lo)), 0)}</text>`);
  const diag = `<line x1="${left + cell / 2}" y1="${top + size - cell / 2}" x2="${left + size - cell / 2}" y2="${top + cell / 2}" stroke="#d62728" stroke-width="2" stroke-dasharray="6 4"/>`;
  const label = esc(s.label.toLowerCase());
  return (
    `<svg class="surface" viewBox="0 0 ${left + size + 110} ${top + size + 44}" width="${left + size + 110}" height="${top + size + 44}" role="img" aria-label="${esc(SURFACE_CAPTION(s.label, outcomeLabel, s.observedRange))}" font-size="11">` +
    rects + diag + ticks.join('') + legend.join('') +
    `<text x="${left + size / 2}" y="${top + size + 34}" text-anchor="middle">patient's ${label} score →</text>` +
    `<text transform="translate(14 ${top + size / 2}) rotate(-90)" text-anchor="middle">clinician's ${label} score →</text>` +
    `<text x="${left + size + 20}" y="${top - 4}">${esc(outcomeLabel)}</text></svg>`
  );
}

export function dyadHtml(r: ReportResult, kit: HtmlKit): string {
  const d = r.dyads;
  if (!d) return '';
  const { esc, section, table } = kit;
  const out = r.outcome.label;
  const parts = [`<p>${esc(dyadPairing(d, r.counts.analysed))}</p>`, `<p>${esc(dyadClusterText(d))}</p>`];
  const withheld = dyadWithheldText(d);
  if (withheld) parts.push(`<p>${esc(withheld)}</p>`);
  if (d.traits.length > 0) {
    const head = ['Trait', 'Pairs', 'Patient mean', 'Clinician mean', 'r (95% CI)', 'ICC (95% CI)', 'Patient − clinician (limits)'].map((t, k) => ({ t, num: k > 0 && k < 4 }));
    const rows = d.traits.map((t) => ({ cells: [{ t: t.trait }, { t: fmtInt(t.nPairs), num: true }, { t: fmtFixed(t.patientMean, 2), num: true }, { t: fmtFixed(t.clinicianMean, 2), num: true }, { t: fmtEstCi(t.correlation, t.correlationCiLow, t.correlationCiHigh) }, { t: fmtEstCi(t.iccA1, t.iccCiLow, t.iccCiHigh) }, { t: `${fmtFixed(t.meanDifference, 2)} (${fmtFixed(t.loaLow, 2)} to ${fmtFixed(t.loaHigh, 2)})` }] }));
    parts.push(`<h3>${esc(DYAD_HEADINGS.traits)}</h3><p>${esc(DYAD_TRAITS_INTRO)}</p>`, table(head, rows));
  }
  if (d.concordance.length > 0) {
    const head = ['Item', 'Pairs', 'Same answer', 'Kappa (95% CI)', `${capitalise(out)}, agreeing vs not`].map((t, k) => ({ t, num: k === 1 || k === 2 }));
    const rows = d.concordance.map((c) => ({ cells: [{ t: c.label }, { t: fmtInt(c.nPairs), num: true }, { t: fmtPct(c.percentAgreement, 0), num: true }, { t: fmtEstCi(c.kappa, c.kappaCiLow, c.kappaCiHigh) }, { t: agreementEffectText(c, d.minCell) }] }));
    parts.push(`<h3>${esc(DYAD_HEADINGS.concordance)}</h3><p>${esc(CONCORDANCE_INTRO)}</p>`, table(head, rows));
  }
  if (d.surfaces.length > 0 || d.surfaceFailures.length > 0) {
    parts.push(`<h3>${esc(DYAD_HEADINGS.surface.replace('OUTCOME', out))}</h3><p>${esc(surfaceIntro(d, out))}</p>`);
    for (const s of d.surfaces)
      parts.push(`<figure class="surface">${surfaceSvg(s, out, esc)}<figcaption><strong>${esc(surfaceSentence(s, out))}</strong> ${esc(SURFACE_CAPTION(s.label, out, s.observedRange))}</figcaption></figure>`);
    for (const f of d.surfaceFailures) parts.push(`<p>${esc(surfaceFailureText(f, d.minCell))}</p>`);
  }
  return section(DYAD_HEADINGS.section, parts.join('\n'), 'dyads');
}
