/**
 * Survey platform detection and per-platform header handling. Works on the first records of the file
 * (already parsed by the quote-aware reader, so a newline inside a Qualtrics question text is harmless).
 *
 * - qualtrics (current): three header records: export tags, question texts, ImportId JSON
 *   (`{"ImportId":"QID5_1"}`); data from the 4th record. Detected by ImportId JSON in record 3.
 * - qualtrics-legacy: record 1 is `V1,V2,...` (metadata) then question tags; record 2 holds the real
 *   metadata names (ResponseID, Status, Finished...) and the question texts; data from record 3.
 * - redcap (records export, raw): `redcap_event_name`, `redcap_repeat_*`, `<form>_complete` or
 *   `<field>___<code>` checkbox columns; the first column is the record id.
 * - limesurvey: `id`, `submitdate` (with `lastpage`/`startlanguage`) system columns, or `Q1[SQ001]`
 *   headings.
 * - plain: one header record whose columns are named by item ids.
 * A trailing empty header cell (a comma at the end of every line) is dropped.
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
  for (const c of r3) if (c.trimStart().startsWith('{"ImportId"')) n++;
  return n > 0 && n >= r3.filter((c) => c !== '').length / 2;
}

function looksQualtricsLegacy(records: string[][]): boolean {
  const r1 = records[0];
  return !!r1 && r1.length >= 2 && r1[0] === 'V1' && r1[1] === 'V2';
}

function looksRedcap(h: string[]): boolean {
  const s = lowerSet(h);
  if (s.has('redcap_event_name') || s.has('redcap_repeat_instrument') || s.has('redcap_repeat_instance') || s.has('redcap_data_access_group')) return true;
  if (h.some((n) => /^[a-z][a-z0-9_]*_complete$/.test(n))) return true;
  return h.filter((n) => REDCAP_CHECKBOX.test(n)).length >= 2;
}

function looksLimesurvey(h: string[]): boolean {
  const s = lowerSet(h);
  if (s.has('submitdate') && (s.has('id') || s.has('lastpage') || s.has('startlanguage'))) return true;
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
  return { platform, how, headerRecords: Math.min(headerRecordCount(platform), records.length), names, importIds, width, rawWidth };
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
export type Exclusion = 'preview' | 'test' | 'spam' | 'incomplete';

/**
 * Which columns decide, row by row, whether a response counts (-1 or empty: no such rule):
 * - Qualtrics `Status` (previews, tests, spam; unless --include-previews) and `Finished` (unless
 *   --include-incomplete);
 * - LimeSurvey `submitdate` (empty = incomplete);
 * - REDCap `<form>_complete` of the forms holding the instrument's items (the form of an item is the one
 *   whose `_complete` column is the first after it; rows of other instruments' forms are incomplete here);
 * and which columns make a respondent's key for duplicate detection (the id; for REDCap also the event
 * and the repeat instrument and instance).
 */
export interface RowRules {
  statusCol: number;
  finishedCol: number;
  submitCol: number;
  completeCols: Int32Array;
  keyCols: Int32Array;
}

/** Find a column by name (exact, then the Qualtrics ImportId, then case-insensitive). */
function findColumn(layout: Layout, name: string, importId?: string): number {
  const names = layout.names;
  let i = names.findIndex((x) => x === name);
  if (i < 0 && importId) i = layout.importIds.findIndex((x) => x === importId);
  if (i < 0) i = names.findIndex((x) => x.toLowerCase() === name.toLowerCase());
  return i;
}

/** The row rules of an export, given the columns its items were found in (-1: absent) and its id column. */
export function rowRules(layout: Layout, itemCols: ArrayLike<number>, idCol: number, opts: { includePreviews?: boolean; includeIncomplete?: boolean }): RowRules {
  const r: RowRules = { statusCol: -1, finishedCol: -1, submitCol: -1, completeCols: new Int32Array(0), keyCols: idCol >= 0 ? Int32Array.of(idCol) : new Int32Array(0) };
  const p = layout.platform;
  if (p === 'qualtrics' || p === 'qualtrics-legacy') {
    if (!opts.includePreviews) r.statusCol = findColumn(layout, 'Status', 'status');
    if (!opts.includeIncomplete) r.finishedCol = findColumn(layout, 'Finished', 'finished');
  }
  if (p === 'limesurvey' && !opts.includeIncomplete) r.submitCol = findColumn(layout, 'submitdate');
  if (p === 'redcap') {
    const all: number[] = [];
    layout.names.forEach((n, i) => {
      if (/_complete$/.test(n)) all.push(i);
    });
    const forms = new Set<number>();
    for (let k = 0; k < itemCols.length; k++) {
      const c = itemCols[k];
      if (c < 0) continue;
      const f = all.find((x) => x > c);
      if (f !== undefined) forms.add(f);
    }
    if (!opts.includeIncomplete) r.completeCols = Int32Array.from(forms.size > 0 ? [...forms] : all);
    const keyCols = [idCol];
    for (const n of ['redcap_event_name', 'redcap_repeat_instrument', 'redcap_repeat_instance']) {
      const i = findColumn(layout, n);
      if (i >= 0) keyCols.push(i);
    }
    r.keyCols = Int32Array.from(keyCols.filter((c) => c >= 0));
  }
  return r;
}

/** Why the platform leaves this data row out, or undefined when it counts. */
export function exclusionOf(r: RowRules, fields: readonly string[]): Exclusion | undefined {
  if (r.statusCol >= 0) {
    const reason = qualtricsStatusReason(fields[r.statusCol]);
    if (reason !== undefined) return reason;
  }
  if (r.finishedCol >= 0 && isNotFinished(fields[r.finishedCol])) return 'incomplete';
  if (r.submitCol >= 0 && fields[r.submitCol].trim() === '') return 'incomplete';
  const cc = r.completeCols;
  if (cc.length > 0) {
    for (let j = 0; j < cc.length; j++) if (isRedcapComplete(fields[cc[j]] ?? '')) return undefined;
    return 'incomplete';
  }
  return undefined;
}
