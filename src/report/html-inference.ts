/**
 * The HTML parts of issue 17's inference: the calibration plot (inline SVG: tenths of predicted risk
 * against the observed rate, with the optimism-corrected calibration line), the dominance bootstrap
 * table and "How the figures were obtained". html.ts passes its escaping and layout helpers in, so
 * that this module adds no second copy of them and no import cycle.
 */
import { fmtFixed, fmtInt } from './format.js';
import { plotFigure } from './html-style.js';
import { CALIBRATION, dominanceCi, methodSentences, rankFirst } from './facts.js';
import type { ReportResult } from './types.js';

export interface HtmlHelpers {
  esc: (s: string) => string;
  section: (title: string, body: string, id?: string) => string;
  table: (head: { t: string; num?: boolean }[], rows: { cells: { t: string; num?: boolean; cls?: string }[] }[]) => string;
}

const n2 = (x: number) => String(Math.round(x * 100) / 100);

/** The corrected calibration line p -> expit(a + b logit p), as an SVG path over the plot. */
function calibrationLine(r: ReportResult, sx: (v: number) => number, sy: (v: number) => number): string {
  const v = r.inference.validation;
  if (v.status !== 'ok') return '';
  const a = v.calibrationIntercept.corrected;
  const b = v.calibrationSlope.corrected;
  const pts: string[] = [];
  for (let k = 1; k < 100; k++) {
    const p = k / 100;
    const q = 1 / (1 + Math.exp(-(a + b * Math.log(p / (1 - p)))));
    pts.push(`${k === 1 ? 'M' : 'L'}${n2(sx(p))},${n2(sy(q))}`);
  }
  return `<path d="${pts.join('')}" fill="none" stroke="#0b6e99" stroke-width="1.5" stroke-dasharray="6 3"/>`;
}

/** Calibration plot: one circle per risk group (area by size), diagonal, corrected line. */
export function calibrationHtml(r: ReportResult, h: HtmlHelpers): string {
  const groups = r.inference.calibrationGroups;
  if (!r.model) return '';
  if (groups.length === 0) return h.section(CALIBRATION.title, `<p class="note">${h.esc(CALIBRATION.none)}</p>`, 'calibration');
  const S = 360;
  const m = 48;
  const sx = (v: number) => m + v * (S - m - 12);
  const top = 28; // room for the y axis's title, written level above the plot (fits a phone as it is)
  const sy = (v: number) => S - m - v * (S - m - top);
  const maxN = Math.max(...groups.map((g) => g.n));
  const parts = [`<rect x="${m}" y="${top}" width="${S - m - 12}" height="${S - m - top}" fill="#f0f4f8"/>`];
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<text x="${n2(sx(t))}" y="${S - m + 18}" font-size="11" text-anchor="middle">${t}</text>`);
    parts.push(`<text x="${m - 6}" y="${n2(sy(t) + 4)}" font-size="11" text-anchor="end">${t}</text>`);
  }
  parts.push(`<line x1="${sx(0)}" y1="${sy(0)}" x2="${sx(1)}" y2="${sy(1)}" stroke="#616e7c" stroke-dasharray="4 3"/>`);
  parts.push(calibrationLine(r, sx, sy));
  const curve = r.inference.calibrationCurve;
  if (curve.length > 1) parts.push(`<path d="${curve.map((c, i) => `${i ? 'L' : 'M'}${n2(sx(c.predicted))},${n2(sy(Math.min(1, Math.max(0, c.observed))))}`).join('')}" fill="none" stroke="#1f2933" stroke-width="2.5"/>`);
  for (const g of groups) parts.push(`<circle cx="${n2(sx(g.predicted))}" cy="${n2(sy(g.observed))}" r="${n2(3 + 6 * Math.sqrt(g.n / maxN))}" fill="#c2571a" fill-opacity="0.75"/>`);
  parts.push(`<text x="${n2(sx(0.5))}" y="${S - 8}" font-size="12" text-anchor="middle">${h.esc(CALIBRATION.axisX)}</text>`);
  parts.push(`<text x="4" y="14" font-size="12" text-anchor="start">${h.esc(CALIBRATION.axisY)} ↑</text>`);
  const svg = `<svg viewBox="0 0 ${S} ${S}" width="${S}" height="${S}" role="img" aria-label="${h.esc(CALIBRATION.title)}">${parts.join('')}</svg>`;
  const rows = groups.map((g) => ({ cells: [{ t: fmtInt(g.n), num: true }, { t: fmtFixed(g.predicted, 3), num: true }, { t: fmtFixed(g.observed, 3), num: true }] }));
  const tbl = h.table([{ t: 'Respondents', num: true }, { t: 'Mean predicted', num: true }, { t: 'Observed rate', num: true }], rows);
  // A 360-unit square reads on a phone as it is: the same drawing serves both layouts.
  return h.section(CALIBRATION.title, plotFigure(svg, svg, CALIBRATION.caption(r)) + tbl, 'calibration');
}

/** The dominance bootstrap table (weight, 95% CI, % of resamples first), when it was run. */
export function bootstrapTableHtml(r: ReportResult, h: HtmlHelpers): string {
  if (r.inference.bootstrap.status !== 'ok') return '';
  const ranked = r.predictorRows.filter((p) => p.rank !== null).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
  return h.table(
    [{ t: 'Trait' }, { t: 'Weight', num: true }, { t: 'Bootstrap 95% CI', num: true }, { t: 'First in', num: true }],
    ranked.map((p) => ({ cells: [{ t: p.predictor }, { t: fmtFixed(p.dominance, 4), num: true }, { t: dominanceCi(p), num: true }, { t: rankFirst(p), num: true }] })),
  );
}

export function methodsHtml(r: ReportResult, h: HtmlHelpers): string {
  return h.section('How the figures were obtained', `<ul>${methodSentences(r).map((s) => `<li>${h.esc(s)}</li>`).join('')}</ul>`, 'methods');
}
