/**
 * Instrument format v1: the parsed, validated, normalised shape every other module uses.
 * The file format (YAML or JSON) is described in README "Instrument format" and published as
 * JSON Schema at instruments/schema.json.
 */

/** A text in one language (a plain string) or in several (`{en: ..., es: ...}`). */
export type LocalText = string | Record<string, string>;

export interface ResponseOption {
  /** The stored code. Numbers are scorable; letter codes (from REDCap) are allowed but cannot be scored. */
  value: number | string;
  /** A text code the export may hold instead of the value (`A1`, `AO01`); scoring uses `value`. */
  code?: string;
  label: LocalText;
}

export interface ResponseSet {
  id: string;
  /** Ordered, lowest to highest. */
  options: ResponseOption[];
  /** Codes that mean "no answer" (refused, does not apply). */
  missing: ResponseOption[];
}

/** `choice` (the default: one option of a response set), `number` (a value from min to max), `text` (free text). */
export type ItemType = 'choice' | 'number' | 'text';

/** How an item's cell is read (compiled scoring tables and the scored CSV writer). */
export const ITEM_KIND = {
  /** One option of a response set (by code, value or label). */
  CHOICE: 0,
  /** A number from min to max. */
  NUMBER: 1,
  /** Free text: never read, scored or reported. */
  TEXT: 2,
  /** A choice item whose cell may list several options: one 0/1 value per option. */
  MULTIPLE: 3,
} as const;
export type ItemKind = (typeof ITEM_KIND)[keyof typeof ITEM_KIND];

/** One branching condition: the answer to `item` (an earlier item) is one of `in`. */
export interface ShowIf {
  item: string;
  in: (number | string)[];
}

export interface Item {
  id: string;
  text: LocalText;
  /** The response set of a choice item (number and text items have none). */
  response_set?: string;
  /** Absent for choice items (the default), so files without types read back unchanged. */
  type?: ItemType;
  /** Range of a number item (a value outside it is invalid). */
  min?: number;
  max?: number;
  /** A choice item whose cell may hold several options ("White,Other"): one 0/1 value per option. */
  multiple?: boolean;
  /** Longest answer of a text item, in characters (default 500 in `run`). */
  max_length?: number;
  /** Scored as min + max - value. */
  reverse: boolean;
  /** Optional section heading shown by `run` (defaults to the scale's label). */
  section?: LocalText;
  /** Branching: ask only when every condition holds (an earlier item's answer is one of `in`). */
  show_if?: ShowIf[];
  /** Pair key: the same question on the other side's form (patient / clinician) about one visit. */
  pair?: string;
  /** Extension fields from the file, kept verbatim (e.g. `role: outcome`). */
  [extra: string]: unknown;
}

/** `min_answered` normalised: an integer count, or a proportion in (0, 1] of the scale's items. */
export type MinAnswered = { kind: 'count'; n: number } | { kind: 'proportion'; p: number };

export interface Scale {
  id: string;
  label: LocalText;
  items: string[];
  method: 'mean' | 'sum';
  min_answered: MinAnswered;
  /** Optional rescaling: 100 * (score - lowest possible) / (highest possible - lowest possible). */
  transform?: '0-100';
  description?: LocalText;
}

export interface License {
  owner?: string;
  terms?: string;
  wording_bundled?: boolean;
  [extra: string]: unknown;
}

export interface Instrument {
  rapport: 1;
  id: string;
  version: string;
  title: LocalText;
  languages: string[];
  intro?: LocalText;
  license?: License;
  citation?: string | string[];
  response_sets: Record<string, ResponseSet>;
  items: Item[];
  scales: Scale[];
  /** Where it was loaded from (a file path, or `builtin:<id>`). Not part of the file format. */
  source: string;
}

/** The item's type (`choice` when the file gives none). */
export function itemType(it: Item): ItemType {
  return it.type ?? 'choice';
}

const NO_OPTIONS: ResponseSet = Object.freeze({ id: '', options: [], missing: [] }) as ResponseSet;

/** The item's response set; number and text items have an empty one (no options, no missing codes). */
export function responseSetOf(inst: Pick<Instrument, 'response_sets'>, it: Item): ResponseSet {
  return it.response_set === undefined ? NO_OPTIONS : inst.response_sets[it.response_set] ?? NO_OPTIONS;
}

/** Pick the text for a language, falling back to the instrument's first language, then any. */
export function localize(text: LocalText | undefined, lang: string, fallback = 'en'): string {
  if (text === undefined) return '';
  if (typeof text === 'string') return text;
  return text[lang] ?? text[fallback] ?? Object.values(text)[0] ?? '';
}
