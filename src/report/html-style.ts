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
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: ${COLORS.ink}; background: #fff; margin: 0; line-height: 1.45; font-size: 15px; }
main { max-width: 980px; margin: 0 auto; padding: 28px 32px 48px; }
header { border-bottom: 3px solid ${COLORS.accent}; padding-bottom: 12px; margin-bottom: 8px; }
h1 { font-size: 26px; margin: 0 0 4px; font-weight: 650; }
h2 { font-size: 19px; margin: 30px 0 8px; padding-bottom: 4px; border-bottom: 1px solid ${COLORS.grid}; font-weight: 620; }
.sub { color: ${COLORS.muted}; margin: 0; }
p { margin: 6px 0 10px; }
.note { color: ${COLORS.muted}; font-size: 13.5px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 12px; font-size: 14px; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 8px; text-align: left; vertical-align: top; border-bottom: 1px solid ${COLORS.grid}; }
th { font-weight: 600; background: ${COLORS.band}; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
tr.suppressed td { color: ${COLORS.muted}; font-style: italic; }
dl.facts { display: grid; grid-template-columns: 200px 1fr; gap: 4px 16px; margin: 8px 0; }
dl.facts dt { font-weight: 600; color: ${COLORS.muted}; }
dl.facts dd { margin: 0; }
.flag { color: ${COLORS.warn}; font-weight: 600; }
.ok { color: #2f7d32; }
ol.ranking li { margin: 6px 0; }
ul.warnings li { margin: 4px 0; }
.scroll { overflow-x: auto; }
.callout { background: ${COLORS.band}; border-left: 4px solid ${COLORS.accent}; padding: 10px 14px; margin: 14px 0; }
.callout.warn { border-left-color: ${COLORS.warn}; }
figure { margin: 10px 0 16px; }
figcaption { color: ${COLORS.muted}; font-size: 13px; margin-top: 2px; }
svg { display: block; max-width: 100%; height: auto; font-family: inherit; }
svg text { fill: ${COLORS.ink}; }
footer { margin-top: 36px; color: ${COLORS.muted}; font-size: 12.5px; border-top: 1px solid ${COLORS.grid}; padding-top: 8px; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  figure, table, .callout, dl.facts { break-inside: avoid; page-break-inside: avoid; }
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
        r.cells.map((c) => `<td${c.num || c.cls ? ` class="${[c.num ? 'num' : '', c.cls ?? ''].filter(Boolean).join(' ')}"` : ''}>${esc(c.t)}</td>`).join('') +
        '</tr>',
    )
    .join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${trs}\n</tbody></table>`;
}

