/**
 * The "Clinicians" section of report.html (--cluster), right after "In short": how much clinicians
 * differ, a caterpillar plot (inline SVG) of the case-mix adjusted outcome rates per clinician with
 * 95% CIs, ranked, reliability marked (filled: rated; open: too few to rate), the clinicians rated
 * better or worse named, the within/between split and the reliability of clinician scores. html.ts
 * passes its page helpers in (so this module does not import html.ts, which imports it).
 */
import { OUTCOME_MEASURE } from './cluster-types.js';
import { caterpillarCaption, clinicianSpread, clusterReliabilityIntro, comparisonNote, namedClinicians, RATING_TEXT, withinBetweenSentence } from './cluster-facts.js';
import { caterpillarAxis, rankedOutcome } from './cluster-text.js';
import { fmtEstCi, fmtFixed, fmtInt, fmtPct } from './format.js';
import type { ReportResult } from './types.js';

type Cell = { t: string; num?: boolean; cls?: string };

export interface HtmlKit {
  esc: (s: string) => string;
  n2: (x: number) => string;
  section: (title: string, body: string, id?: string) => string;
  table: (head: { t: string; num?: boolean }[], rows: { cells: Cell[]; cls?: string }[]) => string;
  colors: { ink: string; muted: string; grid: string; accent: string; pos: string; neg: string };
}

function caterpillarSvg(r: ReportResult, k: HtmlKit): string {
  const ranked = rankedOutcome(r);
  if (ranked.length === 0) return '';
  const { lo, hi } = caterpillarAxis(ranked);
  const W = 900;
  const plotL = 110;
  const plotR = W - 245;
  const rowH = 18;
  const top = 10;
  const bottom = top + ranked.length * rowH;
  const H = bottom + 40;
  const x = (v: number) => plotL + ((Math.min(Math.max(v, lo), hi) - lo) / (hi - lo)) * (plotR - plotL);
  const C = k.colors;
  const parts: string[] = [];
  const steps = Math.round((hi - lo) / 0.1);
  const every = steps > 8 ? 2 : 1;
  for (let s = 0; s <= steps; s += every) {
    const t = lo + s * 0.1;
    parts.push(`<line x1="${k.n2(x(t))}" x2="${k.n2(x(t))}" y1="${top}" y2="${bottom}" stroke="${C.grid}"/>`);
    parts.push(`<text x="${k.n2(x(t))}" y="${bottom + 16}" font-size="12" text-anchor="middle">${k.esc(fmtPct(100 * t, 0))}</text>`);
  }
  const ref = r.clustering!.comparison.reference.find((m) => m.measure === OUTCOME_MEASURE)?.value ?? null;
  if (ref !== null) parts.push(`<line x1="${k.n2(x(ref))}" x2="${k.n2(x(ref))}" y1="${top}" y2="${bottom}" stroke="${C.ink}" stroke-dasharray="4 3"/>`);
  parts.push(`<text x="${(plotL + plotR) / 2}" y="${bottom + 34}" font-size="12.5" text-anchor="middle" fill="${C.muted}">${k.esc(`Case-mix adjusted rate of ${r.outcome.label} (95% CI)`)}</text>`);
  ranked.forEach(({ cluster, m }, i) => {
    const cy = top + i * rowH + rowH / 2;
    const col = m.rating === 'better' ? C.pos : m.rating === 'worse' ? C.neg : C.muted;
    parts.push(`<text x="${plotL - 10}" y="${cy + 4}" font-size="12" text-anchor="end">${k.esc(cluster)}</text>`);
    parts.push(`<line x1="${k.n2(x(m.ciLow!))}" x2="${k.n2(x(m.ciHigh!))}" y1="${cy}" y2="${cy}" stroke="${col}" stroke-width="2"/>`);
    const fill = m.rating === 'too-few' ? 'white' : col;
    parts.push(`<circle cx="${k.n2(x(m.adjusted!))}" cy="${cy}" r="4.5" fill="${fill}" stroke="${col}" stroke-width="1.5"/>`);
    parts.push(`<text x="${plotR + 12}" y="${cy + 4}" font-size="12"${m.rating === 'better' || m.rating === 'worse' ? ' font-weight="bold"' : ''}>${k.esc(`${fmtPct(100 * m.adjusted!)} · ${RATING_TEXT[m.rating!]} · rel. ${fmtFixed(m.reliability, 2)}`)}</text>`);
  });
  return `<figure><svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Case-mix adjusted rate by clinician">${parts.join('')}</svg><figcaption>${k.esc(caterpillarCaption(r))}</figcaption></figure>`;
}

function reliabilityTableHtml(r: ReportResult, k: HtmlKit): string {
  return k.table(
    [{ t: 'Scale' }, { t: 'ICC (95% CI)', num: true }, { t: 'Reliability of a clinician mean (median n)', num: true }, { t: 'n for 0.70', num: true }, { t: 'n for 0.80', num: true }],
    r.clustering!.reliability.map((x) => ({
      cells: [
        { t: x.label },
        { t: fmtEstCi(x.icc, x.iccCiLow, x.iccCiHigh), num: true },
        { t: x.reliabilityAtMedian === null ? '–' : `${fmtFixed(x.reliabilityAtMedian, 2)} (${fmtFixed(x.medianClusterSize, x.medianClusterSize! % 1 ? 1 : 0)})`, num: true },
        { t: x.nFor070 === null ? '–' : fmtInt(x.nFor070), num: true },
        { t: x.nFor080 === null ? '–' : fmtInt(x.nFor080), num: true },
      ],
    })),
  );
}

export function cliniciansHtml(r: ReportResult, k: HtmlKit): string {
  const c = r.clustering!;
  const p = (s: string) => `<p>${k.esc(s)}</p>`;
  const body = [
    ...clinicianSpread(r).map(p),
    caterpillarSvg(r, k),
    `<ul>${namedClinicians(r).map((s) => `<li>${k.esc(s)}</li>`).join('')}</ul>`,
    `<p class="note">${k.esc(comparisonNote(r))}</p>`,
    ...(c.withinBetween ? [`<ul>${c.withinBetween.map((w) => `<li>${k.esc(withinBetweenSentence(r, w))}</li>`).join('')}</ul>`] : []),
    p(clusterReliabilityIntro()),
    reliabilityTableHtml(r, k),
  ];
  return k.section('Clinicians', body.join('\n'), 'clinicians');
}
