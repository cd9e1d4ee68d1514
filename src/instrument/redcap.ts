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
import { stringify } from 'csv-stringify/sync';
import { DataError, UsageError } from '../errors.js';
import type { Instrument, LocalText, ResponseOption, Scale } from './types.js';
import { localize } from './types.js';

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

/** One row of a data dictionary: every column by its API name ('' when absent), plus its line. */
export type RedcapField = Record<RedcapColumn, string> & { line: number };

export interface RedcapDictionary {
  style: 'ui' | 'api';
  fields: RedcapField[];
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
  const first = headerKey(header[0] ?? '');
  const style: 'ui' | 'api' | undefined = first === headerKey(REDCAP_UI_HEADERS[0]) ? 'ui' : first === 'field_name' ? 'api' : undefined;
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
    const key = index.get(headerKey(h) as never);
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
      f[c] = i === undefined ? '' : unneutralize(cells[i] ?? '');
    }
    f.field_name = f.field_name.trim();
    f.form_name = f.form_name.trim();
    f.field_type = f.field_type.trim().toLowerCase();
    f.matrix_group_name = f.matrix_group_name.trim();
    fields.push(f);
  }
  return { style, fields };
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
      return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp === 0xa0 ? 0x20 : cp) : m;
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
  /** One line per skipped field or suggestion, for stderr. */
  notes: string[];
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

/** Turn a parsed data dictionary into instrument data (pure). */
/** Notes kept with the dictionary line they concern (returned in dictionary order). */
class Notes {
  line = 0;
  readonly all: { line: number; text: string }[] = [];
  push(text: string): void {
    this.all.push({ line: this.line, text });
  }
  sorted(): string[] {
    return this.all.sort((a, b) => a.line - b.line).map((n) => n.text);
  }
}

/** What the import of one dictionary shares between its steps. */
interface ImportContext {
  file: string;
  notes: Notes;
  formName: string | undefined;
  at: (f: RedcapField) => string;
}

/** The fields to import (one form with --form) and the dictionary's form names. */
function selectFields(dict: RedcapDictionary, opts: ImportOptions, file: string, notes: Notes): { fields: RedcapField[]; forms: string[] } {
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
  return { fields, forms };
}

/** A field's choices as options and missing codes (@RAPPORT-MISSING), checked. */
function fieldOptions(f: RedcapField, markers: Map<string, string>, c: ImportContext): { options: ResponseOption[]; missing: ResponseOption[] } {
  const { file } = c;
  const type = f.field_type;
  let choices: Choice[];
  if (type === 'yesno') choices = [{ code: '0', label: 'No' }, { code: '1', label: 'Yes' }];
  else if (type === 'truefalse') choices = [{ code: '0', label: 'False' }, { code: '1', label: 'True' }];
  else {
    choices = parseChoices(f.select_choices_or_calculations).map((ch) => ({ code: ch.code, label: htmlToText(ch.label) || ch.code }));
    if (choices.length === 0) {
      throw new DataError('REDCAP_CHOICES', `${c.at(f)}: a ${type} field has no choices; fill "Choices, Calculations, OR Slider Labels" with "1, label | 2, label".`, { file, line: f.line });
    }
  }
  const seenCodes = new Map<string, string>();
  const seenLabels = new Set<string>();
  for (const ch of choices) {
    if (!CODE_RE.test(ch.code)) {
      throw new DataError('REDCAP_CHOICES', `${c.at(f)}: choice code ${JSON.stringify(ch.code)} is not a valid code; codes are letters, digits, _, . or - followed by a comma and the label ("1, Never").`, { file, line: f.line });
    }
    const key = String(toCode(ch.code)).toLowerCase();
    if (seenCodes.has(key)) {
      throw new DataError('REDCAP_CHOICES', `${c.at(f)}: choice code ${JSON.stringify(ch.code)} appears twice; give each choice its own code.`, { file, line: f.line });
    }
    seenCodes.set(key, ch.label);
    const lk = ch.label.replace(/\s+/g, ' ').toLowerCase();
    if (seenLabels.has(lk)) {
      throw new DataError('REDCAP_CHOICES', `${c.at(f)}: choice label ${JSON.stringify(ch.label)} appears twice; labels must tell the choices apart.`, { file, line: f.line });
    }
    seenLabels.add(lk);
  }
  const missingCodes = new Set<string>();
  for (const mc of (markers.get('MISSING') ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
    const key = String(toCode(mc)).toLowerCase();
    if (seenCodes.has(key)) missingCodes.add(key);
    else c.notes.push(`field "${f.field_name}": @RAPPORT-MISSING names code ${JSON.stringify(mc)}, which is not one of its choices; ignored`);
  }
  const asOption = (ch: Choice): ResponseOption => ({ value: toCode(ch.code), label: ch.label });
  const options = choices.filter((ch) => !missingCodes.has(String(toCode(ch.code)).toLowerCase())).map(asOption);
  const missing = choices.filter((ch) => missingCodes.has(String(toCode(ch.code)).toLowerCase())).map(asOption);
  if (options.length === 0) {
    throw new DataError('REDCAP_CHOICES', `${c.at(f)}: every choice is marked @RAPPORT-MISSING, so nothing is left to answer; remove the marker.`, { file, line: f.line });
  }
  return { options, missing };
}

/** The imported items and response sets (identical choice lists share one set). */
interface ImportedItems {
  // Keyed by ids from the dictionary: no prototype, so `constructor` or `toString` are free names.
  responseSets: Record<string, { options: ResponseOption[]; missing?: ResponseOption[] }>;
  setByKey: Map<string, string>;
  items: Record<string, unknown>[];
  itemFields: Map<string, RedcapField>;
  /** Items whose choice codes are letters (not scorable): field → codes. */
  letterCoded: Map<string, string[]>;
}

/** The id of the response set for these options: an existing identical set, or a new one. */
function responseSetFor(f: RedcapField, markers: Map<string, string>, options: ResponseOption[], missing: ResponseOption[], r: ImportedItems): string {
  const key = JSON.stringify([options, missing]);
  const known = r.setByKey.get(key);
  if (known !== undefined) return known;
  const wanted = markers.get('RESPONSE-SET');
  const type = f.field_type;
  let base: string;
  if (wanted && ID_RE.test(wanted)) base = wanted;
  else if (type === 'yesno' || type === 'truefalse') base = type;
  else {
    const a = slug(String(options[0].label));
    const b = slug(String(options[options.length - 1].label));
    base = options.length === 1 || !a || !b ? `${f.field_name}_choices` : `${a}_${b}`;
    if (!/^[a-z]/.test(base)) base = `rs_${base}`;
  }
  let rsId = base;
  for (let k = 2; rsId in r.responseSets; k++) rsId = `${base}_${k}`;
  r.responseSets[rsId] = missing.length ? { options, missing } : { options };
  r.setByKey.set(key, rsId);
  return rsId;
}

/** Radio, dropdown, yesno and truefalse fields become items; other types are skipped with a note. */
function importItems(fields: RedcapField[], c: ImportContext): ImportedItems {
  const { file, notes } = c;
  const r: ImportedItems = { responseSets: Object.create(null), setByKey: new Map(), items: [], itemFields: new Map(), letterCoded: new Map() };
  let section: string | undefined;
  let prevForm: string | undefined;
  for (const f of fields) {
    notes.line = f.line;
    if (f.form_name !== prevForm) {
      section = undefined;
      prevForm = f.form_name;
    }
    const header = htmlToText(f.section_header);
    if (header) section = header;
    const type = f.field_type;
    if (!ITEM_TYPES.has(type)) {
      if (type === 'calc') continue; // handled with the scales (a calc may define a scale)
      notes.push(`skipped field "${f.field_name}" (${type || 'no type'}): not a scorable item`);
      continue;
    }
    if (!ID_RE.test(f.field_name)) {
      throw new DataError('REDCAP_FIELD', `${file}, line ${f.line}: field name ${JSON.stringify(f.field_name)} is not a valid variable name; use a letter followed by letters, digits or _.`, { file, line: f.line });
    }
    if (r.itemFields.has(f.field_name)) {
      throw new DataError('REDCAP_FIELD', `${c.at(f)}: the field name is used twice (also line ${r.itemFields.get(f.field_name)!.line}); give each field its own name.`, { file, line: f.line });
    }
    const markers = parseMarkers(f.field_annotation);
    const { options, missing } = fieldOptions(f, markers, c);
    const letters = options.filter((o) => typeof o.value !== 'number').map((o) => String(o.value));
    if (letters.length) r.letterCoded.set(f.field_name, letters);
    const rsId = responseSetFor(f, markers, options, missing, r);
    let text = htmlToText(f.field_label);
    if (!text) {
      text = f.field_name;
      notes.push(`field "${f.field_name}" has no label text; its name is used as the item text`);
    }
    const item: Record<string, unknown> = { id: f.field_name, text, response_set: rsId };
    if (markers.has('REVERSE')) item.reverse = true;
    const pair = markers.get('PAIR');
    if (pair && ID_RE.test(pair)) item.pair = pair;
    if (section) item.section = section;
    r.items.push(item);
    r.itemFields.set(f.field_name, f);
  }
  if (r.items.length === 0) {
    const where = c.formName ? `form "${c.formName}" of ${file}` : file;
    throw new DataError('REDCAP_NO_ITEMS', `${where} has no scorable field (radio, dropdown, yesno or truefalse), so there is nothing to import; check the form name or the dictionary.`, { file });
  }
  return r;
}

/** The scales being built: each item in one scale at most. */
class ScaleSet {
  readonly scales: RawScale[] = [];
  readonly owner = new Map<string, string>();
  constructor(readonly itemIds: Set<string>) {}
  /** A free scale id from `want` (not an item id, not a scale id already). */
  idFor(want: string): string {
    let sid = want;
    for (let k = 2; this.itemIds.has(sid) || this.scales.some((s) => s.id === sid); k++) sid = `${want}_${k === 2 ? 'scale' : `scale${k - 1}`}`;
    return sid;
  }
  claim(s: RawScale): void {
    for (const i of s.items) this.owner.set(i, s.id);
    this.scales.push(s);
  }
}

/** A calc field marked @RAPPORT-SCALE: the exact scale export-redcap wrote. */
function markedScale(f: RedcapField, markers: Map<string, string>, set: ScaleSet, c: ImportContext): RawScale {
  const { file } = c;
  const sid = markers.get('SCALE') || f.field_name.replace(/_score$/, '');
  if (!ID_RE.test(sid)) {
    throw new DataError('REDCAP_SCALE', `${c.at(f)}: @RAPPORT-SCALE=${sid} is not a valid scale id; use a letter followed by letters, digits or _.`, { file, line: f.line });
  }
  const refs = calcRefs(f.select_choices_or_calculations);
  const unknown = refs.filter((r) => !set.itemIds.has(r));
  if (refs.length === 0 || unknown.length) {
    throw new DataError(
      'REDCAP_SCALE',
      refs.length === 0
        ? `${c.at(f)}: the calc field defines scale "${sid}" but its calculation refers to no field; list the items as [name] in the calculation.`
        : `${c.at(f)}: the calc field defines scale "${sid}" but refers to ${unknown.map((u) => `[${u}]`).join(', ')}, which ${unknown.length === 1 ? 'is not a' : 'are not'} radio, dropdown, yesno or truefalse field${unknown.length === 1 ? '' : 's'}${c.formName ? ` in form "${c.formName}"` : ''}; import the form that holds them or fix the calculation.`,
      { file, line: f.line },
    );
  }
  const taken = refs.filter((r) => set.owner.has(r));
  if (taken.length) {
    throw new DataError('REDCAP_SCALE', `${c.at(f)}: scale "${sid}" uses ${taken.map((t) => `"${t}"`).join(', ')}, already in scale "${set.owner.get(taken[0])}"; an item may belong to one scale only.`, { file, line: f.line });
  }
  const method = markers.get('METHOD');
  const ma = markers.get('MIN-ANSWERED');
  const tr = markers.get('TRANSFORM');
  const s: RawScale = { id: sid, label: htmlToText(f.field_label) || sid, items: refs, line: f.line };
  if (method === 'mean' || method === 'sum') s.method = method;
  if (ma) s.min_answered = /^\d+$/.test(ma) ? Number(ma) : ma;
  if (tr === '0-100') s.transform = '0-100';
  if (set.scales.some((x) => x.id === sid)) {
    throw new DataError('REDCAP_SCALE', `${c.at(f)}: scale "${sid}" is defined twice; give each scale its own @RAPPORT-SCALE id.`, { file, line: f.line });
  }
  return s;
}

/** Scales: calc fields marked @RAPPORT-SCALE (exact), then plain mean()/sum() calcs, then matrix groups (suggestions). */
function importScales(fields: RedcapField[], r: ImportedItems, c: ImportContext): RawScale[] {
  const { notes } = c;
  const set = new ScaleSet(new Set(r.itemFields.keys()));
  const plainCalcs: RedcapField[] = [];
  for (const f of fields.filter((x) => x.field_type === 'calc')) {
    const markers = parseMarkers(f.field_annotation);
    if (markers.has('SCALE')) set.claim(markedScale(f, markers, set, c));
    else plainCalcs.push(f);
  }
  for (const f of plainCalcs) {
    notes.line = f.line;
    const m = /^\s*(mean|sum)\s*\(\s*((?:\[[a-z][a-z0-9_]*\]\s*,\s*)*\[[a-z][a-z0-9_]*\])\s*\)\s*$/i.exec(f.select_choices_or_calculations);
    const refs = m ? calcRefs(m[2]) : [];
    if (!m || refs.length < 2 || refs.some((x) => !set.itemIds.has(x) || set.owner.has(x) || r.letterCoded.has(x))) {
      notes.push(`skipped field "${f.field_name}" (calc): not a scorable item`);
      continue;
    }
    const method = m[1].toLowerCase() as 'mean' | 'sum';
    const sid = set.idFor(f.field_name);
    set.claim({ id: sid, label: htmlToText(f.field_label) || sid, items: refs, method, min_answered: '50%', line: f.line });
    notes.push(
      `calc field "${f.field_name}" became suggested scale "${sid}" (${method} of ${refs.length} items, at least 50% answered${method === 'sum' ? '; rapport prorates sums, REDCap does not' : ''}); check its scoring rules`,
    );
  }
  const groups = new Map<string, RedcapField[]>();
  for (const f of fields) {
    if (!f.matrix_group_name || !r.itemFields.has(f.field_name) || r.itemFields.get(f.field_name) !== f) continue;
    const g = groups.get(f.matrix_group_name) ?? [];
    g.push(f);
    groups.set(f.matrix_group_name, g);
  }
  for (const [name, members] of groups) {
    notes.line = members[0].line;
    const free = members.filter((f) => !set.owner.has(f.field_name));
    if (free.length === 0) continue;
    const letters = free.filter((f) => r.letterCoded.has(f.field_name));
    if (letters.length) {
      const codes = [...new Set(letters.flatMap((f) => r.letterCoded.get(f.field_name)!))].map((x) => JSON.stringify(x)).join(', ');
      notes.push(`matrix group "${name}" was not made a scale: its choice codes ${codes} are not numbers, so it cannot be scored`);
      continue;
    }
    const sid = set.idFor(ID_RE.test(name) ? name : `group_${slug(name, 40) || 'scale'}`);
    set.claim({ id: sid, label: name, items: free.map((f) => f.field_name), method: 'mean', min_answered: '50%', line: free[0].line });
    notes.push(`matrix group "${name}" became suggested scale "${sid}" (mean of ${free.length} items, at least 50% answered); check its scoring rules and reverse-keyed items`);
  }
  return set.scales.sort((a, b) => a.line - b.line);
}

export function dictionaryToInstrument(dict: RedcapDictionary, opts: ImportOptions): ImportResult {
  const file = opts.file === '-' ? '<stdin>' : opts.file;
  const notes = new Notes();
  const { fields, forms } = selectFields(dict, opts, file, notes);
  const oneForm = opts.form !== undefined || forms.length === 1;
  const formName = oneForm ? (fields[0]?.form_name ?? forms[0]) : undefined;
  const baseName = (opts.file === '-' ? 'redcap-import' : opts.file.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '')) || 'redcap-import';
  const c: ImportContext = { file, notes, formName, at: (f) => `${file}, line ${f.line}, field "${f.field_name}"` };
  const imported = importItems(fields, c);
  const scales = importScales(fields, imported, c);
  const data: Record<string, unknown> = {
    rapport: 1,
    id: toInstrumentId(formName ?? baseName),
    version: '1.0.0',
    title: humanize(formName ?? baseName),
    response_sets: imported.responseSets,
    items: imported.items,
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
  return { data, notes: notes.sorted(), forms };
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
    const rs = inst.response_sets[it.response_set];
    const nums = rs.options.map((o) => o.value as number);
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
  rows.push(row({ field_name: 'record_id', form_name: form, field_type: 'text', field_label: 'Record ID' }));
  let prevSection = '';
  for (const it of inst.items) {
    const rs = inst.response_sets[it.response_set];
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
    const section = it.section !== undefined ? L(it.section) : '';
    const header = section && section !== prevSection ? textToHtml(section) : '';
    if (section) prevSection = section;
    const tags = [`@RAPPORT-RESPONSE-SET=${rs.id}`];
    if (rs.missing.length) tags.push(`@RAPPORT-MISSING=${rs.missing.map((m) => m.value).join(',')}`);
    if (it.reverse) tags.push('@RAPPORT-REVERSE');
    if (it.pair !== undefined) tags.push(`@RAPPORT-PAIR=${it.pair}`);
    rows.push(
      row({
        field_name: names.get(it.id)!,
        form_name: form,
        section_header: header,
        field_type: 'radio',
        field_label: textToHtml(L(it.text)),
        select_choices_or_calculations: choices,
        field_note: it.reverse ? 'Reverse-keyed in scoring (min + max - value).' : '',
        matrix_group_name: matrixOf.get(it.id) ?? '',
        field_annotation: `rapport: ${tags.join(' ')}`,
      }),
    );
  }
  for (const s of inst.scales) {
    const ma = minAnsweredMarker(s);
    const tags = [`@RAPPORT-SCALE=${s.id}`, `@RAPPORT-METHOD=${s.method}`, `@RAPPORT-MIN-ANSWERED=${ma}`];
    if (s.transform) tags.push(`@RAPPORT-TRANSFORM=${s.transform}`);
    const what = `${s.method === 'sum' ? 'Prorated sum (mean x number of items)' : 'Mean'} of ${s.items.length} items${s.items.some((id) => inst.items[pos.get(id)!].reverse) ? ' after reverse keying' : ''}${s.transform ? ', rescaled 0-100' : ''}`;
    rows.push(
      row({
        field_name: scaleField.get(s.id)!,
        form_name: form,
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
