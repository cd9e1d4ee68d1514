/**
 * `report --dyad <clinician file> --on <key>` (issue 15): reads the clinician's side of each visit and
 * pairs it with the patient rows load.ts read. With `--dyad-instrument` the clinician file is scored
 * through the same pipeline as `rapport score` (src/scoring/pipeline.ts); without it, it is an already
 * scored CSV read by the same ingest reader as the report's own scored input (load.ts streamTable), with
 * numeric columns named like the patient predictors. Keys pair the rows: the first clinician row of a key
 * is used and later ones counted as duplicates (as --join does); a patient key seen twice pairs only its
 * first row. Keys are used here and dropped: nothing downstream sees them.
 */
import { DataError, UsageError } from '../errors.js';
import { displayName } from '../io/input.js';
import { checkPairs } from '../instrument/pairs.js';
import { responseSetOf, type Instrument } from '../instrument/types.js';
import type { ScoreOptions, ScoredRow, ScoreHeader } from '../scoring/pipeline.js';
import { scoreInput } from '../scoring/pipeline.js';
import { parseNumber } from './columns.js';
import type { CovariateColumn, ReportData } from './data.js';
import { AGREE_PREFIX, type DyadData, type DyadItemColumns, type DyadTraitColumns } from './dyad-types.js';
import { findName, listNames, streamTable } from './load.js';

/** The default --dyad-cluster column, used when the clinician file has it. */
export const DEFAULT_DYAD_CLUSTER = 'clinician_id';


export interface DyadLoadOptions {
  file: string;
  /** The file's text instead of reading it (tests). */
  text?: string;
  /** The key's name in the patient file and in the clinician file. */
  on: string;
  onClinician: string;
  /** The clinician's form (--dyad-instrument); without it the file is already scored. */
  instrument?: Instrument;
  /** The patient's form (for the `pair:` items), when the patient file was scored with one. */
  patientInstrument?: Instrument;
  /** --dyad-cluster (default clinician_id when present). */
  cluster?: string;
  minCell: number;
  reading?: Pick<ScoreOptions, 'includeIncomplete' | 'includePreviews' | 'maxRecordSize'>;
}

/** What load.ts must keep from the patient file for pairing: the key and the patient side of each `pair:` item. */
export function patientDyadRequest(o: Pick<DyadLoadOptions, 'on' | 'instrument' | 'patientInstrument'>): { on: string; items: string[] } {
  if (!o.instrument || !o.patientInstrument) return { on: o.on, items: [] };
  return { on: o.on, items: checkPairs(o.patientInstrument, o.instrument).pairs.map((p) => p.a) };
}

/** The clinician file's rows: key, cluster text, and per trait / pair key a numeric column. */
interface ClinicianTable {
  keys: string[];
  /** Cells that were not an answer to their item (scored as missing). */
  invalidCells: number;
  cluster: string[] | null;
  clusterColumn: string | null;
  traits: Map<string, number[]>;
  items: Map<string, number[]>;
}

function clusterColumnOf(names: readonly string[], o: DyadLoadOptions): number {
  const c = findName(names, o.cluster ?? DEFAULT_DYAD_CLUSTER);
  if (c < 0 && o.cluster !== undefined)
    throw new DataError('REPORT_DYAD_CLUSTER_MISSING', `${displayName(o.file)}: has no column "${o.cluster}" for --dyad-cluster; its columns are ${listNames(names)}.`, { file: o.file, column: o.cluster });
  return c;
}

function keyMissing(o: DyadLoadOptions, names: readonly string[]): DataError {
  return new DataError(
    'REPORT_DYAD_KEY_MISSING',
    `${displayName(o.file)}: has no column "${o.onClinician}" to pair the visits on; its columns are ${listNames(names)}; name it with --on (--on ${o.on}=<its name> when the names differ).`,
    { file: o.file, column: o.onClinician },
  );
}

/** A clinician export scored with --dyad-instrument, through the scoring pipeline. */
async function readScoredForm(o: DyadLoadOptions, inst: Instrument, traits: string[], pairs: { key: string; b: string }[]): Promise<ClinicianTable> {
  const t: ClinicianTable = { keys: [], invalidCells: 0, cluster: null, clusterColumn: null, traits: new Map(), items: new Map() };
  const scaleIdx = traits.map((name) => [name, inst.scales.findIndex((s) => s.id === name)] as const).filter(([, k]) => k >= 0);
  const itemIdx = pairs.map((p) => [p.key, inst.items.findIndex((x) => x.id === p.b)] as const);
  for (const [name] of scaleIdx) t.traits.set(name, []);
  for (const [key] of itemIdx) t.items.set(key, []);
  let keyCol = -1;
  let clusterCol = -1;
  const onHeader = (h: ScoreHeader) => {
    keyCol = findName(h.layout.names, o.onClinician);
    if (keyCol < 0) throw keyMissing(o, h.layout.names);
    clusterCol = clusterColumnOf(h.layout.names, o);
    if (clusterCol >= 0) {
      t.cluster = [];
      t.clusterColumn = h.layout.names[clusterCol];
    }
  };
  const onInvalid = () => t.invalidCells++;
  await scoreInput({ input: o.file, text: o.text, instrument: inst, platform: 'auto', ...o.reading, onInvalid, onHeader }, (row: ScoredRow) => {
    t.keys.push((row.fields[keyCol] ?? '').trim());
    if (t.cluster) t.cluster.push((row.fields[clusterCol] ?? '').trim());
    for (const [name, k] of scaleIdx) t.traits.get(name)!.push(row.scores[k]);
    for (const [key, k] of itemIdx) t.items.get(key)!.push(row.values[k]);
  });
  return t;
}

/** An already scored clinician CSV: numeric columns named like the patient predictors. */
async function readScoredCsv(o: DyadLoadOptions, traits: string[]): Promise<ClinicianTable> {
  const t: ClinicianTable = { keys: [], invalidCells: 0, cluster: null, clusterColumn: null, traits: new Map(), items: new Map() };
  let keyCol = -1;
  let clusterCol = -1;
  let cols: (readonly [string, number])[] = [];
  const onHeader = (names: string[]) => {
    keyCol = findName(names, o.onClinician);
    if (keyCol < 0) throw keyMissing(o, names);
    clusterCol = clusterColumnOf(names, o);
    if (clusterCol >= 0) {
      t.cluster = [];
      t.clusterColumn = names[clusterCol];
    }
    cols = traits.map((name) => [name, findName(names, name)] as const).filter(([, k]) => k >= 0);
    if (cols.length === 0)
      throw new DataError('REPORT_DYAD_NO_TRAITS', `${displayName(o.file)}: has no column named like a predictor (${traits.join(', ')}) to pair with the patients' scores; its columns are ${listNames(names)}; score it first, or give --dyad-instrument.`, { file: o.file });
    for (const [name] of cols) t.traits.set(name, []);
  };
  await streamTable(o.file, { text: o.text, maxRecordSize: o.reading?.maxRecordSize }, onHeader, (fields, line) => {
    t.keys.push((fields[keyCol] ?? '').trim());
    if (t.cluster) t.cluster.push((fields[clusterCol] ?? '').trim());
    for (const [name, k] of cols) {
      const text = (fields[k] ?? '').trim();
      const v = text === '' ? NaN : parseNumber(text);
      if (text !== '' && Number.isNaN(v))
        throw new DataError('REPORT_NOT_NUMERIC', `${displayName(o.file)}, line ${line}: the clinician's score column "${name}" holds text; a score must be a number (leave the cell empty when it is missing).`, { file: o.file, line, column: name });
      t.traits.get(name)!.push(v);
    }
  });
  return t;
}

/** Pair rows by key: the clinician row of each patient row (-1: none), with the counts. */
function pairRows(patientKeys: string[], clinicianKeys: string[]) {
  const index = new Map<string, number>();
  let duplicateKeys = 0;
  clinicianKeys.forEach((k, r) => {
    if (k === '') return;
    if (index.has(k)) duplicateKeys++;
    else index.set(k, r);
  });
  const rowOf = new Int32Array(patientKeys.length).fill(-1);
  const seen = new Set<string>();
  const used = new Set<number>();
  let patientDuplicateKeys = 0;
  patientKeys.forEach((k, i) => {
    if (k === '') return;
    if (seen.has(k)) {
      patientDuplicateKeys++;
      return;
    }
    seen.add(k);
    const r = index.get(k);
    if (r !== undefined) {
      rowOf[i] = r;
      used.add(r);
    }
  });
  const matched = used.size;
  return { rowOf, matched, unmatched: patientKeys.length - matched, unused: index.size - used.size, duplicateKeys, patientDuplicateKeys };
}

/** A clinician column spread over the patient rows through the pairing. */
function spread(values: number[], rowOf: Int32Array): Float64Array {
  return Float64Array.from(rowOf, (r) => (r < 0 ? NaN : values[r]));
}

function clusterCodes(t: ClinicianTable, rowOf: Int32Array): DyadData['cluster'] {
  if (!t.cluster) return null;
  const codes = new Int32Array(rowOf.length).fill(-1);
  const ids = new Map<string, number>();
  rowOf.forEach((r, i) => {
    if (r < 0 || t.cluster![r] === '') return;
    const c = t.cluster![r];
    if (!ids.has(c)) ids.set(c, ids.size);
    codes[i] = ids.get(c)!;
  });
  return { column: t.clusterColumn!, codes, clusters: ids.size };
}

/** Agree (1) / disagree (0) per patient row; NaN when either side has no answer. */
export function agreeIndicator(item: DyadItemColumns): Float64Array {
  return Float64Array.from(item.patient, (p, i) => (Number.isNaN(p) || Number.isNaN(item.clinician[i]) ? NaN : p === item.clinician[i] ? 1 : 0));
}

/** Items whose agree and disagree groups both hold at least minCell pairs enter the ordinary model. */
export function enterableItems(items: DyadItemColumns[], minCell: number): DyadItemColumns[] {
  return items.filter((it) => {
    const a = agreeIndicator(it);
    let yes = 0;
    let no = 0;
    for (const v of a) if (v === 1) yes++;
    else if (v === 0) no++;
    return yes >= minCell && no >= minCell;
  });
}

/**
 * Read the clinician file, pair it with the patient rows, and return the data with `dyads` set, the
 * patient keys dropped, and each paired item's agree/disagree indicator added to the covariates.
 */
export async function attachDyads(data: ReportData, o: DyadLoadOptions): Promise<ReportData> {
  const side = data.dyadSide;
  if (!side) throw new Error('attachDyads: the patient side was loaded without --dyad');
  const traitNames = data.traits.map((t) => t.name);
  const pairs = o.instrument && o.patientInstrument ? checkPairs(o.patientInstrument, o.instrument).pairs : [];
  const table = o.instrument ? await readScoredForm(o, o.instrument, traitNames, pairs) : await readScoredCsv(o, traitNames);
  const p = pairRows(side.keys, table.keys);
  const traits: DyadTraitColumns[] = data.traits
    .filter((t) => table.traits.has(t.name))
    .map((t) => ({ name: t.name, label: t.label, lo: t.lo, hi: t.hi, patient: t.values, clinician: spread(table.traits.get(t.name)!, p.rowOf) }));
  const items: DyadItemColumns[] = pairs
    .filter((pr) => side.items.has(pr.a))
    .map((pr) => ({
      key: pr.key,
      label: pr.key.replace(/[_.]+/g, ' '),
      levels: responseSetOf(o.patientInstrument!, o.patientInstrument!.items[pr.aIndex]).options.map((x) => Number(x.value)),
      patient: side.items.get(pr.a)!,
      clinician: spread(table.items.get(pr.key)!, p.rowOf),
    }));
  if (traits.length === 0 && items.length === 0)
    throw new UsageError(`${displayName(o.file)}: the clinician file rates none of the predictors (${traitNames.join(', ')}) and shares no paired item; check --dyad-instrument and --predictors.`);
  const dyads: DyadData = {
    file: displayName(o.file),
    on: o.on === o.onClinician ? o.on : `${o.on}=${o.onClinician}`,
    instrument: o.instrument ? { id: o.instrument.id, version: o.instrument.version } : null,
    rows: table.keys.length,
    invalidCells: table.invalidCells,
    matched: p.matched,
    unmatched: p.unmatched,
    unused: p.unused,
    duplicateKeys: p.duplicateKeys,
    patientDuplicateKeys: p.patientDuplicateKeys,
    unpairedTraits: traitNames.filter((n) => !table.traits.has(n)),
    traits,
    items,
    cluster: clusterCodes(table, p.rowOf),
  };
  const taken = new Set([...traitNames, ...data.covariates.map((c) => c.name)]);
  const agree: CovariateColumn[] = enterableItems(items, o.minCell)
    .filter((it) => !taken.has(AGREE_PREFIX + it.key))
    .map((it) => ({ name: AGREE_PREFIX + it.key, kind: 'numeric', values: agreeIndicator(it) }));
  const { dyadSide: _dropped, ...rest } = data;
  return { ...rest, covariates: [...data.covariates, ...agree], dyads };
}
