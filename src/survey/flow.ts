/**
 * The survey flow as pure data: what each screen shows, and how an event (an answer, skip, back,
 * submit) moves the respondent from one screen to the next. No I/O here: src/survey/session.ts
 * drives it with an `Ask` (src/survey/ask.ts) and a journal.
 */
import { localize, responseSetOf, type Instrument, type Item } from '../instrument/types.js';

/** What the respondent gave for one item. */
export type Answer =
  | { kind: 'value'; value: number | string }
  | { kind: 'refused'; value: number | string }
  | { kind: 'skipped' };

export type Position = { at: 'intro' } | { at: 'item'; index: number } | { at: 'review' };

export type SurveyEvent =
  | { kind: 'begin' }
  | { kind: 'choose'; option: number }
  /** A typed answer to a number or text item (already checked with openAnswer). */
  | { kind: 'enter'; value: number | string }
  | { kind: 'skip' }
  | { kind: 'back' }
  | { kind: 'submit' };

export interface OptionView {
  /** 1-based number shown and typed by the respondent. */
  number: number;
  label: string;
  value: number | string;
  /** A missing code ("Prefer not to answer"): always listed after the response options. */
  missing: boolean;
}

export interface ItemView {
  index: number;
  total: number;
  itemId: string;
  /** The section heading: the item's `section`, else the label of the first scale holding it, else ''. */
  section: string;
  text: string;
  options: OptionView[];
  /** Index into `options` of the answer already given, if any (after going back or resuming). */
  current?: number;
  canBack: boolean;
}

/** Longest text answer when the item gives no `max_length`. */
export const DEFAULT_TEXT_MAX = 500;

/** A text item's limit: its `max_length` (a positive integer), else DEFAULT_TEXT_MAX. */
export function textMax(item: Item): number {
  const m = item.max_length;
  return typeof m === 'number' && Number.isInteger(m) && m > 0 ? m : DEFAULT_TEXT_MAX;
}

export type OpenCheck = { value: number | string } | { problem: 'not-a-number' | 'out-of-range' | 'too-long' };

/**
 * A typed answer to a number item (a decimal number from min to max) or a text item (at most
 * textMax characters, counted as code points). `raw` is trimmed and not empty.
 */
export function openAnswer(item: Item, raw: string): OpenCheck {
  if (item.type === 'number') {
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(raw)) return { problem: 'not-a-number' };
    const x = Number(raw);
    if (!(x >= (item.min ?? -Infinity) && x <= (item.max ?? Infinity))) return { problem: 'out-of-range' };
    return { value: x };
  }
  return [...raw].length > textMax(item) ? { problem: 'too-long' } : { value: raw };
}

/** Response options then missing codes, numbered from 1. */
export function optionsFor(inst: Instrument, item: Item, lang: string): OptionView[] {
  const rs = responseSetOf(inst, item);
  const out: OptionView[] = [];
  for (const o of rs.options) out.push({ number: out.length + 1, label: localize(o.label, lang), value: o.value, missing: false });
  for (const o of rs.missing) out.push({ number: out.length + 1, label: localize(o.label, lang), value: o.value, missing: true });
  return out;
}

export function sectionFor(inst: Instrument, item: Item, lang: string): string {
  if (item.section !== undefined) return localize(item.section, lang);
  const scale = inst.scales.find((s) => s.items.includes(item.id));
  return scale ? localize(scale.label, lang) : '';
}

export function itemView(inst: Instrument, lang: string, index: number, answers: readonly (Answer | undefined)[]): ItemView {
  const item = inst.items[index];
  const options = optionsFor(inst, item, lang);
  const a = answers[index];
  let current: number | undefined;
  if (a && a.kind !== 'skipped') {
    const k = options.findIndex((o) => o.value === a.value && o.missing === (a.kind === 'refused'));
    if (k >= 0) current = k;
  }
  return {
    index,
    total: inst.items.length,
    itemId: item.id,
    section: sectionFor(inst, item, lang),
    text: localize(item.text, lang),
    options,
    current,
    canBack: nextShown(shownItems(inst, answers), index, -1) !== undefined,
  };
}

/** The answer an option stands for. */
export function answerFor(option: OptionView): Answer {
  return option.missing ? { kind: 'refused', value: option.value } : { kind: 'value', value: option.value };
}

export function sameAnswer(a: Answer | undefined, b: Answer | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.kind !== b.kind) return false;
  if (a.kind === 'skipped') return true;
  return a.value === (b as { value: number | string }).value;
}

/**
 * Which items are asked (branching `show_if`): an item is shown when every condition holds, that is
 * the item it names is itself shown and its answer (a value or a missing code) is one of `in`.
 * Items come in order and conditions look back, so one pass decides all.
 */
export function shownItems(inst: Instrument, answers: readonly (Answer | undefined)[]): boolean[] {
  const index = new Map(inst.items.map((it, i) => [it.id, i]));
  const shown: boolean[] = [];
  inst.items.forEach((it, i) => {
    shown[i] = (it.show_if ?? []).every((c) => {
      const j = index.get(c.item);
      if (j === undefined || j >= i || !shown[j]) return false;
      const a = answers[j];
      return a !== undefined && a.kind !== 'skipped' && c.in.some((v) => String(v) === String(a.value));
    });
  });
  return shown;
}

/** The answers as recorded: a hidden item's answer (given before an earlier answer changed) is dropped. */
export function recordedAnswers(inst: Instrument, answers: readonly (Answer | undefined)[]): (Answer | undefined)[] {
  const shown = shownItems(inst, answers);
  return answers.map((a, i) => (shown[i] ? a : undefined));
}

/** First shown item with no recorded answer (skipped counts as seen); `total` when all are seen. */
export function firstUnseen(answers: readonly (Answer | undefined)[], total: number, shown?: readonly boolean[]): number {
  for (let i = 0; i < total; i++) if (answers[i] === undefined && (shown?.[i] ?? true)) return i;
  return total;
}

/** Shown items with a value or a missing code (not skipped, not unseen, not hidden). */
export function countAnswered(answers: readonly (Answer | undefined)[], shown?: readonly boolean[]): number {
  let n = 0;
  answers.forEach((a, i) => {
    if (a && a.kind !== 'skipped' && (shown?.[i] ?? true)) n++;
  });
  return n;
}

/** Shown items, for the review's count. */
export function countShown(shown: readonly boolean[]): number {
  return shown.filter(Boolean).length;
}

/** The next shown item after `i` (or before it with `dir` -1); undefined when there is none. */
export function nextShown(shown: readonly boolean[], i: number, dir: 1 | -1): number | undefined {
  for (let j = i + dir; j >= 0 && j < shown.length; j += dir) if (shown[j]) return j;
  return undefined;
}

/** Where a session starts: the intro for a new respondent (if the instrument has one), else the first unseen item. */
export function startPosition(inst: Instrument, answers: readonly (Answer | undefined)[], resumed: boolean): Position {
  if (!resumed && inst.intro !== undefined) return { at: 'intro' };
  const i = firstUnseen(answers, inst.items.length, shownItems(inst, answers));
  return i >= inst.items.length ? { at: 'review' } : { at: 'item', index: i };
}

export interface StepResult {
  pos: Position | 'submitted';
  /** An answer to record (journal first, then state) when it differs from the one already held. */
  record?: { index: number; answer: Answer };
}

/**
 * One transition. Pure: the caller appends `record` to the journal before showing the next screen.
 * - intro: begin → first unseen item;
 * - item: choose/skip → record (if changed), next item or review; back → previous item (no-op on the first);
 * - review: back → last item; submit → submitted.
 */
export function step(inst: Instrument, lang: string, pos: Position, answers: readonly (Answer | undefined)[], ev: SurveyEvent): StepResult {
  const n = inst.items.length;
  const shown = shownItems(inst, answers);
  // Forward: the next item shown once this answer is in (it may open or close branches).
  const after = (i: number, answer: Answer): Position => {
    const next = nextShown(shownItems(inst, answers.map((a, k) => (k === i ? answer : a))), i, 1);
    return next === undefined ? { at: 'review' } : { at: 'item', index: next };
  };
  switch (pos.at) {
    case 'intro':
      if (ev.kind === 'begin') {
        const i = firstUnseen(answers, n, shown);
        return { pos: i >= n ? { at: 'review' } : { at: 'item', index: i } };
      }
      return { pos };
    case 'item': {
      const i = pos.index;
      if (ev.kind === 'back') {
        const prev = nextShown(shown, i, -1);
        return { pos: prev !== undefined ? { at: 'item', index: prev } : pos };
      }
      let answer: Answer | undefined;
      if (ev.kind === 'skip') answer = { kind: 'skipped' };
      else if (ev.kind === 'enter') answer = { kind: 'value', value: ev.value };
      else if (ev.kind === 'choose') {
        const opts = optionsFor(inst, inst.items[i], lang);
        const o = opts[ev.option];
        if (!o) throw new RangeError(`option ${ev.option} out of range for item ${inst.items[i].id}`);
        answer = answerFor(o);
      }
      if (!answer) return { pos };
      return { pos: after(i, answer), record: sameAnswer(answers[i], answer) ? undefined : { index: i, answer } };
    }
    case 'review': {
      const last = nextShown(shown, n, -1);
      if (ev.kind === 'back') return { pos: last !== undefined ? { at: 'item', index: last } : pos };
      if (ev.kind === 'submit') return { pos: 'submitted' };
      return { pos };
    }
  }
}
