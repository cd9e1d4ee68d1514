/** report.txt of the pilot (item-analysis) report: layout only, every sentence from pilot-facts.ts. */
import { visible } from '../util/terminal.js';
import { fmtEstCi, fmtFixed, fmtInt, fmtMeanSd, fmtPct, textTable, wrap } from './format.js';
import { ITEM_FLAG_SHORT, PILOT_INTRO, PILOT_NO_REVIEW, PILOT_TITLE, SCALE_FLAG_SHORT, pilotFacts, pilotHeadline, pilotWarningText, reviewLines } from './facts.js';
import type { PilotItem, PilotResult } from './pilot-types.js';
import { heading, kv } from './text.js';

const WIDTH = 78;

function bullets(lines: string[]): string[] {
  return lines.flatMap((l) => {
    const ws = wrap(l, WIDTH, '    ');
    ws[0] = '  - ' + ws[0].slice(4);
    return ws;
  });
}

function scalesSection(r: PilotResult): string[] {
  const rows = r.scales.map((s) => [
    s.scale,
    String(s.nItems),
    fmtInt(s.nComplete),
    fmtEstCi(s.alpha, s.alphaCiLow, s.alphaCiHigh),
    fmtFixed(s.omegaTotal, 2),
    fmtMeanSd(s.mean, s.sd),
    s.pctFloor === null ? '–' : fmtPct(s.pctFloor, 0),
    s.pctCeiling === null ? '–' : fmtPct(s.pctCeiling, 0),
    s.flags.length ? s.flags.map((f) => SCALE_FLAG_SHORT[f]).join(', ') : 'ok',
  ]);
  return [...heading('Scales'), ...wrap(PILOT_INTRO.scales), '', ...textTable(['Scale', 'Items', 'n', 'Alpha (95% CI)', 'Omega', 'Mean (SD)', 'Floor', 'Ceiling', 'Flags'], rows, ['l', 'r', 'r', 'l', 'r', 'l', 'r', 'r', 'l'])];
}

function itemsSection(r: PilotResult): string[] {
  const rows = r.items.map((it) => [
    it.item + (it.reverse ? ' (R)' : ''),
    it.scale ?? '–',
    fmtMeanSd(it.mean, it.sd),
    it.pctNoAnswer === null ? '–' : fmtPct(it.pctNoAnswer, 1),
    fmtFixed(it.rDrop, 2),
    fmtFixed(it.alphaIfDeleted, 2),
    it.flags.map((f) => ITEM_FLAG_SHORT[f]).join(', '),
  ]);
  return [...heading('Items'), ...wrap(PILOT_INTRO.items), '', ...textTable(['Item', 'Scale', 'Mean (SD)', 'No answer', 'r (corr.)', 'Alpha w/o', 'Flags'], rows, ['l', 'l', 'l', 'r', 'r', 'r', 'l'])];
}

/** Items grouped by their list of options, one table per group: counts per option, missing, refused. */
function frequenciesSection(r: PilotResult): string[] {
  const L = [...heading('Response frequencies'), ...wrap(PILOT_INTRO.frequencies(r.minCell))];
  const groups = new Map<string, PilotItem[]>();
  for (const it of r.items) {
    const key = JSON.stringify(it.frequencies.filter((f) => f.kind === 'option').map((f) => [f.value, f.label]));
    groups.set(key, [...(groups.get(key) ?? []), it]);
  }
  for (const items of groups.values()) {
    const opts = items[0].frequencies.filter((f) => f.kind === 'option');
    L.push('', ...wrap(opts.map((f) => `${f.value} = ${f.label}`).join('; ')));
    const head = ['Item', ...opts.map((f) => String(f.value)), 'Missing', 'Refused'];
    const rows = items.map((it) => [it.item, ...it.frequencies.map((f) => f.nLabel)]);
    L.push('', ...textTable(head, rows, head.map((_, j) => (j === 0 ? 'l' : 'r'))));
  }
  return L;
}

function correlationsSection(r: PilotResult): string[] {
  if (r.scales.length < 2) return [];
  const ids = r.scales.map((s) => s.scale);
  const at = (a: string, b: string) => r.correlations.find((c) => (c.a === a && c.b === b) || (c.a === b && c.b === a));
  const rows = ids.map((a) => [a, ...ids.map((b) => (a === b ? '1' : fmtFixed(at(a, b)?.r, 2)))]);
  return [...heading('Correlations between scales'), ...wrap(PILOT_INTRO.correlations), '', ...textTable(['', ...ids], rows, ['l', ...ids.map(() => 'r' as const)])];
}

export function renderPilotText(r: PilotResult): string {
  const L: string[] = [PILOT_TITLE, '='.repeat(Math.min(WIDTH, [...PILOT_TITLE].length)), '', ...wrap(pilotHeadline(r), WIDTH, '')];
  L.push(...heading('What was analysed'), ...kv(pilotFacts(r)));
  L.push(...heading('Items flagged for review'), ...wrap(PILOT_INTRO.review), '');
  const review = reviewLines(r);
  L.push(...(review.length ? bullets(review) : ['  ' + PILOT_NO_REVIEW]));
  L.push(...scalesSection(r), ...itemsSection(r), ...correlationsSection(r), ...frequenciesSection(r));
  L.push(...heading('Warnings'), ...(r.warnings.length ? bullets(r.warnings.map(pilotWarningText)) : ['  None.']), '');
  // Labels come from the instrument: shown, never sent raw to a terminal.
  return visible(L.join('\n'), { lines: true });
}
