/**
 * Instrument validation: structure by the published JSON Schema (instruments/schema.json, checked with
 * Ajv), then the semantic rules the schema cannot express. Every problem is reported at once, each
 * with its path (`items[3].response_set`). Pure: takes parsed data, returns problems or an Instrument.
 */
import { firstControl } from '../util/terminal.js';
import { Ajv, type ErrorObject } from 'ajv';
import type { InstrumentProblem } from '../errors.js';
import type { Instrument, Item, LocalText, MinAnswered, ResponseOption, ResponseSet, Scale } from './types.js';
import { itemType } from './types.js';
import schema from './schema.js';

const ajv = new Ajv({ allErrors: true, strict: false });
const validateSchema = ajv.compile(schema);

/** `/items/3/response_set` → `items[3].response_set` */
export function jsonPointerToPath(ptr: string): string {
  if (!ptr) return '';
  let out = '';
  for (const raw of ptr.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  let s: string | undefined;
  try {
    s = JSON.stringify(v);
  } catch {
    s = Array.isArray(v) ? '[...]' : '{...}';
  }
  return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 57) + '...' : s;
}

function valueAt(root: unknown, ptr: string): unknown {
  let cur: unknown = root;
  for (const raw of ptr.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}

/** Turn Ajv's errors into one readable problem per place (oneOf noise collapsed). */
function schemaProblems(data: unknown, allErrors: ErrorObject[]): InstrumentProblem[] {
  // A failed oneOf reports every branch's complaint; keep only the oneOf itself (with a hint).
  const oneOfs = allErrors.filter((e) => e.keyword === 'oneOf').map((e) => e.schemaPath + '/');
  const errors = allErrors.filter((e) => !oneOfs.some((s) => e.schemaPath.startsWith(s)));
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    const p = e.instancePath;
    const list = byPath.get(p) ?? [];
    list.push(e);
    byPath.set(p, list);
  }
  const problems: InstrumentProblem[] = [];
  for (const [ptr, errs] of byPath) {
    // If a deeper path has errors, the oneOf/anyOf summary at this path adds nothing.
    const specific = errs.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'if');
    const chosen = specific.length ? specific : errs;
    const seen = new Set<string>();
    for (const e of chosen) {
      let path = jsonPointerToPath(ptr);
      let msg: string;
      const got = valueAt(data, ptr);
      switch (e.keyword) {
        case 'required': {
          const prop = (e.params as { missingProperty: string }).missingProperty;
          path = path ? `${path}.${prop}` : prop;
          msg = `is required but missing; add it`;
          break;
        }
        case 'type':
          msg = `must be ${(e.params as { type: string }).type}, got ${describeValue(got)}`;
          break;
        case 'pattern':
          msg = `${describeValue(got)} is not allowed here (${patternHint(ptr)})`;
          break;
        case 'const':
          msg = `must be ${describeValue((e.params as { allowedValue: unknown }).allowedValue)}, got ${describeValue(got)}`;
          break;
        case 'enum':
          msg = `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(got)}`;
          break;
        case 'minItems':
          msg = `must not be empty; list at least ${(e.params as { limit: number }).limit}`;
          break;
        case 'minProperties':
          msg = `must not be empty`;
          break;
        case 'minLength':
          msg = `must not be an empty string`;
          break;
        case 'minimum':
          msg = `must be at least ${(e.params as { limit: number }).limit}, got ${describeValue(got)}`;
          break;
        case 'uniqueItems':
          msg = `has duplicate entries ${describeValue(got)}`;
          break;
        case 'propertyNames':
          msg = `has a key that is not allowed: ${describeValue((e.params as { propertyName: string }).propertyName)}`;
          break;
        case 'oneOf':
          msg = `${describeValue(got)} is not valid here (${oneOfHint(ptr)})`;
          break;
        default:
          msg = `${e.message ?? 'is invalid'} (got ${describeValue(got)})`;
      }
      const key = path + '|' + msg;
      if (!seen.has(key)) {
        seen.add(key);
        problems.push({ path, message: msg });
      }
    }
  }
  return problems;
}

function patternHint(ptr: string): string {
  if (ptr === '/id') return 'use lower-case letters, digits and single dashes, e.g. "my-survey"';
  if (/\/items\/\d+\/id$/.test(ptr) || /\/scales\/\d+\/id$/.test(ptr)) return 'use a letter followed by letters, digits or _';
  if (/\/min_answered$/.test(ptr)) return 'use a whole number of items, or a percentage such as "50%"';
  if (/\/languages\/\d+$/.test(ptr)) return 'use a language code such as en or es';
  if (/\/value$/.test(ptr)) return 'use a number, or a code of letters and digits';
  return 'see instruments/schema.json';
}

function oneOfHint(ptr: string): string {
  if (/\/min_answered$/.test(ptr)) return 'use a whole number of items (1 or more), or a percentage such as "50%"';
  if (/\/value$/.test(ptr)) return 'use a number, or a code of letters and digits';
  return 'a text is a non-empty string or an object of translations such as {en: ..., es: ...}';
}

/** Case-fold and normalise a label for duplicate detection and matching. */
export function normalizeLabel(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201A\u201B\u2032]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

function labelVariants(label: LocalText): string[] {
  return typeof label === 'string' ? [label] : Object.values(label);
}

function parseMinAnswered(v: unknown): MinAnswered {
  if (v === undefined) return { kind: 'proportion', p: 0.5 };
  if (typeof v === 'number') return { kind: 'count', n: v };
  const pct = Number(String(v).slice(0, -1));
  return { kind: 'proportion', p: pct / 100 };
}

/** Most options a `multiple: true` item may have (its selections are kept as bits of one integer). */
export const MAX_MULTIPLE_OPTIONS = 30;

/** Rules of each item type: choice items name a known response set; number items a range; text items neither. */
function checkItemType(it: any, base: string, responseSets: Record<string, ResponseSet>, problems: InstrumentProblem[]): void {
  const type = it.type ?? 'choice';
  if (type === 'choice') {
    const rs = responseSets[it.response_set];
    if (!rs) problems.push({ path: `${base}.response_set`, message: `unknown response set "${it.response_set}"; use one of: ${Object.keys(responseSets).join(', ')}` });
    else if (it.multiple === true && rs.options.length > MAX_MULTIPLE_OPTIONS)
      problems.push({ path: `${base}.multiple`, message: `a multiple-choice item may have at most ${MAX_MULTIPLE_OPTIONS} options; response set "${rs.id}" has ${rs.options.length}` });
    if (it.multiple === true && it.reverse === true) problems.push({ path: `${base}.reverse`, message: 'a multiple-choice item gives one 0/1 value per option and cannot be reverse-keyed; remove reverse' });
    for (const k of ['min', 'max'] as const) if (it[k] !== undefined) problems.push({ path: `${base}.${k}`, message: `only number items have a ${k}; add type: number or remove ${k}` });
    if (it.max_length !== undefined) problems.push({ path: `${base}.max_length`, message: 'only text items have a max_length; add type: text or remove max_length' });
    return;
  }
  if (it.response_set !== undefined) problems.push({ path: `${base}.response_set`, message: `a ${type} item has no response set; remove response_set (or make it a choice item)` });
  if (it.multiple === true) problems.push({ path: `${base}.multiple`, message: `only choice items can be multiple; remove multiple from this ${type} item` });
  if (type === 'number') {
    if (!(it.min < it.max)) problems.push({ path: `${base}.max`, message: `must be above min (${it.min}), got ${it.max}` });
    if (it.max_length !== undefined) problems.push({ path: `${base}.max_length`, message: 'only text items have a max_length; remove it from this number item' });
    return;
  }
  if (it.reverse === true) problems.push({ path: `${base}.reverse`, message: 'a text item cannot be reverse-keyed; remove reverse' });
  for (const k of ['min', 'max'] as const) if (it[k] !== undefined) problems.push({ path: `${base}.${k}`, message: `only number items have a ${k}; remove it from this text item` });
}

/** Why an item cannot be scored in a scale, or undefined. */
function unscorableInScale(it: Item): string | undefined {
  if (itemType(it) === 'text') return 'is a text item (free text)';
  if (it.multiple === true) return 'is a multiple-choice item (one 0/1 value per option)';
  return undefined;
}

/**
 * `show_if`: each condition names an item that comes earlier and values that are its options (or
 * missing codes). `index` maps the ids seen so far to their index; `at` is this item's.
 */
function checkShowIf(v: unknown, at: number, index: Map<string, number>, rawItems: any[], sets: Record<string, ResponseSet>, problems: InstrumentProblem[]): void {
  const conds = [v].flat() as { item: string; in: (number | string)[] }[];
  const many = Array.isArray(v);
  conds.forEach((c, k) => {
    const p = `items[${at}].show_if${many ? `[${k}]` : ''}`;
    const j = index.get(c.item);
    if (j === undefined || j >= at) {
      problems.push({ path: `${p}.item`, message: `"${c.item}" is not an earlier item; a branching rule can only look back at items asked before this one` });
      return;
    }
    const rs = sets[rawItems[j].response_set];
    if (!rs) {
      problems.push({ path: `${p}.item`, message: `"${c.item}" is not a choice item, so its answer cannot be matched against values; branch on a choice item` });
      return;
    }
    const codes = [...rs.options, ...rs.missing].map((o) => String(o.value));
    c.in.forEach((x, i) => {
      if (!codes.includes(String(x))) problems.push({ path: `${p}.in[${i}]`, message: `${JSON.stringify(x)} is not a value of item "${c.item}" (its values: ${codes.join(', ')})` });
    });
  });
}

/**
 * Text shown on a terminal must not hold control characters (an escape sequence could hide text or
 * show another option than the one recorded); line breaks are allowed, the layout renders them.
 */
function checkControls(t: unknown, path: string, problems: InstrumentProblem[]): void {
  const texts: [string, string][] = typeof t === 'string' ? [[path, t]] : t && typeof t === 'object' ? Object.entries(t).filter((e): e is [string, string] => typeof e[1] === 'string').map(([l, v]) => [`${path}.${l}`, v]) : [];
  for (const [p, v] of texts) {
    const c = firstControl(v, { lines: true });
    if (c) problems.push({ path: p, message: `holds the control character ${c} (an escape code or other invisible character); remove it, only line breaks are allowed in text` });
  }
}

type Problems = InstrumentProblem[];
/** Checks one (possibly translated) text: control characters, and one translation per declared language. */
type TextCheck = (t: LocalText | undefined, path: string) => void;

/** Translations: with several languages every text must be an object naming each of them. */
function textChecker(languages: string[], problems: Problems): TextCheck {
  return (t, path) => {
    if (t === undefined) return;
    checkControls(t, path, problems);
    if (typeof t === 'string') {
      if (languages.length > 1) problems.push({ path, message: `is a plain string but the instrument declares languages [${languages.join(', ')}]; give {${languages.map((l) => `${l}: ...`).join(', ')}}` });
      return;
    }
    for (const l of languages) if (!(l in t)) problems.push({ path, message: `has no "${l}" translation; add ${l}: ... (declared in languages)` });
    for (const l of Object.keys(t)) if (!languages.includes(l)) problems.push({ path: `${path}.${l}`, message: `language "${l}" is not declared in languages [${languages.join(', ')}]; add it there or remove this text` });
  };
}

/** License, citation, title and intro: the instrument-level texts. */
function checkHeaderTexts(raw: Record<string, any>, checkText: TextCheck, problems: Problems): void {
  checkControls(raw.license?.owner, 'license.owner', problems);
  checkControls(raw.license?.terms, 'license.terms', problems);
  [raw.citation ?? []].flat().forEach((c: unknown, i: number) => checkControls(c, Array.isArray(raw.citation) ? `citation[${i}]` : 'citation', problems));
  checkText(raw.title, 'title');
  checkText(raw.intro, 'intro');
}

/** One response set: non-empty, distinct values/codes and labels; returns it normalised. */
function checkResponseSet(rsId: string, rs: any, checkText: TextCheck, problems: Problems): ResponseSet {
  const base = `response_sets.${rsId}`;
  const options: ResponseOption[] = rs.options ?? [];
  const missing: ResponseOption[] = rs.missing ?? [];
  if (options.length === 0) problems.push({ path: `${base}.options`, message: 'is empty; list the response options from lowest to highest' });
  const values = new Map<string, string>();
  const labels = new Map<string, string>();
  const all: [ResponseOption, string][] = [
    ...options.map((o, i) => [o, `${base}.options[${i}]`] as [ResponseOption, string]),
    ...missing.map((o, i) => [o, `${base}.missing[${i}]`] as [ResponseOption, string]),
  ];
  for (const [o, p] of all) {
    const vk = typeof o.value === 'number' ? `n:${o.value}` : /^-?\d+(\.\d+)?$/.test(o.value) ? `n:${Number(o.value)}` : `s:${o.value.toLowerCase()}`;
    const prev = values.get(vk);
    if (prev) problems.push({ path: `${p}.value`, message: `duplicate value ${JSON.stringify(o.value)} (also at ${prev}); each option needs its own code` });
    else values.set(vk, p);
    if (o.code !== undefined) {
      const ck = /^-?\d+(\.\d+)?$/.test(o.code) ? `n:${Number(o.code)}` : `s:${o.code.toLowerCase()}`;
      const prevC = values.get(ck);
      if (prevC) problems.push({ path: `${p}.code`, message: `duplicate code ${JSON.stringify(o.code)} (also the value or code at ${prevC}); each option needs its own code` });
      else values.set(ck, p);
    }
    checkText(o.label, `${p}.label`);
    for (const lbl of labelVariants(o.label)) {
      const lk = normalizeLabel(lbl);
      const prevL = labels.get(lk);
      if (prevL && prevL !== p) problems.push({ path: `${p}.label`, message: `duplicate label ${JSON.stringify(lbl)} (also at ${prevL}); labels must tell options apart` });
      else labels.set(lk, p);
    }
  }
  const norm = (o: ResponseOption): ResponseOption => (o.code !== undefined ? { value: o.value, code: o.code, label: o.label } : { value: o.value, label: o.label });
  return { id: rsId, options: options.map(norm), missing: missing.map(norm) };
}

function checkResponseSets(rawSets: Record<string, any>, checkText: TextCheck, problems: Problems): Record<string, ResponseSet> {
  const responseSets: Record<string, ResponseSet> = Object.create(null);
  for (const [rsId, rs] of Object.entries<any>(rawSets)) responseSets[rsId] = checkResponseSet(rsId, rs, checkText, problems);
  return responseSets;
}

/** Items: distinct ids, type rules, texts, show_if, distinct pair keys; returns them normalised with an id → index map. */
function checkItems(rawItems: any[], responseSets: Record<string, ResponseSet>, checkText: TextCheck, problems: Problems): { items: Item[]; itemIndex: Map<string, number> } {
  const items: Item[] = [];
  const itemIndex = new Map<string, number>();
  const pairIndex = new Map<string, number>();
  rawItems.forEach((it, i) => {
    const base = `items[${i}]`;
    if (itemIndex.has(it.id)) problems.push({ path: `${base}.id`, message: `duplicate item id "${it.id}" (also items[${itemIndex.get(it.id)}]); give each item its own id` });
    else itemIndex.set(it.id, i);
    checkItemType(it, base, responseSets, problems);
    checkText(it.text, `${base}.text`);
    checkText(it.section, `${base}.section`);
    if (it.show_if !== undefined) checkShowIf(it.show_if, i, itemIndex, rawItems, responseSets, problems);
    if (it.pair !== undefined) {
      const other = pairIndex.get(it.pair);
      if (other !== undefined) problems.push({ path: `${base}.pair`, message: `duplicate pair key "${it.pair}" (also items[${other}]); a pair key names one item in each instrument` });
      else pairIndex.set(it.pair, i);
    }
    items.push({ ...it, reverse: it.reverse === true, ...(it.show_if !== undefined ? { show_if: [it.show_if].flat() } : {}) });
  });
  return { items, itemIndex };
}

/** What the scale checks need to know about the items. */
interface ItemContext {
  items: Item[];
  itemIndex: Map<string, number>;
  responseSets: Record<string, ResponseSet>;
}

/**
 * A scale's item list: known, not listed twice, in no other scale (`owner` records item → scale
 * across scales), scorable, numeric codes. Returns the accepted item ids in order.
 */
function checkScaleItems(sc: any, base: string, ctx: ItemContext, owner: Map<string, string>, problems: Problems): Set<string> {
  const seenHere = new Set<string>();
  (sc.items as string[]).forEach((itemId, j) => {
    const p = `${base}.items[${j}]`;
    if (!ctx.itemIndex.has(itemId)) {
      problems.push({ path: p, message: `unknown item "${itemId}"; it must be the id of an item in items` });
      return;
    }
    if (seenHere.has(itemId)) {
      problems.push({ path: p, message: `item "${itemId}" is listed twice in this scale` });
      return;
    }
    seenHere.add(itemId);
    const prevOwner = owner.get(itemId);
    if (prevOwner) problems.push({ path: p, message: `item "${itemId}" is already in scale "${prevOwner}"; an item may belong to one scale only` });
    else owner.set(itemId, sc.id);
    const item = ctx.items[ctx.itemIndex.get(itemId)!];
    const unscorable = unscorableInScale(item);
    if (unscorable) problems.push({ path: p, message: `item "${itemId}" ${unscorable}, so it cannot be in a scale; remove it from the scale` });
    const rs = item.response_set === undefined ? undefined : ctx.responseSets[item.response_set];
    if (rs) {
      const nonNumeric = rs.options.filter((o) => typeof o.value !== 'number');
      if (nonNumeric.length) problems.push({ path: p, message: `item "${itemId}" uses response set "${rs.id}" whose codes ${nonNumeric.map((o) => JSON.stringify(o.value)).join(', ')} are not numbers, so it cannot be scored; give the options numeric values` });
    }
  });
  return seenHere;
}

/** Items of one scale must share one numeric range for reverse keying and the 0-100 transform. */
function checkScaleRanges(sc: any, base: string, itemIds: Set<string>, ctx: ItemContext, problems: Problems): void {
  const ranges = new Set<string>();
  let numberItems = 0;
  for (const itemId of itemIds) {
    const item = ctx.items[ctx.itemIndex.get(itemId)!];
    if (itemType(item) === 'number') {
      numberItems++;
      ranges.add(`${item.min}..${item.max}`);
      continue;
    }
    const rs = item.response_set === undefined ? undefined : ctx.responseSets[item.response_set];
    if (rs && rs.options.length) {
      const nums = rs.options.map((o) => o.value).filter((v): v is number => typeof v === 'number');
      if (nums.length) ranges.add(`${Math.min(...nums)}..${Math.max(...nums)}`);
    }
  }
  if (ranges.size > 1 && numberItems > 0)
    problems.push({ path: `${base}.items`, message: `the scale has number items and its items have different ranges (${[...ranges].join(', ')}); a scale may use number items of one range only` });
  else if (ranges.size > 1 && sc.transform === '0-100') problems.push({ path: `${base}.transform`, message: `the scale's items have different ranges (${[...ranges].join(', ')}), so "0-100" is undefined; use items with one response range` });
}

/** Scales: distinct ids apart from item ids, their items, min_answered, ranges, texts; returns them normalised. */
function checkScales(rawScales: any[], ctx: ItemContext, checkText: TextCheck, problems: Problems): Scale[] {
  const scales: Scale[] = [];
  const scaleIds = new Map<string, number>();
  const owner = new Map<string, string>();
  for (const [i, sc] of rawScales.entries()) {
    const base = `scales[${i}]`;
    if (scaleIds.has(sc.id)) problems.push({ path: `${base}.id`, message: `duplicate scale id "${sc.id}" (also scales[${scaleIds.get(sc.id)}]); give each scale its own id` });
    else scaleIds.set(sc.id, i);
    if (ctx.itemIndex.has(sc.id)) problems.push({ path: `${base}.id`, message: `scale id "${sc.id}" is also an item id; scored files name columns by both, so rename one` });
    if ((sc.items as string[]).length === 0) problems.push({ path: `${base}.items`, message: 'is empty; list the ids of the items this scale scores' });
    const seenHere = checkScaleItems(sc, base, ctx, owner, problems);
    const ma = parseMinAnswered(sc.min_answered);
    if (ma.kind === 'count' && ma.n > seenHere.size && seenHere.size > 0) problems.push({ path: `${base}.min_answered`, message: `asks for ${ma.n} answered items but the scale has only ${seenHere.size}; use at most ${seenHere.size} or a percentage` });
    if (ma.kind === 'proportion' && (ma.p <= 0 || ma.p > 1)) problems.push({ path: `${base}.min_answered`, message: `${JSON.stringify(sc.min_answered)} must be a percentage above 0% and at most 100%` });
    checkScaleRanges(sc, base, seenHere, ctx, problems);
    checkText(sc.label, `${base}.label`);
    checkText(sc.description, `${base}.description`);
    scales.push({
      id: sc.id,
      label: sc.label ?? sc.id,
      items: [...seenHere],
      method: sc.method ?? 'mean',
      min_answered: ma,
      ...(sc.transform ? { transform: sc.transform } : {}),
      ...(sc.description ? { description: sc.description } : {}),
    });
  }
  return scales;
}

/** Reverse-keyed items need a numeric range. */
function checkReverseKeyed(items: Item[], responseSets: Record<string, ResponseSet>, problems: Problems): void {
  items.forEach((it, i) => {
    if (!it.reverse || it.response_set === undefined) return;
    const rs = responseSets[it.response_set];
    if (rs && rs.options.some((o) => typeof o.value !== 'number')) problems.push({ path: `items[${i}].reverse`, message: `item "${it.id}" is reverse-keyed but its response set "${rs.id}" has non-numeric codes; reverse keying needs numbers` });
  });
}

/**
 * Validate parsed instrument data. Returns the normalised instrument, or every problem found.
 * `source` is recorded on the instrument (a file path or `builtin:<id>`).
 */
export function validateInstrument(data: unknown, source: string): { ok: true; instrument: Instrument } | { ok: false; problems: InstrumentProblem[] } {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, problems: [{ path: '', message: `the file must hold a mapping (rapport: 1, id: ..., items: ...), got ${describeValue(data)}` }] };
  }
  if (!validateSchema(data)) {
    return { ok: false, problems: schemaProblems(data, validateSchema.errors ?? []) };
  }
  const raw = data as Record<string, any>;
  const problems: InstrumentProblem[] = [];
  const languages: string[] = raw.languages ?? ['en'];
  const checkText = textChecker(languages, problems);
  checkHeaderTexts(raw, checkText, problems);
  const responseSets = checkResponseSets(raw.response_sets, checkText, problems);
  const { items, itemIndex } = checkItems(raw.items as any[], responseSets, checkText, problems);
  const scales = checkScales((raw.scales ?? []) as any[], { items, itemIndex, responseSets }, checkText, problems);
  checkReverseKeyed(items, responseSets, problems);

  if (problems.length) return { ok: false, problems };
  const instrument: Instrument = {
    rapport: 1,
    id: raw.id,
    version: String(raw.version),
    title: raw.title,
    languages,
    ...(raw.intro !== undefined ? { intro: raw.intro } : {}),
    ...(raw.license !== undefined ? { license: raw.license } : {}),
    ...(raw.citation !== undefined ? { citation: raw.citation } : {}),
    response_sets: responseSets,
    items,
    scales,
    source,
  };
  return { ok: true, instrument };
}
