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
import { plural } from '../util/format.js';
import { displayName } from '../io/input.js';
import type { Instrument } from '../instrument/types.js';
import type { EncodingName } from '../ingest/decode.js';
import { type ColumnPlan, type Mapping, planColumns } from '../ingest/mapping.js';
import {
  type Layout,
  type Platform,
  type RowRules,
  buildLayout,
  detectPlatform,
  exclusionOf,
  headerRecordCount,
  missingForPlatform,
  rowRules,
} from '../ingest/platform.js';
import { delimiterName } from '../ingest/sniff.js';
import { type TableFacts, readRecords } from '../ingest/table.js';
import type { SourceInfo } from '../ingest/binary-input.js';
import { type DedupeMode, type DuplicateExample, Duplicates, HashIndex } from './dedupe.js';
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

export type { DedupeMode } from './dedupe.js';

export interface ScoreOptions {
  /** Path of the export, or `-` for standard input. */
  input: string;
  /** The sheet of an Excel input (default the first). */
  sheet?: string;
  /** Standard input to use for `-` (injectable for tests). */
  stdin?: Readable;
  /** The input as text instead of a file (tests, callers that already hold it). `input` then only names it. */
  text?: string;
  instrument: Instrument;
  /** A parsed `--map` file (src/ingest/mapping.ts parseMapping). */
  mapping?: Mapping;
  /** Platform: `auto` (default) detects it. */
  platform?: Platform | 'auto';
  /** Respondent id column (overrides the mapping's `id` and the platform default). */
  idColumn?: string;
  /** Input columns to carry into the output (by header name). */
  keep?: string[];
  /** Keep unfinished responses (Qualtrics Finished=0, REDCap _complete≠2, LimeSurvey empty submitdate). */
  includeIncomplete?: boolean;
  /** --event: REDCap event names to keep (other events' rows are left out as other_event). */
  events?: string[];
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
  /** What the item accepts (its options' values and labels), for messages. */
  accepted: string;
  /** Where the cell is when the input is not a CSV: `sheet Data, cell C14`, `case 12, variable trust_1`. */
  place?: string;
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
  /** An Excel workbook (with the sheet read) or an SPSS .sav file; absent for a CSV. */
  format?: 'xlsx' | 'sav';
  sheet?: string;
  /** Data records read (after the header records; blank lines not counted). */
  rowsRead: number;
  /**
   * Rows left out, by reason: preview, test, spam, incomplete, duplicate (always present); and when
   * they occur not_collected, other_repeating, other_event (REDCap).
   */
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
  /** REDCap: the distinct `redcap_event_name` values of the rows read, in order of appearance. */
  events: string[];
  /** REDCap: records with rows of more than one event among the rows kept. */
  multiEventRecords: number;
}

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

/** One pass over the input: the ingest reader's records go to `pass.record`. */
async function runPass(options: ScoreOptions, mode: PassMode, onRow: (row: ScoredRow) => void): Promise<ScoreSummary> {
  const pass = new ScoringPass(options, mode, onRow);
  const collect = mode.mode === 'collect';
  const facts = await readRecords(
    {
      file: options.input,
      text: options.text,
      stdin: options.stdin,
      // 256 KiB reads keep the next read in flight while a chunk is parsed; the parser gets 64 KiB slices.
      highWaterMark: 1 << 18,
      encoding: options.encoding,
      delimiter: options.delimiter,
      maxRecordSize: options.maxRecordSize,
      columnName: (i) => pass.columnName(i),
      onDelimiter: (d) => (pass.delimiter = d),
      sheet: options.sheet,
      onSource: (s) => (pass.source = s),
      onWarning: (m) => pass.warn(m),
      onChunk: collect
        ? undefined
        : async (bytes, total) => {
            await options.drain?.();
            options.onProgress?.(bytes, total);
          },
    },
    (fields, line) => pass.record(fields, line),
  );
  pass.end();
  if (!collect) await options.drain?.();
  return pass.summary(facts);
}

/** Per-item table of one-character cells (`"4"` → option index), NOT_FAST elsewhere; and option values. */
interface CellTables {
  fast: Int32Array;
  /** Item k's option v is codeValues[k * 128 + v] (options beyond 128 use the slow path). */
  codeValues: Float64Array;
}

function cellTables(ci: CompiledInstrument): CellTables {
  const codeValues = new Float64Array(ci.items.length * 128).fill(NaN);
  ci.items.forEach((it, k) =>
    it.codes.forEach((c, v) => {
      if (v < 128) codeValues[k * 128 + v] = typeof c === 'number' ? c : NaN;
    }),
  );
  return { fast: fastTables(ci), codeValues };
}

/** The state of one pass: header detection, then per row exclusions, duplicates, cells and scores. */
class ScoringPass {
  readonly file: string;
  readonly where: string;
  readonly ci: CompiledInstrument;
  readonly collect: boolean;
  readonly warnings: string[] = [];
  delimiter = ',';
  /** An Excel or SPSS input: cell places, and a .sav's value labels and user-missing values. */
  source: SourceInfo | undefined;
  private labelMaps: (Map<string, string> | undefined)[] | undefined;

  // Summary counters.
  readonly excluded: Record<string, number> = { preview: 0, test: 0, spam: 0, incomplete: 0, duplicate: 0 };
  rowsRead = 0;
  rowsScored = 0;
  invalidCells = 0;
  emptyCells = 0;
  refusedCells = 0;
  blankLines = 0;
  readonly scaleScored: Float64Array;

  // Reused row buffers.
  readonly row: ScoredRow;
  private readonly kbuf = new Int32Array(1);
  private readonly tables: CellTables;
  private readonly kinds: Uint8Array;

  // Header state: set by setup().
  layout: Layout | undefined;
  plan: ColumnPlan | undefined;
  private readonly headRecords: { fields: string[]; line: number }[] = [];
  private readonly forced: Platform | undefined;
  private readonly headNeed: number;
  private itemCols: Int32Array = new Int32Array(0);
  private width = 0;
  private rawWidth = 0;
  private idCol = -1;
  private rules: RowRules | undefined;
  private dups: Duplicates | undefined;
  private nameIndex = new Map<string, number>();
  /** Accepted rows so far (after exclusions), for --dedupe last. */
  private ordinal = 0;
  /** `NA` that is not an answer is an empty cell (R-written files; REDCap, which never writes NA). */
  private naEmpty = false;
  /** REDCap events seen, and each kept record's first event (for records with several events). */
  private readonly eventsSeen = new Set<string>();
  private readonly recordEvent = new Map<string, string>();
  private readonly multiEvent = new Set<string>();

  constructor(
    readonly options: ScoreOptions,
    private readonly mode: PassMode,
    private readonly onRow: (row: ScoredRow) => void,
  ) {
    this.file = options.input;
    this.where = displayName(options.input);
    this.ci = compileInstrument(options.instrument, { extraMissing: options.mapping?.missing });
    this.collect = mode.mode === 'collect';
    this.scaleScored = new Float64Array(this.ci.scales.length);
    this.tables = cellTables(this.ci);
    this.kinds = Uint8Array.from(this.ci.items, (it) => it.kind);
    this.forced = options.platform && options.platform !== 'auto' ? options.platform : undefined;
    this.headNeed = this.forced ? headerRecordCount(this.forced) : 3;
    const row: ScoredRow = {
      line: 0,
      id: '',
      values: new Float64Array(this.ci.items.length),
      codes: new Int32Array(this.ci.items.length),
      flags: new Int32Array(this.ci.items.length),
      scores: new Float64Array(this.ci.scales.length),
      fields: [],
      cell: (name: string): string => {
        const i = this.nameIndex.get(name);
        return i === undefined ? '' : (row.fields[i] ?? '');
      },
    };
    this.row = row;
  }

  warn(m: string): void {
    if (!this.collect && !this.warnings.includes(m)) this.warnings.push(m);
  }

  columnName(i: number): string | undefined {
    return this.layout ? this.layout.names[i] : this.headRecords[0]?.fields[i];
  }

  /** A record from the reader: a header record until the layout is known, then a data row. */
  record(fields: string[], line: number): void {
    if (this.layout) {
      this.data(fields, line);
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
      this.blankLines++;
      return;
    }
    this.headRecords.push({ fields, line });
    if (this.headRecords.length >= this.headNeed) this.setup();
  }

  /** The header records are in: platform, layout, column plan, row rules; then the rows read ahead. */
  private setup(): void {
    const o = this.options;
    const recs = this.headRecords.map((r) => r.fields);
    const platform = this.forced ?? detectPlatform(recs);
    if (this.forced) {
      const missing = missingForPlatform(recs, this.forced, o);
      if (missing)
        throw new DataError('SCORE_PLATFORM_MISSING', `${this.where}: --platform ${this.forced} needs ${missing}, and the export has none; check the file, or use --platform auto to detect its platform.`, { file: this.file });
    }
    refuseLabelledRedcap(recs[0] ?? [], this.where, this.file);
    const layout = buildLayout(recs, platform, this.forced ? 'forced' : 'detected');
    const plan = planColumns(layout, o.instrument, { file: this.file, mapping: o.mapping, idColumn: o.idColumn, keep: o.keep });
    this.layout = layout;
    this.plan = plan;
    this.itemCols = plan.itemCols;
    this.width = layout.width;
    this.rawWidth = layout.rawWidth;
    this.idCol = plan.idCol;
    this.nameIndex = new Map();
    layout.names.forEach((n, i) => {
      if (!this.nameIndex.has(n)) this.nameIndex.set(n, i);
    });
    this.rules = rowRules(layout, this.itemCols, this.idCol, o);
    this.naEmpty = layout.rowNames || layout.platform === 'redcap';
    // The collect pass of --dedupe last only remembers each key's last row.
    this.dups = new Duplicates(this.collect ? 'last' : (o.dedupe ?? 'keep'), this.rules.keyCols, this.mode.last);
    if (plan.missingItems.length) {
      const m = plan.missingItems;
      this.warn(`${m.length} of the instrument's items are not columns of the export (${m.slice(0, 8).join(', ')}${m.length > 8 ? ', ...' : ''}); they count as unanswered (name their columns with --map if they are there under another name)`);
    }
    if (this.idCol < 0) this.warn('the export has no respondent id column; the output uses the input line number as the id (name the column with --id-column)');
    if (!this.collect) {
      o.onHeader?.({
        layout,
        plan,
        compiled: this.ci,
        scales: this.ci.scales.map((s) => s.id),
        unscaledItems: this.ci.items.filter((it) => it.scale < 0 && it.kind !== ITEM_KIND.TEXT).map((it) => it.index),
      });
    }
    // Records after the header that were read ahead for detection are data.
    const rest = this.headRecords.slice(layout.headerRecords);
    this.headRecords.length = 0;
    for (const r of rest) this.data(r.fields, r.line);
  }

  /** A data row: width check, platform exclusions, duplicates, then cells and scores. */
  private data(fields: string[], line: number): void {
    const n = fields.length;
    if (n !== this.rawWidth) {
      if (n === 1 && fields[0] === '') {
        this.blankLines++;
        return;
      }
      if (!(n === this.width || (n === this.rawWidth + 1 && fields[this.rawWidth] === ''))) throw this.ragged(n, line);
    }
    this.rowsRead++;
    const rules = this.rules!;
    if (rules.eventCol >= 0) this.eventsSeen.add(fields[rules.eventCol]);
    const why = exclusionOf(rules, fields);
    if (why !== undefined) {
      this.excluded[why] = (this.excluded[why] ?? 0) + 1;
      return;
    }
    const ord = this.ordinal++;
    if (this.collect) {
      this.dups!.remember(fields, ord);
      return;
    }
    if (this.dups!.drops(fields, line, ord)) {
      this.excluded.duplicate++;
      return;
    }
    if (rules.eventCol >= 0 && this.idCol >= 0) this.noteEvent(fields[this.idCol], fields[rules.eventCol]);
    this.readCells(fields, line);
    const row = this.row;
    scoreInto(this.ci, row.values, row.scores);
    for (let s = 0; s < row.scores.length; s++) if (row.scores[s] === row.scores[s]) this.scaleScored[s]++;
    this.rowsScored++;
    row.line = line;
    row.id = this.idCol >= 0 ? fields[this.idCol] : String(line);
    row.fields = fields;
    this.onRow(row);
  }

  private ragged(n: number, line: number): DataError {
    return new DataError(
      'CSV_RAGGED_ROW',
      `${this.where}, line ${line}: the record has ${n} fields but the header has ${this.width}; check that line for an unquoted ${delimiterName(this.delimiter)} or a missing field (a field that contains the delimiter must be in double quotes).`,
      { file: this.file, line },
    );
  }

  /**
   * Read every item's cell into row.values and row.codes, counting empty, refused and invalid cells.
   * Hot: one-character cells (most answers) go through a per-item lookup table.
   */
  private readCells(fields: readonly string[], line: number): void {
    const { values, codes } = this.row;
    const { fast, codeValues } = this.tables;
    const itemCols = this.itemCols;
    const items = this.ci.items;
    const kbuf = this.kbuf;
    const { itemForm, formDone } = this.rules!;
    const perForm = formDone.length > 1;
    let empty = 0;
    let refused = 0;
    const userMissing = this.source?.isMissing;
    const labelMaps = userMissing !== undefined ? (this.labelMaps ??= this.savLabelMaps()) : undefined;
    for (let k = 0; k < items.length; k++) {
      const c = itemCols[k];
      if (c < 0) {
        values[k] = NaN;
        codes[k] = CODE.ABSENT;
        continue;
      }
      // REDCap: an item of a form that is not complete in this row is missing.
      if (perForm && itemForm[k] >= 0 && formDone[itemForm[k]] === 0) {
        values[k] = NaN;
        codes[k] = CODE.EMPTY;
        empty++;
        continue;
      }
      let cell = fields[c];
      // A .sav's user-missing value (its own missing codes) is refused, whatever the instrument says.
      if (userMissing !== undefined && userMissing(c, cell)) {
        values[k] = NaN;
        codes[k] = CODE.REFUSED;
        refused++;
        continue;
      }
      if (labelMaps !== undefined) cell = labelMaps[k]?.get(cell) ?? cell;
      if (this.kinds[k] !== ITEM_KIND.CHOICE) {
        const st = this.readOther(k, cell);
        if (st === CELL.EMPTY) empty++;
        else if (st === CELL.REFUSED) refused++;
        else if (st === CELL.INVALID && this.naEmpty && cell === 'NA') {
          codes[k] = CODE.EMPTY;
          empty++;
        } else if (st === CELL.INVALID) this.invalid(k, c, cell, line);
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
      const st = readCell(items[k], cell, kbuf);
      if (st === CELL.VALUE) {
        const v = kbuf[0];
        codes[k] = v;
        values[k] = v < 128 ? codeValues[k * 128 + v] : Number(items[k].codes[v]);
        continue;
      }
      values[k] = NaN;
      if (st === CELL.EMPTY) {
        codes[k] = CODE.EMPTY;
        empty++;
      } else if (st === CELL.REFUSED) {
        codes[k] = CODE.REFUSED;
        refused++;
      } else if (this.naEmpty && cell === 'NA') {
        codes[k] = CODE.EMPTY;
        empty++;
      } else {
        codes[k] = CODE.INVALID;
        this.invalid(k, c, cell, line);
      }
    }
    this.emptyCells += empty;
    this.refusedCells += refused;
  }

  /** Count and report an invalid cell. */
  private invalid(k: number, c: number, cell: string, line: number): void {
    this.invalidCells++;
    const column = this.layout!.names[c];
    const it = this.ci.items[k];
    this.options.onInvalid?.({ line, column, item: it.id, value: cell, message: this.invalidMessage(k, cell), accepted: it.accepted, place: this.source?.place(line, c, column) });
  }

  /**
   * A .sav's value labels, per item: code → the label, for each code whose label is one of the item's
   * options (so a file coded 0-4 is read by its labels, not mistaken for the instrument's 1-5). A warning
   * names the items whose codes and labels disagree with the instrument's values.
   */
  private savLabelMaps(): (Map<string, string> | undefined)[] {
    const vars = this.source?.variables ?? [];
    const shifted: string[] = [];
    const maps = this.ci.items.map((it, k) => {
      const v = this.itemCols[k] >= 0 ? vars[this.itemCols[k]] : undefined;
      if (v === undefined || v.valueLabels.size === 0 || it.kind !== ITEM_KIND.CHOICE) return undefined;
      const m = new Map<string, string>();
      let differs = false;
      for (const [code, label] of v.valueLabels) {
        if (readCell(it, label, this.kbuf) !== CELL.VALUE) continue;
        m.set(code, label);
        const byCode = readCell(it, code, this.kbuf) === CELL.VALUE ? this.kbuf[0] : -1;
        readCell(it, label, this.kbuf);
        if (byCode !== this.kbuf[0]) differs = true;
      }
      if (differs) shifted.push(it.id);
      return m.size > 0 ? m : undefined;
    });
    if (shifted.length > 0 && !this.collect) this.warn(`${shifted.join(', ')}: the .sav file's codes differ from the instrument's values, so ${shifted.length === 1 ? 'its cells were' : 'their cells were'} read by their value labels`);
    return maps;
  }

  /** REDCap: remember each kept record's events; a record seen at a second event has several. */
  private noteEvent(id: string, event: string): void {
    const first = this.recordEvent.get(id);
    if (first === undefined) this.recordEvent.set(id, event);
    else if (first !== event) this.multiEvent.add(id);
  }

  /** Read the cell of a number, text or multiple item into values/codes/flags; returns the CELL status. */
  private readOther(k: number, cell: string): number {
    const { values, codes, flags } = this.row;
    const kind = this.kinds[k];
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
      const v = readNumber(this.ci.items[k], cell);
      codes[k] = v === v ? CODE.NUMBER : CODE.INVALID;
      values[k] = v;
      return v === v ? CELL.VALUE : CELL.INVALID;
    }
    const bits = readMultiple(this.ci.items[k], cell);
    codes[k] = bits >= 0 ? CODE.MULTIPLE : bits === -2 ? CODE.REFUSED : CODE.INVALID;
    if (bits >= 0) flags[k] = bits;
    return bits >= 0 ? CELL.VALUE : bits === -2 ? CELL.REFUSED : CELL.INVALID;
  }

  private invalidMessage(k: number, value: string): string {
    const it = this.ci.items[k];
    if (it.kind === ITEM_KIND.NUMBER) return `${JSON.stringify(value)} is not an answer to item ${it.id}; accepted: ${it.accepted}; counted as unanswered`;
    const parts = it.kind === ITEM_KIND.CHOICE ? multiSelectParts(it, value) : undefined;
    if (parts)
      return `${JSON.stringify(value)} is a multi-select cell (${parts.length} options), not one option of item ${it.id}; counted as unanswered (declare the item multiple: true to score one 0/1 value per option)`;
    return `${JSON.stringify(value)} is not an answer to item ${it.id}; accepted: ${it.accepted}; counted as unanswered`;
  }

  /** The input has ended: a header-only input still gets its layout; duplicates are counted. */
  end(): void {
    if (!this.layout) {
      if (this.headRecords.length === 0) {
        throw new DataError('CSV_EMPTY', `${this.where} is empty (no header row and no data); check that the export finished and that you named the right file.`, { file: this.file });
      }
      this.setup();
    }
    this.dups!.finish(this.file);
  }

  summary(facts: TableFacts): ScoreSummary {
    const { layout, plan, ci } = this;
    const dups = this.dups!;
    const dedupe = this.options.dedupe ?? 'keep';
    if (!this.collect) {
      if (this.rowsRead === 0) this.warn(`${this.where} has a header but no data rows; the output has only its header`);
      else if (this.rowsScored === 0) {
        const reasons = Object.entries(this.excluded).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v}`).join(', ');
        const all = this.rowsRead === 1 ? 'the only data row' : `all ${this.rowsRead} data rows`;
        this.warn(`${all} of ${this.where} ${this.rowsRead === 1 ? 'was' : 'were'} excluded (${reasons}); see --include-incomplete and --include-previews`);
      }
      if (dups.count > 0 && dedupe === 'keep') {
        const ex = dups.examples[0];
        this.warn(`${plural(dups.count, 'row')} ${dups.count === 1 ? 'repeats' : 'repeat'} a respondent id seen earlier (the first: line ${ex.line} repeats line ${ex.firstLine}); all were kept (choose --dedupe first, last or error)`);
      }
      const asked = this.options.events ?? [];
      const unknown = asked.filter((e) => !this.eventsSeen.has(e));
      if (asked.length > 0 && this.rules!.eventCol < 0) this.warn(`--event: ${this.where} has no redcap_event_name column (not a longitudinal REDCap export); --event was ignored`);
      else if (unknown.length > 0)
        this.warn(`--event ${unknown.join(',')}: no row of ${this.where} has ${unknown.length === 1 ? 'this event' : 'these events'}; its events are ${[...this.eventsSeen].join(', ')}`);
    }
    const columns: Record<string, string> = Object.create(null);
    ci.items.forEach((item, k) => {
      if (this.itemCols[k] >= 0) columns[item.id] = layout!.names[this.itemCols[k]];
    });
    const rowsScored = this.rowsScored;
    return {
      input: this.file,
      instrument: { id: this.options.instrument.id, version: this.options.instrument.version },
      platform: layout!.platform,
      platformHow: layout!.how,
      encoding: facts.encoding,
      encodingHow: facts.encodingHow,
      delimiter: facts.delimiter,
      bytes: facts.bytes,
      ...(facts.format ? { format: facts.format, sheet: facts.sheet } : {}),
      rowsRead: this.rowsRead,
      excluded: this.excluded,
      rowsScored,
      invalidCells: this.invalidCells,
      emptyCells: this.emptyCells,
      refusedCells: this.refusedCells,
      scales: ci.scales.map((s, k) => ({ id: s.id, scored: this.scaleScored[k], share: rowsScored > 0 ? this.scaleScored[k] / rowsScored : 0 })),
      duplicateIds: dups.count,
      duplicateExamples: dups.examples as DuplicateExample[],
      columns,
      missingItems: plan!.missingItems,
      blankLines: this.blankLines,
      events: [...this.eventsSeen],
      multiEventRecords: this.multiEvent.size,
      warnings: this.warnings,
    };
  }
}

/**
 * A REDCap export with labels (headers are field labels, `Complete?` columns, choice labels as values)
 * is refused: its columns cannot be told from the instrument's field names reliably, so the raw export
 * is asked for (exit 65).
 */
function refuseLabelledRedcap(header: readonly string[], where: string, file: string): void {
  const complete = header.filter((h) => /\bComplete\?\s*$/.test(h));
  if (complete.length === 0) return;
  throw new DataError(
    'SCORE_REDCAP_LABELLED',
    `${where}: is a REDCap export with labels (${complete.length === 1 ? 'a column' : 'columns'} ${complete.slice(0, 3).map((h) => JSON.stringify(h)).join(', ')}${complete.length > 3 ? ', ...' : ''}): its headers are question texts, not field names; export raw data instead (REDCap Data Exports: "CSV / Microsoft Excel (raw data)", or the API with rawOrLabel=raw and rawOrLabelHeaders=raw).`,
    { file },
  );
}
