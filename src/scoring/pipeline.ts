/**
 * The streaming scoring pipeline: bytes of a survey export in, one scored row at a time out, in constant
 * memory. Used by `rapport score` (which writes the rows as CSV) and by `rapport report` (which keeps
 * the columns it needs).
 *
 *   bytes → decode (BOM, UTF-16, UTF-8 or Windows-1252) → sniff delimiter → csv-parse records with their
 *   start line → platform header handling (Qualtrics / legacy / REDCap / LimeSurvey / plain) → row
 *   exclusions (previews, incomplete, duplicates) → read cells → score scales → onRow(row)
 *
 * Usage:
 *   const summary = await scoreInput({ input: 'export.csv', instrument }, (row) => {
 *     ids.push(row.id);                      // strings are immutable: safe to keep
 *     trust.push(row.scores[0]);             // copy numbers out...
 *     keepValues.push(row.values.slice());   // ...or copy the array: it is REUSED for the next row
 *     portal.push(row.cell('portal_use'));   // any input column by its header name
 *   });
 *
 * The `values`, `codes` and `scores` arrays and the row object itself are reused for every row
 * (no per-row allocation): the callback must copy whatever it keeps.
 */
import type { Readable } from 'node:stream';
import { DataError, UsageError } from '../errors.js';
import { displayName } from '../io/input.js';
import type { Instrument } from '../instrument/types.js';
import { ByteDecoder, checkNotBinary, detectEncoding, type EncodingName } from '../ingest/decode.js';
import { HEAD_BYTES, openByteSource, readHead } from '../ingest/source.js';
import { type ColumnPlan, type Mapping, planColumns } from '../ingest/mapping.js';
import {
  type Layout,
  type Platform,
  buildLayout,
  detectPlatform,
  headerRecordCount,
  isNotFinished,
  isRedcapComplete,
  qualtricsStatusReason,
} from '../ingest/platform.js';
import { DEFAULT_MAX_RECORD_SIZE, RecordReader } from '../ingest/records.js';
import { delimiterName, sniffDelimiter } from '../ingest/sniff.js';
import { CELL, type CompiledInstrument, compileInstrument, readCell, scoreInto } from './score.js';
import { ITEM_KIND, multiSelectParts, readMultiple, readNumber } from './compile.js';

/** `codes[k]` when item k has no option index. */
export const CODE = {
  /** Empty cell. */
  EMPTY: -1,
  /** A missing code or label of the response set (refused, does not apply) or a `missing:` code of the mapping. */
  REFUSED: -2,
  /** Not a value of the item (reported; treated as missing). */
  INVALID: -3,
  /** The export has no column for this item. */
  ABSENT: -4,
  /** A number item's valid value (in `values`). */
  NUMBER: -5,
  /** A text item (free text is never read). */
  TEXT: -6,
  /** A `multiple: true` item's selections (a bit set in `flags`). */
  MULTIPLE: -7,
} as const;

export type DedupeMode = 'keep' | 'first' | 'last' | 'error';

export interface ScoreOptions {
  /** Path of the export, or `-` for standard input. */
  input: string;
  /** Standard input to use for `-` (injectable for tests). */
  stdin?: Readable;
  /** The input as text instead of a file (tests, callers that already hold it). `input` then only names it. */
  text?: string;
  instrument: Instrument;
  /** A parsed `--map` file (src/ingest/mapping.ts parseMapping). */
  mapping?: Mapping;
  /** Platform: `auto` (default) detects it. */
  format?: Platform | 'auto';
  /** Respondent id column (overrides the mapping's `id` and the platform default). */
  idColumn?: string;
  /** Input columns to carry into the output (by header name). */
  keep?: string[];
  /** Keep unfinished responses (Qualtrics Finished=0, REDCap _complete≠2, LimeSurvey empty submitdate). */
  includeIncomplete?: boolean;
  /** Keep Qualtrics preview, test and spam responses. */
  includePreviews?: boolean;
  /** Force the byte encoding (skips detection; a matching BOM is still stripped). */
  encoding?: EncodingName;
  /** Force the delimiter (skips sniffing). */
  delimiter?: string;
  /** Largest record in characters (default 1 MiB). */
  maxRecordSize?: number;
  /** Duplicate respondent ids: keep all and warn (default), keep the first, keep the last, or fail. */
  dedupe?: DedupeMode;
  /** Called for every invalid cell, in input order. */
  onInvalid?: (cell: InvalidCell) => void;
  /** Called once, when the header is understood, before the first row. */
  onHeader?: (header: ScoreHeader) => void;
  /** Awaited after each input chunk: the place to write buffered output (back-pressure). */
  drain?: () => Promise<void> | void;
  /** Raw bytes read so far and the input size (undefined for stdin). Called after each chunk. */
  onProgress?: (bytesRead: number, totalBytes: number | undefined) => void;
}

/** One scored respondent. Reused between calls: copy what you keep. */
export interface ScoredRow {
  /** Line in the input file where the record starts (as an editor shows it). */
  line: number;
  /** Respondent id (the id column's text, or the line number when the export has no id column). */
  id: string;
  /** Raw (not reverse-keyed) value of each item in instrument order; NaN = empty, refused, invalid, absent or a letter code. */
  values: Float64Array;
  /** Option index of each item (into the response set's options), or a negative CODE. */
  codes: Int32Array;
  /** Per `multiple: true` item with CODE.MULTIPLE: bit k set = option k selected. */
  flags: Int32Array;
  /** One score per scale in instrument order; NaN = no score (min_answered not met). */
  scores: Float64Array;
  /** The input record's fields (csv-parse's array for this record). */
  fields: readonly string[];
  /** An input column's text by header name ('' when the export has no such column). */
  cell(name: string): string;
}

export interface InvalidCell {
  line: number;
  /** The input column's header. */
  column: string;
  item: string;
  value: string;
  message: string;
}

export interface ScoreHeader {
  layout: Layout;
  plan: ColumnPlan;
  compiled: CompiledInstrument;
  /** Scale ids, in the order of `ScoredRow.scores`. */
  scales: string[];
  /** Indexes of items that belong to no scale (outcomes, demographics), in instrument order. */
  unscaledItems: number[];
}

export interface ScaleSummary {
  id: string;
  /** Rows with a score. */
  scored: number;
  /** scored / rows scored (0 when there are no rows). */
  share: number;
}

export interface ScoreSummary {
  input: string;
  instrument: { id: string; version: string };
  platform: Platform;
  platformHow: 'detected' | 'forced';
  encoding: EncodingName;
  encodingHow: 'bom' | 'detected' | 'fallback' | 'forced';
  delimiter: string;
  bytes: number;
  /** Data records read (after the header records; blank lines not counted). */
  rowsRead: number;
  /** Rows left out, by reason: preview, test, spam, incomplete, duplicate. */
  excluded: Record<string, number>;
  /** Rows passed on (written). */
  rowsScored: number;
  invalidCells: number;
  emptyCells: number;
  refusedCells: number;
  scales: ScaleSummary[];
  /** Rows whose id had appeared before (counted whatever --dedupe does). */
  duplicateIds: number;
  duplicateExamples: { firstLine: number; line: number }[];
  /** Item id → export column it was read from. */
  columns: Record<string, string>;
  missingItems: string[];
  blankLines: number;
  warnings: string[];
}

// ---------------------------------------------------------------------------------------------------
// Duplicate ids: a 64-bit hash set on typed arrays (12 bytes per id), so a million ids cost ~16 MB, not
// the ~60 MB of a Set of strings. A false "duplicate" needs a 64-bit collision (~3e-8 for 1M ids).

/** Open-addressing set of 64-bit key hashes with a 32-bit value each, interleaved (one cache line per probe). */
export class HashIndex {
  private t: Uint32Array;
  private size = 0;
  private mask: number;
  constructor(capacity = 1 << 14) {
    this.t = new Uint32Array(capacity * 3);
    this.mask = capacity - 1;
  }
  /** Empty the set (keeping its capacity). */
  clear(): void {
    this.t.fill(0);
    this.size = 0;
  }
  /** Value stored for the key, or -1. `insert` stores `value` for a new key; `overwrite` also replaces an old one. */
  lookup(a: number, b: number, value: number, set: 'insert' | 'overwrite' | 'none'): number {
    a = (a | 1) >>> 0; // 0 marks an empty slot
    const t = this.t;
    const mask = this.mask;
    let i = (a ^ Math.imul(b, 0x9e3779b1)) & mask;
    for (;;) {
      const x = t[i * 3];
      if (x === 0) break;
      if (x === a && t[i * 3 + 1] === b) {
        const old = t[i * 3 + 2];
        if (set === 'overwrite') t[i * 3 + 2] = value;
        return old;
      }
      i = (i + 1) & mask;
    }
    if (set === 'none') return -1;
    t[i * 3] = a;
    t[i * 3 + 1] = b >>> 0;
    t[i * 3 + 2] = value;
    if (++this.size * 2 > mask) this.grow();
    return -1;
  }
  private grow(): void {
    const old = this.t;
    const cap = (this.mask + 1) * 2;
    this.t = new Uint32Array(cap * 3);
    this.mask = cap - 1;
    this.size = 0;
    for (let j = 0; j < old.length; j += 3) if (old[j] !== 0) this.lookup(old[j], old[j + 1], old[j + 2], 'insert');
  }
}

/**
 * Duplicate detection that only reports (default mode and --dedupe error). In the stream every key is
 * appended to a sequential log (12 bytes a row: no random memory access per row, which on a large
 * hash table costs a cache and TLB miss each, more than all the cell reading). At the end the log is
 * partitioned by the key's top byte (stable) and each partition checked with a small, cache-resident
 * hash table: exact at 64 bits, in input order.
 */
export class DupLog {
  /** The log in fixed blocks of 2^16 entries (no doubling copies, no slack). */
  private blocks: Uint32Array[] = [];
  private n = 0;
  add(a: number, b: number, line: number): void {
    const j = this.n & 0xffff;
    if (j === 0) this.blocks.push(new Uint32Array(3 << 16));
    const blk = this.blocks[this.blocks.length - 1];
    this.n++;
    blk[j * 3] = a;
    blk[j * 3 + 1] = b;
    blk[j * 3 + 2] = line;
  }
  /** Number of rows whose key appeared before, and the first `max` of them (first line, line) in input order. */
  finish(max: number): { count: number; examples: { firstLine: number; line: number }[] } {
    const n = this.n;
    const blocks = this.blocks;
    const counts = new Uint32Array(256);
    for (const blk of blocks) {
      const m = blk === blocks[blocks.length - 1] ? ((n - 1) & 0xffff) + 1 : 1 << 16;
      for (let j = 0; j < m; j++) counts[blk[j * 3] >>> 24]++;
    }
    let count = 0;
    const found: { firstLine: number; line: number }[] = [];
    // Four passes over the log, each gathering a quarter of the partitions (stable), to bound memory.
    for (let g = 0; g < 4; g++) {
      const starts = new Uint32Array(65);
      let biggest = 0;
      for (let k = 0; k < 64; k++) {
        const c = counts[g * 64 + k];
        biggest = Math.max(biggest, c);
        starts[k + 1] = starts[k] + c;
      }
      if (starts[64] < 2) continue;
      const parts = new Uint32Array(starts[64] * 3);
      const fill = starts.slice(0, 64);
      for (const blk of blocks) {
        const m = blk === blocks[blocks.length - 1] ? ((n - 1) & 0xffff) + 1 : 1 << 16;
        for (let j = 0; j < m; j++) {
          const top = blk[j * 3] >>> 24;
          if (top >>> 6 !== g) continue;
          const o = fill[top & 63]++ * 3;
          parts[o] = blk[j * 3];
          parts[o + 1] = blk[j * 3 + 1];
          parts[o + 2] = blk[j * 3 + 2];
        }
      }
      let cap = 16;
      while (cap < biggest * 2 + 2) cap *= 2;
      const set = new HashIndex(cap);
      for (let k = 0; k < 64; k++) {
        if (starts[k + 1] - starts[k] < 2) continue;
        set.clear();
        for (let i = starts[k]; i < starts[k + 1]; i++) {
          const first = set.lookup(parts[i * 3], parts[i * 3 + 1], parts[i * 3 + 2], 'insert');
          if (first >= 0) {
            count++;
            found.push({ firstLine: first, line: parts[i * 3 + 2] });
            if (found.length > 4 * max) {
              found.sort((x, y) => x.line - y.line);
              found.length = max;
            }
          }
        }
      }
    }
    found.sort((x, y) => x.line - y.line);
    return { count, examples: found.slice(0, max) };
  }
}

let hashA = 0;
let hashB = 0;
/** Hash a list of fields into (hashA, hashB). */
function hashKey(fields: readonly string[], cols: Int32Array): void {
  let a = 0x811c9dc5;
  let b = 0x12345678;
  for (let j = 0; j < cols.length; j++) {
    const s = fields[cols[j]] ?? '';
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    a = Math.imul(a ^ 0x1f, 0x01000193);
    b = Math.imul(b ^ 0x1f, 0x5bd1e995);
  }
  hashA = a >>> 0;
  hashB = (b ^ (b >>> 13)) >>> 0;
}

// ---------------------------------------------------------------------------------------------------

/** Sentinel in the single-character lookup table: not a known one-character cell. */
const NOT_FAST = -9;

/** Compile per-item one-character lookup tables (`"4"` → option 3) from the compiled exact maps. */
function fastTables(ci: CompiledInstrument): Int32Array {
  const t = new Int32Array(ci.items.length * 128).fill(NOT_FAST);
  ci.items.forEach((it, k) => {
    for (const [text, v] of it.exact) {
      if (text.length === 1 && text.charCodeAt(0) < 128) t[k * 128 + text.charCodeAt(0)] = v;
    }
  });
  return t;
}

/**
 * Read, score and hand on every row of an export. Throws DataError (exit 65) for structure problems,
 * InputError (66) for an unreadable input. Resolves to the summary.
 */
export async function scoreInput(options: ScoreOptions, onRow: (row: ScoredRow) => void): Promise<ScoreSummary> {
  if (options.dedupe === 'last') {
    if (options.input === '-' && options.text === undefined) {
      throw new UsageError('--dedupe last reads the input twice, so it needs a file, not standard input; save the export to a file first (or use --dedupe first).');
    }
    const last = new HashIndex();
    await runPass(options, { mode: 'collect', last }, () => {});
    return runPass(options, { mode: 'score', last }, onRow);
  }
  return runPass(options, { mode: 'score' }, onRow);
}

interface PassMode {
  mode: 'collect' | 'score';
  /** For --dedupe last: key → ordinal of its last accepted row (filled by the collect pass). */
  last?: HashIndex;
}

async function runPass(options: ScoreOptions, pass: PassMode, onRow: (row: ScoredRow) => void): Promise<ScoreSummary> {
  const file = options.input;
  const where = displayName(file);
  const inst = options.instrument;
  const ci = compileInstrument(inst, { extraMissing: options.mapping?.missing });
  const nItems = ci.items.length;
  const nScales = ci.scales.length;
  const collect = pass.mode === 'collect';
  const dedupe: DedupeMode = options.dedupe ?? 'keep';
  const warnings: string[] = [];
  const warn = (m: string) => {
    if (!collect && !warnings.includes(m)) warnings.push(m);
  };

  // Input. 256 KiB reads keep the next read in flight while a chunk is parsed; the parser gets 64 KiB slices.
  const { chunks: it, total: totalBytes } = await openByteSource(file, { text: options.text, stdin: options.stdin, highWaterMark: 1 << 18 });

  // Summary counters.
  const excluded: Record<string, number> = { preview: 0, test: 0, spam: 0, incomplete: 0, duplicate: 0 };
  let rowsRead = 0;
  let rowsScored = 0;
  let invalidCells = 0;
  let emptyCells = 0;
  let refusedCells = 0;
  let blankLines = 0;
  let duplicateIds = 0;
  const duplicateExamples: { firstLine: number; line: number }[] = [];
  const scaleScored = new Float64Array(nScales);

  // Reused row buffers.
  const values = new Float64Array(nItems);
  const codes = new Int32Array(nItems);
  const flags = new Int32Array(nItems);
  const kinds = Uint8Array.from(ci.items, (it) => it.kind);
  const scores = new Float64Array(nScales);
  const kbuf = new Int32Array(1);
  const fast = fastTables(ci);
  // Option values, flat: item k's option v is codeValues[k * 128 + v] (options beyond 128 use the slow path).
  const codeValues = new Float64Array(nItems * 128).fill(NaN);
  ci.items.forEach((it, k) => it.codes.forEach((c, v) => {
    if (v < 128) codeValues[k * 128 + v] = typeof c === 'number' ? c : NaN;
  }));

  // Header state.
  let layout: Layout | undefined;
  let plan: ColumnPlan | undefined;
  const headRecords: { fields: string[]; line: number }[] = [];
  const forced = options.format && options.format !== 'auto' ? options.format : undefined;
  const headNeed = forced ? headerRecordCount(forced) : 3;
  let itemCols: Int32Array = new Int32Array(0);
  let width = 0;
  let rawWidth = 0;
  let statusCol = -1;
  let finishedCol = -1;
  let submitCol = -1;
  let completeCols: Int32Array = new Int32Array(0);
  let dedupeCols: Int32Array = new Int32Array(0);
  let idCol = -1;
  let nameIndex = new Map<string, number>();
  let ordinal = 0; // accepted rows so far (after exclusions), for --dedupe last
  // In-stream exact set for --dedupe first; a log checked at the end for the default and --dedupe error.
  const seen = dedupe === 'first' && !collect ? new HashIndex() : undefined;
  const dupLog = (dedupe === 'keep' || dedupe === 'error') && !collect ? new DupLog() : undefined;

  const row: ScoredRow = {
    line: 0,
    id: '',
    values,
    codes,
    flags,
    scores,
    fields: [],
    cell(name: string): string {
      const i = nameIndex.get(name);
      return i === undefined ? '' : (row.fields[i] ?? '');
    },
  };

  const setup = () => {
    const recs = headRecords.map((r) => r.fields);
    const platform = forced ?? detectPlatform(recs);
    layout = buildLayout(recs, platform, forced ? 'forced' : 'detected');
    plan = planColumns(layout, inst, { file, mapping: options.mapping, idColumn: options.idColumn, keep: options.keep });
    itemCols = plan.itemCols;
    width = layout.width;
    rawWidth = layout.rawWidth;
    idCol = plan.idCol;
    const names = layout.names;
    nameIndex = new Map();
    names.forEach((n, i) => {
      if (!nameIndex.has(n)) nameIndex.set(n, i);
    });
    const byName = (n: string, imp?: string) => {
      let i = names.findIndex((x) => x === n);
      if (i < 0 && imp) i = layout!.importIds.findIndex((x) => x === imp);
      if (i < 0) i = names.findIndex((x) => x.toLowerCase() === n.toLowerCase());
      return i;
    };
    const p = layout.platform;
    if (p === 'qualtrics' || p === 'qualtrics-legacy') {
      if (!options.includePreviews) statusCol = byName('Status', 'status');
      if (!options.includeIncomplete) finishedCol = byName('Finished', 'finished');
    }
    if (p === 'limesurvey' && !options.includeIncomplete) submitCol = byName('submitdate');
    if (p === 'redcap') {
      const all: number[] = [];
      names.forEach((n, i) => {
        if (/_complete$/.test(n)) all.push(i);
      });
      // The form holding an item is the one whose `_complete` column is the first after the item.
      const forms = new Set<number>();
      for (const c of itemCols) {
        if (c < 0) continue;
        const f = all.find((x) => x > c);
        if (f !== undefined) forms.add(f);
      }
      const use = forms.size > 0 ? [...forms] : all;
      if (!options.includeIncomplete) completeCols = Int32Array.from(use);
      const keyCols = [idCol];
      for (const n of ['redcap_event_name', 'redcap_repeat_instrument', 'redcap_repeat_instance']) {
        const i = byName(n);
        if (i >= 0) keyCols.push(i);
      }
      dedupeCols = Int32Array.from(keyCols.filter((c) => c >= 0));
    } else {
      dedupeCols = idCol >= 0 ? Int32Array.of(idCol) : new Int32Array(0);
    }
    if (plan.missingItems.length) {
      warn(`${plan.missingItems.length} of the instrument's items are not columns of the export (${plan.missingItems.slice(0, 8).join(', ')}${plan.missingItems.length > 8 ? ', ...' : ''}); they count as unanswered (name their columns with --map if they are there under another name)`);
    }
    if (idCol < 0) warn('the export has no respondent id column; the output uses the input line number as the id (name the column with --id-column)');
    if (!collect) {
      options.onHeader?.({
        layout,
        plan,
        compiled: ci,
        scales: ci.scales.map((s) => s.id),
        unscaledItems: ci.items.filter((it) => it.scale < 0 && it.kind !== ITEM_KIND.TEXT).map((it) => it.index),
      });
    }
    // Records after the header that were read ahead for detection are data.
    const rest = headRecords.slice(layout.headerRecords);
    headRecords.length = 0;
    for (const r of rest) onData(r.fields, r.line);
  };

  const invalidMessage = (k: number, value: string) => {
    const it = ci.items[k];
    if (it.kind === ITEM_KIND.NUMBER) return `${JSON.stringify(value)} is not an answer to item ${it.id}; accepted: ${it.accepted}; counted as unanswered`;
    const parts = it.kind === ITEM_KIND.CHOICE ? multiSelectParts(it, value) : undefined;
    if (parts)
      return `${JSON.stringify(value)} is a multi-select cell (${parts.length} options), not one option of item ${it.id}; counted as unanswered (declare the item multiple: true to score one 0/1 value per option)`;
    return `${JSON.stringify(value)} is not an answer to item ${it.id}; accepted: ${it.accepted}; counted as unanswered`;
  };

  /** Read the cell of a number, text or multiple item into values/codes/flags; returns the CELL status. */
  const readOther = (k: number, cell: string): number => {
    const kind = kinds[k];
    flags[k] = 0;
    values[k] = NaN;
    if (kind === ITEM_KIND.TEXT) {
      codes[k] = CODE.TEXT;
      return CELL.VALUE;
    }
    if (cell.trim() === '') {
      codes[k] = CODE.EMPTY;
      return CELL.EMPTY;
    }
    if (kind === ITEM_KIND.NUMBER) {
      const v = readNumber(ci.items[k], cell);
      codes[k] = v === v ? CODE.NUMBER : CODE.INVALID;
      values[k] = v;
      return v === v ? CELL.VALUE : CELL.INVALID;
    }
    const bits = readMultiple(ci.items[k], cell);
    codes[k] = bits >= 0 ? CODE.MULTIPLE : bits === -2 ? CODE.REFUSED : CODE.INVALID;
    if (bits >= 0) flags[k] = bits;
    return bits >= 0 ? CELL.VALUE : bits === -2 ? CELL.REFUSED : CELL.INVALID;
  };

  const onData = (fields: string[], line: number) => {
    const n = fields.length;
    if (n !== rawWidth) {
      if (n === 1 && fields[0] === '') {
        blankLines++;
        return;
      }
      if (!(n === width || (n === rawWidth + 1 && fields[rawWidth] === ''))) {
        throw new DataError(
          'CSV_RAGGED_ROW',
          `${where}, line ${line}: the record has ${n} fields but the header has ${width}; check that line for an unquoted ${delimiterName(delimiter)} or a missing field (a field that contains the delimiter must be in double quotes).`,
          { file, line },
        );
      }
    }
    rowsRead++;
    // Exclusions.
    if (statusCol >= 0) {
      const reason = qualtricsStatusReason(fields[statusCol]);
      if (reason !== undefined) {
        excluded[reason]++;
        return;
      }
    }
    if (finishedCol >= 0 && isNotFinished(fields[finishedCol])) {
      excluded.incomplete++;
      return;
    }
    if (submitCol >= 0 && fields[submitCol].trim() === '') {
      excluded.incomplete++;
      return;
    }
    if (completeCols.length > 0) {
      let ok = false;
      for (let j = 0; j < completeCols.length; j++) if (isRedcapComplete(fields[completeCols[j]] ?? '')) ok = true;
      if (!ok) {
        excluded.incomplete++;
        return;
      }
    }
    // Duplicates.
    const ord = ordinal++;
    if (dedupeCols.length > 0 && fields[dedupeCols[0]] !== '') {
      hashKey(fields, dedupeCols);
      if (collect) {
        pass.last!.lookup(hashA, hashB, ord, 'overwrite');
        return;
      }
      if (dupLog) dupLog.add(hashA, hashB, line);
      else if (seen) {
        const first = seen.lookup(hashA, hashB, line, 'insert');
        if (first >= 0) {
          duplicateIds++;
          if (duplicateExamples.length < 5) duplicateExamples.push({ firstLine: first, line });
          excluded.duplicate++;
          return;
        }
      }
      if (dedupe === 'last') {
        if (pass.last!.lookup(hashA, hashB, 0, 'none') !== ord) {
          duplicateIds++;
          excluded.duplicate++;
          return;
        }
      }
    } else if (collect) return;
    // Cells.
    let empty = 0;
    let refused = 0;
    for (let k = 0; k < nItems; k++) {
      const c = itemCols[k];
      if (c < 0) {
        values[k] = NaN;
        codes[k] = CODE.ABSENT;
        continue;
      }
      const cell = fields[c];
      if (kinds[k] !== ITEM_KIND.CHOICE) {
        const st = readOther(k, cell);
        if (st === CELL.EMPTY) empty++;
        else if (st === CELL.REFUSED) refused++;
        else if (st === CELL.INVALID) {
          invalidCells++;
          if (options.onInvalid) options.onInvalid({ line, column: layout!.names[c], item: ci.items[k].id, value: cell, message: invalidMessage(k, cell) });
        }
        continue;
      }
      const len = cell.length;
      if (len === 1) {
        const ch = cell.charCodeAt(0);
        const v = ch < 128 ? fast[k * 128 + ch] : NOT_FAST;
        if (v >= 0) {
          codes[k] = v;
          values[k] = codeValues[k * 128 + v];
          continue;
        }
        if (v === -1) {
          codes[k] = CODE.REFUSED;
          values[k] = NaN;
          refused++;
          continue;
        }
      } else if (len === 0) {
        codes[k] = CODE.EMPTY;
        values[k] = NaN;
        empty++;
        continue;
      }
      const st = readCell(ci.items[k], cell, kbuf);
      if (st === CELL.VALUE) {
        const v = kbuf[0];
        codes[k] = v;
        values[k] = v < 128 ? codeValues[k * 128 + v] : Number(ci.items[k].codes[v]);
        continue;
      }
      values[k] = NaN;
      if (st === CELL.EMPTY) {
        codes[k] = CODE.EMPTY;
        empty++;
      } else if (st === CELL.REFUSED) {
        codes[k] = CODE.REFUSED;
        refused++;
      } else {
        codes[k] = CODE.INVALID;
        invalidCells++;
        if (options.onInvalid) options.onInvalid({ line, column: layout!.names[c], item: ci.items[k].id, value: cell, message: invalidMessage(k, cell) });
      }
    }
    emptyCells += empty;
    refusedCells += refused;
    scoreInto(ci, values, scores);
    for (let s = 0; s < nScales; s++) if (scores[s] === scores[s]) scaleScored[s]++;
    rowsScored++;
    row.line = line;
    row.id = idCol >= 0 ? fields[idCol] : String(line);
    row.fields = fields;
    onRow(row);
  };

  const onRecord = (fields: string[], line: number) => {
    if (layout) {
      onData(fields, line);
      return;
    }
    // Blank lines before and inside the header records are skipped.
    let blank = true;
    for (let i = 0; i < fields.length; i++) {
      if (fields[i].trim() !== '') {
        blank = false;
        break;
      }
    }
    if (blank) {
      blankLines++;
      return;
    }
    headRecords.push({ fields, line });
    if (headRecords.length >= headNeed) setup();
  };

  // Read the head, decide encoding and delimiter.
  const { head, eof, bytes: headBytes } = await readHead(it);
  let bytesRead = headBytes;
  const guess = detectEncoding(head, eof, options.encoding);
  checkNotBinary(head, guess.encoding, file);
  if (guess.how === 'fallback') warn(`${where} is not valid UTF-8; read it as Windows-1252 (run again with --encoding to choose another encoding)`);
  const decoder = new ByteDecoder(guess, warn);
  const first = decoder.push(head);
  const delimiter = options.delimiter ?? sniffDelimiter(first.subarray(0, Math.min(first.length, HEAD_BYTES)).toString('utf8'));
  const reader = new RecordReader(
    {
      file,
      delimiter,
      maxRecordSize: options.maxRecordSize ?? DEFAULT_MAX_RECORD_SIZE,
      columnName: (i) => (layout ? layout.names[i] : headRecords[0]?.fields[i]),
    },
    onRecord,
  );
  for (let i = 0; i < first.length; i += HEAD_BYTES) reader.push(first.subarray(i, i + HEAD_BYTES));
  if (!collect) {
    await options.drain?.();
    options.onProgress?.(bytesRead, totalBytes);
  }
  while (!eof) {
    const r = await it.next();
    if (r.done) break;
    const chunk = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    bytesRead += chunk.length;
    const dec = decoder.push(chunk);
    for (let i = 0; i < dec.length; i += HEAD_BYTES) reader.push(dec.subarray(i, i + HEAD_BYTES));
    if (!collect) {
      await options.drain?.();
      options.onProgress?.(bytesRead, totalBytes);
    }
  }
  reader.push(decoder.end());
  reader.end();
  if (!layout) {
    if (headRecords.length === 0) {
      throw new DataError('CSV_EMPTY', `${where} is empty (no header row and no data); check that the export finished and that you named the right file.`, { file });
    }
    setup();
  }
  if (dupLog) {
    const d = dupLog.finish(5);
    duplicateIds = d.count;
    duplicateExamples.push(...d.examples);
    if (dedupe === 'error' && d.count > 0) {
      const ex = d.examples[0];
      throw new DataError(
        'DUPLICATE_ID',
        `${where}, line ${ex.line}: the respondent id on this line already appeared on line ${ex.firstLine} (${d.count} repeated ids in all); remove the duplicates, or choose --dedupe first or --dedupe last.`,
        { file, line: ex.line },
      );
    }
  }
  if (!collect) await options.drain?.();

  if (!collect) {
    if (rowsRead === 0) warn(`${where} has a header but no data rows; the output has only its header`);
    else if (rowsScored === 0) warn(`all ${rowsRead} data rows of ${where} were excluded (${Object.entries(excluded).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v}`).join(', ')}); see --include-incomplete and --include-previews`);
    if (duplicateIds > 0 && dedupe === 'keep') {
      const ex = duplicateExamples[0];
      warn(`${duplicateIds} rows repeat a respondent id seen earlier (the first: line ${ex.line} repeats line ${ex.firstLine}); all were kept (choose --dedupe first, last or error)`);
    }
  }
  const columns: Record<string, string> = Object.create(null);
  ci.items.forEach((item, k) => {
    if (itemCols[k] >= 0) columns[item.id] = layout!.names[itemCols[k]];
  });
  return {
    input: file,
    instrument: { id: inst.id, version: inst.version },
    platform: layout!.platform,
    platformHow: layout!.how,
    encoding: guess.encoding === 'utf-8' && decoder.active !== 'utf-8' ? decoder.active : guess.encoding,
    encodingHow: guess.how,
    delimiter,
    bytes: bytesRead,
    rowsRead,
    excluded,
    rowsScored,
    invalidCells,
    emptyCells,
    refusedCells,
    scales: ci.scales.map((s, k) => ({ id: s.id, scored: scaleScored[k], share: rowsScored > 0 ? scaleScored[k] / rowsScored : 0 })),
    duplicateIds,
    duplicateExamples,
    columns,
    missingItems: plan!.missingItems,
    blankLines,
    warnings,
  };
}
