/**
 * Survey platform detection and per-platform header handling. Works on the first records of the file
 * (already parsed by the quote-aware reader, so a newline inside a Qualtrics question text is harmless).
 *
 * - qualtrics (current): three header records: export tags, question texts, ImportId JSON
 *   (`{"ImportId":"QID5_1"}`); data from the 4th record. Detected by ImportId JSON in record 3.
 * - qualtrics-legacy: record 1 is `V1,V2,...` (metadata) then question tags; record 2 holds the real
 *   metadata names (ResponseID, Status, Finished...) and the question texts; data from record 3.
 * - redcap (records export, raw): `redcap_event_name`, `redcap_repeat_*`, `<form>_complete` with the
 *   key column `record_id` first (or `<form>_timestamp`), or `<field>___<code>` checkbox columns; the
 *   first column is the record id.
 * - limesurvey: `id`, `submitdate` (with `lastpage`/`startlanguage`) system columns, or `Q1[SQ001]`
 *   headings.
 * - plain: one header record whose columns are named by item ids.
 * A trailing empty header cell (a comma at the end of every line) is dropped.
 */

export const PLATFORMS = ['plain', 'qualtrics', 'qualtrics-legacy', 'redcap', 'limesurvey'] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface Layout {
  platform: Platform;
  /** `detected` by --format auto, or `forced` by --format. */
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

const REDCAP_COMPLETE = /^([a-z][a-z0-9_]*)_complete$/;

/**
 * A `<form>_complete` column is REDCap evidence only beside a REDCap key column: the record id
 * `record_id` first, or the form's `<form>_timestamp`. Alone it is just a column name (an item
 * `visit_complete` in a plain file, such as `rapport run`'s own responses file).
 */
function hasRedcapCompleteWithKey(h: string[], s: Set<string>): boolean {
  const forms = h.flatMap((n) => REDCAP_COMPLETE.exec(n)?.[1] ?? []);
  if (forms.length === 0) return false;
  return h[0]?.toLowerCase() === 'record_id' || forms.some((f) => s.has(`${f}_timestamp`));
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
