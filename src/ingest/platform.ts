/**
 * Survey platform detection and per-platform header handling. Works on the first records of the file
 * (already parsed by the quote-aware reader, so a newline inside a Qualtrics question text is harmless).
 *
 * - qualtrics (current): three header records: export tags, question texts, ImportId JSON
 *   (`{"ImportId":"QID5_1"}`); data from the 4th record. Detected by ImportId cells in record 3, in
 *   JSON or in the single-quoted form of exports from about 2016 (`{'ImportId': 'QID2'}`).
 * - qualtrics-legacy: record 1 is `V1,V2,...` (metadata) then question tags; record 2 holds the real
 *   metadata names (ResponseID, Status, Finished...) and the question texts; data from record 3.
 * - redcap (records export, raw): `redcap_event_name`, `redcap_repeat_*`, `<form>_complete` with the
 *   key column `record_id` first (or `<form>_timestamp`), or `<field>___<code>` checkbox columns; the
 *   first column is the record id.
 * - limesurvey: `id`, `submitdate` (with `lastpage`/`startlanguage`) system columns, their full-text
 *   headings (`Response ID`, `Date submitted`, `Last page`, `Start language`), or `Q1[SQ001]` headings.
 * - plain: one header record whose columns are named by item ids.
 * A trailing empty header cell (a comma at the end of every line) is dropped. An empty FIRST header cell
 * is R's row-names column (write.csv): `rowNames` is set, and that column is never the respondent id.
 */

export const PLATFORMS = ['plain', 'qualtrics', 'qualtrics-legacy', 'redcap', 'limesurvey'] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface Layout {
  platform: Platform;
  /** `detected` by --platform auto, or `forced` by --platform. */
  how: 'detected' | 'forced';
  /** Records before the first data record. */
  headerRecords: number;
  /** Column names used for matching and for output headers (row 1; legacy: row 2 for V-columns). */
  names: string[];
  /** Qualtrics row-3 ImportIds (`QID5_1`, `_recordId`), '' when absent. */
  importIds: string[];
  /** Effective width (header without the dropped trailing empty column). */
  width: number;
  /** Raw width of the header record. */
  rawWidth: number;
  /** The first header cell is empty: R's write.csv row names (an R-written file). */
  rowNames: boolean;
}

const LIMESURVEY_HEADING = /^[A-Za-z0-9_]+\[[^\]]+\](\[[^\]]+\])?$/;
const REDCAP_CHECKBOX = /^[a-z][a-z0-9_]*___[A-Za-z0-9_-]+$/;

function lowerSet(names: string[]): Set<string> {
  return new Set(names.map((n) => n.toLowerCase()));
}

/** The ImportId of a Qualtrics row-3 cell (`{"ImportId":"QID5_1"}`), or ''. */
export function parseImportId(cell: string): string {
  const t = cell.trim();
  if (!t.startsWith('{')) return '';
  // Exports of about 2016 write a Python dict: {'ImportId': 'QID2'} (single quotes).
  const py = /^\{\s*'ImportId'\s*:\s*'([^']*)'/.exec(t);
  if (py) return py[1];
  try {
    const o = JSON.parse(t) as unknown;
    if (o && typeof o === 'object' && typeof (o as { ImportId?: unknown }).ImportId === 'string') {
      const imp = (o as { ImportId: string; choiceId?: unknown }).ImportId;
      return imp;
    }
  } catch {
    /* not JSON */
  }
  return '';
}

function looksQualtricsCurrent(records: string[][]): boolean {
  const r3 = records[2];
  if (!r3) return false;
  let n = 0;
  for (const c of r3) if (/^\{\s*("ImportId"|'ImportId')/.test(c.trimStart())) n++;
  return n > 0 && n >= r3.filter((c) => c !== '').length / 2;
}

function looksQualtricsLegacy(records: string[][]): boolean {
  const r1 = records[0];
  return !!r1 && r1.length >= 2 && r1[0] === 'V1' && r1[1] === 'V2';
}

const REDCAP_COMPLETE = /^([a-z][a-z0-9_]*)_complete$/;

/**
 * A `<form>_complete` column is REDCap evidence only beside a REDCap key column: the record id
 * `record_id` first (after R's empty row-names column, if any), or the form's `<form>_timestamp`. Alone it is just a column name (an item
 * `visit_complete` in a plain file, such as `rapport run`'s own responses file).
 */
function hasRedcapCompleteWithKey(h: string[], s: Set<string>): boolean {
  const forms = h.flatMap((n) => REDCAP_COMPLETE.exec(n)?.[1] ?? []);
  if (forms.length === 0) return false;
  // R's write.csv puts an empty row-names column before the record id.
  const first = h[0]?.trim() === '' && h.length > 1 ? h[1] : h[0];
  return first?.toLowerCase() === 'record_id' || forms.some((f) => s.has(`${f}_timestamp`));
}

function looksRedcap(h: string[]): boolean {
  const s = lowerSet(h);
  if (s.has('redcap_event_name') || s.has('redcap_repeat_instrument') || s.has('redcap_repeat_instance') || s.has('redcap_data_access_group') || s.has('redcap_survey_identifier')) return true;
  if (hasRedcapCompleteWithKey(h, s)) return true;
  return h.filter((n) => REDCAP_CHECKBOX.test(n)).length >= 2;
}

function looksLimesurvey(h: string[]): boolean {
  const s = lowerSet(h);
  if (s.has('submitdate') && (s.has('id') || s.has('lastpage') || s.has('startlanguage'))) return true;
  if (s.has('date submitted') && (s.has('response id') || s.has('last page') || s.has('start language'))) return true;
  return h.some((n) => LIMESURVEY_HEADING.test(n));
}

/** Decide the platform from the first (up to three) records. */
export function detectPlatform(records: string[][]): Platform {
  if (looksQualtricsCurrent(records)) return 'qualtrics';
  if (looksQualtricsLegacy(records)) return 'qualtrics-legacy';
  const h = records[0] ?? [];
  if (looksLimesurvey(h)) return 'limesurvey';
  if (looksRedcap(h)) return 'redcap';
  return 'plain';
}

/** Header records each platform has before its data. */
export function headerRecordCount(p: Platform): number {
  return p === 'qualtrics' ? 3 : p === 'qualtrics-legacy' ? 2 : 1;
}

/** Build the layout for a platform from the first records (at least the header records when present). */
export function buildLayout(records: string[][], platform: Platform, how: 'detected' | 'forced'): Layout {
  const r1 = records[0] ?? [];
  const rawWidth = r1.length;
  const width = rawWidth > 1 && r1[rawWidth - 1] === '' ? rawWidth - 1 : rawWidth;
  let names = r1.slice(0, width);
  let importIds = new Array<string>(width).fill('');
  if (platform === 'qualtrics' && records[2]) importIds = names.map((_, i) => parseImportId(records[2][i] ?? ''));
  if (platform === 'qualtrics-legacy' && records[1]) {
    const r2 = records[1];
    names = names.map((n, i) => (/^V\d+$/.test(n) && (r2[i] ?? '') !== '' ? r2[i] : n));
  }
  const rowNames = width > 1 && r1[0].trim() === '' && r1.slice(1, width).some((n) => n.trim() !== '');
  return { platform, how, headerRecords: Math.min(headerRecordCount(platform), records.length), names, importIds, width, rawWidth, rowNames };
}

/** Why a Qualtrics row is not a real response (Status column), or undefined for a real one. */
export function qualtricsStatusReason(v: string): 'preview' | 'test' | 'spam' | undefined {
  switch (v) {
    case '':
    case '0':
    case '4':
    case '16':
      return undefined;
    case '1':
    case '17':
      return 'preview';
    case '2':
      return 'test';
    case '8':
    case '9':
      return 'spam';
  }
  const t = v.trim().toLowerCase();
  if (t === '1' || t === '17') return 'preview';
  if (t === '2') return 'test';
  if (t === '8' || t === '9') return 'spam';
  if (t.includes('spam')) return 'spam';
  if (t.includes('preview')) return 'preview';
  if (t.includes('test')) return 'test';
  return undefined;
}

/** Qualtrics `Finished`: 0 / False / FALSE mean the respondent did not finish. */
export function isNotFinished(v: string): boolean {
  if (v === '1' || v === 'True' || v === 'TRUE' || v === 'true') return false;
  if (v === '0' || v === 'False' || v === 'FALSE' || v === 'false') return true;
  const t = v.trim().toLowerCase();
  return t === '0' || t === 'false';
}

/** REDCap `<form>_complete`: 2 (raw) or `Complete` (label export). */
export function isRedcapComplete(v: string): boolean {
  return v === '2' || v.trim().toLowerCase() === 'complete';
}

/** Whether a header is a REDCap checkbox column (`field___code`). */
export function isRedcapCheckbox(name: string): boolean {
  return REDCAP_CHECKBOX.test(name);
}

/** `Q1[SQ001]` → `Q1_SQ001`; `Q1[SQ001][1]` → `Q1_SQ001_1`; other names unchanged. */
export function limesurveyUnderscore(name: string): string {
  if (!name.includes('[')) return name;
  return name.replace(/\[([^\]]+)\]/g, '_$1');
}

/** Why a data row is left out by the platform's own flags. */
export type Exclusion = 'preview' | 'test' | 'spam' | 'incomplete' | 'not_collected' | 'other_repeating' | 'other_event';

/**
 * Which columns decide, row by row, whether a response counts (-1 or empty: no such rule):
 * - Qualtrics `Status` (previews, tests, spam; unless --include-previews) and `Finished` (unless
 *   --include-incomplete);
 * - LimeSurvey `submitdate` or `Date submitted` (empty = incomplete);
 * - REDCap: `redcap_event_name` against --event (other events are left out); `redcap_repeat_instrument`
 *   naming a form that holds none of the instrument's items (a row of another repeating instrument, not
 *   a respondent); `<form>_complete` of the forms holding the instrument's items (the form of an item is
 *   the one whose `_complete` column is the first after it): a row counts when one of them is 2, and
 *   the items of its other forms are missing (`itemForm`, `formDone`); a row whose forms are all blank
 *   was not collected at that event or instance;
 * and which columns make a respondent's key for duplicate detection (the id; for REDCap also the event
 * and the repeat instrument and instance).
 */
export interface RowRules {
  statusCol: number;
  finishedCol: number;
  submitCol: number;
  completeCols: Int32Array;
  keyCols: Int32Array;
  /** REDCap `redcap_event_name` and `redcap_repeat_instrument` columns (-1: none). */
  eventCol: number;
  repeatCol: number;
  /** Form names (lower case) of the forms holding the instrument's items (REDCap). */
  ownForms: Set<string>;
  /** Events to keep (--event); undefined keeps all. */
  events: Set<string> | undefined;
  /** Per item: index into completeCols of its form, or -1. */
  itemForm: Int32Array;
  /** Per completeCols entry, set by exclusionOf for the last row: 1 when that form is complete. */
  formDone: Uint8Array;
}

/** Find a column by name (exact, then the Qualtrics ImportId, then case-insensitive). */
function findColumn(layout: Layout, name: string, importId?: string): number {
  const names = layout.names;
  let i = names.findIndex((x) => x === name);
  if (i < 0 && importId) i = layout.importIds.findIndex((x) => x === importId);
  if (i < 0) i = names.findIndex((x) => x.toLowerCase() === name.toLowerCase());
  return i;
}

export interface RuleOptions {
  includePreviews?: boolean;
  includeIncomplete?: boolean;
  /** --event: REDCap event names to keep. */
  events?: readonly string[];
}

/** The row rules of an export, given the columns its items were found in (-1: absent) and its id column. */
export function rowRules(layout: Layout, itemCols: ArrayLike<number>, idCol: number, opts: RuleOptions): RowRules {
  const r: RowRules = {
    statusCol: -1,
    finishedCol: -1,
    submitCol: -1,
    completeCols: new Int32Array(0),
    keyCols: idCol >= 0 ? Int32Array.of(idCol) : new Int32Array(0),
    eventCol: -1,
    repeatCol: -1,
    ownForms: new Set(),
    events: undefined,
    itemForm: new Int32Array(itemCols.length).fill(-1),
    formDone: new Uint8Array(0),
  };
  const p = layout.platform;
  if (p === 'qualtrics' || p === 'qualtrics-legacy') {
    if (!opts.includePreviews) r.statusCol = findColumn(layout, 'Status', 'status');
    if (!opts.includeIncomplete) r.finishedCol = findColumn(layout, 'Finished', 'finished');
  }
  if (p === 'limesurvey' && !opts.includeIncomplete) r.submitCol = limesurveySubmitColumn(layout);
  if (p === 'redcap') redcapRules(r, layout, itemCols, idCol, opts);
  return r;
}

/** LimeSurvey's submit date column: `submitdate`, or its full-text heading `Date submitted`. */
export function limesurveySubmitColumn(layout: Layout): number {
  const i = findColumn(layout, 'submitdate');
  return i >= 0 ? i : findColumn(layout, 'Date submitted');
}

function redcapRules(r: RowRules, layout: Layout, itemCols: ArrayLike<number>, idCol: number, opts: RuleOptions): void {
  const all: number[] = [];
  layout.names.forEach((n, i) => {
    if (/_complete$/.test(n)) all.push(i);
  });
  const forms: number[] = [];
  for (let k = 0; k < itemCols.length; k++) {
    const c = itemCols[k];
    if (c < 0) continue;
    const f = all.find((x) => x > c);
    if (f === undefined) continue;
    if (!forms.includes(f)) forms.push(f);
  }
  for (const f of forms) r.ownForms.add(layout.names[f].replace(/_complete$/, '').toLowerCase());
  if (!opts.includeIncomplete) {
    r.completeCols = Int32Array.from(forms.length > 0 ? forms : all);
    r.formDone = new Uint8Array(r.completeCols.length);
    if (forms.length > 1) {
      for (let k = 0; k < itemCols.length; k++) {
        const c = itemCols[k];
        const f = c < 0 ? undefined : all.find((x) => x > c);
        r.itemForm[k] = f === undefined ? -1 : forms.indexOf(f);
      }
    }
  }
  r.eventCol = findColumn(layout, 'redcap_event_name');
  r.repeatCol = findColumn(layout, 'redcap_repeat_instrument');
  if (opts.events && opts.events.length > 0) r.events = new Set(opts.events);
  const keyCols = [idCol];
  for (const n of ['redcap_event_name', 'redcap_repeat_instrument', 'redcap_repeat_instance']) {
    const i = findColumn(layout, n);
    if (i >= 0) keyCols.push(i);
  }
  r.keyCols = Int32Array.from(keyCols.filter((c) => c >= 0));
}

/** A blank REDCap system cell: empty, or R's `NA` (REDCap itself never writes NA in these columns). */
export function isBlankSystemCell(v: string | undefined): boolean {
  return v === undefined || v === '' || v === 'NA' || v.trim() === '';
}

/** Why the platform leaves this data row out, or undefined when it counts. */
export function exclusionOf(r: RowRules, fields: readonly string[]): Exclusion | undefined {
  if (r.events !== undefined && r.eventCol >= 0 && !r.events.has(fields[r.eventCol])) return 'other_event';
  if (r.repeatCol >= 0 && r.ownForms.size > 0) {
    const rep = fields[r.repeatCol];
    if (!isBlankSystemCell(rep) && !r.ownForms.has(rep.trim().toLowerCase())) return 'other_repeating';
  }
  if (r.statusCol >= 0) {
    const reason = qualtricsStatusReason(fields[r.statusCol]);
    if (reason !== undefined) return reason;
  }
  if (r.finishedCol >= 0 && isNotFinished(fields[r.finishedCol])) return 'incomplete';
  if (r.submitCol >= 0 && fields[r.submitCol].trim() === '') return 'incomplete';
  const cc = r.completeCols;
  if (cc.length > 0) return redcapCompleteness(r, fields);
  return undefined;
}

/** REDCap: complete when one of the forms is 2; not collected when every form's `_complete` is blank. */
function redcapCompleteness(r: RowRules, fields: readonly string[]): Exclusion | undefined {
  const cc = r.completeCols;
  let any = false;
  let collected = false;
  for (let j = 0; j < cc.length; j++) {
    const v = fields[cc[j]];
    const done = isRedcapComplete(v ?? '');
    r.formDone[j] = done ? 1 : 0;
    if (done) any = true;
    if (!isBlankSystemCell(v)) collected = true;
  }
  if (any) return undefined;
  return collected ? 'incomplete' : 'not_collected';
}

/** What a forced --platform needs in the header, or undefined when it is there. */
export function missingForPlatform(records: string[][], platform: Platform, opts: { includeIncomplete?: boolean }): string | undefined {
  const h = (records[0] ?? []).map((n) => n.trim().toLowerCase());
  switch (platform) {
    case 'qualtrics':
      return looksQualtricsCurrent(records) ? undefined : `a third header row of ImportId cells ({"ImportId":"QID1"}); record 3 starts ${JSON.stringify((records[2] ?? []).slice(0, 3).join(','))}`;
    case 'qualtrics-legacy':
      return looksQualtricsLegacy(records) ? undefined : 'a first header row starting V1,V2 (the legacy export) and a second header row of names';
    case 'limesurvey':
      if (opts.includeIncomplete) return undefined;
      return h.includes('submitdate') || h.includes('date submitted') ? undefined : 'a "submitdate" (or "Date submitted") column, which tells complete responses from incomplete ones';
    case 'redcap':
      if (opts.includeIncomplete) return undefined;
      return h.some((n) => n.endsWith('_complete')) ? undefined : 'a "<form>_complete" column, which tells complete forms from incomplete ones';
  }
  return undefined;
}
