/**
 * report.html: one self-contained page (inline CSS and SVG; no scripts, no network fonts or images)
 * with the same content as the text report plus pictures: a forest plot of the adjusted odds ratios,
 * a bar chart of dominance weights, trait distributions by outcome group and, with --group-by, a dot
 * plot of group outcome rates. Pure: result in, HTML out. Prints well (A4/Letter, no cut charts).
 */
import { cliniciansHtml } from './cluster-html.js';
import type { ReportResult, DescriptiveRow, GroupRow } from './types.js';
import { fmtEstCi, fmtFixed, fmtInt, fmtMeanSd, fmtOr, fmtOrCi, fmtP, fmtPct, fmtPEq, fmtRateCi, isEffect } from './format.js';
import { familyHtml } from './html-family.js';
import {
  analysedFacts,
  capitalise,
  cautionText,
  descriptivesHeads,
  distributionsTitle,
  dominanceIntro,
  FIGURE,
  fitFacts,
  flagText,
  GROUPS_NOTE,
  headline,
  inShort,
  reportTitle,
  termExplanations,
  whatThisMeans,
  modelErrorText,
  modelIntro,
  noRanking,
  rateHeading,
  rateLabel,
  ratioName,
  reliabilityNote,
  reliabilityIntro,
  termLabel,
  traitSentence,
  warningTexts,
} from './facts.js';
import { COLORS, CSS, esc, instrumentNote, n2, pageStart, plotFigure, table } from './html-style.js';
import { orAxis } from './text.js';
import { bootstrapTableHtml, calibrationHtml, methodsHtml, type HtmlHelpers } from './html-inference.js';
import { dyadHtml } from './html-dyads.js';

function section(title: string, body: string, id?: string): string {
  return `<section${id ? ` id="${id}"` : ''}><h2>${esc(title)}</h2>\n${body}\n</section>\n`;
}

/** Forest plot of non-intercept terms, log axis, CI whiskers, reference line at 1. */
function forestSvg(r: ReportResult, narrow: boolean): string {
  const terms = (r.model?.terms ?? []).filter(isEffect);
  if (terms.length === 0) return '';
  const axis = orAxis(terms.flatMap((t) => [t.ciLow, t.ciHigh, t.oddsRatio]));
  const W = narrow ? NARROW_W : 900;
  const plotL = narrow ? 18 : 250;
  const plotR = narrow ? W - 18 : W - 190;
  const rowH = narrow ? 44 : 26;
  const top = 14;
  const H = top + terms.length * rowH + 46;
  const llo = Math.log(axis.lo);
  const lhi = Math.log(axis.hi);
  const x = (v: number) => plotL + ((Math.log(Math.min(Math.max(v, axis.lo), axis.hi)) - llo) / (lhi - llo)) * (plotR - plotL);
  const parts: string[] = [];
  // The band and grid behind the intervals: one block beside the labels, or (phone) one strip per
  // term under its label line, so no line crosses a label.
  const strips: [number, number][] = narrow ? terms.map((_t, i) => [top + i * rowH + 19, 22]) : [[top - 6, terms.length * rowH + 6]];
  for (const [y, h] of strips) parts.push(`<rect x="${plotL}" y="${y}" width="${plotR - plotL}" height="${h}" fill="${COLORS.band}"/>`);
  for (const t of axis.ticks) {
    const line = `stroke="${t === 1 ? COLORS.ink : COLORS.grid}" stroke-width="${t === 1 ? 1.5 : 1}"${t === 1 ? ' stroke-dasharray="4 3"' : ''}`;
    for (const [y, h] of strips) parts.push(`<line x1="${n2(x(t))}" x2="${n2(x(t))}" y1="${y}" y2="${y + h}" ${line}/>`);
    parts.push(`<text x="${n2(x(t))}" y="${top + terms.length * rowH + 16}" font-size="12" text-anchor="middle">${esc(String(t))}</text>`);
  }
  const axisY = top + terms.length * rowH + 36;
  if (narrow) parts.push(...FIGURE.forestAxisEnds.map((s, k) => `<text x="${k ? plotR : plotL}" y="${axisY}" font-size="12.5" text-anchor="${k ? 'end' : 'start'}" fill="${COLORS.muted}">${esc(s)}</text>`));
  else parts.push(`<text x="${(plotL + plotR) / 2}" y="${axisY}" font-size="12.5" text-anchor="middle" fill="${COLORS.muted}">${esc(FIGURE.forestAxis(r))}</text>`);
  terms.forEach((t, i) => {
    const cy = top + i * rowH + (narrow ? 30 : rowH / 2);
    const isTrait = t.kind === 'trait';
    const col = isTrait ? COLORS.accent : COLORS.muted;
    const bold = isTrait ? ' font-weight="600"' : '';
    if (narrow) parts.push(`<text x="0" y="${cy - 14}" font-size="13"${bold}>${esc(termLabel(r, t))}</text>`);
    else parts.push(`<text x="${plotL - 10}" y="${cy + 4}" font-size="13" text-anchor="end"${bold}>${esc(termLabel(r, t))}</text>`);
    const a = x(t.ciLow);
    const b = x(t.ciHigh);
    parts.push(`<line x1="${n2(a)}" x2="${n2(b)}" y1="${cy}" y2="${cy}" stroke="${col}" stroke-width="2"/>`);
    if (t.ciLow >= axis.lo) parts.push(`<line x1="${n2(a)}" x2="${n2(a)}" y1="${cy - 5}" y2="${cy + 5}" stroke="${col}" stroke-width="2"/>`);
    else parts.push(`<path d="M${n2(a)},${cy} l7,-5 v10 z" fill="${col}"/>`);
    if (t.ciHigh <= axis.hi) parts.push(`<line x1="${n2(b)}" x2="${n2(b)}" y1="${cy - 5}" y2="${cy + 5}" stroke="${col}" stroke-width="2"/>`);
    else parts.push(`<path d="M${n2(b)},${cy} l-7,-5 v10 z" fill="${col}"/>`);
    const size = isTrait ? 6 : 4.5;
    parts.push(`<rect x="${n2(x(t.oddsRatio) - size)}" y="${n2(cy - size)}" width="${size * 2}" height="${size * 2}" fill="${col}"/>`);
    if (narrow) parts.push(`<text x="${W}" y="${cy - 14}" font-size="12.5" text-anchor="end">${esc(`${fmtOr(t.oddsRatio)} (${fmtOr(t.ciLow)}–${fmtOr(t.ciHigh)})`)}</text>`);
    else parts.push(`<text x="${plotR + 12}" y="${cy + 4}" font-size="12.5">${esc(fmtOrCi(t.oddsRatio, t.ciLow, t.ciHigh))}</text>`);
  });
  return svgTag(W, H, `Forest plot of adjusted ${ratioName(r)}s`, parts);
}

/** Width of the phone layout of every plot, in SVG units (about a phone's CSS pixels). */
const NARROW_W = 360;

function svgTag(W: number, H: number, label: string, parts: string[]): string {
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(label)}">${parts.join('')}</svg>`;
}

/** A plot drawn in both layouts (wide for desktop and print, narrow for phones). */
function bothLayouts(draw: (narrow: boolean) => string, caption: string): string {
  const wide = draw(false);
  return wide === '' ? '' : plotFigure(wide, draw(true), caption);
}

/** Horizontal bar chart of general dominance weights, largest first. */
function dominanceSvg(r: ReportResult, narrow: boolean): string {
  const rows = r.predictorRows.filter((p) => p.rank !== null && p.dominance !== null).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
  if (rows.length === 0) return '';
  const W = narrow ? NARROW_W : 900;
  const labelW = narrow ? 0 : 270;
  const rowH = narrow ? 40 : 28;
  const H = rows.length * rowH + (narrow ? 4 : 14);
  const max = Math.max(...rows.map((p) => p.dominance ?? 0), 1e-12);
  const plotW = narrow ? W : W - labelW - 160;
  const parts: string[] = [];
  rows.forEach((p, i) => {
    const y = 4 + i * rowH;
    const w = Math.max(1, ((p.dominance ?? 0) / max) * plotW);
    const label = `<tspan font-weight="600">${p.rank}.</tspan> ${esc(r.predictors.find((x) => x.name === p.predictor)?.label ?? p.predictor)}`;
    const value = `${esc(fmtFixed(p.dominance, 4))}${p.dominanceShare !== null ? ` (${Math.round(100 * p.dominanceShare)}%)` : ''}`;
    const fill = i === 0 ? COLORS.accent : '#5fa8c8';
    if (narrow) {
      parts.push(`<text x="0" y="${y + 10}" font-size="13">${label}</text>`, `<text x="${W}" y="${y + 10}" font-size="12.5" text-anchor="end">${value}</text>`);
      parts.push(`<rect x="0" y="${y + 16}" width="${n2(w)}" height="13" fill="${fill}" rx="2"/>`);
      return;
    }
    parts.push(`<text x="${labelW - 10}" y="${y + 18}" font-size="13" text-anchor="end">${label}</text>`);
    parts.push(`<rect x="${labelW}" y="${y + 4}" width="${n2(w)}" height="${rowH - 10}" fill="${fill}" rx="2"/>`);
    parts.push(`<text x="${n2(labelW + w + 8)}" y="${y + 18}" font-size="12.5">${value}</text>`);
  });
  return svgTag(W, H, 'Dominance weights', parts);
}

/** Box plots of each trait, with and without the outcome, on the scale's range. */
function distributionsSvg(r: ReportResult, narrow: boolean): string {
  const rows = r.descriptives.filter((d) => d.boxPositive || d.boxNegative);
  if (rows.length === 0) return '';
  const W = narrow ? NARROW_W : 900;
  const plotL = narrow ? 10 : 270;
  const plotR = W - (narrow ? 10 : 40);
  const rowH = narrow ? 66 : 54;
  const top = narrow ? 46 : 26;
  const H = top + rows.length * rowH + 30;
  const lo = Math.min(...rows.map((d) => r.predictors.find((p) => p.name === d.scale)?.lo ?? d.min ?? 0));
  const hi = Math.max(...rows.map((d) => r.predictors.find((p) => p.name === d.scale)?.hi ?? d.max ?? 1));
  const span = hi - lo || 1;
  const x = (v: number) => plotL + ((v - lo) / span) * (plotR - plotL);
  const parts: string[] = [];
  // legend
  const [withHead, withoutHead] = descriptivesHeads(r).map((h) => h[0].toLowerCase() + h.slice(1));
  parts.push(`<rect x="${plotL}" y="4" width="12" height="12" fill="${COLORS.pos}"/><text x="${plotL + 18}" y="14" font-size="12.5">${esc(withHead)}</text>`);
  // "without" beside "with <outcome>" (after a long label: further right), or under it on a phone
  const [wx, wy] = narrow ? [plotL, 22] : [plotL + Math.max(190, 40 + 7 * [...withHead].length), 4];
  parts.push(`<rect x="${wx}" y="${wy}" width="12" height="12" fill="${COLORS.neg}"/><text x="${wx + 18}" y="${wy + 10}" font-size="12.5">${esc(withoutHead)}</text>`);
  const ticks = niceTicks(lo, hi);
  for (const t of ticks) {
    parts.push(`<line x1="${n2(x(t))}" x2="${n2(x(t))}" y1="${top}" y2="${top + rows.length * rowH}" stroke="${COLORS.grid}"/>`);
    parts.push(`<text x="${n2(x(t))}" y="${top + rows.length * rowH + 16}" font-size="12" text-anchor="middle">${esc(String(t))}</text>`);
  }
  rows.forEach((d, i) => {
    const y0 = top + i * rowH;
    const label = r.predictors.find((p) => p.name === d.scale)?.label ?? d.scale;
    const dText = d.cohensD === null ? '' : `d = ${esc(fmtFixed(d.cohensD, 2))}, ${esc(fmtPEq(d.welchP))}`;
    if (narrow) {
      parts.push(`<text x="0" y="${y0 + 14}" font-size="13" font-weight="600">${esc(label)}</text>`);
      if (dText) parts.push(`<text x="${W}" y="${y0 + 14}" font-size="12" text-anchor="end" fill="${COLORS.muted}">${dText}</text>`);
    } else {
      parts.push(`<text x="${plotL - 10}" y="${y0 + 24}" font-size="13" text-anchor="end" font-weight="600">${esc(label)}</text>`);
      if (dText) parts.push(`<text x="${plotL - 10}" y="${y0 + 40}" font-size="11.5" text-anchor="end" fill="${COLORS.muted}">${dText}</text>`);
    }
    const box = (b: DescriptiveRow['boxPositive'], cy: number, col: string) => {
      if (!b) return;
      parts.push(`<line x1="${n2(x(b.min))}" x2="${n2(x(b.max))}" y1="${cy}" y2="${cy}" stroke="${col}" stroke-width="1.5"/>`);
      parts.push(`<rect x="${n2(x(b.q1))}" y="${cy - 7}" width="${n2(Math.max(1, x(b.q3) - x(b.q1)))}" height="14" fill="${col}" fill-opacity="0.22" stroke="${col}" stroke-width="1.5"/>`);
      parts.push(`<line x1="${n2(x(b.median))}" x2="${n2(x(b.median))}" y1="${cy - 7}" y2="${cy + 7}" stroke="${col}" stroke-width="3"/>`);
      parts.push(`<circle cx="${n2(x(b.mean))}" cy="${cy}" r="3.5" fill="#fff" stroke="${col}" stroke-width="1.5"/>`);
    };
    box(d.boxPositive, y0 + (narrow ? 29 : 15), COLORS.pos);
    box(d.boxNegative, y0 + (narrow ? 49 : 35), COLORS.neg);
  });
  return svgTag(W, H, 'Trait distributions by outcome group', parts);
}

function niceTicks(lo: number, hi: number): number[] {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / 6;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => span / s <= 8) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}

/** Dot plot of outcome rates by group with Wilson CIs; suppressed groups are listed without a dot. */
function groupsSvg(r: ReportResult, narrow: boolean): string {
  const g = r.groups;
  if (!g || g.rows.length === 0) return '';
  const W = narrow ? NARROW_W : 900;
  const plotL = narrow ? 18 : 230;
  const plotR = narrow ? W - 18 : W - 190;
  const rowH = narrow ? 44 : 26;
  const top = 10;
  const H = top + g.rows.length * rowH + 40;
  const x = (v: number) => plotL + v * (plotR - plotL);
  const parts: string[] = [];
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line x1="${n2(x(t))}" x2="${n2(x(t))}" y1="${top}" y2="${top + g.rows.length * rowH}" stroke="${COLORS.grid}"/>`);
    parts.push(`<text x="${n2(x(t))}" y="${top + g.rows.length * rowH + 16}" font-size="12" text-anchor="middle">${t * 100}%</text>`);
  }
  const overall = r.design?.outcome?.estimate ?? r.outcome.prevalence;
  if (overall !== null) {
    parts.push(`<line x1="${n2(x(overall))}" x2="${n2(x(overall))}" y1="${top}" y2="${top + g.rows.length * rowH}" stroke="${COLORS.ink}" stroke-dasharray="4 3"/>`);
  }
  parts.push(
    `<text x="${(plotL + plotR) / 2}" y="${top + g.rows.length * rowH + 34}" font-size="12.5" text-anchor="middle" fill="${COLORS.muted}">${esc(narrow ? FIGURE.groupsAxisShort : FIGURE.groupsAxis(r))}</text>`,
  );
  g.rows.forEach((row: GroupRow, i) => {
    const cy = top + i * rowH + (narrow ? 30 : rowH / 2);
    if (narrow) parts.push(`<text x="0" y="${cy - 14}" font-size="13" font-weight="600">${esc(row.group)}</text>`);
    else parts.push(`<text x="${plotL - 10}" y="${cy + 4}" font-size="13" text-anchor="end">${esc(row.group)}</text>`);
    if (row.suppressed || row.rate === null) {
      const note = row.suppressed ? `n ${row.nLabel}: suppressed` : FIGURE.rateWithheld(row.nLabel, g.minCell);
      parts.push(`<text x="${plotL + 8}" y="${cy + 4}" font-size="12.5" font-style="italic" fill="${COLORS.muted}">${esc(note)}</text>`);
      return;
    }
    parts.push(`<line x1="${n2(x(row.rateCiLow ?? row.rate))}" x2="${n2(x(row.rateCiHigh ?? row.rate))}" y1="${cy}" y2="${cy}" stroke="${COLORS.accent}" stroke-width="2"/>`);
    parts.push(`<circle cx="${n2(x(row.rate))}" cy="${cy}" r="5.5" fill="${COLORS.accent}"/>`);
    const value = `${esc(fmtPct(100 * row.rate))} of ${esc(fmtInt(row.nOutcome ?? 0))} answering`;
    parts.push(narrow ? `<text x="${W}" y="${cy - 14}" font-size="12.5" text-anchor="end">${value}</text>` : `<text x="${plotR + 12}" y="${cy + 4}" font-size="12.5">${value}</text>`);
  });
  return svgTag(W, H, 'Outcome rate by group', parts);
}

function dl(rows: [string, string][]): string {
  return `<dl class="facts">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;
}

function headerHtml(r: ReportResult): string[] {
  const { title, subtitle } = reportTitle(r);
  const instrument = instrumentNote(r.input.instrument);
  const out = [
    ...pageStart(`${title} · rapport report`, r.tool.version, CSS),
    `<header><h1>${esc(title)}</h1>${subtitle ? `<p class="subtitle">${esc(subtitle)}</p>` : ''}<p class="sub">${esc(r.input.file)}${instrument} · ${esc(fmtInt(r.counts.analysed))} respondents analysed · ${esc(fmtInt(r.sample.n))} in the model</p></header>`,
  ];
  const means = whatThisMeans(r);
  if (means) out.push(section('What this means', `<p class="lead">${esc(means)}</p>`, 'meaning'));
  if (r.model && inShort(r).length) out.push(`<div class="callout"><strong>In short</strong><ul class="in-short">${inShort(r).map((s) => `<li>${esc(s)}</li>`).join('')}</ul></div>`, termsHtml(r));
  else if (r.model) out.push(`<div class="callout"><strong>In short:</strong> ${esc(headline(r))}</div>`);
  else if (r.modelError) out.push(`<div class="callout warn"><strong>The model could not be fitted:</strong> ${esc(modelErrorText(r)!)}</div>`);
  return out;
}

/** The one-line explanations of the terms used from "In short" on. */
function termsHtml(r: ReportResult): string {
  return `<dl class="terms"><dt class="terms-title">Terms used</dt>${termExplanations(r).map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;
}

function modelHtml(r: ReportResult): string {
  if (!r.model) return section('Adjusted model', `<p class="flag">The model could not be fitted: ${esc(modelErrorText(r) ?? '')}</p>`);
  const holm = new Map(r.predictorRows.map((p) => [p.predictor, p.adjustedPHolm]));
  const tbl = table(
    [{ t: 'Term' }, { t: `${capitalise(ratioName(r))} (95% CI)` }, { t: 'p', num: true }, { t: 'Holm p', num: true }],
    r.model.terms
      .filter(isEffect)
      .map((t) => ({
        cells: [{ t: termLabel(r, t) }, { t: fmtOrCi(t.oddsRatio, t.ciLow, t.ciHigh), cls: 'nowrap' }, { t: fmtP(t.pValue), num: true }, { t: t.kind === 'trait' ? fmtP(holm.get(t.term) ?? null) : '', num: true }],
      })),
  );
  return section('Adjusted model', `<p>${esc(modelIntro(r, 'html'))}</p>` + bothLayouts((n) => forestSvg(r, n), FIGURE.forest(r)) + tbl, 'model') + familyHtml(r, section, table, esc);
}

function rankingHtml(r: ReportResult): string {
  const ranked = r.predictorRows.filter((p) => p.rank !== null).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
  const sentences = (ps: typeof ranked) => ps.map((p) => `<li>${esc(traitSentence(r, p))}</li>`).join('');
  if (ranked.length && r.dominance)
    return section('Which traits matter most', `<p>${esc(dominanceIntro(r, 'html'))}</p>` + bothLayouts((n) => dominanceSvg(r, n), FIGURE.dominance) + bootstrapTableHtml(r, HELPERS) + `<ol class="ranking">${sentences(ranked)}</ol>`, 'ranking');
  if (r.model) return section('Which traits matter most', `<p>${esc(noRanking(true, 'html'))}</p><ul>${sentences(r.predictorRows)}</ul>`);
  const tbl = table(
    [{ t: 'Trait' }, { t: 'n', num: true }, { t: `Unadjusted ${ratioName(r)} (95% CI)` }, { t: 'p', num: true }],
    r.predictorRows.map((p) => ({ cells: [{ t: p.predictor }, { t: fmtInt(p.unadjustedN), num: true }, { t: fmtOrCi(p.unadjustedOr, p.unadjustedCiLow, p.unadjustedCiHigh) }, { t: fmtP(p.unadjustedP), num: true }] })),
  );
  return section(`Unadjusted ${ratioName(r)}s`, `<p>${esc(noRanking(false, 'html'))}</p>${tbl}`);
}

function distributionsHtml(r: ReportResult): string {
  const [withHead, withoutHead] = descriptivesHeads(r);
  const tbl = table(
    [{ t: 'Trait' }, { t: `${withHead}: mean (SD)`, num: true }, { t: `${withoutHead}: mean (SD)`, num: true }, { t: 'Cohen’s d (95% CI)', num: true }, { t: 'p', num: true }, { t: 'AUC', num: true }],
    r.descriptives.map((d) => ({
      cells: [
        { t: d.label },
        { t: fmtMeanSd(d.meanPositive, d.sdPositive), num: true },
        { t: fmtMeanSd(d.meanNegative, d.sdNegative), num: true },
        { t: fmtEstCi(d.cohensD, d.cohensDCiLow, d.cohensDCiHigh, ' to '), num: true },
        { t: fmtP(d.welchP), num: true },
        { t: fmtFixed(d.auc, 2), num: true },
      ],
    })),
  );
  return section(distributionsTitle(r), bothLayouts((n) => distributionsSvg(r, n), FIGURE.distributions) + tbl, 'distributions');
}

function reliabilityHtml(r: ReportResult): string {
  if (!r.reliability) return section('Scale reliability', `<p class="note">${esc(reliabilityNote(r) ?? 'Not computed.')}</p>`);
  const tbl = table(
    [{ t: 'Scale' }, { t: 'Items', num: true }, { t: 'n', num: true }, { t: 'Alpha (95% CI)', num: true }, { t: 'Omega', num: true }, { t: 'Mean inter-item r', num: true }, { t: 'Flags' }],
    r.reliability.map((s) => ({
      cells: [
        { t: s.label },
        { t: String(s.nItems), num: true },
        { t: fmtInt(s.n), num: true },
        { t: fmtEstCi(s.alpha, s.alphaCiLow, s.alphaCiHigh), num: true },
        { t: fmtFixed(s.omegaTotal, 2), num: true },
        { t: fmtFixed(s.averageR, 2), num: true },
        { t: s.flags.length ? s.flags.map(flagText).join('; ') : s.note ?? 'ok', cls: s.flags.length ? 'flag' : 'ok' },
      ],
    })),
  );
  return section('Scale reliability', `<p>${esc(reliabilityIntro(r, 'html'))}</p>${tbl}`);
}

function groupsHtml(r: ReportResult): string {
  const g = r.groups!;
  const o = r.outcome;
  const tbl = table(
    [{ t: g.by }, { t: 'n', num: true }, { t: r.family ? `${rateLabel(r)} (95% CI)` : `${rateHeading(r)} of ${o.label} (95% CI)`, num: true }, ...r.predictors.map((p) => ({ t: p.name, num: true }))],
    g.rows.map((row) => ({
      cls: row.suppressed ? 'suppressed' : undefined,
      cells: row.suppressed
        ? [{ t: row.group }, { t: row.nLabel, num: true }, { t: 'suppressed', num: true }, ...r.predictors.map(() => ({ t: '', num: true }))]
        : [
            { t: row.group },
            { t: fmtInt(row.n ?? 0), num: true },
            { t: fmtRateCi(row.rate, row.rateCiLow, row.rateCiHigh), num: true },
            ...row.traits.map((t) => ({ t: fmtFixed(t.mean, 2), num: true })),
          ],
    })),
  );
  return section(`${capitalise(o.label)} by ${g.by}`, bothLayouts((n) => groupsSvg(r, n), FIGURE.groups(g.minCell)) + `${tbl}<p class="note">${esc(GROUPS_NOTE)}</p>`, 'groups');
}

const HELPERS: HtmlHelpers = { esc, section, table };

export function renderHtml(r: ReportResult): string {
  const out = headerHtml(r);
  if (r.clustering && r.model) out.push(cliniciansHtml(r, { esc, n2, section, table, colors: COLORS }));
  const facts = analysedFacts(r, 'html').map(([k, v]): [string, string] => [k, Array.isArray(v) ? v.join(' ') : v]);
  out.push(section('What was analysed', dl(facts)));
  out.push(modelHtml(r), rankingHtml(r));
  if (r.descriptives.length) out.push(distributionsHtml(r));
  out.push(reliabilityHtml(r));
  if (r.model) out.push(section('Model fit', dl(fitFacts(r, 'html'))), calibrationHtml(r, HELPERS));
  if (r.groups) out.push(groupsHtml(r));
  if (r.dyads) out.push(dyadHtml(r, { esc, section, table }));
  const warnings = warningTexts(r);
  out.push(section('Warnings', warnings.length ? `<ul class="warnings">${warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : '<p class="ok">None.</p>'));
  out.push(methodsHtml(r, HELPERS));
  out.push(section('Read with care', `<p>${esc(cautionText(r))}</p>`));
  out.push(`<footer>${esc(FIGURE.footer(r))}</footer>`);
  out.push('</main></body></html>\n');
  return out.join('\n');
}

/** The page's building blocks, shared with the pilot report's page (pilot-html.ts). */
export const htmlParts = { esc, section, table, dl, css: CSS };
