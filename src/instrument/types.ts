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
  label: LocalText;
}

export interface ResponseSet {
  id: string;
  /** Ordered, lowest to highest. */
  options: ResponseOption[];
  /** Codes that mean "no answer" (refused, does not apply). */
  missing: ResponseOption[];
}

export interface Item {
  id: string;
  text: LocalText;
  response_set: string;
  /** Scored as min + max - value. */
  reverse: boolean;
  /** Optional section heading shown by `run` (defaults to the scale's label). */
  section?: LocalText;
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

/** Pick the text for a language, falling back to the instrument's first language, then any. */
export function localize(text: LocalText | undefined, lang: string, fallback = 'en'): string {
  if (text === undefined) return '';
  if (typeof text === 'string') return text;
  return text[lang] ?? text[fallback] ?? Object.values(text)[0] ?? '';
}
