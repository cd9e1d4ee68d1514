/**
 * Loading the report's data: a survey export scored with the instrument (through the same streaming
 * pipeline as `rapport score`), or an already scored CSV (through the ingest module's decoder, delimiter
 * sniffing and record reader), plus an optional second CSV joined by a key column. Only the columns the
 * report needs are kept, as typed arrays; ids are used for the join and then dropped; free text is
 * never kept (only the named columns are read).
 */
import type { Readable } from 'node:stream';
import { DataError, UsageError } from '../errors.js';
import { displayName } from '../io/input.js';
import type { Instrument, Item } from '../instrument/types.js';
import { localize, responseSetOf } from '../instrument/types.js';
import { normalizeLabel } from '../instrument/validate.js';
import type { Mapping } from '../ingest/mapping.js';
import { delimiterName } from '../ingest/sniff.js';
import { type ReadOptions, readRecords } from '../ingest/table.js';
import type { CompiledInstrument } from '../scoring/compile.js';
import { scoreInput, type ScoreHeader, type ScoreOptions, type ScoredRow, type ScoreSummary } from '../scoring/pipeline.js';
import { keyedInto } from '../scoring/score.js';
import { sortLevels } from '../stats/design.js';
import { I32Builder, MAX_ABS_VALUE, RowStore, TextColumnBuilder, levelCounts, numericValues, parseNumber, type OutOfRange, type TextColumn } from './columns.js';
import type { CovariateColumn, DyadSide, GroupColumn, OutcomeColumn, ReportData, ScaleItems, TraitColumn } from './data.js';
import type { Counts, JoinInfo, OutcomeRule, OutcomeType, ReportWarning } from './types.js';
import { DEFAULT_MIN_CELL } from './analyze.js';
import { idColumnError, idColumnsOf, refuseIfIdentifying } from './identifying.js';
import { outcomePhrase } from './facts-lead.js';
import { columnFamilyOutcome, itemFamilyOutcome } from './outcome-family.js';
import { codeByComparison, comparisonText, parseComparison, satisfies, unmatchedAsNegative, type UnmatchedRule } from './positive.js';
import type { OutcomeSource } from './types.js';
import { designColumnNames, loadDesign, subsetData, type DesignRequest } from './design-load.js';

export interface LoadOptions {
  /** Path of the input, or `-` for standard input. */
  input: string;
  stdin?: Readable;
  /** The input as text (tests); `input` then only names it. */
  text?: string;
  instrument?: Instrument;
  mapping?: Mapping;
  idColumn?: string;
  platform?: 'auto' | 'plain' | 'qualtrics' | 'qualtrics-legacy' | 'redcap' | 'limesurvey';
  /** The rest of the input contract (src/cli/input-options.ts) for scoring and reading the input. */
  reading?: Pick<ScoreOptions, 'includeIncomplete' | 'includePreviews' | 'events' | 'dedupe' | 'encoding' | 'delimiter' | 'maxRecordSize' | 'onInvalid' | 'sheet'>;
  outcome: string;
  positive?: string[];
  /** --outcome-type (default: from the item's options or the column's values; see outcome-family.ts). */
  outcomeType?: OutcomeType;
  predictors?: string[];
  covariates?: string[];
  groupBy?: string;
  /** The clinician column (--cluster) and the case-mix adjusters (--case-mix; default the covariates). */
  cluster?: string;
  caseMix?: string[];
  /** The small-cell limit (--min-cell): a categorical variable with this many values, nearly all distinct, identifies respondents. */
  minCell?: number;
  /** --join: `on` is the key in the input, `onJoined` (default the same) in the joined file (`--on A=B`). */
  join?: { file: string; on: string; onJoined?: string; text?: string };
  /** --dyad: keep the patient side's key column `on` (never output) and these items' values for pairing (dyad-load.ts). */
  dyad?: { on: string; items: string[] };
  /** --unmatched: respondents absent from the joined file have a missing (default) or negative outcome. */
  unmatched?: UnmatchedRule;
  /** --outcome-source (default: record when the outcome comes from --join, else survey). */
  outcomeSource?: OutcomeSource;
  /** The sampling design (--weights, --strata, --replicate-weights; design-load.ts). */
  design?: DesignRequest;
  /** Called with the number of bytes read and the total (progress bars). */
  onProgress?: (bytesRead: number, totalBytes: number | undefined) => void;
}

/** Where a requested variable comes from. */
type Source =
  | { kind: 'scale'; index: number }
  | { kind: 'item'; index: number }
  | { kind: 'column'; index: number; name: string }
  | { kind: 'join'; index: number; name: string };

/** A whole CSV read into records (the joined file; small). */
interface Table {
  names: string[];
  rows: string[][];
}

/** Stream a CSV with one header row through the ingest reader: header first, then each record. */
export async function streamTable(
  file: string,
  opts: { text?: string; stdin?: Readable; onProgress?: (b: number, t: number | undefined) => void } & Pick<ReadOptions, 'encoding' | 'delimiter' | 'maxRecordSize' | 'sheet'>,
  onHeader: (names: string[]) => void,
  onRecord: (fields: string[], line: number) => void,
): Promise<{ records: number; kind?: 'xlsx' | 'sav' }> {
  const where = displayName(file);
  let names: string[] | null = null;
  let width = 0;
  let records = 0;
  let delimiter = ',';
  const read = { file, text: opts.text, stdin: opts.stdin, encoding: opts.encoding, delimiter: opts.delimiter, maxRecordSize: opts.maxRecordSize, sheet: opts.sheet, columnName: (i: number) => names?.[i], onDelimiter: (d: string) => (delimiter = d), onChunk: opts.onProgress };
  // A .sav's user-missing values are missing here too (without an instrument nothing else reads them).
  let userMissing: ((column: number, cell: string) => boolean) | undefined;
  let kind: 'xlsx' | 'sav' | undefined;
  await readRecords({ ...read, onSource: (s) => ((userMissing = s.isMissing), (kind = s.kind)) }, (fields, line) => {
    if (fields.length === 1 && fields[0].trim() === '') return; // blank line
    if (userMissing !== undefined && names !== null) for (let i = 0; i < fields.length; i++) if (userMissing(i, fields[i])) fields[i] = '';
    if (names === null) {
      names = fields.map((f) => f.trim());
      width = names.length;
      if (width > 1 && names[width - 1] === '') width--; // trailing delimiter
      names = names.slice(0, width);
      onHeader(names);
      return;
    }
    if (fields.length !== width && !(fields.length === width + 1 && fields[width] === '')) {
      throw new DataError(
        'CSV_RAGGED_ROW',
        `${where}, line ${line}: the record has ${fields.length} fields but the header has ${width}; check that line for an unquoted ${delimiterName(delimiter)} or a missing field.`,
        { file, line },
      );
    }
    records++;
    onRecord(fields, line);
  });
  if (names === null) throw new DataError('CSV_EMPTY', `${where} is empty (no header row); check that you named the right file.`, { file });
  return { records, kind };
}

async function readTable(file: string, text?: string): Promise<Table> {
  let names: string[] = [];
  const rows: string[][] = [];
  await streamTable(
    file,
    { text },
    (n) => (names = n),
    (f) => rows.push(f),
  );
  return { names, rows };
}

export function findName(names: readonly string[], want: string): number {
  let i = names.indexOf(want);
  if (i >= 0) return i;
  const lw = want.toLowerCase();
  const hits = names.map((n, k) => (n.toLowerCase() === lw ? k : -1)).filter((k) => k >= 0);
  if (hits.length === 1) i = hits[0];
  return i;
}

export function listNames(names: readonly string[]): string {
  const shown = names.slice(0, 30).join(', ');
  return names.length > 30 ? `${shown}, ... (${names.length} columns)` : shown;
}

function outcomeLabel(variable: string): string {
  return outcomePhrase(variable, null);
}

const lang = (inst: Instrument) => inst.languages[0] ?? 'en';

/** The label of an option value of an item, in the instrument's first language. */
function optionLabel(inst: Instrument, item: Item, value: number): string {
  const rs = responseSetOf(inst, item);
  const o = rs.options.find((x) => x.value === value);
  return o ? localize(o.label, lang(inst)) : String(value);
}

/** The variables the report asks for, checked for names given twice. */
interface Request {
  outcome: string;
  predictors: string[];
  covariates: string[];
  groupBy: string | undefined;
  cluster: string | undefined;
  caseMix: string[];
  /** Every name, outcome first. */
  all: string[];
  /** The design's columns and their roles (for messages), once the header is known. */
  roles?: Map<string, string>;
}

/** Add the sampling design's columns to the request (their names need the header: replicate weights). */
function addDesignColumns(req: Request, o: LoadOptions, header: readonly string[]): void {
  if (!o.design || req.roles) return;
  req.roles = designColumnNames(o.design, header, displayName(o.input), req.all);
  req.all.push(...[...req.roles.keys()].filter((k) => !req.all.includes(k)));
}

function requestOf(o: LoadOptions, inst: Instrument | undefined): Request {
  const predictors = o.predictors && o.predictors.length > 0 ? o.predictors : inst ? inst.scales.map((s) => s.id) : [];
  if (predictors.length === 0) throw new UsageError('Without --instrument, name the score columns to use as predictors with --predictors (for example --predictors trust,respect).');
  const covariates = o.covariates ?? [];
  const seen = new Set<string>();
  for (const n of [...predictors, ...covariates]) {
    if (seen.has(n)) throw new UsageError(`"${n}" is named twice among --predictors and --covariates; name each variable once.`);
    seen.add(n);
  }
  if (seen.has(o.outcome)) throw new UsageError(`"${o.outcome}" is the outcome; it cannot also be a predictor or covariate.`);
  if (o.cluster !== undefined && (seen.has(o.cluster) || o.cluster === o.outcome || (o.caseMix ?? []).includes(o.cluster)))
    throw new UsageError(`--cluster ${o.cluster} is also the outcome, a predictor, a covariate or a case-mix adjuster; the clinician column identifies clinicians and cannot be analysed as a variable.`);
  const caseMix = o.caseMix ?? [];
  const extra = [...(o.groupBy ? [o.groupBy] : []), ...(o.cluster ? [o.cluster] : []), ...caseMix.filter((c) => !seen.has(c))];
  return { outcome: o.outcome, predictors, covariates, groupBy: o.groupBy, cluster: o.cluster, caseMix, all: [o.outcome, ...predictors, ...covariates, ...extra] };
}

/** The joined file: its rows, key column and the first row of each key. */
interface JoinTable extends Table {
  file: string;
  on: string;
  /** The key's name in the joined file. */
  onJoined: string;
  keyCol: number;
  index: Map<string, number>;
  duplicateKeys: number;
}

async function readJoin(j: NonNullable<LoadOptions['join']>): Promise<JoinTable> {
  const t = await readTable(j.file, j.text);
  const onJoined = j.onJoined ?? j.on;
  const keyCol = findName(t.names, onJoined);
  if (keyCol < 0)
    throw new DataError('REPORT_JOIN_KEY_MISSING', `${displayName(j.file)}: has no column "${onJoined}" to join on; its columns are ${listNames(t.names)}; name one with --on (--on ${j.on}=<its name> when it differs).`, {
      file: j.file,
      column: onJoined,
    });
  const index = new Map<string, number>();
  let duplicateKeys = 0;
  t.rows.forEach((r, k) => {
    const key = (r[keyCol] ?? '').trim();
    if (key === '') return;
    if (index.has(key)) duplicateKeys++;
    else index.set(key, k);
  });
  return { ...t, file: j.file, on: j.on, onJoined, keyCol, index, duplicateKeys };
}

/** Where each requested variable comes from: a scale or item of the instrument, an input column, or the joined file. */
function resolveVariables(req: Request, header: readonly string[], inst: Instrument | undefined, join: JoinTable | null, file: string, idCols: Set<number>): { sources: Map<string, Source>; inBoth: string[] } {
  const sources = new Map<string, Source>();
  const inBoth: string[] = [];
  for (const name of req.all) {
    if (sources.has(name)) continue;
    let src: Source | undefined;
    const s = inst ? inst.scales.findIndex((x) => x.id === name) : -1;
    const it = inst && s < 0 ? inst.items.findIndex((x) => x.id === name) : -1;
    if (s >= 0) src = { kind: 'scale', index: s };
    else if (it >= 0) src = { kind: 'item', index: it };
    else {
      const c = findName(header, name);
      if (c >= 0) src = { kind: 'column', index: c, name: header[c] };
      const jc = join ? findName(join.names, name) : -1;
      if (jc >= 0 && jc !== join!.keyCol) {
        if (src) inBoth.push(name);
        else src = { kind: 'join', index: jc, name: join!.names[jc] };
      }
    }
    const what = req.roles?.get(name) ?? (name === req.outcome ? 'outcome' : name === req.groupBy ? '--group-by column' : name === req.cluster ? '--cluster column' : req.predictors.includes(name) ? 'predictor' : req.covariates.includes(name) ? 'covariate' : '--case-mix adjuster');
    if (src?.kind === 'column' && idCols.has(src.index)) throw idColumnError(file, displayName(file), what, src.name);
    if (!src) {
      const avail = [...(inst ? inst.scales.map((x) => x.id) : []), ...header, ...(join ? join.names.map((n) => `${n} (joined)`) : [])];
      throw new DataError(
        'REPORT_VARIABLE_MISSING',
        `${displayName(file)}: the ${what} "${name}" is ${inst ? 'not a scale or item of the instrument and ' : ''}not a column of the input${join ? ' or of the joined file' : ''}; available: ${listNames(avail)}.`,
        { file, column: name },
      );
    }
    sources.set(name, src);
  }
  return { sources, inBoth };
}

/** The numeric columns kept per row: scale scores, item values, keyed reliability items. */
interface Layout {
  scales: number[];
  items: number[];
  columns: { index: number; name: string }[];
  /** Reliability: per predictor scale, its items (instrument indexes). */
  relScales: { scale: number; items: number[] }[];
}

function layoutOf(sources: Map<string, Source>, req: Request, compiled: CompiledInstrument | null, extraItems: number[] = []): Layout {
  const scales = new Set<number>();
  const items = new Set<number>(extraItems);
  const columns = new Map<number, string>();
  for (const src of sources.values()) {
    if (src.kind === 'scale') scales.add(src.index);
    if (src.kind === 'item') items.add(src.index);
    if (src.kind === 'column' && !columns.has(src.index)) columns.set(src.index, src.name);
  }
  const relScales = compiled
    ? req.predictors
        .map((p) => sources.get(p))
        .filter((s): s is { kind: 'scale'; index: number } => s?.kind === 'scale')
        .map((s) => ({ scale: s.index, items: Array.from(compiled.scales[s.index].items) }))
    : [];
  return { scales: [...scales], items: [...items], columns: [...columns].map(([index, name]) => ({ index, name })), relScales };
}

/** The columns collected from the rows (one entry per analysed respondent). */
interface Collected {
  n: number;
  scale: Map<number, Float64Array>;
  item: Map<number, Float64Array>;
  /** Keyed item columns per layout.relScales entry. */
  rel: Float64Array[][];
  text: Map<number, TextColumn>;
  /** Row of the joined file per respondent (-1: none). */
  joinRows: Int32Array | null;
  /** --dyad: the patient side's key per respondent (trimmed; kept in memory for pairing only). */
  dyadKeys: string[] | null;
}


/**
 * Collects the layout's columns row by row. Numeric values go into one row-major store (one
 * typed-array write per value in the per-row function; no Map iteration or method call per value).
 */
class Collector {
  n = 0;
  private readonly store: RowStore;
  private readonly text: TextColumnBuilder[];
  private readonly joinRows: I32Builder | null;
  private readonly dyadKeys: string[] | null;

  constructor(
    private readonly layout: Layout,
    private readonly join: JoinTable | null,
    /** The --dyad key's column in the input (null: no --dyad). */
    private readonly dyadKey: number | null = null,
  ) {
    this.dyadKeys = dyadKey !== null ? [] : null;
    const rel = layout.relScales.reduce((a, r) => a + r.items.length, 0);
    this.store = new RowStore(layout.scales.length + layout.items.length + rel);
    this.text = layout.columns.map((c) => new TextColumnBuilder(c.name));
    this.joinRows = join ? new I32Builder() : null;
  }

  private pushJoin(key: string): void {
    const k = key.trim();
    const r = k === '' ? undefined : this.join!.index.get(k);
    this.joinRows!.push(r === undefined ? -1 : r);
  }

  /** The per-row function for scored rows: every array it reads is a constant of the closure. */
  scoredRowFn(compiled: CompiledInstrument, key: { fromId: boolean; col: number }): (row: ScoredRow) => void {
    const st = this.store;
    const sIdx = Int32Array.from(this.layout.scales);
    const iIdx = Int32Array.from(this.layout.items);
    const rIdx = Int32Array.from(this.layout.relScales.flatMap((r) => r.items));
    const cIdx = Int32Array.from(this.layout.columns, (c) => c.index);
    const cArr = this.text;
    const join = this.joinRows !== null;
    const dk = this.dyadKey;
    const keys = this.dyadKeys;
    return (row: ScoredRow) => {
      this.n++;
      const scores = row.scores;
      const values = row.values;
      let o = st.next();
      const buf = st.buf;
      for (let j = 0; j < sIdx.length; j++) buf[o++] = scores[sIdx[j]];
      for (let j = 0; j < iIdx.length; j++) buf[o++] = values[iIdx[j]];
      keyedInto(compiled, rIdx, values, buf, o); // reliability items, reverse keyed as in scoring
      const fields = row.fields;
      for (let j = 0; j < cIdx.length; j++) cArr[j].push(fields[cIdx[j]] ?? '', row.line);
      if (join) this.pushJoin(key.fromId ? row.id : (fields[key.col] ?? ''));
      if (dk !== null) keys!.push((fields[dk] ?? '').trim());
    };
  }

  /** One record of an already scored CSV (text columns only). */
  pushFields(fields: string[], keyCol: number, line = 0): void {
    this.n++;
    this.layout.columns.forEach((c, j) => this.text[j].push(fields[c.index] ?? '', line));
    if (this.joinRows) this.pushJoin(fields[keyCol] ?? '');
    if (this.dyadKey !== null) this.dyadKeys!.push((fields[this.dyadKey] ?? '').trim());
  }

  finish(): Collected {
    const L = this.layout;
    let j = 0;
    const col = () => this.store.column(j++);
    const scale = new Map(L.scales.map((s) => [s, col()] as const));
    const item = new Map(L.items.map((k) => [k, col()] as const));
    const rel = L.relScales.map((r) => r.items.map(() => col()));
    const text = new Map(L.columns.map((c, k) => [c.index, this.text[k].finish()] as const));
    return { n: this.n, scale, item, rel, text, joinRows: this.joinRows ? this.joinRows.finish() : null, dyadKeys: this.dyadKeys };
  }
}

/** What reading the input gives: the columns, the counts and the loading warnings. */
interface ReadResult {
  cols: Collected;
  sources: Map<string, Source>;
  inBoth: string[];
  layout: Layout;
  compiled: CompiledInstrument | null;
  format: string;
  counts: Counts;
  warnings: ReportWarning[];
}

/** A survey export, scored with the instrument through the same pipeline as `rapport score`. */
async function readScored(o: LoadOptions, inst: Instrument, req: Request, join: JoinTable | null): Promise<ReadResult> {
  type Setup = { collector: Collector; rowFn: (row: ScoredRow) => void; sources: Map<string, Source>; inBoth: string[]; layout: Layout; compiled: CompiledInstrument };
  let setup: Setup | null = null;
  const onHeader = (h: ScoreHeader) => {
    addDesignColumns(req, o, h.layout.names);
    const ids = idColumnsOf(h.layout.names, (w) => findName(h.layout.names, w), { pipelineId: h.plan.idCol, joinOn: join?.on });
    const { sources, inBoth } = resolveVariables(req, h.layout.names, inst, join, o.input, ids);
    const layout = layoutOf(sources, req, h.compiled, dyadItemIndexes(o, inst));
    const dk = o.dyad ? dyadKeyColumn(o, h.layout.names) : -1;
    const collector = new Collector(layout, join, o.dyad ? dk : null);
    const col = join ? findName(h.layout.names, join.on) : -1;
    setup = { collector, rowFn: collector.scoredRowFn(h.compiled, { fromId: col < 0, col }), sources, inBoth, layout, compiled: h.compiled };
  };
  const pipelineOptions = { input: o.input, stdin: o.stdin, text: o.text, instrument: inst, mapping: o.mapping, idColumn: o.idColumn, platform: o.platform, ...o.reading, onProgress: o.onProgress, onHeader };
  const summary = await scoreInput(pipelineOptions, (row: ScoredRow) => setup!.rowFn(row));
  refuseSeveralEvents(o, summary);
  const s = setup as unknown as Setup; // set by onHeader (the pipeline fails on a file without a header)
  const warnings: ReportWarning[] = summary.warnings.map((text) => ({ code: 'input', text }));
  if (summary.invalidCells > 0) warnings.push({ code: 'invalid_cells', n: summary.invalidCells });
  const excluded = Object.entries(summary.excluded)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => ({ reason: k, n: v }));
  const counts = { read: summary.rowsRead, excluded, analysed: summary.rowsScored, invalidCells: summary.invalidCells };
  return { cols: s.collector.finish(), sources: s.sources, inBoth: s.inBoth, layout: s.layout, compiled: s.compiled, format: summary.format ? `${summary.platform}+${summary.format}` : summary.platform, counts, warnings };
}

/** The input's --dyad key column (a column of the file: pairing never falls back to the respondent id). */
function dyadKeyColumn(o: LoadOptions, names: readonly string[]): number {
  const dk = findName(names, o.dyad!.on);
  if (dk < 0)
    throw new DataError('REPORT_DYAD_KEY_MISSING', `${displayName(o.input)}: has no column "${o.dyad!.on}" to pair the clinician's form on; its columns are ${listNames(names)}; name it with --on (--on <its name>=<name in the clinicians' file> when the names differ).`, { file: o.input, column: o.dyad!.on });
  return dk;
}

/** Instrument indexes of the --dyad paired items of the patient's form. */
function dyadItemIndexes(o: LoadOptions, inst: Instrument): number[] {
  return (o.dyad?.items ?? []).map((id) => inst.items.findIndex((x) => x.id === id)).filter((k) => k >= 0);
}

/**
 * A longitudinal REDCap export whose records have rows at several events would count each event as a
 * separate patient: without --event, exit 2 listing the events (report has no clustered model).
 */
export function refuseSeveralEvents(o: LoadOptions, summary: ScoreSummary): void {
  if (summary.multiEventRecords === 0 || (o.reading?.events?.length ?? 0) > 0) return;
  const n = summary.multiEventRecords;
  throw new UsageError(
    `${displayName(o.input)}: ${n === 1 ? '1 record has' : `${n} records have`} rows at several events (${summary.events.length} events: ${summary.events.join(', ')}); the report would count each event as another patient. Choose the events to analyse with --event (for example --event ${summary.events[0]}).`,
  );
}

/** An already scored CSV: the named columns as text. */
async function readScoredCsv(o: LoadOptions, req: Request, join: JoinTable | null): Promise<ReadResult> {
  type Setup = { collector: Collector; keyCol: number; sources: Map<string, Source>; inBoth: string[]; layout: Layout };
  let setup: Setup | null = null;
  const onHeader = (names: string[]) => {
    addDesignColumns(req, o, names);
    const ids = idColumnsOf(names, (w) => findName(names, w), { idColumn: o.idColumn, joinOn: join?.on });
    const { sources, inBoth } = resolveVariables(req, names, undefined, join, o.input, ids);
    const layout = layoutOf(sources, req, null);
    const keyCol = join ? findName(names, join.on) : -1;
    if (join && keyCol < 0)
      throw new DataError('REPORT_JOIN_KEY_MISSING', `${displayName(o.input)}: has no column "${join.on}" to join on; its columns are ${listNames(names)}.`, { file: o.input, column: join.on });
    const dk = o.dyad ? dyadKeyColumn(o, names) : -1;
    setup = { collector: new Collector(layout, join, o.dyad ? dk : null), keyCol, sources, inBoth, layout };
  };
  const reading = { encoding: o.reading?.encoding, delimiter: o.reading?.delimiter, maxRecordSize: o.reading?.maxRecordSize, sheet: o.reading?.sheet };
  const { kind } = await streamTable(o.input, { text: o.text, stdin: o.stdin, onProgress: o.onProgress, ...reading }, onHeader, (fields, line) => setup!.collector.pushFields(fields, setup!.keyCol, line));
  const s = setup as unknown as Setup; // set by onHeader (the pipeline fails on a file without a header)
  const cols = s.collector.finish();
  return { cols, sources: s.sources, inBoth: s.inBoth, layout: s.layout, compiled: null, format: kind ? `scored+${kind}` : 'scored CSV', counts: { read: cols.n, excluded: [], analysed: cols.n, invalidCells: 0 }, warnings: [] };
}

/** Text columns of the input and of the joined file (expanded to one entry per respondent, cached). */
class TextColumns {
  private readonly joined = new Map<number, TextColumn>();
  constructor(
    private readonly cols: Collected,
    private readonly join: JoinTable | null,
    /** The main input's path (for error details). */
    readonly file: string,
  ) {}

  /** The path a column comes from (for error details). */
  pathOf(src: Source): string {
    return src.kind === 'join' ? this.join!.file : this.file;
  }

  of(src: Source): TextColumn | null {
    if (src.kind === 'column') return this.cols.text.get(src.index)!;
    if (src.kind !== 'join') return null;
    let t = this.joined.get(src.index);
    if (!t) {
      t = expandJoined(this.join!, src.index, this.cols.joinRows!);
      this.joined.set(src.index, t);
    }
    return t;
  }

  /** The file a column comes from, as shown in messages. */
  fileOf(src: Source): string {
    return displayName(src.kind === 'join' ? this.join!.file : this.file);
  }
}

/** Column jc of the joined file, one entry per respondent through their matched row. */
function expandJoined(join: JoinTable, jc: number, joinRows: Int32Array): TextColumn {
  const jb = new TextColumnBuilder(join.names[jc]);
  for (const r of join.rows) jb.push(r[jc] ?? '');
  const jt = jb.finish();
  const n = joinRows.length;
  if (jt.kind === 'coded') {
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) codes[i] = joinRows[i] < 0 ? -1 : jt.codes[joinRows[i]];
    return { name: jt.name, kind: 'coded', codes, levels: jt.levels };
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = joinRows[i] < 0 ? NaN : jt.values[joinRows[i]];
  return { name: jt.name, kind: 'numeric-only', values, badText: jt.badText };
}

/** A trait column: a scale score (range from the compiled instrument), an item, or a numeric column. */
function traitColumn(name: string, src: Source, read: ReadResult, compiled: CompiledInstrument | null, inst: Instrument | undefined, text: TextColumns, role: string): TraitColumn {
  if (src.kind === 'scale') {
    const sc = compiled!.scales[src.index];
    return { name, label: localize(inst!.scales[src.index].label, lang(inst!)) || sc.id, lo: sc.lo, hi: sc.hi, values: read.cols.scale.get(src.index)! };
  }
  if (src.kind === 'item') {
    const it = compiled!.items[src.index];
    const known = !Number.isNaN(it.min);
    return { name, label: it.id, lo: known ? it.min : null, hi: known ? it.max : null, values: read.cols.item.get(src.index)! };
  }
  const { values, bad, outOfRange } = numericValues(text.of(src)!);
  if (bad !== null)
    throw new DataError(
      'REPORT_NOT_NUMERIC',
      `${text.fileOf(src)}: the ${role} column "${src.name}" holds the text ${JSON.stringify(bad)}; a ${role} must be a number in every row (leave the cell empty when it is missing).`,
      { file: text.pathOf(src), column: src.name },
    );
  if (outOfRange) throw outOfRangeError(text.fileOf(src), text.pathOf(src), src.name, role, outOfRange);
  return { name, label: src.name, lo: null, hi: null, values };
}

/** A finite but absurd number (1e308) in a predictor or covariate column: exit 65 with its place. */
function outOfRangeError(where: string, file: string | undefined, column: string, role: string, x: OutOfRange): DataError {
  const at = x.line > 0 ? `, line ${x.line}` : '';
  return new DataError(
    'REPORT_OUT_OF_RANGE',
    `${where}${at}, column ${JSON.stringify(column)}: the ${role} value ${JSON.stringify(x.text)} is out of range (at most ${MAX_ABS_VALUE.toExponential(0).replace('e+', 'e')} in size); correct the cell or leave it empty if it is missing.`,
    { file, column, ...(x.line > 0 ? { line: x.line } : {}) },
  );
}

function covariateColumn(name: string, src: Source, numeric: () => Float64Array, text: TextColumns, n: number, minCell: number): CovariateColumn {
  if (src.kind === 'scale' || src.kind === 'item') return { name, kind: 'numeric', values: numeric() };
  const t = text.of(src)!;
  const { values, bad, outOfRange } = numericValues(t);
  if (bad === null && outOfRange) throw outOfRangeError(text.fileOf(src), text.pathOf(src), src.name, 'covariate', outOfRange);
  if (bad === null) return { name, kind: 'numeric', values };
  if (t.kind !== 'coded')
    throw new DataError(
      'REPORT_TOO_MANY_LEVELS',
      `${text.fileOf(src)}: the covariate column "${src.name}" holds more than 50,000 different texts; a categorical covariate needs few levels, and a numeric one only numbers.`,
      { file: text.file, column: src.name },
    );
  refuseIfIdentifying(t, minCell, { file: text.pathOf(src), shown: text.fileOf(src), role: 'covariate', column: src.name });
  const vals: (string | null)[] = new Array(n);
  for (let i = 0; i < n; i++) vals[i] = t.codes[i] < 0 ? null : t.levels[t.codes[i]];
  return { name, kind: 'categorical', values: vals, levels: sortLevels(levelCounts(t).map((x) => x.level)) };
}

function groupColumn(name: string, src: Source, read: ReadResult, inst: Instrument | undefined, text: TextColumns, minCell: number, role = '--group-by column'): GroupColumn {
  if (src.kind === 'scale') throw new UsageError(`${role.replace(' column', '')} ${name} names a scale score; group by a column with few values (a clinic, a site, a physician).`);
  if (src.kind === 'item') {
    const it = inst!.items[src.index];
    const vals = read.cols.item.get(src.index)!;
    const labels = new Map<number, number>();
    const codes = new Int32Array(vals.length);
    const lv: string[] = [];
    for (let i = 0; i < vals.length; i++) {
      const v = vals[i];
      let c = Number.isNaN(v) ? -1 : labels.get(v);
      if (c === undefined) {
        c = lv.length;
        lv.push(optionLabel(inst!, it, v));
        labels.set(v, c);
      }
      codes[i] = c;
    }
    return reorderGroup({ name, codes, levels: lv });
  }
  const t = text.of(src)!;
  if (t.kind !== 'coded') throw new DataError('REPORT_TOO_MANY_LEVELS', `${text.fileOf(src)}: the ${role} "${src.name}" has more than 50,000 different values; group by a column with few values.`, { file: text.file, column: src.name });
  refuseIfIdentifying(t, minCell, { file: text.pathOf(src), shown: text.fileOf(src), role, column: src.name });
  return reorderGroup({ name, codes: t.codes, levels: t.levels });
}

/**
 * The --cluster column: clinician (or clinic) identifiers, as categories. Not refused for having many
 * distinct values (clinicians are many by design), but a column with a value per respondent is not a
 * clinician column; at least 2 clinicians are needed.
 */
function clusterColumn(name: string, src: Source, read: ReadResult, inst: Instrument | undefined, text: TextColumns): GroupColumn {
  const g = groupColumn(name, src, read, inst, text, Number.MAX_SAFE_INTEGER, '--cluster column');
  const file = text.fileOf(src);
  if (g.levels.length < 2)
    throw new DataError('REPORT_TOO_FEW_CLUSTERS', `${file}: the --cluster column "${name}" has ${g.levels.length} clinician${g.levels.length === 1 ? '' : 's'}; a clinician-level analysis needs at least 2 (in practice 20 or more).`, { file: text.file, column: name });
  if (g.levels.length > 0.5 * g.codes.length)
    throw new DataError('REPORT_IDENTIFYING_COLUMN', `${file}: the --cluster column "${name}" has ${g.levels.length} different values for ${g.codes.length} respondents, so it looks like a respondent id, not a clinician; name the column that identifies the clinician.`, { file: text.file, column: name });
  return g;
}

/** How the join went, and its warnings. */
function joinSummary(join: JoinTable, read: ReadResult, outcome: string | null, as: UnmatchedRule): { info: JoinInfo; warnings: ReportWarning[] } {
  const rows = read.cols.joinRows!;
  const n = read.cols.n;
  const used = new Set<number>();
  let matched = 0;
  for (let i = 0; i < rows.length; i++)
    if (rows[i] >= 0) {
      matched++;
      used.add(rows[i]);
    }
  const columns = [...read.sources.entries()].filter(([, s]) => s.kind === 'join').map(([k]) => k);
  const file = displayName(join.file);
  const on = join.onJoined === join.on ? join.on : `${join.on}=${join.onJoined}`;
  const info: JoinInfo = { file, on, rows: join.rows.length, matched, unmatched: n - matched, unused: join.index.size - used.size, duplicateKeys: join.duplicateKeys, columns, unmatchedAs: as };
  const warnings: ReportWarning[] = [];
  if (info.unmatched > 0) warnings.push({ code: 'join_unmatched', unmatched: info.unmatched, n, file, on, columns, outcome, as });
  if (join.duplicateKeys > 0) warnings.push({ code: 'join_duplicates', keys: join.duplicateKeys, file });
  return { info, warnings };
}

/** Load everything the report needs: resolve the variables, read (and join), collect the columns, code the outcome. */
export async function loadReportData(o: LoadOptions): Promise<ReportData> {
  const inst = o.instrument;
  const join = o.join ? await readJoin(o.join) : null;
  const req = requestOf(o, inst);
  const read = inst ? await readScored(o, inst, req, join) : await readScoredCsv(o, req, join);
  const compiled = read.compiled;
  const n = read.cols.n;
  const text = new TextColumns(read.cols, join, o.input);
  const src = (name: string) => read.sources.get(name)!;
  const traits = req.predictors.map((name) => traitColumn(name, src(name), read, compiled, inst, text, 'predictor'));
  const scaleItems: ScaleItems[] | null = inst
    ? read.layout.relScales.map((rs, k) => ({
        scale: inst.scales[rs.scale].id,
        label: localize(inst.scales[rs.scale].label, lang(inst)) || inst.scales[rs.scale].id,
        items: rs.items.map((it, j) => ({ id: inst.items[it].id, values: read.cols.rel[k][j] })),
      }))
    : null;
  const minCell = o.minCell ?? DEFAULT_MIN_CELL;
  const covariates = req.covariates.map((name) => covariateColumn(name, src(name), () => traitColumn(name, src(name), read, compiled, inst, text, 'covariate').values, text, n, minCell));
  const group = req.groupBy ? groupColumn(req.groupBy, src(req.groupBy), read, inst, text, minCell) : null;
  const cluster = req.cluster ? clusterColumn(req.cluster, src(req.cluster), read, inst, text) : null;
  const covariateOf = (name: string) => covariates.find((c) => c.name === name) ?? covariateColumn(name, src(name), () => traitColumn(name, src(name), read, compiled, inst, text, 'covariate').values, text, n, minCell);
  const caseMix = req.caseMix.length ? req.caseMix.map(covariateOf) : null;
  const outcomeSrc = src(o.outcome);
  const outcome = codeOutcome(o, outcomeSrc, inst, read.cols.item, text, n);
  const unmatched = unmatchedRule(o, outcomeSrc.kind === 'join');
  if (unmatched === 'negative') unmatchedAsNegative(outcome.y, read.cols.joinRows!);
  outcome.source = o.outcomeSource ?? (outcomeSrc.kind === 'join' ? 'record' : 'survey');
  const warnings: ReportWarning[] = [...read.warnings, ...read.inBoth.map((column): ReportWarning => ({ code: 'join_column', column }))];
  const joined = join ? joinSummary(join, read, outcomeSrc.kind === 'join' ? o.outcome : null, unmatched) : null;
  if (joined) warnings.push(...joined.warnings);
  const instrument = inst ? { id: inst.id, version: inst.version, title: localize(inst.title, lang(inst)) } : null;
  const data: ReportData = {
    n,
    input: { file: displayName(o.input), format: read.format, instrument, join: joined?.info ?? null },
    counts: read.counts,
    traits,
    scaleItems,
    outcome,
    covariates,
    group,
    ...(cluster ? { cluster, caseMix } : {}),
    warnings,
    ...(o.dyad ? { dyadSide: dyadSideOf(o.dyad, read, inst) } : {}),
  };
  return o.design ? withDesign(data, o.design, req.roles!, (name) => ({ column: text.of(src(name)), shown: text.fileOf(src(name)), path: text.pathOf(src(name)) })) : data;
}

/** The data with its sampling design; respondents without a positive weight dropped (design-load.ts). */
function withDesign(data: ReportData, d: DesignRequest, roles: Map<string, string>, get: Parameters<typeof loadDesign>[1]): ReportData {
  const r = loadDesign(d, get, data.n, roles);
  const out: ReportData = { ...data, design: r.design, warnings: [...data.warnings, ...r.warnings] };
  return r.keep ? subsetData(out, r.keep) : out;
}

/** --unmatched applies only to an outcome from the joined file (exit 2 otherwise). */
function unmatchedRule(o: LoadOptions, fromJoin: boolean): UnmatchedRule {
  if (o.unmatched === 'negative' && !fromJoin)
    throw new UsageError(`--unmatched negative: the outcome ${o.outcome} does not come from the --join file, so no respondent can be unmatched for it; drop --unmatched or take the outcome from the joined file.`);
  return o.unmatched ?? 'missing';
}

/** The patient side of --dyad: the key per respondent and the paired items' values (dyad-load.ts pairs them). */
function dyadSideOf(d: NonNullable<LoadOptions['dyad']>, read: ReadResult, inst: Instrument | undefined): DyadSide {
  const items = new Map<string, Float64Array>();
  if (inst) for (const k of dyadItemIndexes({ dyad: d } as LoadOptions, inst)) items.set(inst.items[k].id, read.cols.item.get(k)!);
  return { on: d.on, keys: read.cols.dyadKeys!, items };
}

/** Sort group levels (as R's sort) and recode. */
function reorderGroup(g: GroupColumn): GroupColumn {
  const present = new Set<number>();
  for (let i = 0; i < g.codes.length; i++) if (g.codes[i] >= 0) present.add(g.codes[i]);
  const levels = sortLevels([...present].map((c) => g.levels[c]));
  const pos = new Map(levels.map((l, k) => [l, k] as const));
  const map = new Int32Array(g.levels.length).fill(-1);
  g.levels.forEach((l, k) => {
    if (pos.has(l)) map[k] = pos.get(l)!;
  });
  const codes = new Int32Array(g.codes.length);
  for (let i = 0; i < codes.length; i++) codes[i] = g.codes[i] < 0 ? -1 : map[g.codes[i]];
  return { name: g.name, codes, levels };
}

const DEFAULT_POSITIVE = ['1', 'yes', 'true'];
const DEFAULT_NEGATIVE = ['0', 'no', 'false'];

function sameValue(a: string, b: string): boolean {
  if (a.trim().toLowerCase() === b.trim().toLowerCase()) return true;
  const x = parseNumber(a);
  const y = parseNumber(b);
  return !Number.isNaN(x) && x === y;
}

/** Code the outcome: a yes/no item of the instrument, or a text column (1/yes/true by default). */
function codeOutcome(o: LoadOptions, src: Source, inst: Instrument | undefined, itemCols: Map<number, Float64Array>, text: TextColumns, n: number): OutcomeColumn {
  if (src.kind === 'scale')
    throw new UsageError(`--outcome ${o.outcome} names a scale score; the outcome must be a yes/no item or column (for example portal_use).`);
  if (src.kind === 'item') return codeItemOutcome(o, inst!, src.index, itemCols.get(src.index)!);
  return codeColumnOutcome(o, src, text, n);
}

/** An item outcome: the higher of two options is positive unless --positive names options. */
function codeItemOutcome(o: LoadOptions, inst: Instrument, index: number, vals: Float64Array): OutcomeColumn {
  const variable = o.outcome;
  const label = outcomeLabel(variable);
  const n = vals.length;
  const y = new Float64Array(n);
  const it = inst.items[index];
  if (it.type === 'number' || it.type === 'text' || it.multiple === true)
    throw new UsageError(`--outcome ${variable} is a ${it.multiple === true ? 'multiple-choice' : it.type} item; the outcome must be a yes/no item or column (for example portal_use).`);
  const family = itemFamilyOutcome({ ...o, label }, inst, it, vals);
  if (family) return family;
  const rs = responseSetOf(inst, it);
  const options = rs.options.filter((op) => typeof op.value === 'number');
  const show = (v: number | string) => `${v} (${localize(rs.options.find((x) => x.value === v)!.label, lang(inst))})`;
  let pos: Set<number>;
  let rule: OutcomeRule;
  const cmp = parseComparison(o.positive);
  if (cmp) {
    pos = new Set(options.filter((op) => satisfies(cmp, op.value as number)).map((op) => op.value as number));
    if (pos.size === 0 || pos.size === options.length)
      throw new UsageError(`--positive ${o.positive!.join(',')}: ${pos.size === 0 ? 'no' : 'every'} option of item ${it.id} satisfies it; its options are ${options.map((op) => show(op.value)).join(', ')}.`);
    rule = 'positive_comparison';
  } else if (o.positive && o.positive.length > 0) {
    pos = new Set();
    for (const tok of o.positive) {
      const t = normalizeLabel(tok);
      const hit = options.find((op) => sameValue(String(op.value), tok) || (typeof op.label === 'string' ? [op.label] : Object.values(op.label)).some((l) => normalizeLabel(l) === t));
      if (!hit)
        throw new UsageError(
          `--positive ${tok}: not an option of item ${it.id}; its options are ${options.map((op) => show(op.value)).join(', ')}.`,
        );
      pos.add(hit.value as number);
    }
    rule = 'positive_option';
  } else if (options.length === 2) {
    const hi = Math.max(...options.map((op) => op.value as number));
    pos = new Set([hi]);
    rule = 'higher_option';
  } else {
    throw new UsageError(
      `--outcome ${variable}: item ${it.id} has ${options.length} options (${options.map((op) => show(op.value)).join(', ')}); say which count as positive with --positive (for example --positive ${options[options.length - 1].value}).`,
    );
  }
  for (let i = 0; i < n; i++) {
    const v = vals[i];
    y[i] = Number.isNaN(v) ? NaN : pos.has(v) ? 1 : 0;
  }
  const posVals = options.filter((op) => pos.has(op.value as number)).map((op) => show(op.value));
  const negVals = options.filter((op) => !pos.has(op.value as number)).map((op) => show(op.value));
  return { variable, y, positive: posVals, negative: negVals, rule, label, question: localize(it.text, lang(inst)) };
}

/** Most example values an error message about the outcome's values shows. */
const OUTCOME_EXAMPLES = 3;

/**
 * The outcome's values for an error message: how many there are, and at most OUTCOME_EXAMPLES of the
 * most common (never every value, and no counts: a rare value may be one respondent's answer).
 */
function outcomeValuesText(seen: { level: string; n: number }[]): string {
  const common = [...seen].sort((a, b) => b.n - a.n).slice(0, OUTCOME_EXAMPLES);
  const shown = common.map((x) => JSON.stringify(x.level)).join(', ');
  if (seen.length === 1) return `1 value, ${shown}`;
  return `${seen.length} different values (${seen.length > common.length ? 'the most common: ' : ''}${shown}${seen.length > common.length ? ', ...' : ''})`;
}

/** A column outcome: values equal up to case and number formatting are one value. */
function codeColumnOutcome(o: LoadOptions, src: Source & { name: string }, text: TextColumns, n: number): OutcomeColumn {
  const variable = o.outcome;
  const label = outcomeLabel(variable);
  const t = text.of(src)!;
  const cmp = parseComparison(o.positive);
  if (cmp) {
    const { values, bad } = numericValues(t);
    if (bad !== null)
      throw new DataError(
        'REPORT_OUTCOME_VALUES',
        `${text.fileOf(src)}: the outcome column "${src.name}" holds the text ${JSON.stringify(bad)}, but --positive ${o.positive!.join(',')} compares numbers; give the values that count as positive as a list instead (for example --positive yes).`,
        { file: text.pathOf(src), column: src.name },
      );
    const shown = comparisonText(cmp);
    return { variable, y: codeByComparison(values, cmp), positive: [shown.positive], negative: [shown.negative], rule: 'positive_comparison', label };
  }
  const family = columnFamilyOutcome({ ...o, label }, t, text.fileOf(src));
  if (family) return family;
  const y = new Float64Array(n);
  if (t.kind !== 'coded')
    throw new DataError('REPORT_OUTCOME_VALUES', `${text.fileOf(src)}: the outcome column "${src.name}" has more than 50,000 different values; the outcome must be binary (yes/no).`, { column: src.name });
  // Values that differ only in case or number formatting ("Yes"/"YES", "1"/"1.0") are one value.
  const canon = (l: string) => {
    const v = parseNumber(l);
    return Number.isNaN(v) ? l.toLowerCase() : `n:${v}`;
  };
  const merged = new Map<string, { level: string; n: number }>();
  for (const x of levelCounts(t)) {
    const k = canon(x.level);
    const m = merged.get(k);
    if (m) m.n += x.n;
    else merged.set(k, { level: x.level, n: x.n });
  }
  const seen = [...merged.entries()].map(([key, v]) => ({ key, level: v.level, n: v.n }));
  refuseIfIdentifying(t, o.minCell ?? DEFAULT_MIN_CELL, { file: text.pathOf(src), shown: text.fileOf(src), role: 'outcome column', column: src.name });
  const seenText = outcomeValuesText(seen);
  let posKeys: Set<string>;
  let rule: OutcomeRule;
  if (o.positive && o.positive.length > 0) {
    posKeys = new Set(o.positive.map(canon));
    if (seen.length > 0 && !seen.some((x) => posKeys.has(x.key)))
      throw new DataError(
        'REPORT_OUTCOME_VALUES',
        `${text.fileOf(src)}: no value of the outcome column "${src.name}" matches --positive ${o.positive.join(',')}; it has ${seenText}.`,
        { column: src.name },
      );
    rule = 'positive_value';
  } else {
    if (seen.length > 2)
      throw new DataError(
        'REPORT_OUTCOME_VALUES',
        `${text.fileOf(src)}: the outcome column "${src.name}" has ${seenText}; say which mean "uses the portal" with --positive.`,
        { column: src.name },
      );
    // 1 = no, 2 = yes is as common as 1 = yes, 2 = no: an outcome coded 1/2 is never guessed.
    if (seen.some((x) => x.key === 'n:2') && seen.every((x) => x.key === 'n:1' || x.key === 'n:2'))
      throw new UsageError(
        `${text.fileOf(src)}: the outcome column "${src.name}" is coded 1/2, which may mean 1 = yes or 1 = no; say which value means "uses the portal" with --positive (for example --positive 2).`,
      );
    const p = seen.filter((x) => DEFAULT_POSITIVE.some((d) => canon(d) === x.key));
    const q = seen.filter((x) => DEFAULT_NEGATIVE.some((d) => canon(d) === x.key));
    if (p.length > 1 || (seen.length === 2 && p.length === 0) || (seen.length === 1 && p.length === 0 && q.length === 0))
      throw new DataError(
        'REPORT_OUTCOME_VALUES',
        `${text.fileOf(src)}: cannot tell which value of the outcome column "${src.name}" means positive (it has ${seenText}); name it with --positive.`,
        { column: src.name },
      );
    posKeys = new Set(p.map((x) => x.key));
    rule = 'default_values';
  }
  const isPos = t.levels.map((l) => posKeys.has(canon(l)));
  for (let i = 0; i < n; i++) {
    const c = t.codes[i];
    y[i] = c < 0 ? NaN : isPos[c] ? 1 : 0;
  }
  const positive = seen.filter((x) => posKeys.has(x.key)).map((x) => x.level);
  const negative = seen.filter((x) => !posKeys.has(x.key)).map((x) => x.level);
  // No positive value occurs: say which values would have counted.
  if (positive.length === 0) positive.push(...(o.positive && o.positive.length ? o.positive : DEFAULT_POSITIVE));
  return { variable, y, positive, negative, rule, label };
}
