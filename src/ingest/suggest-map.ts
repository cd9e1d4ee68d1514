/**
 * `rapport map`: a mapping file suggested from an export's header records. Each item of the instrument
 * is matched to a column by name (the item id, as is or in LimeSurvey's `Q1_SQ001` form), else by text:
 * the export's own question texts (Qualtrics' second header row, LimeSurvey full-text headings, or the
 * header itself) against the item's texts in every language, by the overlap of their words. Each column
 * is used once, best matches first. Numbers, not prose: the CLI writes the YAML and its comments.
 */
import type { Instrument, LocalText } from '../instrument/types.js';
import { buildLayout, detectPlatform, limesurveyUnderscore, type Platform } from './platform.js';

export interface ItemMatch {
  item: string;
  /** 0-based column, or -1 when no column matches. */
  column: number;
  /** How it matched: the column name, or the question text. */
  by: 'name' | 'text' | 'none';
  /** 1 for a name match; the word overlap (Dice coefficient, 0–1) for a text match. */
  confidence: number;
}

export interface MapSuggestion {
  platform: Platform;
  names: string[];
  /** The question text of each column ('' when the export has none beyond the name). */
  texts: string[];
  idColumn: number;
  matches: ItemMatch[];
}

/** Text matches below this word overlap are not suggested. */
export const MIN_TEXT_CONFIDENCE = 0.5;

const ID_NAMES = ['responseid', 'response id', '_recordid', 'record_id', 'id', 'respondent_id', 'participant_id', 'study_id'];

function texts(t: LocalText | undefined): string[] {
  if (t === undefined) return [];
  return typeof t === 'string' ? [t] : Object.values(t);
}

/** The words of a text: HTML and punctuation removed, lower case, accents kept. */
export function words(s: string): Set<string> {
  const plain = s.replace(/<[^>]*>/g, ' ').replace(/&[a-z]+;/gi, ' ').toLowerCase();
  return new Set(plain.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 1));
}

/** Dice coefficient of two word sets (0–1). */
export function overlap(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let n = 0;
  for (const w of a) if (b.has(w)) n++;
  return (2 * n) / (a.size + b.size);
}

/** Suggest a mapping from the first (up to three) records of an export. */
export function suggestMapping(records: string[][], inst: Instrument): MapSuggestion {
  const platform = detectPlatform(records);
  const layout = buildLayout(records, platform, 'detected');
  const names = layout.names;
  const second = platform === 'qualtrics' || platform === 'qualtrics-legacy' ? (records[1] ?? []) : [];
  const colTexts = names.map((n, i) => (second[i] ?? '') || n);
  const used = new Set<number>();
  const matches: ItemMatch[] = inst.items.map((it) => ({ item: it.id, column: -1, by: 'none', confidence: 0 }));
  // By name first.
  const byName = new Map<string, number>();
  names.forEach((n, i) => {
    for (const k of [n.toLowerCase(), limesurveyUnderscore(n).toLowerCase()]) if (!byName.has(k)) byName.set(k, i);
  });
  inst.items.forEach((it, k) => {
    const c = byName.get(it.id.toLowerCase());
    if (c !== undefined && !used.has(c)) {
      used.add(c);
      matches[k] = { item: it.id, column: c, by: 'name', confidence: 1 };
    }
  });
  // Then by text: every (item, column) pair scored, best first.
  const colWords = colTexts.map(words);
  const pairs: { k: number; c: number; score: number }[] = [];
  inst.items.forEach((it, k) => {
    if (matches[k].by !== 'none') return;
    const itemWords = texts(it.text).map(words);
    colWords.forEach((cw, c) => {
      if (used.has(c)) return;
      const score = Math.max(0, ...itemWords.map((iw) => overlap(iw, cw)));
      if (score >= MIN_TEXT_CONFIDENCE) pairs.push({ k, c, score });
    });
  });
  pairs.sort((a, b) => b.score - a.score || a.k - b.k || a.c - b.c);
  for (const p of pairs) {
    if (matches[p.k].by !== 'none' || used.has(p.c)) continue;
    used.add(p.c);
    matches[p.k] = { item: matches[p.k].item, column: p.c, by: 'text', confidence: p.score };
  }
  const idColumn = ID_NAMES.map((n) => names.findIndex((x) => x.trim().toLowerCase() === n)).find((i) => i >= 0 && !used.has(i)) ?? -1;
  return { platform, names, texts: colTexts, idColumn, matches };
}
