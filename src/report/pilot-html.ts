/**
 * report.html of the pilot (item-analysis) report: the same page style as the outcome report
 * (html.ts's building blocks), tables in their own scrolling boxes so the page reads on a phone.
 * Layout only; every sentence from pilot-facts.ts.
 */
import { fmtEstCi, fmtFixed, fmtInt, fmtMeanSd, fmtPct } from './format.js';
import { ITEM_FLAG_SHORT, PILOT_FOOTER, PILOT_INTRO, PILOT_NO_REVIEW, PILOT_TITLE, SCALE_FLAG_SHORT, pilotFacts, pilotHeadline, pilotWarningText, reviewLines } from './facts.js';
import { htmlParts } from './html.js';
import { instrumentNote, pageStart } from './html-style.js';
import type { PilotItem, PilotResult } from './pilot-types.js';

const { esc, section, table, dl, css } = htmlParts;

/** Narrow screens: facts stacked, less padding, wide tables scroll inside their own box. */
const NARROW = `
@media (max-width: 600px) {
  main { padding: 16px 14px 32px; }
  dl.facts { grid-template-columns: 1fr; gap: 0 0; }
  dl.facts dd { margin: 0 0 8px; overflow-wrap: anywhere; }
  .sub { overflow-wrap: anywhere; }
}
.scroll { overflow-x: auto; max-width: 100%; }
@media print { .scroll { overflow: visible; } }`;

/** table() (html-style.ts) already puts every table in its own scrolling box. */
const box = (html: string) => html;

function scalesHtml(r: PilotResult): string {
  const rows = r.scales.map((s) => ({
    cells: [
      { t: s.label },
      { t: String(s.nItems), num: true },
      { t: fmtInt(s.nComplete), num: true },
      { t: fmtEstCi(s.alpha, s.alphaCiLow, s.alphaCiHigh), num: true },
      { t: fmtFixed(s.omegaTotal, 2), num: true },
      { t: fmtMeanSd(s.mean, s.sd), num: true },
      { t: fmtPct(s.pctFloor, 0), num: true },
      { t: fmtPct(s.pctCeiling, 0), num: true },
      { t: s.flags.length ? s.flags.map((f) => SCALE_FLAG_SHORT[f]).join(', ') : 'ok', cls: s.flags.length ? 'flag' : 'ok' },
    ],
  }));
  const head = [{ t: 'Scale' }, { t: 'Items', num: true }, { t: 'n', num: true }, { t: 'Alpha (95% CI)', num: true }, { t: 'Omega', num: true }, { t: 'Mean (SD)', num: true }, { t: 'Floor', num: true }, { t: 'Ceiling', num: true }, { t: 'Flags' }];
  return section('Scales', `<p>${esc(PILOT_INTRO.scales)}</p>` + box(table(head, rows)));
}

function itemsHtml(r: PilotResult): string {
  const rows = r.items.map((it) => ({
    cells: [
      { t: it.item + (it.reverse ? ' (R)' : '') },
      { t: it.scale ?? '–' },
      { t: fmtMeanSd(it.mean, it.sd), num: true },
      { t: fmtPct(it.pctNoAnswer, 1), num: true },
      { t: fmtFixed(it.rDrop, 2), num: true },
      { t: fmtFixed(it.alphaIfDeleted, 2), num: true },
      { t: it.flags.map((f) => ITEM_FLAG_SHORT[f]).join(', '), cls: it.flags.length ? 'flag' : '' },
    ],
  }));
  const head = [{ t: 'Item' }, { t: 'Scale' }, { t: 'Mean (SD)', num: true }, { t: 'No answer', num: true }, { t: 'Item-total r', num: true }, { t: 'Alpha without', num: true }, { t: 'Flags' }];
  return section('Items', `<p>${esc(PILOT_INTRO.items)}</p>` + box(table(head, rows)));
}

function frequenciesHtml(r: PilotResult): string {
  const groups = new Map<string, PilotItem[]>();
  for (const it of r.items) {
    const key = JSON.stringify(it.frequencies.filter((f) => f.kind === 'option').map((f) => [f.value, f.label]));
    groups.set(key, [...(groups.get(key) ?? []), it]);
  }
  const tables = [...groups.values()].map((items) => {
    const head = [{ t: 'Item' }, ...items[0].frequencies.map((f) => ({ t: f.kind === 'option' ? `${f.value} ${f.label}` : f.kind === 'missing' ? 'Missing' : 'Refused', num: true }))];
    const rows = items.map((it) => ({
      cells: [{ t: it.item }, ...it.frequencies.map((f) => ({ t: f.pct === null ? f.nLabel : `${f.nLabel} (${fmtPct(f.pct, 0)})`, num: true, cls: f.n === null ? 'suppressed' : undefined }))],
    }));
    return box(table(head, rows));
  });
  return section('Response frequencies', `<p>${esc(PILOT_INTRO.frequencies(r.minCell))}</p>` + tables.join('\n'));
}

function correlationsHtml(r: PilotResult): string {
  if (r.scales.length < 2) return '';
  const ids = r.scales.map((s) => s.scale);
  const at = (a: string, b: string) => r.correlations.find((c) => (c.a === a && c.b === b) || (c.a === b && c.b === a));
  const rows = ids.map((a) => ({ cells: [{ t: a }, ...ids.map((b) => ({ t: a === b ? '1' : fmtFixed(at(a, b)?.r, 2), num: true, cls: a !== b && (at(a, b)?.r ?? 0) >= 0.85 ? 'flag' : undefined }))] }));
  return section('Correlations between scales', `<p>${esc(PILOT_INTRO.correlations)}</p>` + box(table([{ t: '' }, ...ids.map((t) => ({ t, num: true }))], rows)));
}

export function renderPilotHtml(r: PilotResult): string {
  const review = reviewLines(r);
  const instrument = instrumentNote(r.input.instrument);
  const out = [
    ...pageStart(PILOT_TITLE, r.tool.version, css + NARROW),
    `<header><h1>${esc(PILOT_TITLE)}</h1><p class="sub">${esc(r.input.file)}${instrument} · ${esc(fmtInt(r.counts.analysed))} respondents analysed</p></header>`,
    `<div class="callout">${esc(pilotHeadline(r))}</div>`,
    section('What was analysed', dl(pilotFacts(r))),
    section('Items flagged for review', `<p>${esc(PILOT_INTRO.review)}</p>` + (review.length ? `<ul class="warnings">${review.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>` : `<p class="ok">${esc(PILOT_NO_REVIEW)}</p>`)),
    scalesHtml(r),
    itemsHtml(r),
    correlationsHtml(r),
    frequenciesHtml(r),
    section('Warnings', r.warnings.length ? `<ul class="warnings">${r.warnings.map((w) => `<li>${esc(pilotWarningText(w))}</li>`).join('')}</ul>` : '<p class="ok">None.</p>'),
    `<footer>${esc(PILOT_FOOTER)}</footer>`,
    '</main></body></html>\n',
  ];
  return out.filter((x) => x !== '').join('\n');
}
