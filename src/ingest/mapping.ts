/**
 * Which export column holds which item. Without a mapping file, columns match item ids exactly, then
 * case-insensitively; LimeSurvey headings `X[Y]` also match item id `X_Y`; Qualtrics columns also match
 * by their row-3 ImportId. REDCap checkbox columns (`field___code`) match only an item with exactly that
 * id. A `--map` YAML file names the rest:
 *
 *   id: ResponseId          # the respondent id column
 *   items:                  # item id: column in the export (a header name, a Qualtrics ImportId,
 *     trust_1: Q5_1         #   or a 1-based column number written as a YAML number)
 *   missing: ["-99"]        # extra codes that mean no answer (optional)
 *
 * Errors (exit 65) list the export's columns and suggest --map.
 */
import { parseDocument } from 'yaml';
import { DataError } from '../errors.js';
import { displayName } from '../io/input.js';
import type { Instrument } from '../instrument/types.js';
import { type Layout, isRedcapCheckbox, limesurveyUnderscore } from './platform.js';

export interface Mapping {
  /** The file it came from, for messages. */
  source: string;
  id?: string;
  /** Item id → column (header name / ImportId, or a 1-based column number). */
  items: Map<string, string | number>;
  missing: string[];
}

function mapErr(file: string, msg: string): DataError {
  return new DataError('MAP_INVALID', `${file}: ${msg}.`, { file });
}

/** True when YAML aliases made the data circular (`items: &a {x: *a}`). */
function refersToItself(data: unknown): boolean {
  const onPath = new Set<object>();
  const walk = (v: unknown, depth: number): boolean => {
    if (v === null || typeof v !== 'object') return false;
    if (onPath.has(v) || depth > 64) return true;
    onPath.add(v);
    const found = Object.values(v).some((x) => walk(x, depth + 1));
    onPath.delete(v);
    return found;
  };
  return walk(data, 0);
}

/** Parse a mapping file's text (YAML or JSON), checking its shape. */
export function parseMapping(text: string, file: string): Mapping {
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { schema: 'core', customTags: [], uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const where = e.linePos ? `line ${e.linePos[0].line}` : 'the file';
    throw mapErr(file, `is not valid YAML at ${where} (${e.message.split('\n')[0]}); fix the syntax there`);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch {
    throw mapErr(file, 'uses YAML aliases that expand too far; write the mapping out in full');
  }
  if (refersToItself(data)) throw mapErr(file, 'has a YAML alias that refers to itself (an & anchor used inside its own value); write the mapping out in full');
  if (data === null || data === undefined) data = {};
  if (typeof data !== 'object' || Array.isArray(data)) throw mapErr(file, 'must be a YAML mapping with the keys id, items and missing');
  const o = data as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (k !== 'id' && k !== 'items' && k !== 'missing') throw mapErr(file, `has an unknown key "${k}"; the keys are id, items and missing`);
  }
  const m: Mapping = { source: file, items: new Map(), missing: [] };
  if (o.id !== undefined) {
    if (typeof o.id !== 'string' && typeof o.id !== 'number') throw mapErr(file, '"id" must be a column name');
    m.id = String(o.id);
  }
  if (o.items !== undefined && o.items !== null) {
    if (typeof o.items !== 'object' || Array.isArray(o.items)) throw mapErr(file, '"items" must map item ids to columns (trust_1: Q5_1)');
    const seen = new Map<string, string>();
    for (const [item, col] of Object.entries(o.items as Record<string, unknown>)) {
      if (typeof col !== 'string' && !(typeof col === 'number' && Number.isInteger(col) && col >= 1)) {
        throw mapErr(file, `items.${item} must be a column name or a column number (1, 2, ...), not ${JSON.stringify(col)}`);
      }
      const key = typeof col === 'number' ? `#${col}` : col;
      const prev = seen.get(key);
      if (prev !== undefined) {
        throw new DataError('MAP_COLUMN_TWICE', `${file}: column ${JSON.stringify(col)} is named twice (items ${prev} and ${item}); map each item to its own column.`, { file });
      }
      seen.set(key, item);
      m.items.set(item, col);
    }
  }
  if (o.missing !== undefined && o.missing !== null) {
    const arr = Array.isArray(o.missing) ? o.missing : [o.missing];
    for (const v of arr) {
      if (typeof v !== 'string' && typeof v !== 'number') throw mapErr(file, `missing must be a list of codes such as ["-99"], not ${JSON.stringify(v)}`);
      m.missing.push(String(v));
    }
  }
  return m;
}

/** Where each item, the id and the kept columns are in the export. */
export interface ColumnPlan {
  /** Per instrument item (instrument order): its column index, or -1 when the export lacks it. */
  itemCols: Int32Array;
  /** How each item was found: exact, case, limesurvey, importid, map, or '' when not found. */
  matchedBy: string[];
  /** Id column index, or -1 when there is none (the output then uses the input line as the id). */
  idCol: number;
  /** Output header for the id column. */
  idHeader: string;
  /** --keep columns: indexes and their output headers. */
  keepCols: number[];
  keepHeaders: string[];
  /** Items of the instrument not present in the export. */
  missingItems: string[];
}

export interface PlanOptions {
  file: string;
  mapping?: Mapping;
  idColumn?: string;
  keep?: string[];
}

/** The export's columns, for error messages (at most 40 shown). */
export function listColumns(names: string[]): string {
  const shown = names.slice(0, 40).map((n) => JSON.stringify(n));
  return shown.join(', ') + (names.length > 40 ? `, ... (${names.length} columns in all)` : '');
}

/** REDCap columns that, with the record id, identify a row of a longitudinal or repeating project. */
export const REDCAP_KEY_COLUMNS = ['redcap_event_name', 'redcap_repeat_instrument', 'redcap_repeat_instance'] as const;

export const ID_CANDIDATES = ['id', 'respondent_id', 'respondentid', 'response_id', 'responseid', 'record_id', 'participant_id', 'subject_id', 'study_id'];

/** The export's columns indexed by exact name, folded name, LimeSurvey name and Qualtrics ImportId. */
interface ColumnIndex {
  names: string[];
  exact: Map<string, number[]>;
  folded: Map<string, number[]>;
  lime: Map<string, number[]>;
  imports: Map<string, number[]>;
}

function indexColumns(layout: Layout): ColumnIndex {
  const idx: ColumnIndex = { names: layout.names, exact: new Map(), folded: new Map(), lime: new Map(), imports: new Map() };
  const add = (m: Map<string, number[]>, k: string, i: number) => {
    const a = m.get(k);
    if (a) a.push(i);
    else m.set(k, [i]);
  };
  layout.names.forEach((n, i) => {
    add(idx.exact, n, i);
    add(idx.folded, n.trim().toLowerCase(), i);
    if (n.includes('[')) add(idx.lime, limesurveyUnderscore(n).toLowerCase(), i);
    if (layout.importIds[i]) add(idx.imports, layout.importIds[i], i);
  });
  return idx;
}

/** The column index plus what error messages need: the export's file and display name. */
interface Columns extends ColumnIndex {
  file: string;
  where: string;
  mapHint: string;
}

function ambiguous(cols: Columns, what: string, hit: number[]): DataError {
  return new DataError('MAP_COLUMN_AMBIGUOUS', `${cols.where}: ${what} matches ${hit.length} columns (${hit.map((c) => `column ${c + 1} ${JSON.stringify(cols.names[c])}`).join(', ')}); name the one to use in a --map file (by Qualtrics ImportId or column number).`, {
    file: cols.file,
  });
}

/** Find a column by a user-given reference (mapping value, --id-column, --keep). */
function findRef(cols: Columns, ref: string | number, what: string, mapFile?: string): number {
  const { names, where } = cols;
  if (typeof ref === 'number') {
    if (ref >= 1 && ref <= names.length) return ref - 1;
    throw new DataError('MAP_COLUMN_MISSING', `${mapFile ?? where}: ${what} names column number ${ref}, but the export has ${names.length} columns; use a number from 1 to ${names.length} or a column name.`, { file: mapFile ?? cols.file });
  }
  for (const m of [cols.exact, cols.imports]) {
    const hit = m.get(ref);
    if (hit && hit.length === 1) return hit[0];
    if (hit && hit.length > 1) throw ambiguous(cols, `${what} "${ref}"`, hit);
  }
  const hit = cols.folded.get(ref.trim().toLowerCase());
  if (hit && hit.length === 1) return hit[0];
  if (hit && hit.length > 1) throw ambiguous(cols, `${what} "${ref}"`, hit);
  throw new DataError('MAP_COLUMN_MISSING', `${mapFile ? mapFile + ': ' : ''}${what} names the column ${JSON.stringify(ref)}, which ${where} does not have; ${cols.mapHint}.`, { file: mapFile ?? cols.file, column: ref });
}

/** Each item's column: from the mapping, else by exact name, case, LimeSurvey name, then ImportId. */
function matchItems(layout: Layout, inst: Instrument, mapping: Mapping | undefined, cols: Columns): { itemCols: Int32Array; matchedBy: string[] } {
  const itemCols = new Int32Array(inst.items.length).fill(-1);
  const matchedBy = new Array<string>(inst.items.length).fill('');
  const known = new Set(inst.items.map((it) => it.id));
  if (mapping) {
    for (const item of mapping.items.keys()) {
      if (!known.has(item)) {
        throw new DataError('MAP_ITEM_UNKNOWN', `${mapping.source}: items.${item} is not an item of instrument ${inst.id}; its items are ${inst.items.map((i) => i.id).join(', ')}.`, { file: mapping.source });
      }
    }
  }
  inst.items.forEach((it, k) => {
    const mapped = mapping?.items.get(it.id);
    if (mapped !== undefined) {
      itemCols[k] = findRef(cols, mapped, `items.${it.id}`, mapping!.source);
      matchedBy[k] = 'map';
      return;
    }
    const tries: [Map<string, number[]>, string, string][] = [
      [cols.exact, it.id, 'exact'],
      [cols.folded, it.id.toLowerCase(), 'case'],
      [cols.lime, it.id.toLowerCase(), 'limesurvey'],
      [cols.imports, it.id, 'importid'],
    ];
    for (const [m, key, how] of tries) {
      let hit = m.get(key);
      // Checkbox columns (field___code) are used only when named exactly.
      if (hit && how !== 'exact' && layout.platform === 'redcap') hit = hit.filter((c) => !isRedcapCheckbox(cols.names[c]));
      if (!hit || hit.length === 0) continue;
      if (hit.length > 1) throw ambiguous(cols, `item ${it.id}`, hit);
      itemCols[k] = hit[0];
      matchedBy[k] = how;
      return;
    }
  });
  return { itemCols, matchedBy };
}

/** No column read for two items, and at least one item found. */
function checkItemColumns(inst: Instrument, itemCols: Int32Array, cols: Columns): void {
  const { names, where } = cols;
  const owner = new Map<number, string>();
  inst.items.forEach((it, k) => {
    const c = itemCols[k];
    if (c < 0) return;
    const prev = owner.get(c);
    if (prev !== undefined) {
      throw new DataError('MAP_COLUMN_TWICE', `${where}: column ${JSON.stringify(names[c])} would be read for both items ${prev} and ${it.id}; map each item to its own column with --map.`, { file: cols.file, column: names[c] });
    }
    owner.set(c, it.id);
  });
  const found = inst.items.filter((_, k) => itemCols[k] >= 0).length;
  if (found === 0) {
    throw new DataError(
      'MAP_NO_ITEMS_FOUND',
      `${where}: none of the ${inst.items.length} items of instrument ${inst.id} (${inst.items
        .slice(0, 6)
        .map((i) => i.id)
        .join(', ')}${inst.items.length > 6 ? ', ...' : ''}) is a column of the export; ${cols.mapHint} (or check --instrument and --platform).`,
      { file: cols.file },
    );
  }
}

/** The id column: --id-column, else the mapping's id, else the platform's usual one; -1 when there is none. */
function chooseIdColumn(layout: Layout, opts: PlanOptions, itemCols: Int32Array, cols: Columns): number {
  const idRef = opts.idColumn ?? opts.mapping?.id;
  if (idRef !== undefined) {
    return findRef(cols, idRef, opts.idColumn !== undefined ? '--id-column' : 'id', opts.idColumn !== undefined ? undefined : opts.mapping?.source);
  }
  let idCol = -1;
  const itemColSet = new Set(Array.from(itemCols).filter((c) => c >= 0));
  const byName = (cands: string[]) => {
    for (const c of cands) {
      const hit = cols.folded.get(c);
      if (hit && hit.length >= 1 && !itemColSet.has(hit[0])) return hit[0];
    }
    return -1;
  };
  // R's row names (an empty first header cell) are never the respondent id.
  const first = layout.rowNames ? 1 : 0;
  switch (layout.platform) {
    case 'qualtrics':
      idCol = cols.imports.get('_recordId')?.[0] ?? byName(['responseid']);
      break;
    case 'qualtrics-legacy':
      idCol = byName(['responseid']);
      break;
    case 'limesurvey':
      idCol = byName(['id', 'response id']);
      break;
    case 'redcap':
      idCol = first;
      break;
    default:
      idCol = byName(ID_CANDIDATES);
  }
  if (idCol < 0 && cols.names.length > first && !itemColSet.has(first)) idCol = first;
  return idCol;
}

/** Columns copied to the output after the id: REDCap's row keys, then --keep. */
function keptColumns(layout: Layout, keep: string[], idCol: number, cols: Columns): { keepCols: number[]; keepHeaders: string[] } {
  const { names } = cols;
  const keepCols: number[] = [];
  const keepHeaders: string[] = [];
  // REDCap: the key columns that identify a row with the id (event, repeat instrument and instance)
  // follow the id column in the output, so that rows of one record stay apart.
  if (layout.platform === 'redcap') {
    for (const key of REDCAP_KEY_COLUMNS) {
      const c = names.indexOf(key);
      if (c >= 0 && c !== idCol) {
        keepCols.push(c);
        keepHeaders.push(key);
      }
    }
  }
  for (const k of keep) {
    const c = findRef(cols, k, '--keep');
    if (keepCols.includes(c)) continue;
    keepCols.push(c);
    keepHeaders.push(names[c]);
  }
  return { keepCols, keepHeaders };
}

export function planColumns(layout: Layout, inst: Instrument, opts: PlanOptions): ColumnPlan {
  const names = layout.names;
  const cols: Columns = {
    ...indexColumns(layout),
    file: opts.file,
    where: displayName(opts.file),
    mapHint: `the export's columns are ${listColumns(names)}; name the right ones in a mapping file given with --map`,
  };
  const { itemCols, matchedBy } = matchItems(layout, inst, opts.mapping, cols);
  checkItemColumns(inst, itemCols, cols);
  const idCol = chooseIdColumn(layout, opts, itemCols, cols);
  const { keepCols, keepHeaders } = keptColumns(layout, opts.keep ?? [], idCol, cols);
  return {
    itemCols,
    matchedBy,
    idCol,
    idHeader: idCol >= 0 ? names[idCol] : 'line',
    keepCols,
    keepHeaders,
    missingItems: inst.items.filter((_, k) => itemCols[k] < 0).map((i) => i.id),
  };
}
