/**
 * The report page's shared look: the one stylesheet (screen, phone and print rules), the colours,
 * HTML escaping and the table helper. Every section and plot of report.html uses these, so a new
 * section inherits the responsive and print rules by calling `table()` (which wraps the table in its
 * own horizontally scrolling box) and by putting its SVG in a `<figure>`.
 */

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Numbers in SVG attributes: two decimals, no float noise. */
export function n2(x: number): string {
  return String(Math.round(x * 100) / 100);
}

export const COLORS = { ink: '#1f2933', muted: '#616e7c', grid: '#d9e2ec', accent: '#0b6e99', pos: '#0b6e99', neg: '#c2571a', warn: '#b44d12', band: '#f0f4f8' };

export const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: ${COLORS.ink}; background: #fff; margin: 0; line-height: 1.45; font-size: 15px; }
main { max-width: 980px; margin: 0 auto; padding: 28px 32px 48px; }
header { border-bottom: 3px solid ${COLORS.accent}; padding-bottom: 12px; margin-bottom: 8px; }
h1 { font-size: 26px; margin: 0 0 4px; font-weight: 650; }
h2 { font-size: 19px; margin: 30px 0 8px; padding-bottom: 4px; border-bottom: 1px solid ${COLORS.grid}; font-weight: 620; }
h1, h2, p, li, dd, dt, figcaption, footer { overflow-wrap: break-word; }
.subtitle { font-size: 17px; margin: 0 0 4px; }
.sub { color: ${COLORS.muted}; margin: 0; overflow-wrap: anywhere; }
p { margin: 6px 0 10px; }
p.lead { font-size: 16.5px; }
.note { color: ${COLORS.muted}; font-size: 13.5px; }
/* A table wider than its box scrolls inside it; shadows at the edges say there is more (they scroll away with the content). */
.table-scroll, .scroll { overflow-x: auto; max-width: 100%; margin: 8px 0 12px;
  background: linear-gradient(to right, #fff 30%, rgba(255,255,255,0)), linear-gradient(to left, #fff 30%, rgba(255,255,255,0)) 100% 0,
    radial-gradient(farthest-side at 0 50%, rgba(0,0,0,.18), rgba(0,0,0,0)), radial-gradient(farthest-side at 100% 50%, rgba(0,0,0,.18), rgba(0,0,0,0)) 100% 0;
  background-repeat: no-repeat; background-size: 40px 100%, 40px 100%, 14px 100%, 14px 100%; background-attachment: local, local, scroll, scroll; }
table { border-collapse: collapse; width: 100%; margin: 0; font-size: 14px; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 8px; text-align: left; vertical-align: top; border-bottom: 1px solid ${COLORS.grid}; }
th { font-weight: 600; background: ${COLORS.band}; }
td.num, th.num { text-align: right; }
td.num { white-space: nowrap; }
td.nowrap { white-space: nowrap; }
tr.suppressed td { color: ${COLORS.muted}; font-style: italic; }
dl.facts { display: grid; grid-template-columns: 200px minmax(0, 1fr); gap: 4px 16px; margin: 8px 0; }
dl.facts dt { font-weight: 600; color: ${COLORS.muted}; }
dl.facts dd { margin: 0; }
dl.terms { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 12px; margin: 6px 0 14px; font-size: 13.5px; color: ${COLORS.muted}; }
dl.terms dt { font-weight: 600; }
dl.terms dt.terms-title { grid-column: 1 / -1; color: ${COLORS.ink}; }
dl.terms dd { margin: 0; }
.flag { color: ${COLORS.warn}; font-weight: 600; }
.ok { color: #2f7d32; }
ol.ranking li { margin: 6px 0; }
ul.warnings li { margin: 4px 0; }
ul.in-short { margin: 6px 0 2px; padding-left: 20px; }
ul.in-short li { margin: 3px 0; }
.callout { background: ${COLORS.band}; border-left: 4px solid ${COLORS.accent}; padding: 10px 14px; margin: 14px 0; }
.callout.warn { border-left-color: ${COLORS.warn}; }
figure { margin: 10px 0 16px; max-width: 100%; }
figcaption { color: ${COLORS.muted}; font-size: 13px; margin-top: 2px; }
svg { display: block; max-width: 100%; height: auto; font-family: inherit; }
svg text { fill: ${COLORS.ink}; }
.plot-narrow { display: none; }
footer { margin-top: 36px; color: ${COLORS.muted}; font-size: 12.5px; border-top: 1px solid ${COLORS.grid}; padding-top: 8px; }
@media (max-width: 640px) {
  main { padding: 16px 14px 32px; }
  h1 { font-size: 22px; }
  h2 { font-size: 17.5px; margin-top: 24px; }
  .subtitle { font-size: 15.5px; }
  p.lead { font-size: 15.5px; }
  table { font-size: 13px; }
  th, td { padding: 4px 6px; }
  /* On a phone a table keeps one line per row and scrolls sideways inside its box instead. */
  .table-scroll > table, .scroll > table { width: auto; min-width: 100%; }
  td { white-space: nowrap; }
  th { min-width: 5.5em; }
  dl.facts { grid-template-columns: minmax(0, 1fr); gap: 0; }
  dl.facts dd { margin-bottom: 8px; }
  dl.terms { grid-template-columns: minmax(0, 1fr); gap: 0; }
  dl.terms dd { margin-bottom: 4px; }
  .plot-wide { display: none; }
  .plot-narrow { display: block; }
  /* A plot drawn only wide (no phone layout) keeps readable text and scrolls sideways in its figure. */
  figure { overflow-x: auto; }
  figure > svg { min-width: 720px; }
}
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h1, h2 { break-after: avoid; page-break-after: avoid; }
  h2 + *, .callout + dl.terms { break-before: avoid; page-break-before: avoid; }
  figure, .callout, dl.facts, dl.terms, tr, li { break-inside: avoid; page-break-inside: avoid; }
  p { orphans: 3; widows: 3; }
  .plot-wide { display: block; }
  .plot-narrow { display: none; }
  .table-scroll, .scroll { overflow: visible; background: none; }
  table { font-size: 9pt; }
  th, td { padding: 3px 5px; }
  td.num, th.num, td.nowrap { white-space: normal; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
@page { margin: 16mm 14mm; }
`;

export function table(head: { t: string; num?: boolean }[], rows: { cells: { t: string; num?: boolean; cls?: string }[]; cls?: string }[]): string {
  const th = head.map((h) => `<th${h.num ? ' class="num"' : ''}>${esc(h.t)}</th>`).join('');
  const trs = rows
    .map(
      (r) =>
        `<tr${r.cls ? ` class="${r.cls}"` : ''}>` +
        r.cells.map((c) => `<td${c.num || c.cls ? ` class="${[c.num ? 'num' : '', c.cls ?? ''].filter(Boolean).join(' ')}"` : ''}>${keepSign(esc(c.t))}</td>`).join('') +
        '</tr>',
    )
    .join('\n');
  return tableScroll(`<table><thead><tr>${th}</tr></thead><tbody>\n${trs}\n</tbody></table>`);
}


/** "< 0.001" never breaks after its sign, even where numbers may wrap (print). */
function keepSign(html: string): string {
  return html.replace(/^(&lt;|&gt;|[≤≥]) /, '$1&nbsp;');
}

/**
 * A table in its own horizontally scrolling box: on a phone a wide table scrolls inside the box and
 * the page never scrolls sideways; in print the box shows the whole table. `table()` calls it; a
 * section that builds its own `<table>` should too.
 */
export function tableScroll(tableHtml: string): string {
  return `<div class="table-scroll">${tableHtml}</div>`;
}

/**
 * A plot in two layouts: `wide` (desktop and print, labels beside the marks) and, when given,
 * `narrow` (phones, at most 640 px: labels above the marks, drawn about 360 units wide so its text is
 * read at nearly full size). Either SVG scales down with the page (max-width 100%). A plot with no
 * phone layout (an SVG straight in its <figure>) is kept at least 720 units wide on a phone and
 * scrolls sideways inside its figure, so its text stays readable and the page never scrolls.
 */
export function plotFigure(wide: string, narrow: string | null, caption: string): string {
  const body = narrow === null ? wide : `<div class="plot-wide">${wide}</div><div class="plot-narrow">${narrow}</div>`;
  return `<figure>${body}<figcaption>${esc(caption)}</figcaption></figure>`;
}

/** The start of a self-contained page (report.html, the pilot's report.html): head, styles, <main>. */
export function pageStart(title: string, version: string, css: string): string[] {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="rapport ${esc(version)}">`,
    `<title>${esc(title)}</title>`,
    `<style>${css}</style></head><body><main>`,
  ];
}

/** " · <instrument id> <version>" for a page's subtitle line, or nothing. */
export const instrumentNote = (i: { id: string; version: string } | null): string => (i ? ` · ${esc(i.id)} ${esc(i.version)}` : '');
