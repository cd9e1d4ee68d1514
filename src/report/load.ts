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
import { ByteDecoder, checkNotBinary, detectEncoding } from '../ingest/decode.js';
import { HEAD_BYTES, openByteSource, readHead } from '../ingest/source.js';
import { DEFAULT_MAX_RECORD_SIZE, RecordReader } from '../ingest/records.js';
import { delimiterName, sniffDelimiter } from '../ingest/sniff.js';
import { scoreInput, type ScoreHeader, type ScoredRow } from '../scoring/pipeline.js';
import { sortLevels } from '../stats/design.js';
import { I32Builder, RowStore, Slot, TextColumnBuilder, levelCounts, numericValues, parseNumber, type TextColumn } from './columns.js';
import type { CovariateColumn, GroupColumn, OutcomeColumn, ReportData, ScaleItems, TraitColumn } from './data.js';
import type { Count, JoinInfo } from './types.js';

export interface LoadOptions {
  /** Path of the input, or `-` for standard input. */
  input: string;
  stdin?: Readable;
  /** The input as text (tests); `input` then only names it. */
  text?: string;
  instrument?: Instrument;
  mapping?: Mapping;
  idColumn?: string;
  format?: 'auto' | 'plain' | 'qualtrics' | 'qualtrics-legacy' | 'redcap' | 'limesurvey';
  outcome: string;
  positive?: string[];
  predictors?: string[];
  covariates?: string[];
  groupBy?: string;
  join?: { file: string; on: string; text?: string };
  /** Called with the number of bytes read and the total (progress bars). */
  onProgress?: (bytesRead: number, totalBytes: number | undefined) => void;
}

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
  opts: { text?: string; stdin?: Readable; onProgress?: (b: number, t: number | undefined) => void },
  onHeader: (names: string[]) => void,
  onRecord: (fields: string[], line: number) => void,
): Promise<{ records: number }> {
  const where = displayName(file);
  const { chunks: it, total } = await openByteSource(file, { text: opts.text, stdin: opts.stdin });
  const { head, eof, bytes: headBytes } = await readHead(it);
  let bytes = headBytes;
  const guess = detectEncoding(head, eof);
  checkNotBinary(head, guess.encoding, file);
  const decoder = new ByteDecoder(guess);
  const first = decoder.push(head);
  const delimiter = sniffDelimiter(first.subarray(0, Math.min(first.length, HEAD_BYTES)).toString('utf8'));
  let names: string[] | null = null;
  let width = 0;
  let records = 0;
  const reader = new RecordReader({ file, delimiter, maxRecordSize: DEFAULT_MAX_RECORD_SIZE, columnName: (i) => names?.[i] }, (fields, line) => {
    if (fields.length === 1 && fields[0].trim() === '') return; // blank line
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
  reader.push(first);
  opts.onProgress?.(bytes, total);
  while (!eof) {
    const r = await it.next();
    if (r.done) break;
    const chunk = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    bytes += chunk.length;
    reader.push(decoder.push(chunk));
    opts.onProgress?.(bytes, total);
  }
  reader.push(decoder.end());
  reader.end();
  if (names === null) throw new DataError('CSV_EMPTY', `${where} is empty (no header row); check that you named the right file.`, { file });
  return { records };
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

function findName(names: readonly string[], want: string): number {
  let i = names.indexOf(want);
  if (i >= 0) return i;
  const lw = want.toLowerCase();
  const hits = names.map((n, k) => (n.toLowerCase() === lw ? k : -1)).filter((k) => k >= 0);
  if (hits.length === 1) i = hits[0];
  return i;
}

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, 30).join(', ');
  return names.length > 30 ? `${shown}, ... (${names.length} columns)` : shown;
}

function outcomeLabel(variable: string): string {
  return variable.replace(/[_.]+/g, ' ').trim();
}

const EXCLUSION_REASON: Record<string, string> = {
  preview: 'survey previews',
  test: 'test responses',
  spam: 'spam',
  incomplete: 'unfinished',
  duplicate: 'duplicate ids',
};

/** The label of an option value of an item, in the instrument's first language. */
function optionLabel(inst: Instrument, item: Item, value: number): string {
  const rs = responseSetOf(inst, item);
  const o = rs.options.find((x) => x.value === value);
  return o ? localize(o.label, inst.languages[0] ?? 'en') : String(value);
}

/** The numeric values an item can take: its options' values, or a number item's min and max. */
function optionValues(inst: Instrument, it: Item): number[] {
  if (it.type === 'number') return [it.min!, it.max!];
  return responseSetOf(inst, it).options.map((op) => op.value).filter((v): v is number => typeof v === 'number');
}

/** Load everything the report needs into typed-array columns. */
export async function loadReportData(o: LoadOptions): Promise<ReportData> {
  const file = o.input;
  const where = displayName(file);
  const inst = o.instrument;
  const warnings: { code: string; message: string }[] = [];

  // The joined file first (it is small): key → first row.
  let join: Table | null = null;
  let joinKeyCol = -1;
  const joinIndex = new Map<string, number>();
  let duplicateKeys = 0;
  if (o.join) {
    join = await readTable(o.join.file, o.join.text);
    joinKeyCol = findName(join.names, o.join.on);
    if (joinKeyCol < 0)
      throw new DataError(
        'JOIN_KEY_MISSING',
        `${displayName(o.join.file)}: has no column "${o.join.on}" to join on; its columns are ${listNames(join.names)}; name one with --on.`,
        { file: o.join.file, column: o.join.on },
      );
    join.rows.forEach((r, k) => {
      const key = (r[joinKeyCol] ?? '').trim();
      if (key === '') return;
      if (joinIndex.has(key)) duplicateKeys++;
      else joinIndex.set(key, k);
    });
  }

  const predictorNames = o.predictors && o.predictors.length > 0 ? o.predictors : inst ? inst.scales.map((s) => s.id) : [];
  if (predictorNames.length === 0) throw new UsageError('Without --instrument, name the score columns to use as predictors with --predictors (for example --predictors trust,respect).');
  const covNames = o.covariates ?? [];
  const allNames = [o.outcome, ...predictorNames, ...covNames, ...(o.groupBy ? [o.groupBy] : [])];
  const seenName = new Set<string>();
  for (const n of [...predictorNames, ...covNames]) {
    if (seenName.has(n)) throw new UsageError(`"${n}" is named twice among --predictors and --covariates; name each variable once.`);
    seenName.add(n);
  }
  if (seenName.has(o.outcome)) throw new UsageError(`"${o.outcome}" is the outcome; it cannot also be a predictor or covariate.`);

  const sources = new Map<string, Source>();
  const inBoth: string[] = [];
  const resolve = (headerNames: readonly string[]) => {
    for (const name of allNames) {
      if (sources.has(name)) continue;
      let src: Source | undefined;
      if (inst) {
        const s = inst.scales.findIndex((x) => x.id === name);
        if (s >= 0) src = { kind: 'scale', index: s };
        else {
          const it = inst.items.findIndex((x) => x.id === name);
          if (it >= 0) src = { kind: 'item', index: it };
        }
      }
      if (!src) {
        const c = findName(headerNames, name);
        if (c >= 0) src = { kind: 'column', index: c, name: headerNames[c] };
        const jc = join ? findName(join.names, name) : -1;
        if (jc >= 0 && jc !== joinKeyCol) {
          if (src) inBoth.push(name);
          else src = { kind: 'join', index: jc, name: join!.names[jc] };
        }
      }
      if (!src) {
        const what = name === o.outcome ? 'outcome' : name === o.groupBy ? '--group-by column' : predictorNames.includes(name) ? 'predictor' : 'covariate';
        const avail = [...(inst ? inst.scales.map((s) => s.id) : []), ...headerNames, ...(join ? join.names.map((n) => `${n} (joined)`) : [])];
        throw new DataError(
          'REPORT_VARIABLE_MISSING',
          `${where}: the ${what} "${name}" is ${inst ? 'not a scale or item of the instrument and ' : ''}not a column of the input${join ? ' or of the joined file' : ''}; available: ${listNames(avail)}.`,
          { file, column: name },
        );
      }
      sources.set(name, src);
    }
  };

  // Builders filled row by row.
  const scaleB = new Map<number, Slot>();
  const itemB = new Map<number, Slot>();
  const colB = new Map<number, TextColumnBuilder>();
  const joinRowB = join ? new I32Builder() : null;
  let reliabilityScales: { scale: number; items: number[]; builders: Slot[] }[] = [];
  let n = 0;
  let keyCol = -1;
  let keyFromId = false;
  const joinUsed = join ? new Uint8Array(join.rows.length) : null;
  let matched = 0;

  const setupBuilders = () => {
    for (const src of sources.values()) {
      if (src.kind === 'scale' && !scaleB.has(src.index)) scaleB.set(src.index, new Slot());
      if (src.kind === 'item' && !itemB.has(src.index)) itemB.set(src.index, new Slot());
      if (src.kind === 'column' && !colB.has(src.index)) colB.set(src.index, new TextColumnBuilder(src.name));
    }
  };
  const pushJoin = (key: string) => {
    const k = key.trim();
    const r = k === '' ? undefined : joinIndex.get(k);
    if (r === undefined) joinRowB!.push(-1);
    else {
      joinRowB!.push(r);
      joinUsed![r] = 1;
      matched++;
    }
  };

  let counts = { read: 0, excluded: [] as Count[], analysed: 0, invalidCells: 0 };
  let format: string | null = null;

  // The per-row loop writes every numeric value into one row-major store (no Map iteration, no
  // method call per value): scale scores, then item values, then keyed reliability items.
  let scaleIdx = new Int32Array(0);
  let itemIdx = new Int32Array(0);
  let colIdx = new Int32Array(0);
  let colArr: TextColumnBuilder[] = [];
  let relIdx = new Int32Array(0);
  let relRev = new Uint8Array(0);
  let relSum = new Float64Array(0);
  let store = new RowStore(0);
  const flat = () => {
    scaleIdx = Int32Array.from(scaleB.keys());
    itemIdx = Int32Array.from(itemB.keys());
    colIdx = Int32Array.from(colB.keys());
    colArr = [...colB.values()];
    const rel = reliabilityScales.flatMap((rs) => rs.items.map((k, j) => ({ k, b: rs.builders[j] })));
    relIdx = Int32Array.from(rel.map((r) => r.k));
    relRev = Uint8Array.from(rel.map((r) => (itemRev[r.k] ? 1 : 0)));
    relSum = Float64Array.from(rel.map((r) => itemMin[r.k] + itemMax[r.k]));
    const slots = [...scaleB.values(), ...itemB.values(), ...rel.map((r) => r.b)];
    store = new RowStore(slots.length);
    slots.forEach((sl, j) => {
      sl.col = j;
      sl.store = store;
    });
  };
  let itemMin: number[] = [];
  let itemMax: number[] = [];
  let itemRev: boolean[] = [];
  /** The per-row function, built once the layout is known so that everything it uses is a constant. */
  const makeRowFn = (): ((row: ScoredRow) => void) => {
    flat();
    const st = store;
    const sIdx = scaleIdx;
    const iIdx = itemIdx;
    const rIdx = relIdx;
    const rRev = relRev;
    const rSum = relSum;
    const cIdx = colIdx;
    const cArr = colArr;
    const nS = sIdx.length;
    const nI = iIdx.length;
    const nR = rIdx.length;
    const nC = cIdx.length;
    const join = joinRowB !== null;
    return (row: ScoredRow) => {
      const scores = row.scores;
      const values = row.values;
      let o = st.next();
      const buf = st.buf;
      for (let j = 0; j < nS; j++) buf[o++] = scores[sIdx[j]];
      for (let j = 0; j < nI; j++) buf[o++] = values[iIdx[j]];
      for (let j = 0; j < nR; j++) {
        const v = values[rIdx[j]];
        buf[o++] = rRev[j] === 1 ? rSum[j] - v : v;
      }
      const fields = row.fields;
      for (let j = 0; j < nC; j++) cArr[j].push(fields[cIdx[j]] ?? '');
      if (join) pushJoin(keyFromId ? row.id : (fields[keyCol] ?? ''));
    };
  };
  let rowFn: (row: ScoredRow) => void = () => {};

  if (inst) {
    let header: ScoreHeader | undefined;
    const summary = await scoreInput(
      {
        input: file,
        stdin: o.stdin,
        text: o.text,
        instrument: inst,
        mapping: o.mapping,
        idColumn: o.idColumn,
        format: o.format,
        onProgress: o.onProgress,
        onHeader: (h) => {
          header = h;
          resolve(h.layout.names);
          setupBuilders();
          itemMin = h.compiled.items.map((it) => it.min);
          itemMax = h.compiled.items.map((it) => it.max);
          itemRev = h.compiled.items.map((it) => it.reverse);
          const predScales = predictorNames.map((p) => sources.get(p)).filter((s): s is { kind: 'scale'; index: number } => s?.kind === 'scale');
          reliabilityScales = predScales.map((s) => {
            const items = Array.from(h.compiled.scales[s.index].items);
            return { scale: s.index, items, builders: items.map(() => new Slot()) };
          });
          if (o.join) {
            keyCol = findName(h.layout.names, o.join.on);
            keyFromId = keyCol < 0;
          }
        },
      },
      (row: ScoredRow) => {
        if (n === 0) rowFn = makeRowFn();
        n++;
        rowFn(row);
      },
    );
    void header;
    format = summary.platform;
    counts = {
      read: summary.rowsRead,
      excluded: Object.entries(summary.excluded)
        .filter(([, v]) => v > 0)
        .map(([k, v]) => ({ reason: EXCLUSION_REASON[k] ?? k, n: v })),
      analysed: summary.rowsScored,
      invalidCells: summary.invalidCells,
    };
    for (const w of summary.warnings) warnings.push({ code: 'input', message: w.charAt(0).toUpperCase() + w.slice(1) + '.' });
    if (summary.invalidCells > 0)
      warnings.push({ code: 'invalid_cells', message: `${summary.invalidCells} answers were not valid values of their item and were treated as missing (list them with rapport score --errors).` });
  } else {
    await streamTable(
      file,
      { text: o.text, stdin: o.stdin, onProgress: o.onProgress },
      (names) => {
        resolve(names);
        setupBuilders();
        if (o.join) {
          keyCol = findName(names, o.join.on);
          if (keyCol < 0)
            throw new DataError('JOIN_KEY_MISSING', `${where}: has no column "${o.join.on}" to join on; its columns are ${listNames(names)}.`, { file, column: o.join.on });
        }
      },
      (fields) => {
        if (n === 0) flat();
        n++;
        for (let j = 0; j < colIdx.length; j++) colArr[j].push(fields[colIdx[j]] ?? '');
        if (joinRowB) pushJoin(fields[keyCol] ?? '');
      },
    );
    format = 'scored CSV';
    counts = { read: n, excluded: [], analysed: n, invalidCells: 0 };
  }
  for (const name of inBoth) warnings.push({ code: 'join_column', message: `"${name}" is a column of both the input and the joined file; the input's was used.` });

  // Materialise the columns.
  const scaleCols = new Map<number, Float64Array>();
  for (const [s, b] of scaleB) scaleCols.set(s, b.finish());
  const itemCols = new Map<number, Float64Array>();
  for (const [k, b] of itemB) itemCols.set(k, b.finish());
  const textCols = new Map<number, TextColumn>();
  for (const [c, b] of colB) textCols.set(c, b.finish());
  const joinRows = joinRowB ? joinRowB.finish() : null;
  const joinTextCache = new Map<number, TextColumn>();
  const joinText = (jc: number): TextColumn => {
    let t = joinTextCache.get(jc);
    if (t) return t;
    const jb = new TextColumnBuilder(join!.names[jc]);
    for (const r of join!.rows) jb.push(r[jc] ?? '');
    const jt = jb.finish();
    if (jt.kind === 'coded') {
      const codes = new Int32Array(n);
      for (let i = 0; i < n; i++) codes[i] = joinRows![i] < 0 ? -1 : jt.codes[joinRows![i]];
      t = { name: jt.name, kind: 'coded', codes, levels: jt.levels };
    } else {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = joinRows![i] < 0 ? NaN : jt.values[joinRows![i]];
      t = { name: jt.name, kind: 'numeric-only', values, badText: jt.badText };
    }
    joinTextCache.set(jc, t);
    return t;
  };
  const textOf = (src: Source): TextColumn | null => (src.kind === 'column' ? textCols.get(src.index)! : src.kind === 'join' ? joinText(src.index) : null);
  const fileOf = (src: Source) => (src.kind === 'join' ? displayName(o.join!.file) : where);

  const numericOf = (name: string, role: string): { values: Float64Array; lo: number | null; hi: number | null; label: string } => {
    const src = sources.get(name)!;
    if (src.kind === 'scale') {
      const sc = inst!.scales[src.index];
      const items = sc.items.map((id) => inst!.items.find((x) => x.id === id)!);
      const vals = items.flatMap((it) => optionValues(inst!, it));
      let lo: number | null = Math.min(...vals);
      let hi: number | null = Math.max(...vals);
      if (sc.method === 'sum') {
        lo = lo * items.length;
        hi = hi * items.length;
      }
      if (sc.transform === '0-100') {
        lo = 0;
        hi = 100;
      }
      return { values: scaleCols.get(src.index)!, lo, hi, label: localize(sc.label, inst!.languages[0] ?? 'en') || sc.id };
    }
    if (src.kind === 'item') {
      const it = inst!.items[src.index];
      const vals = optionValues(inst!, it);
      return { values: itemCols.get(src.index)!, lo: vals.length ? Math.min(...vals) : null, hi: vals.length ? Math.max(...vals) : null, label: it.id };
    }
    const t = textOf(src)!;
    const { values, bad } = numericValues(t);
    if (bad !== null)
      throw new DataError(
        'REPORT_NOT_NUMERIC',
        `${fileOf(src)}: the ${role} column "${src.name}" holds the text ${JSON.stringify(bad)}; a ${role} must be a number in every row (leave the cell empty when it is missing).`,
        { file: src.kind === 'join' ? o.join!.file : file, column: src.name },
      );
    return { values, lo: null, hi: null, label: src.name };
  };

  // Predictors.
  const traits: TraitColumn[] = predictorNames.map((name) => {
    const v = numericOf(name, 'predictor');
    return { name, label: v.label, lo: v.lo, hi: v.hi, values: v.values };
  });

  // Reliability items.
  let scaleItems: ScaleItems[] | null = null;
  if (inst) {
    scaleItems = reliabilityScales.map((rs) => {
      const sc = inst.scales[rs.scale];
      return {
        scale: sc.id,
        label: localize(sc.label, inst.languages[0] ?? 'en') || sc.id,
        items: rs.items.map((k, j) => ({ id: inst.items[k].id, values: rs.builders[j].finish() })),
      };
    });
  }

  // Covariates.
  const covariates: CovariateColumn[] = covNames.map((name) => {
    const src = sources.get(name)!;
    if (src.kind === 'scale' || src.kind === 'item') return { name, kind: 'numeric', values: numericOf(name, 'covariate').values };
    const t = textOf(src)!;
    const { values, bad } = numericValues(t);
    if (bad === null) return { name, kind: 'numeric', values };
    if (t.kind !== 'coded')
      throw new DataError(
        'REPORT_TOO_MANY_LEVELS',
        `${fileOf(src)}: the covariate column "${src.name}" holds more than 50,000 different texts (for example ${JSON.stringify(bad)}); a categorical covariate needs few levels, and a numeric one only numbers.`,
        { file, column: src.name },
      );
    const vals: (string | null)[] = new Array(n);
    for (let i = 0; i < n; i++) vals[i] = t.codes[i] < 0 ? null : t.levels[t.codes[i]];
    const levels = sortLevels(levelCounts(t).map((x) => x.level));
    return { name, kind: 'categorical', values: vals, levels };
  });

  // Group-by.
  let group: GroupColumn | null = null;
  if (o.groupBy) {
    const src = sources.get(o.groupBy)!;
    if (src.kind === 'scale') throw new UsageError(`--group-by ${o.groupBy} names a scale score; group by a column with few values (a clinic, a site, a physician).`);
    if (src.kind === 'item') {
      const it = inst!.items[src.index];
      const vals = itemCols.get(src.index)!;
      const labels = new Map<number, number>();
      const codes = new Int32Array(n);
      const lv: string[] = [];
      for (let i = 0; i < n; i++) {
        const v = vals[i];
        if (Number.isNaN(v)) {
          codes[i] = -1;
          continue;
        }
        let c = labels.get(v);
        if (c === undefined) {
          c = lv.length;
          lv.push(optionLabel(inst!, it, v));
          labels.set(v, c);
        }
        codes[i] = c;
      }
      group = reorderGroup({ name: o.groupBy, codes, levels: lv });
    } else {
      const t = textOf(src)!;
      if (t.kind !== 'coded') throw new DataError('REPORT_TOO_MANY_LEVELS', `${fileOf(src)}: the --group-by column "${src.name}" has more than 50,000 different values; group by a column with few values.`, { file, column: src.name });
      group = reorderGroup({ name: o.groupBy, codes: t.codes, levels: t.levels });
    }
  }

  // Outcome.
  const outcome = codeOutcome(o, sources.get(o.outcome)!, inst, itemCols, textOf, fileOf, n);

  let joinInfo: JoinInfo | null = null;
  if (join && joinUsed) {
    let used = 0;
    const usedKeys = new Set<number>();
    for (let r = 0; r < joinUsed.length; r++) if (joinUsed[r]) usedKeys.add(r);
    used = usedKeys.size;
    const keyed = joinIndex.size;
    joinInfo = {
      file: displayName(o.join!.file),
      on: o.join!.on,
      rows: join.rows.length,
      matched,
      unmatched: n - matched,
      unused: keyed - used,
      duplicateKeys,
      columns: [...sources.entries()].filter(([, s]) => s.kind === 'join').map(([k]) => k),
    };
    if (joinInfo.unmatched > 0)
      warnings.push({
        code: 'join_unmatched',
        message: `${joinInfo.unmatched} of ${n} respondents have no row in ${joinInfo.file} (key ${o.join!.on}); their ${joinInfo.columns.join(', ') || 'joined'} values count as missing.`,
      });
    if (duplicateKeys > 0) warnings.push({ code: 'join_duplicates', message: `${duplicateKeys} keys occur more than once in ${joinInfo.file}; the first row of each was used.` });
    if (keyFromId && inst) void 0;
  }

  return {
    n,
    input: {
      file: where,
      format,
      instrument: inst ? { id: inst.id, version: inst.version, title: localize(inst.title, inst.languages[0] ?? 'en') } : null,
      join: joinInfo,
    },
    counts,
    traits,
    scaleItems,
    outcome,
    covariates,
    group,
    warnings,
  };
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

function codeOutcome(
  o: LoadOptions,
  src: Source,
  inst: Instrument | undefined,
  itemCols: Map<number, Float64Array>,
  textOf: (s: Source) => TextColumn | null,
  fileOf: (s: Source) => string,
  n: number,
): OutcomeColumn {
  const variable = o.outcome;
  const label = outcomeLabel(variable);
  const y = new Float64Array(n);
  if (src.kind === 'scale')
    throw new UsageError(`--outcome ${variable} names a scale score; the outcome must be a yes/no item or column (for example portal_use).`);
  if (src.kind === 'item') {
    const it = inst!.items[src.index];
    if (it.type === 'number' || it.type === 'text' || it.multiple === true)
      throw new UsageError(`--outcome ${variable} is a ${it.multiple === true ? 'multiple-choice' : it.type} item; the outcome must be a yes/no item or column (for example portal_use).`);
    const rs = responseSetOf(inst!, it);
    const vals = itemCols.get(src.index)!;
    const options = rs.options.filter((op) => typeof op.value === 'number');
    const show = (v: number | string) => `${v} (${localize(rs.options.find((x) => x.value === v)!.label, inst!.languages[0] ?? 'en')})`;
    let pos: Set<number>;
    let rule: string;
    if (o.positive && o.positive.length > 0) {
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
      rule = 'given by --positive';
    } else if (options.length === 2) {
      const hi = Math.max(...options.map((op) => op.value as number));
      pos = new Set([hi]);
      rule = 'the higher of the item’s two options';
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
    return { variable, y, positive: posVals, negative: negVals, rule, label };
  }
  const t = textOf(src)!;
  if (t.kind !== 'coded')
    throw new DataError('REPORT_OUTCOME_VALUES', `${fileOf(src)}: the outcome column "${src.name}" has more than 50,000 different values; the outcome must be binary (yes/no).`, { column: src.name });
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
  const seenText = seen
    .slice(0, 20)
    .map((x) => `"${x.level}" (${x.n})`)
    .join(', ');
  let posKeys: Set<string>;
  let rule: string;
  if (o.positive && o.positive.length > 0) {
    posKeys = new Set(o.positive.map(canon));
    if (seen.length > 0 && !seen.some((x) => posKeys.has(x.key)))
      throw new DataError(
        'REPORT_OUTCOME_VALUES',
        `${fileOf(src)}: no value of the outcome column "${src.name}" matches --positive ${o.positive.join(',')}; the values are ${seenText}.`,
        { column: src.name },
      );
    rule = 'given by --positive; every other value counts as negative';
  } else {
    if (seen.length > 2)
      throw new DataError(
        'REPORT_OUTCOME_VALUES',
        `${fileOf(src)}: the outcome column "${src.name}" has ${seen.length} different values (${seenText}${seen.length > 20 ? ', ...' : ''}); say which mean "uses the portal" with --positive.`,
        { column: src.name },
      );
    const p = seen.filter((x) => DEFAULT_POSITIVE.some((d) => canon(d) === x.key));
    const q = seen.filter((x) => DEFAULT_NEGATIVE.some((d) => canon(d) === x.key));
    if (p.length > 1 || (seen.length === 2 && p.length === 0) || (seen.length === 1 && p.length === 0 && q.length === 0))
      throw new DataError(
        'REPORT_OUTCOME_VALUES',
        `${fileOf(src)}: cannot tell which value of the outcome column "${src.name}" means positive (values: ${seenText}); name it with --positive.`,
        { column: src.name },
      );
    posKeys = new Set(p.map((x) => x.key));
    rule = 'default: 1, yes or true';
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
