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
    canBack: index > 0,
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

/** First item with no recorded answer (skipped counts as seen); `answers.length` when all are seen. */
export function firstUnseen(answers: readonly (Answer | undefined)[], total: number): number {
  for (let i = 0; i < total; i++) if (answers[i] === undefined) return i;
  return total;
}

/** Items with a value or a missing code (not skipped, not unseen). */
export function countAnswered(answers: readonly (Answer | undefined)[]): number {
  let n = 0;
  for (const a of answers) if (a && a.kind !== 'skipped') n++;
  return n;
}

/** Where a session starts: the intro for a new respondent (if the instrument has one), else the first unseen item. */
export function startPosition(inst: Instrument, answers: readonly (Answer | undefined)[], resumed: boolean): Position {
  if (!resumed && inst.intro !== undefined) return { at: 'intro' };
  const i = firstUnseen(answers, inst.items.length);
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
  const after = (i: number): Position => (i + 1 >= n ? { at: 'review' } : { at: 'item', index: i + 1 });
  switch (pos.at) {
    case 'intro':
      if (ev.kind === 'begin') {
        const i = firstUnseen(answers, n);
        return { pos: i >= n ? { at: 'review' } : { at: 'item', index: i } };
      }
      return { pos };
    case 'item': {
      const i = pos.index;
      if (ev.kind === 'back') return { pos: i > 0 ? { at: 'item', index: i - 1 } : pos };
      let answer: Answer | undefined;
      if (ev.kind === 'skip') answer = { kind: 'skipped' };
      else if (ev.kind === 'choose') {
        const opts = optionsFor(inst, inst.items[i], lang);
        const o = opts[ev.option];
        if (!o) throw new RangeError(`option ${ev.option} out of range for item ${inst.items[i].id}`);
        answer = answerFor(o);
      }
      if (!answer) return { pos };
      return { pos: after(i), record: sameAnswer(answers[i], answer) ? undefined : { index: i, answer } };
    }
    case 'review':
      if (ev.kind === 'back') return { pos: n > 0 ? { at: 'item', index: n - 1 } : pos };
      if (ev.kind === 'submit') return { pos: 'submitted' };
      return { pos };
  }
}
