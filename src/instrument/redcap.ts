/**
 * REDCap data dictionaries ⇄ rapport instruments (pure core; the commands live in
 * src/cli/commands/instruments-redcap.ts).
 *
 * Import (`dictionaryToInstrument`): radio, dropdown, yesno and truefalse fields become items with
 * response sets (identical choice lists share one set); every other field type is skipped with a note;
 * a matrix group becomes a suggested scale (mean, at least 50% answered). Labels are HTML-stripped.
 *
 * Export (`instrumentToDictionary`): the 18 columns of REDCap's data-dictionary download, one form,
 * a `record_id` field, one radio field per item (missing codes appended as choices), and one calc
 * field `<scale>_score` per scale using REDCap's mean().
 *
 * Round trip. What REDCap's columns cannot hold is carried in the Field Annotation as action-tag-like
 * markers after the word `rapport:` (so the cell never starts with `@`, which spreadsheet-formula
 * neutralisation would prefix with `'`); REDCap shows them to designers but otherwise ignores them:
 *   @RAPPORT-RESPONSE-SET=<id>   the item's response set id
 *   @RAPPORT-MISSING=<c1>,<c2>   choice codes that mean "no answer" (rapport's `missing`)
 *   @RAPPORT-REVERSE             the item is reverse-keyed
 *   @RAPPORT-PAIR=<key>          the item's pair key (the same question on the other side's form)
 *   @RAPPORT-SCALE=<id>          (on a calc field) the calc defines scale <id>; its items are the
 *                                fields the calculation refers to, in order
 *   @RAPPORT-METHOD=mean|sum  @RAPPORT-MIN-ANSWERED=<n|p%>  @RAPPORT-TRANSFORM=0-100
 * Each scale whose items are contiguous and share one response set is also a REDCap matrix group
 * named after the scale, so the form looks like a questionnaire grid in REDCap.
 */
import { applyBranching, toBranchingLogic } from './redcap-branching.js';
import { stringify } from 'csv-stringify/sync';
import { DataError, UsageError } from '../errors.js';
import type { Instrument, Item, LocalText, ResponseOption, Scale } from './types.js';
import { localize, responseSetOf } from './types.js';

/** The data-dictionary download's header row, exactly, in order. */
export const REDCAP_UI_HEADERS = [
  'Variable / Field Name',
  'Form Name',
  'Section Header',
  'Field Type',
  'Field Label',
  'Choices, Calculations, OR Slider Labels',
  'Field Note',
  'Text Validation Type OR Show Slider Number',
  'Text Validation Min',
  'Text Validation Max',
  'Identifier?',
  'Branching Logic (Show field only if...)',
  'Required Field?',
  'Custom Alignment',
  'Question Number (surveys only)',
  'Matrix Group Name',
  'Matrix Ranking?',
  'Field Annotation',
] as const;

/** The API metadata export's header row (same columns, snake_case). */
export const REDCAP_API_HEADERS = [
  'field_name',
  'form_name',
  'section_header',
  'field_type',
  'field_label',
  'select_choices_or_calculations',
  'field_note',
  'text_validation_type_or_show_slider_number',
  'text_validation_min',
  'text_validation_max',
  'identifier',
  'branching_logic',
  'required_field',
  'custom_alignment',
  'question_number',
  'matrix_group_name',
  'matrix_ranking',
  'field_annotation',
] as const;

export type RedcapColumn = (typeof REDCAP_API_HEADERS)[number];

/**
 * One row of a data dictionary: every column by its API name ('' when absent), plus its line (its
 * position in a JSON array) and, for JSON, where to say it is (`field 3`).
 */
export type RedcapField = Record<RedcapColumn, string> & { line: number; where?: string };

export interface RedcapDictionary {
  style: 'ui' | 'api' | 'json';
  fields: RedcapField[];
  /** Remarks on the file itself (a damaged first header cell), for stderr. */
  notes?: string[];
}

/** Field types that become items. */
export const ITEM_TYPES = new Set(['radio', 'dropdown', 'yesno', 'truefalse']);

const REQUIRED: RedcapColumn[] = ['field_name', 'form_name', 'field_type', 'field_label', 'select_choices_or_calculations'];

// ---------------------------------------------------------------------------------------------
// Parsing

function headerKey(s: string): string {
  return s.replace(/^\uFEFF/, '').replace(/\s+/g, ' ').trim().toLowerCase();
}
const UI_INDEX = new Map(REDCAP_UI_HEADERS.map((h, i) => [headerKey(h), REDCAP_API_HEADERS[i]] as const));
const API_INDEX = new Map(REDCAP_API_HEADERS.map((h) => [h, h] as const));

/** Undo a spreadsheet-formula neutralisation (`'=…`) that an earlier export may have added. */
function unneutralize(s: string): string {
  return /^'[=+\-@\t\r\n]/.test(s) ? s.slice(1) : s;
}

/** A dictionary cell: R's write.csv writes `NA` for an empty cell; a neutralised formula is undone. */
function cellText(s: string): string {
  return s === 'NA' ? '' : unneutralize(s);
}

/** Normalise the name-like columns of a field. */
function tidyField(f: RedcapField): RedcapField {
  f.field_name = f.field_name.trim();
  f.form_name = f.form_name.trim();
  f.field_type = f.field_type.trim().toLowerCase();
  f.matrix_group_name = f.matrix_group_name.trim();
  return f;
}

/**
 * Parse REDCap API metadata as JSON: an array of field objects with the API's column names. Throws
 * DataError naming what is wrong (not JSON, not an array of objects, a field without field_name).
 */
export function parseDictionaryJson(text: string, file: string): RedcapDictionary {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new DataError('REDCAP_JSON', `${file}: is not valid JSON (${String((err as Error).message).replace(/\.$/, '')}); export the metadata from REDCap again (API: content=metadata, format=json).`, { file });
  }
  if (!Array.isArray(data)) {
    throw new DataError('REDCAP_JSON', `${file}: holds JSON ${data === null ? 'null' : typeof data === 'object' ? 'object' : typeof data}, but REDCap metadata is an array of field objects ([{"field_name": ..., "form_name": ...}, ...]); export it with content=metadata.`, { file });
  }
  const fields: RedcapField[] = [];
  data.forEach((o, i) => {
    const where = `field ${i + 1}`;
    if (o === null || typeof o !== 'object' || Array.isArray(o) || typeof (o as Record<string, unknown>).field_name !== 'string') {
      throw new DataError('REDCAP_JSON', `${file}: ${where} of the array is not a field object with a "field_name"; REDCap metadata is an array of field objects ([{"field_name": ..., "form_name": ...}, ...]).`, { file });
    }
    const f = { line: i + 1, where } as RedcapField;
    for (const c of REDCAP_API_HEADERS) {
      const v = (o as Record<string, unknown>)[c];
      f[c] = v === undefined || v === null ? '' : cellText(String(v));
    }
    fields.push(tidyField(f));
  });
  return { style: 'json', fields };
}

/** True when decoded dictionary text is JSON (starts with `[` or `{`), not CSV. */
export function looksLikeJson(text: string): boolean {
  return /^\uFEFF?\s*[[{]/.test(text);
}

/**
 * The header style: the first cell names it (`Variable / Field Name` or `field_name`). A damaged first
 * cell (a spreadsheet wrote `1` there) is accepted when the next four cells are the style's `Form Name`,
 * `Section Header`, `Field Type` and `Field Label`; the first column is then the field names, with a note.
 */
function headerStyle(header: string[]): { style?: 'ui' | 'api'; notes: string[] } {
  const first = headerKey(header[0] ?? '');
  if (first === headerKey(REDCAP_UI_HEADERS[0])) return { style: 'ui', notes: [] };
  if (first === 'field_name') return { style: 'api', notes: [] };
  const next = header.slice(1, 5).map(headerKey);
  const matches = (names: readonly string[]) => next.length === 4 && next.every((h, i) => h === headerKey(names[i + 1]));
  const style = matches(REDCAP_UI_HEADERS) ? 'ui' : matches(REDCAP_API_HEADERS) ? 'api' : undefined;
  if (!style) return { notes: [] };
  const want = style === 'ui' ? REDCAP_UI_HEADERS[0] : REDCAP_API_HEADERS[0];
  return { style, notes: [`the first header cell is ${JSON.stringify(header[0] ?? '')}, not "${want}"; the first column was read as the field names`] };
}

/**
 * A data dictionary from its CSV records (read by src/ingest/dictionary.ts, which decodes the bytes).
 * Accepts the UI download's headers and the API's snake_case headers. Throws DataError for a file that
 * is not a data dictionary.
 */
export function parseDictionary(records: readonly { fields: string[]; line: number }[], file: string): RedcapDictionary {
  if (records.length === 0) {
    throw new DataError('REDCAP_HEADER', `${file}: is empty, but a REDCap data dictionary must start with a header row whose first column is "Variable / Field Name" (or "field_name"); export the data dictionary from REDCap (Project Setup > Data Dictionary).`, { file, line: 1 });
  }
  const header = records[0].fields;
  const { style, notes } = headerStyle(header);
  if (!style) {
    const found = header.slice(0, 4).map((h) => JSON.stringify(h)).join(', ') + (header.length > 4 ? ', ...' : '');
    throw new DataError(
      'REDCAP_HEADER',
      `${file}: line 1 is not a REDCap data-dictionary header: found ${found}, but the first column must be "Variable / Field Name" (data dictionary download) or "field_name" (API metadata export); export the data dictionary from REDCap (Project Setup > Data Dictionary).`,
      { file, line: 1 },
    );
  }
  const index = style === 'ui' ? UI_INDEX : API_INDEX;
  const colOf = new Map<RedcapColumn, number>();
  header.forEach((h, i) => {
    const key = i === 0 ? 'field_name' : index.get(headerKey(h) as never);
    if (key && !colOf.has(key)) colOf.set(key, i);
  });
  const names = style === 'ui' ? REDCAP_UI_HEADERS : REDCAP_API_HEADERS;
  const missingCols = REQUIRED.filter((c) => !colOf.has(c));
  if (missingCols.length) {
    const list = missingCols.map((c) => `"${names[REDCAP_API_HEADERS.indexOf(c)]}"`).join(', ');
    throw new DataError('REDCAP_HEADER', `${file}: line 1: the header has no ${list} column; a REDCap data dictionary needs it, so export the dictionary from REDCap again.`, { file, line: 1 });
  }
  const fields: RedcapField[] = [];
  for (let r = 1; r < records.length; r++) {
    const cells = records[r].fields;
    if (cells.every((c) => c.trim() === '')) continue;
    const line = records[r].line;
    const f = { line } as RedcapField;
    for (const c of REDCAP_API_HEADERS) {
      const i = colOf.get(c);
      f[c] = i === undefined ? '' : cellText(cells[i] ?? '');
    }
    fields.push(tidyField(f));
  }
  return notes.length ? { style, fields, notes } : { style, fields };
}

// ---------------------------------------------------------------------------------------------
// Text helpers

const ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ensp: ' ', emsp: ' ', thinsp: ' ',
  ndash: '–', mdash: '—', lsquo: '‘', rsquo: '’', sbquo: '‚', ldquo: '“', rdquo: '”', bdquo: '„',
  hellip: '…', laquo: '«', raquo: '»', copy: '©', reg: '®', trade: '™', deg: '°', middot: '·', bull: '•',
  times: '×', divide: '÷', plusmn: '±', le: '≤', ge: '≥', ne: '≠', frac12: '½', frac14: '¼', frac34: '¾',
  iexcl: '¡', iquest: '¿', aacute: 'á', eacute: 'é', iacute: 'í', oacute: 'ó', uacute: 'ú', ntilde: 'ñ',
  Aacute: 'Á', Eacute: 'É', Iacute: 'Í', Oacute: 'Ó', Uacute: 'Ú', Ntilde: 'Ñ', uuml: 'ü', Uuml: 'Ü',
  agrave: 'à', egrave: 'è', ccedil: 'ç', ouml: 'ö', auml: 'ä', Ouml: 'Ö', Auml: 'Ä', szlig: 'ß', euro: '€',
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,10});/g, (m, body: string) => {
    if (body[0] === '#') {
      const cp = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      // Control characters other than a line break (`&#27;` would put a raw ESC in the instrument
      // text) are never decoded: the entity stays as written.
      const control = (cp < 0x20 && cp !== 0x0a) || (cp >= 0x7f && cp <= 0x9f);
      return cp > 0 && cp <= 0x10ffff && !control && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp === 0xa0 ? 0x20 : cp) : m;
    }
    return Object.hasOwn(ENTITIES, body) ? ENTITIES[body] : m;
  });
}

/**
 * REDCap label HTML to plain text: line breaks and block ends become newlines, other tags are
 * removed, entities decoded, spaces collapsed within lines, blank lines collapsed, ends trimmed.
 */
export function htmlToText(html: string): string {
  let s = html.replace(/\r\n?/g, '\n');
  s = s.replace(/<!--[\s\S]*?-->/g, '');
  s = s.replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '');
  s = s.replace(/<br\s*\/?>[ \t]*\n?/gi, '\n'); // `<br>` at a line end is one break, not two
  s = s.replace(/<\/(p|div|li|tr|h[1-6]|blockquote|ul|ol|table)\s*>/gi, '\n');
  s = s.replace(/<\/?[A-Za-z][^>]*>/g, '');
  s = decodeEntities(s);
  const lines = s.split('\n').map((l) => l.replace(/[ \t\u00a0\f\v]+/g, ' ').trim());
  const out: string[] = [];
  for (const l of lines) {
    if (l === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(l);
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}

/** Plain text to REDCap label HTML (the characters REDCap would otherwise read as markup). */
export function textToHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An instrument id (lower-case letters, digits, dashes) from a form or file name. */
export function toInstrumentId(name: string): string {
  const id = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return id || 'redcap-import';
}

function humanize(name: string): string {
  const s = name.replace(/[_-]+/g, ' ').trim();
  return s ? s[0].toUpperCase() + s.slice(1) : 'Imported REDCap instrument';
}

function slug(s: string, max = 20): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, max)
    .replace(/_+$/, '');
}

// ---------------------------------------------------------------------------------------------
// Choices and markers

export interface Choice {
  code: string;
  label: string;
}

/**
 * Split a choices cell: on `|` (or on newlines when there is no `|`), then each part on its FIRST
 * comma only; both sides trimmed. A part without a comma is its own code and label.
 */
export function parseChoices(raw: string): Choice[] {
  const text = raw.replace(/\r\n?/g, '\n');
  const parts = text.includes('|') ? text.split('|') : text.split('\n');
  const out: Choice[] = [];
  for (const p of parts) {
    const t = p.trim();
    if (!t) continue;
    const comma = t.indexOf(',');
    if (comma < 0) out.push({ code: t, label: t });
    else out.push({ code: t.slice(0, comma).trim(), label: t.slice(comma + 1).trim() });
  }
  return out;
}

/** A choice code as stored: an integer or decimal is a number, anything else stays a (letter) code. */
export function toCode(code: string): number | string {
  return /^-?(0|[1-9]\d*)(\.\d+)?$/.test(code) ? Number(code) : code;
}

const CODE_RE = /^[A-Za-z0-9_.-]+$/;

/** `@RAPPORT-…` markers in a Field Annotation: name → value ('' for a bare marker). */
export function parseMarkers(annotation: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const x of annotation.matchAll(/@RAPPORT-([A-Z][A-Z-]*[A-Z])(?:=(\S*))?/g)) m.set(x[1], x[2] ?? '');
  return m;
}

/** Field names a calculation refers to (`[name]`, also `[event][name]` → name), in order, once each. */
export function calcRefs(expr: string): string[] {
  const out: string[] = [];
  for (const x of expr.matchAll(/\[([a-z][a-z0-9_]*)\](?!\[)/gi)) if (!out.includes(x[1])) out.push(x[1]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Import

export interface ImportOptions {
  /** The dictionary's name for messages (a path, or `-`). */
  file: string;
  /** Import only this form. */
  form?: string;
}

export interface ImportResult {
  /** Instrument data in format v1 (validate it with validateInstrument before writing). */
  data: Record<string, unknown>;
  /** One line per skipped field or suggestion, for stderr (`--verbose`), in dictionary order. */
  notes: string[];
  /** The same notes with their reason and field, for a summary by reason. */
  entries: ImportNote[];
  /** The forms in the dictionary, in order. */
  forms: string[];
}

const ID_RE = /^[A-Za-z][A-Za-z0-9_]*$/;

interface RawScale {
  id: string;
  label: string;
  items: string[];
  method?: 'mean' | 'sum';
  min_answered?: number | string;
  transform?: '0-100';
  /** Line of the defining row, for ordering. */
  line: number;
}

/** What importing one field needs and adds to. */
interface ItemContext {
  file: string;
  responseSets: Record<string, { options: ResponseOption[]; missing?: ResponseOption[] }>;
  setByKey: Map<string, string>;
  items: Record<string, unknown>[];
  /** Items made from one field each (choice fields and sliders), by item id: matrix groups and calcs refer to them. */
  itemFields: Map<string, RedcapField>;
  letterCoded: Map<string, string[]>;
  /** Dictionary line the next note concerns (notes are returned in dictionary order). */
  line: number;
  note(reason: string, field: string, text: string): void;
}

/** Field types that become number items (REDCap sliders: 0-100 unless the field gives a range). */
const SLIDER_DEFAULT = { min: 0, max: 100 } as const;

/**
 * Labels that say an answer is not a position on the scale (English and Spanish), compared after
 * lower-casing, straightening quotes and dropping punctuation at the ends.
 */
const NOT_A_POSITION = [
  'unknown', "don't know", 'dont know', 'do not know', 'not known', 'not applicable', 'n/a', 'na', 'not sure', 'unsure',
  'refused', 'refuse to answer', 'declined', 'decline to answer', 'declined to answer', 'prefer not to answer', 'prefer not to say',
  'rather not say', 'no answer', 'no response', 'missing',
  'no sé', 'no se', 'no lo sé', 'no lo se', 'no sabe', 'desconocido', 'no aplica', 'no corresponde', 'no estoy seguro', 'no estoy segura',
  'prefiero no responder', 'prefiero no contestar', 'prefiero no decirlo', 'prefiero no decir', 'se niega', 'rehúsa', 'rehusó', 'no responde', 'no contesta', 'ns/nc',
];

/** Conventional "no answer" codes in survey data (SPSS/SAS/REDCap habits). */
const MISSING_CODE_RE = /^(-?(7|8|9|77|88|99|777|888|999|9999)|96|97|98|997|998|255)$/;

/** True when a choice label says "not a real position" (unknown, don't know, refused ...). */
export function isNotAPosition(label: string): boolean {
  const t = label
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\u2018\u2019`]/g, "'")
    .replace(/^[\s([{"'.-]+|[\s)\]}"'.!:;-]+$/g, '')
    .replace(/\s+/g, ' ');
  return NOT_A_POSITION.some((p) => t === p || (t.startsWith(p) && /^[\s/,;(-]/.test(t.slice(p.length))));
}

/**
 * Which choices are "no answer" codes: a not-a-position label with a conventional missing code, or at
 * either end of the list (a not-a-position label between real options is kept as a position). At
 * least two real options must remain; otherwise none is taken.
 */
export function missingLikeChoices(choices: Choice[]): Set<number> {
  const flagged = choices.map((c) => isNotAPosition(c.label));
  const out = new Set<number>();
  flagged.forEach((f, i) => f && MISSING_CODE_RE.test(choices[i].code) && out.add(i));
  for (let i = choices.length - 1; i >= 0 && flagged[i]; i--) out.add(i);
  for (let i = 0; i < choices.length && flagged[i]; i++) out.add(i);
  return choices.length - out.size >= 2 ? out : new Set();
}

/** The checkbox column REDCap exports for a choice code: `field___code`, lower-case, `-` and `.` as `_`. */
export function checkboxColumn(field: string, code: string): string {
  return `${field}___${code.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;
}

/** Why a choice list cannot make an item (reason key and sentence), or undefined when it can. */
function choiceProblem(choices: Choice[], type: string): { reason: string; text: string } | undefined {
  if (choices.length === 0) return { reason: 'no-choices', text: `a ${type} field has no choices` };
  const seenCodes = new Set<string>();
  const seenLabels = new Set<string>();
  for (const c of choices) {
    if (!CODE_RE.test(c.code)) return { reason: 'bad-code', text: `choice code ${JSON.stringify(c.code)} is not a valid code (letters, digits, _, . or -)` };
    const key = String(toCode(c.code)).toLowerCase();
    if (seenCodes.has(key)) return { reason: 'duplicate-code', text: `choice code ${JSON.stringify(c.code)} appears twice` };
    seenCodes.add(key);
    const lk = c.label.replace(/\s+/g, ' ').toLowerCase();
    if (seenLabels.has(lk)) return { reason: 'duplicate-label', text: `choice label ${JSON.stringify(c.label)} appears twice, so the choices cannot be told apart` };
    seenLabels.add(lk);
  }
  return undefined;
}

/** A response set id for a new set: the marker's, the field type's, or first and last labels. */
function responseSetBase(f: RedcapField, options: ResponseOption[], wanted: string | undefined): string {
  if (wanted && ID_RE.test(wanted)) return wanted;
  if (f.field_type === 'yesno' || f.field_type === 'truefalse') return f.field_type;
  const a = slug(String(options[0].label));
  const b = slug(String(options[options.length - 1].label));
  const base = options.length === 1 || !a || !b ? `${f.field_name}_choices` : `${a}_${b}`;
  return /^[a-z]/.test(base) ? base : `rs_${base}`;
}

/** The id of the response set with these options (shared by identical lists; created when new). */
function responseSetFor(ctx: ItemContext, f: RedcapField, options: ResponseOption[], missing: ResponseOption[], wanted?: string): string {
  const key = JSON.stringify([options, missing]);
  let rsId = ctx.setByKey.get(key);
  if (rsId !== undefined) return rsId;
  const base = responseSetBase(f, options, wanted);
  rsId = base;
  for (let k = 2; rsId in ctx.responseSets; k++) rsId = `${base}_${k}`;
  ctx.responseSets[rsId] = missing.length ? { options, missing } : { options };
  ctx.setByKey.set(key, rsId);
  return rsId;
}

function itemText(ctx: ItemContext, f: RedcapField): string {
  const text = htmlToText(f.field_label);
  if (text) return text;
  ctx.note('no-label', f.field_name, `field "${f.field_name}" has no label text; its name is used as the item text`);
  return f.field_name;
}

interface Placement {
  section?: string;
  /** The REDCap form, kept on items of a multi-form import so export-redcap writes the forms back. */
  form?: string;
}

function place(item: Record<string, unknown>, where: Placement): Record<string, unknown> {
  if (where.section) item.section = where.section;
  if (where.form) item.form = where.form;
  return item;
}

/** Import one dictionary field: an item, several (checkbox), or a note saying why not. Never throws. */
function importField(ctx: ItemContext, f: RedcapField, where: Placement): void {
  const type = f.field_type;
  const skip = (reason: string, why: string) => ctx.note(reason, f.field_name, `skipped field "${f.field_name}" (${type || 'no type'}): ${why}`);
  if (type === 'calc') return; // handled with the scales (a calc may define one)
  if (!ITEM_TYPES.has(type) && type !== 'checkbox' && type !== 'slider') return skip('not-scorable', 'not a scorable item');
  if (!ID_RE.test(f.field_name)) return skip('bad-name', 'the field name is not a valid variable name');
  if (ctx.itemFields.has(f.field_name) || ctx.items.some((it) => it.id === f.field_name))
    return skip('duplicate-name', `the field name is used twice (also line ${ctx.itemFields.get(f.field_name)?.line ?? '?'})`);
  if (type === 'slider') return importSlider(ctx, f, where, skip);
  let choices: Choice[];
  if (type === 'yesno') choices = [{ code: '0', label: 'No' }, { code: '1', label: 'Yes' }];
  else if (type === 'truefalse') choices = [{ code: '0', label: 'False' }, { code: '1', label: 'True' }];
  else choices = parseChoices(f.select_choices_or_calculations).map((c) => ({ code: c.code, label: htmlToText(c.label) || c.code }));
  const problem = choiceProblem(choices, type);
  if (problem) return skip(problem.reason, problem.text);
  if (type === 'checkbox') return importCheckbox(ctx, f, choices, where);
  importChoice(ctx, f, choices, where, skip);
}

function importSlider(ctx: ItemContext, f: RedcapField, where: Placement, skip: (reason: string, why: string) => void): void {
  const num = (s: string, d: number) => (/^\s*-?\d+(\.\d+)?\s*$/.test(s) ? Number(s) : d);
  const min = num(f.text_validation_min, SLIDER_DEFAULT.min);
  const max = num(f.text_validation_max, SLIDER_DEFAULT.max);
  if (!(min < max)) return skip('bad-range', `the slider's minimum ${min} is not below its maximum ${max}`);
  const item = { id: f.field_name, text: itemText(ctx, f), type: 'number', min, max };
  if (parseMarkers(f.field_annotation).has('REVERSE')) (item as Record<string, unknown>).reverse = true;
  ctx.items.push(place(item, where));
  ctx.itemFields.set(f.field_name, f);
}

/** A checkbox field: one 0/1 item per choice, named as REDCap exports the columns (`field___code`). */
function importCheckbox(ctx: ItemContext, f: RedcapField, choices: Choice[], where: Placement): void {
  const options: ResponseOption[] = [{ value: 0, label: 'Unchecked' }, { value: 1, label: 'Checked' }];
  const rsId = responseSetFor(ctx, { ...f, field_type: 'checkbox', field_name: 'checkbox' }, options, [], 'checked');
  const text = itemText(ctx, f);
  for (const c of choices) ctx.items.push(place({ id: checkboxColumn(f.field_name, c.code), text: `${text} (choice=${c.label})`, response_set: rsId }, where));
}

/** A radio, dropdown, yesno or truefalse field: one item; "no answer" choices become missing codes. */
function importChoice(ctx: ItemContext, f: RedcapField, choices: Choice[], where: Placement, skip: (reason: string, why: string) => void): void {
  const markers = parseMarkers(f.field_annotation);
  const key = (c: string) => String(toCode(c)).toLowerCase();
  const codes = new Set(choices.map((c) => key(c.code)));
  const missingCodes = new Set<string>();
  const marked = markers.has('MISSING') || markers.has('RESPONSE-SET');
  for (const mc of (markers.get('MISSING') ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
    if (codes.has(key(mc))) missingCodes.add(key(mc));
    else ctx.note('general', f.field_name, `field "${f.field_name}": @RAPPORT-MISSING names code ${JSON.stringify(mc)}, which is not one of its choices; ignored`);
  }
  if (!marked) {
    const like = [...missingLikeChoices(choices)].sort((a, b) => a - b).map((i) => choices[i]);
    for (const c of like) missingCodes.add(key(c.code));
    if (like.length)
      ctx.note('missing-codes', f.field_name, `field "${f.field_name}": ${like.map((c) => `${c.code} "${c.label}"`).join(', ')} imported as missing codes (no answer), not scored`);
  }
  const asOption = (c: Choice): ResponseOption => ({ value: toCode(c.code), label: c.label });
  const options = choices.filter((c) => !missingCodes.has(key(c.code))).map(asOption);
  const missing = choices.filter((c) => missingCodes.has(key(c.code))).map(asOption);
  if (options.length === 0) return skip('all-missing', 'every choice is marked @RAPPORT-MISSING, so nothing is left to answer');
  const letters = options.filter((o) => typeof o.value !== 'number').map((o) => String(o.value));
  if (letters.length) ctx.letterCoded.set(f.field_name, letters);
  const rsId = responseSetFor(ctx, f, options, missing, markers.get('RESPONSE-SET'));
  const item: Record<string, unknown> = { id: f.field_name, text: itemText(ctx, f), response_set: rsId };
  if (markers.has('REVERSE')) item.reverse = true;
  const pair = markers.get('PAIR');
  if (pair && ID_RE.test(pair)) item.pair = pair;
  ctx.items.push(place(item, where));
  ctx.itemFields.set(f.field_name, f);
}

/** False when the items mix number items of different ranges, or number and choice items (no one scale range). */
function oneNumberRange(items: Record<string, unknown>[], ids: string[]): boolean {
  const kinds = new Set(ids.map((id) => {
    const it = items.find((x) => x.id === id);
    return it?.type === 'number' ? `${it.min}..${it.max}` : 'choice';
  }));
  return kinds.size === 1;
}

/** One import note: why (a reason key), which field ('' for a general note), and the full sentence. */
export interface ImportNote {
  reason: string;
  field: string;
  text: string;
}

/** Scales: calc fields marked @RAPPORT-SCALE (exact definitions), then plain mean()/sum() calcs, then matrix groups (suggestions). */
function importScales(ctx: ItemContext, fields: RedcapField[], formName: string | undefined, at: (f: RedcapField) => string): RawScale[] {
  const { items, itemFields, letterCoded } = ctx;
  const notes = { push: (text: string, reason = 'general', field = '') => ctx.note(reason, field, text) };
  const scales: RawScale[] = [];
  const owner = new Map<string, string>();
  const itemIds = new Set(itemFields.keys());
  const scaleIdFor = (want: string) => {
    let sid = want;
    for (let k = 2; itemIds.has(sid) || scales.some((s) => s.id === sid); k++) sid = `${want}_${k === 2 ? 'scale' : `scale${k - 1}`}`;
    return sid;
  };
  const claim = (s: RawScale) => {
    for (const i of s.items) owner.set(i, s.id);
    scales.push(s);
  };
  const calcs = fields.filter((f) => f.field_type === 'calc');
  // A scale definition that cannot be used is skipped with a note; the import goes on.
  const badScale = (f: RedcapField, text: string) => notes.push(`skipped field "${f.field_name}" (calc): ${text.replace(/^.*?field "[^"]*": /, '')}`, 'scale', f.field_name);
  const plainCalcs: RedcapField[] = [];
  for (const f of calcs) {
    ctx.line = f.line;
    const markers = parseMarkers(f.field_annotation);
    if (!markers.has('SCALE')) {
      plainCalcs.push(f);
      continue;
    }
    const sid = markers.get('SCALE') || f.field_name.replace(/_score$/, '');
    if (!ID_RE.test(sid)) {
      badScale(f, `${at(f)}: @RAPPORT-SCALE=${sid} is not a valid scale id; use a letter followed by letters, digits or _.`);
      continue;
    }
    const refs = calcRefs(f.select_choices_or_calculations);
    const unknown = refs.filter((r) => !itemIds.has(r));
    if (refs.length === 0 || unknown.length) {
      badScale(f, refs.length === 0
          ? `${at(f)}: the calc field defines scale "${sid}" but its calculation refers to no field; list the items as [name] in the calculation.`
          : `${at(f)}: the calc field defines scale "${sid}" but refers to ${unknown.map((u) => `[${u}]`).join(', ')}, which ${unknown.length === 1 ? 'is not a' : 'are not'} radio, dropdown, yesno or truefalse field${unknown.length === 1 ? '' : 's'}${formName ? ` in form "${formName}"` : ''}; import the form that holds them or fix the calculation.`);
      continue;
    }
    const taken = refs.filter((r) => owner.has(r));
    if (taken.length) {
      badScale(f, `${at(f)}: scale "${sid}" uses ${taken.map((t) => `"${t}"`).join(', ')}, already in scale "${owner.get(taken[0])}"; an item may belong to one scale only.`);
      continue;
    }
    const method = markers.get('METHOD');
    const ma = markers.get('MIN-ANSWERED');
    const tr = markers.get('TRANSFORM');
    const s: RawScale = { id: sid, label: htmlToText(f.field_label) || sid, items: refs, line: f.line };
    if (method === 'mean' || method === 'sum') s.method = method;
    if (ma) s.min_answered = /^\d+$/.test(ma) ? Number(ma) : ma;
    if (tr === '0-100') s.transform = '0-100';
    if (scales.some((x) => x.id === sid)) {
      badScale(f, `${at(f)}: scale "${sid}" is defined twice; give each scale its own @RAPPORT-SCALE id.`);
      continue;
    }
    claim(s);
  }
  for (const f of plainCalcs) {
    ctx.line = f.line;
    const m = /^\s*(mean|sum)\s*\(\s*((?:\[[a-z][a-z0-9_]*\]\s*,\s*)*\[[a-z][a-z0-9_]*\])\s*\)\s*$/i.exec(f.select_choices_or_calculations);
    const refs = m ? calcRefs(m[2]) : [];
    if (!m || refs.length < 2 || refs.some((r) => !itemIds.has(r) || owner.has(r) || letterCoded.has(r)) || !oneNumberRange(items, refs)) {
      notes.push(`skipped field "${f.field_name}" (calc): not a scorable item (only mean([...]) or sum([...]) of items becomes a scale)`, 'calc', f.field_name);
      continue;
    }
    const method = m[1].toLowerCase() as 'mean' | 'sum';
    const sid = scaleIdFor(f.field_name);
    claim({ id: sid, label: htmlToText(f.field_label) || sid, items: refs, method, min_answered: '50%', line: f.line });
    notes.push(
      `calc field "${f.field_name}" became suggested scale "${sid}" (${method} of ${refs.length} items, at least 50% answered${method === 'sum' ? '; rapport prorates sums, REDCap does not' : ''}); check its scoring rules`,
    );
  }
  const groups = new Map<string, RedcapField[]>();
  for (const f of fields) {
    if (!f.matrix_group_name || !itemFields.has(f.field_name) || itemFields.get(f.field_name) !== f) continue;
    const g = groups.get(f.matrix_group_name) ?? [];
    g.push(f);
    groups.set(f.matrix_group_name, g);
  }
  for (const [name, members] of groups) {
    ctx.line = members[0].line;
    const free = members.filter((f) => !owner.has(f.field_name));
    if (free.length === 0) continue;
    const letters = free.filter((f) => letterCoded.has(f.field_name));
    if (letters.length) {
      const codes = [...new Set(letters.flatMap((f) => letterCoded.get(f.field_name)!))].map((c) => JSON.stringify(c)).join(', ');
      notes.push(`matrix group "${name}" was not made a scale: its choice codes ${codes} are not numbers, so it cannot be scored`);
      continue;
    }
    const sid = scaleIdFor(ID_RE.test(name) ? name : `group_${slug(name, 40) || 'scale'}`);
    claim({ id: sid, label: name, items: free.map((f) => f.field_name), method: 'mean', min_answered: '50%', line: free[0].line });
    notes.push(`matrix group "${name}" became suggested scale "${sid}" (mean of ${free.length} items, at least 50% answered); check its scoring rules and reverse-keyed items`);
  }
  scales.sort((a, b) => a.line - b.line);
  return scales;
}

/** Turn a parsed data dictionary into instrument data (pure). */
export function dictionaryToInstrument(dict: RedcapDictionary, opts: ImportOptions): ImportResult {
  const file = opts.file === '-' ? '<stdin>' : opts.file;
  // Notes are kept with the line they concern and returned in dictionary order.
  const noted: { line: number; entry: ImportNote }[] = [];
  const ctx: ItemContext = {
    file,
    responseSets: Object.create(null),
    setByKey: new Map(),
    items: [],
    itemFields: new Map(),
    letterCoded: new Map(),
    line: 0,
    note: (reason, field, text) => noted.push({ line: ctx.line, entry: { reason, field, text } }),
  };
  const notes = { push: (text: string) => ctx.note('general', '', text) };
  const forms: string[] = [];
  for (const f of dict.fields) if (f.form_name && !forms.includes(f.form_name)) forms.push(f.form_name);
  let fields = dict.fields;
  if (opts.form !== undefined) {
    const want = opts.form.trim();
    const match = forms.find((f) => f === want) ?? forms.find((f) => f.toLowerCase() === want.toLowerCase());
    if (!match) {
      throw new UsageError(`--form ${opts.form}: ${file} has no such form; its forms are: ${forms.join(', ') || '(none)'}.`);
    }
    fields = fields.filter((f) => f.form_name === match);
  } else if (forms.length > 1) {
    notes.push(`${file} has ${forms.length} forms (${forms.join(', ')}); importing all of them as one instrument (use --form NAME for one)`);
  }
  const oneForm = opts.form !== undefined || forms.length === 1;
  const formName = oneForm ? fields[0]?.form_name ?? forms[0] : undefined;
  const baseName = (opts.file === '-' ? 'redcap-import' : opts.file.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '')) || 'redcap-import';
  const id = toInstrumentId(formName ?? baseName);

  // Items and response sets.
  const { responseSets, items } = ctx;
  const multiForm = opts.form === undefined && forms.length > 1;
  let section: string | undefined;
  let prevForm: string | undefined;
  const at = (f: RedcapField) => `${file}, ${f.where ?? `line ${f.line}`}, field "${f.field_name}"`;

  for (const f of fields) {
    ctx.line = f.line;
    if (f.form_name !== prevForm) {
      section = undefined;
      prevForm = f.form_name;
    }
    const header = htmlToText(f.section_header);
    if (header) section = header;
    importField(ctx, f, { section, form: multiForm ? f.form_name : undefined });
  }

  applyBranching(
    items as { id: unknown; response_set?: unknown }[],
    (id) => ctx.itemFields.get(id)?.branching_logic,
    (it) => {
      const rs = typeof it.response_set === 'string' ? responseSets[it.response_set] : undefined;
      return rs ? [...rs.options, ...(rs.missing ?? [])].map((o) => o.value) : undefined;
    },
    (field, text) => {
      ctx.line = ctx.itemFields.get(field)?.line ?? ctx.line;
      ctx.note('branching', field, text);
    },
  );

  if (items.length === 0) {
    const where = formName ? `form "${formName}" of ${file}` : file;
    throw new DataError('REDCAP_NO_ITEMS', `${where} has no scorable field (radio, dropdown, yesno or truefalse), so there is nothing to import; check the form name or the dictionary.`, { file });
  }

  const scales = importScales(ctx, fields, formName, at);

  const data: Record<string, unknown> = {
    rapport: 1,
    id,
    version: '1.0.0',
    title: humanize(formName ?? baseName),
    response_sets: responseSets,
    items,
  };
  if (scales.length) {
    data.scales = scales.map((s) => ({
      id: s.id,
      label: s.label,
      items: s.items,
      method: s.method ?? 'mean',
      min_answered: s.min_answered ?? '50%',
      ...(s.transform ? { transform: s.transform } : {}),
    }));
  }
  const entries = noted.sort((a, b) => a.line - b.line).map((n) => n.entry);
  return { data, notes: entries.map((e) => e.text), entries, forms };
}

// ---------------------------------------------------------------------------------------------
// Export

export interface ExportOptions {
  /** Language of the texts (default: the instrument's first language). */
  lang?: string;
}

export interface ExportResult {
  /** Header row plus one row per field, 18 cells each (not yet neutralised or quoted). */
  rows: string[][];
  form: string;
  /** Field-name changes and other remarks, for stderr. */
  notes: string[];
}

/** A REDCap form name from an instrument id: dashes to underscores, starting with a letter. */
export function redcapFormName(id: string): string {
  const s = id.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[a-z]/.test(s) ? s : `form_${s}`;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : String(+n.toFixed(10));
}

function minAnsweredMarker(s: Scale): string {
  return s.min_answered.kind === 'count' ? String(s.min_answered.n) : `${+(s.min_answered.p * 100).toFixed(6)}%`;
}

/** A scale's REDCap calculation (mean() of its items after reverse keying, blanking missing codes). */
export function scaleCalc(inst: Instrument, scale: Scale, names: Map<string, string>): string {
  const byId = new Map(inst.items.map((i) => [i.id, i]));
  let lo = 0;
  let hi = 0;
  const terms = scale.items.map((id) => {
    const it = byId.get(id)!;
    const rs = responseSetOf(inst, it);
    const nums = it.type === 'number' ? [it.min!, it.max!] : rs.options.map((o) => o.value as number);
    const min = Math.min(...nums);
    const max = Math.max(...nums);
    lo += min;
    hi += max;
    const ref = `[${names.get(id)}]`;
    const base = it.reverse ? `(${fmt(min)}+${fmt(max)}-${ref})` : ref;
    const blanks = [...(it.reverse ? [`${ref}=''`] : []), ...rs.missing.map((m) => `${ref}='${m.value}'`)];
    return blanks.length ? `if(${blanks.join(' or ')},'',${base})` : base;
  });
  const n = scale.items.length;
  const mean = `mean(${terms.join(',')})`;
  if (scale.transform === '0-100') {
    const loM = lo / n;
    const hiM = hi / n;
    return `100*(${mean}-${fmt(loM)})/${fmt(hiM - loM)}`;
  }
  return scale.method === 'sum' ? `${mean}*${n}` : mean;
}

/** The dictionary row of a number item (a slider with its range) or a text item (a notes field). */
function openItemRow(
  it: Item,
  L: (t: LocalText | undefined) => string,
  row: (vals: Partial<Record<RedcapColumn, string>>) => string[],
  name: string,
  form: string,
  header: string,
): string[] {
  const number = it.type === 'number';
  return row({
    field_name: name,
    form_name: form,
    section_header: header,
    field_type: number ? 'slider' : 'notes',
    field_label: textToHtml(L(it.text)),
    ...(number ? { text_validation_type_or_show_slider_number: 'number', text_validation_min: fmt(it.min!), text_validation_max: fmt(it.max!) } : {}),
    field_note: it.reverse ? 'Reverse-keyed in scoring (min + max - value).' : '',
    field_annotation: it.reverse ? 'rapport: @RAPPORT-REVERSE' : '',
  });
}

/**
 * An instrument as REDCap data-dictionary rows (pure). Throws DataError when a text cannot be carried
 * (a choice label with `|`) or two ids collide once lower-cased.
 */
export function instrumentToDictionary(inst: Instrument, opts: ExportOptions = {}): ExportResult {
  const lang = opts.lang ?? inst.languages[0];
  const L = (t: LocalText | undefined) => localize(t, lang, inst.languages[0]);
  const src = inst.source.startsWith('builtin:') ? inst.id : inst.source;
  const notes: string[] = [];
  const form = redcapFormName(inst.id);
  const empty = () => REDCAP_UI_HEADERS.map(() => '');
  const row = (vals: Partial<Record<RedcapColumn, string>>) => {
    const r = empty();
    for (const [k, v] of Object.entries(vals)) r[REDCAP_API_HEADERS.indexOf(k as RedcapColumn)] = v ?? '';
    return r;
  };

  // Field names: REDCap-legal (lower-case letters, digits, _), unique.
  const names = new Map<string, string>();
  const used = new Map<string, string>([['record_id', '(the record id field)']]);
  const claim = (id: string, name: string, what: string) => {
    const prev = used.get(name);
    if (prev) {
      throw new DataError('REDCAP_NAME', `${src}: ${what} "${id}" becomes REDCap field "${name}", which is already used by ${prev}; REDCap field names are lower-case, so rename one of them.`, { file: src });
    }
    used.set(name, `${what} "${id}"`);
  };
  for (const it of inst.items) {
    const name = it.id.toLowerCase();
    claim(it.id, name, 'item');
    if (name !== it.id) notes.push(`item "${it.id}" is field "${name}" in REDCap (field names are lower-case)`);
    names.set(it.id, name);
  }
  const scaleField = new Map<string, string>();
  for (const s of inst.scales) {
    const name = `${s.id.toLowerCase()}_score`;
    claim(s.id, name, 'scale');
    scaleField.set(s.id, name);
  }

  // Matrix groups: a scale whose items are contiguous and share one response set.
  const matrixOf = new Map<string, string>();
  const pos = new Map(inst.items.map((it, i) => [it.id, i]));
  for (const s of inst.scales) {
    const idx = s.items.map((id) => pos.get(id)!);
    const contiguous = idx.every((p, k) => k === 0 || p === idx[k - 1] + 1);
    const oneSet = new Set(s.items.map((id) => inst.items[pos.get(id)!].response_set)).size === 1;
    if (contiguous && oneSet) for (const id of s.items) matrixOf.set(id, s.id.toLowerCase());
  }

  const rows: string[][] = [[...REDCAP_UI_HEADERS]];
  // Items imported from a multi-form dictionary carry their form (`form:`); the others use the instrument's.
  const formOf = (it: Item) => (typeof it.form === 'string' && it.form ? redcapFormName(it.form) : form);
  rows.push(row({ field_name: 'record_id', form_name: inst.items.length ? formOf(inst.items[0]) : form, field_type: 'text', field_label: 'Record ID' }));
  let prevSection = '';
  let prevForm = '';
  for (const it of inst.items) {
    const itemForm = formOf(it);
    if (itemForm !== prevForm) prevSection = ''; // a section header never carries over onto another form
    prevForm = itemForm;
    const section = it.section !== undefined ? L(it.section) : '';
    const header = section && section !== prevSection ? textToHtml(section) : '';
    if (section) prevSection = section;
    if (it.type === 'number' || it.type === 'text') {
      rows.push(openItemRow(it, L, row, names.get(it.id)!, itemForm, header));
      continue;
    }
    const rs = responseSetOf(inst, it);
    const choices = [...rs.options, ...rs.missing]
      .map((o, k) => {
        const label = L(o.label);
        if (label.includes('|')) {
          const where = k < rs.options.length ? `options[${k}]` : `missing[${k - rs.options.length}]`;
          throw new DataError('REDCAP_CHOICES', `${src}: response_sets.${rs.id}.${where}.label ${JSON.stringify(label)} contains "|", which REDCap uses to separate choices; replace it (for example with "/").`, { file: src });
        }
        return `${o.value}, ${textToHtml(label.replace(/\s*\n\s*/g, ' '))}`;
      })
      .join(' | ');
    const tags = [`@RAPPORT-RESPONSE-SET=${rs.id}`];
    if (rs.missing.length) tags.push(`@RAPPORT-MISSING=${rs.missing.map((m) => m.value).join(',')}`);
    if (it.reverse) tags.push('@RAPPORT-REVERSE');
    if (it.pair !== undefined) tags.push(`@RAPPORT-PAIR=${it.pair}`);
    rows.push(
      row({
        field_name: names.get(it.id)!,
        form_name: itemForm,
        section_header: header,
        field_type: it.multiple === true ? 'checkbox' : 'radio',
        field_label: textToHtml(L(it.text)),
        select_choices_or_calculations: choices,
        field_note: it.reverse ? 'Reverse-keyed in scoring (min + max - value).' : '',
        matrix_group_name: matrixOf.get(it.id) ?? '',
        branching_logic: toBranchingLogic(it.show_if, (id) => names.get(id) ?? id),
        field_annotation: `rapport: ${tags.join(' ')}`,
      }),
    );
  }
  for (const s of inst.scales) {
    const ma = minAnsweredMarker(s);
    const lastItem = inst.items[Math.max(...s.items.map((id) => pos.get(id)!))];
    const tags = [`@RAPPORT-SCALE=${s.id}`, `@RAPPORT-METHOD=${s.method}`, `@RAPPORT-MIN-ANSWERED=${ma}`];
    if (s.transform) tags.push(`@RAPPORT-TRANSFORM=${s.transform}`);
    const what = `${s.method === 'sum' ? 'Prorated sum (mean x number of items)' : 'Mean'} of ${s.items.length} items${s.items.some((id) => inst.items[pos.get(id)!].reverse) ? ' after reverse keying' : ''}${s.transform ? ', rescaled 0-100' : ''}`;
    rows.push(
      row({
        field_name: scaleField.get(s.id)!,
        form_name: formOf(lastItem),
        field_type: 'calc',
        field_label: textToHtml(L(s.label)),
        select_choices_or_calculations: scaleCalc(inst, s, names),
        field_note: `${what}. REDCap's mean() ignores blank answers and does not apply min_answered: rapport requires at least ${ma} answered.`,
        field_annotation: `rapport: ${tags.join(' ')}`,
      }),
    );
  }
  return { rows, form, notes };
}

/** Spreadsheet-formula neutralisation: a text cell starting with = + - @ tab CR LF gets a leading `'`. */
export function neutralizeCell(s: string): string {
  return /^[=+\-@\t\r\n]/.test(s) ? `'${s}` : s;
}

/**
 * Dictionary rows to CSV text (UTF-8 BOM, CRLF, RFC 4180 quoting). Every cell is neutralised against
 * formula injection, except that a choices cell starting with a negative code gets a leading space
 * instead (REDCap trims choices; a `'` would become part of the first code).
 */
export function dictionaryToCsv(rows: string[][]): string {
  const choicesCol = REDCAP_API_HEADERS.indexOf('select_choices_or_calculations');
  const safe = rows.map((r, i) =>
    r.map((c, j) => (i > 0 && j === choicesCol && /^-\d/.test(c) ? ` ${c}` : neutralizeCell(c))),
  );
  return '\uFEFF' + stringify(safe, { record_delimiter: 'windows', quoted_match: /^\s|\s$|[\r\n]/ });
}
