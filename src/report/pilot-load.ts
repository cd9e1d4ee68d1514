/**
 * Loading a pilot (item-analysis) report's data: the export scored with the instrument through the
 * same streaming pipeline as `rapport score` and the outcome report, keeping per item the count of
 * each option, of missing (empty or invalid) and of refused cells, the raw answers of the tabulated
 * items, the keyed answers of scale items (reverse keying from src/scoring/score.ts) and the scale
 * scores. Ids and free text are never kept.
 */
import { displayName } from '../io/input.js';
import type { Instrument } from '../instrument/types.js';
import { ITEM_KIND, localize, responseSetOf } from '../instrument/types.js';
import type { CompiledInstrument } from '../scoring/compile.js';
import { CODE, scoreInput, type ScoreHeader, type ScoredRow } from '../scoring/pipeline.js';
import { keyedInto } from '../scoring/score.js';
import { RowStore } from './columns.js';
import { refuseSeveralEvents, type LoadOptions } from './load.js';
import type { Counts } from './types.js';
import type { PilotWarning } from './pilot-types.js';

/** One tabulated item: a single-choice item present in the export. */
export interface PilotItemData {
  id: string;
  index: number;
  scale: number;
  reverse: boolean;
  options: { value: number | string; label: string }[];
  /** Count per option, then missing (empty or invalid), then refused. */
  counts: Float64Array;
  /** Raw answers (NaN = no answer or a letter code). */
  values: Float64Array;
}

export interface PilotData {
  n: number;
  file: string;
  format: string;
  instrument: { id: string; version: string; title: string };
  compiled: CompiledInstrument;
  counts: Counts;
  items: PilotItemData[];
  /** Per scale: the keyed answers of its items (instrument order of the scale) and the scores. */
  scales: { id: string; label: string; lo: number; hi: number; items: number[]; keyed: Float64Array[]; scores: Float64Array }[];
  warnings: PilotWarning[];
}

export type PilotLoadOptions = Pick<LoadOptions, 'input' | 'stdin' | 'text' | 'mapping' | 'idColumn' | 'platform' | 'reading' | 'onProgress'> & { instrument: Instrument };

const lang = (inst: Instrument) => inst.languages[0] ?? 'en';

/** The per-row collector: counts per item, and the numeric columns in one row-major store. */
function collector(h: ScoreHeader, tab: number[]) {
  const ci = h.compiled;
  const width = ci.items.map((it) => it.codes.length + 2);
  const counts = tab.map((k) => new Float64Array(width[k]));
  const absent = new Float64Array(tab.length);
  const scaleItems = ci.scales.map((s) => Array.from(s.items));
  const keyIdx = Int32Array.from(scaleItems.flat());
  const store = new RowStore(tab.length + keyIdx.length + ci.scales.length);
  const onRow = (row: ScoredRow) => {
    const o = store.next();
    const buf = store.buf;
    for (let j = 0; j < tab.length; j++) {
      const k = tab[j];
      const c = row.codes[k];
      const m = width[k] - 2;
      if (c >= 0) counts[j][c]++;
      else if (c === CODE.REFUSED) counts[j][m + 1]++;
      else if (c === CODE.ABSENT) absent[j]++;
      else counts[j][m]++;
      buf[o + j] = row.values[k];
    }
    const after = keyedInto(ci, keyIdx, row.values, buf, o + tab.length);
    for (let s = 0; s < ci.scales.length; s++) buf[after + s] = row.scores[s];
  };
  return { onRow, counts, absent, store, scaleItems, keyed: keyIdx.length };
}

/** Read and score the export; every single-choice item in the export is tabulated. */
export async function loadPilotData(o: PilotLoadOptions): Promise<PilotData> {
  const inst = o.instrument;
  let c: ReturnType<typeof collector> | null = null;
  let compiled: CompiledInstrument | null = null;
  const tab: number[] = [];
  const notTabulated: string[] = [];
  const onHeader = (h: ScoreHeader) => {
    compiled = h.compiled;
    for (const it of h.compiled.items) {
      if (it.kind === ITEM_KIND.CHOICE) tab.push(it.index);
      else if (it.kind !== ITEM_KIND.TEXT) notTabulated.push(it.id);
    }
    c = collector(h, tab);
  };
  const summary = await scoreInput({ input: o.input, stdin: o.stdin, text: o.text, instrument: inst, mapping: o.mapping, idColumn: o.idColumn, platform: o.platform, ...o.reading, onProgress: o.onProgress, onHeader }, (row) => c!.onRow(row));
  refuseSeveralEvents({ ...o, outcome: '' }, summary);
  const col = c as unknown as ReturnType<typeof collector>; // set by onHeader (the pipeline fails on a file without a header)
  const ci = compiled as unknown as CompiledInstrument;
  const n = summary.rowsScored;
  let j = 0;
  const column = () => col.store.column(j++);
  const raw = tab.map(() => column());
  const keyed = col.scaleItems.map((items) => items.map(() => column()));
  const items: PilotItemData[] = [];
  tab.forEach((k, t) => {
    const it = inst.items[k];
    // An item whose column the export lacks is left out (the scoring pipeline's warning names it).
    if (n > 0 && col.absent[t] === n) return;
    const rs = responseSetOf(inst, it);
    const options = rs.options.map((op) => ({ value: op.value, label: localize(op.label, lang(inst)) }));
    items.push({ id: it.id, index: k, scale: ci.items[k].scale, reverse: ci.items[k].reverse, options, counts: col.counts[t], values: raw[t] });
  });
  const scales = ci.scales.map((s, k) => ({ id: s.id, label: localize(inst.scales[k].label, lang(inst)) || s.id, lo: s.lo, hi: s.hi, items: col.scaleItems[k], keyed: keyed[k], scores: column() }));
  const warnings: PilotWarning[] = summary.warnings.map((text) => ({ code: 'input', text }));
  if (summary.invalidCells > 0) warnings.push({ code: 'invalid_cells', n: summary.invalidCells });
  if (notTabulated.length > 0) warnings.push({ code: 'not_tabulated', items: notTabulated });
  const excluded = Object.entries(summary.excluded)
    .filter(([, v]) => v > 0)
    .map(([reason, v]) => ({ reason, n: v }));
  return {
    n,
    file: displayName(o.input),
    format: summary.platform,
    instrument: { id: inst.id, version: inst.version, title: localize(inst.title, lang(inst)) },
    compiled: ci,
    counts: { read: summary.rowsRead, excluded, analysed: n, invalidCells: summary.invalidCells },
    items,
    scales,
    warnings,
  };
}
