/**
 * The two Inquirer prompts `rapport run` uses in a full terminal, built with createPrompt:
 *
 * - `choicePrompt`: one question with numbered options. Nothing is highlighted at first (unless the
 *   respondent answered before): ↑/↓ highlight an option and Enter chooses it, or type the option's
 *   number then Enter; Enter with nothing highlighted does nothing, so a stray key records nothing.
 *   The highlighted option is named with its label under the list. `b` or Backspace (with nothing typed) goes back, `s`
 *   skips; neither is a numbered option, so option numbers always match the response options.
 * - `enterPrompt`: a screen of text that waits for Enter (intro, thank-you, next respondent).
 *
 * Ctrl-C rejects with Inquirer's ExitPromptError (handled by the session: resume hint, exit 130).
 */
import { createPrompt, isBackspaceKey, isDownKey, isEnterKey, isUpKey, useEffect, useKeypress, useRef, useState } from '@inquirer/core';
import chalk from 'chalk';
import stringWidth from 'fast-string-width';

export type Choice = { kind: 'choose'; option: number } | { kind: 'back' } | { kind: 'skip' };

export interface ChoiceOption {
  label: string;
  /** A missing code ("Prefer not to answer"): shown dimmed, after the response options. */
  missing?: boolean;
}

export interface ChoicePromptConfig {
  /** Lines above the question: heading, progress, notices. */
  heading: string[];
  question: string;
  options: ChoiceOption[];
  /** Option highlighted first (the answer already given); else nothing is highlighted. */
  current?: number;
  canBack: boolean;
  canSkip: boolean;
  /** Key help shown at the bottom. */
  help: string;
  /** Marker after the answer already given, e.g. "(your answer)". */
  yourAnswer: string;
  /** The line under the options naming the highlighted option (digits typed or arrow) and its label. */
  typed: (digits: string, label: string | undefined) => string;
  notAnOption: (text: string, n: number) => string;
  /** Shown when going back is asked on the first screen. */
  cannotBack: string;
  /** Terminal width for word wrapping (Inquirer would otherwise break words at the edge). */
  width?: number;
  /** The terminal's size now; with it the screen fits the height and re-renders on resize. */
  size?: () => { columns?: number; rows?: number };
  /** Subscribe to terminal resizes; returns the unsubscribe. */
  onResize?: (fn: () => void) => () => void;
  /** Markers for options above and below the page shown. */
  more?: { above: string; below: string };
}

/** Columns a string takes on a terminal: CJK and emoji count 2, combining marks 0. */
export function displayWidth(s: string): number {
  return stringWidth(s);
}

/** Split a word wider than `max` columns into pieces of at most `max` (CJK text has no spaces). */
function splitWide(word: string, max: number): string[] {
  const pieces: string[] = [];
  let cur = '';
  for (const ch of word) {
    if (cur !== '' && displayWidth(cur + ch) > max) {
      pieces.push(cur);
      cur = '';
    }
    cur += ch;
  }
  if (cur !== '' || pieces.length === 0) pieces.push(cur);
  return pieces;
}

/** Word-wrap plain text to `width` columns by display width; continuation lines start with `indent`. */
export function wrapText(text: string, width: number, indent = ''): string[] {
  const max = Math.max(20, width - 1);
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line: string | undefined;
    const words = para.split(/ +/).flatMap((w) => (displayWidth(w) > max - displayWidth(indent) ? splitWide(w, max - displayWidth(indent)) : [w]));
    for (const word of words) {
      if (line === undefined) line = (out.length ? indent : '') + word;
      else if (displayWidth(line) + 1 + displayWidth(word) > max) {
        out.push(line);
        line = indent + word;
      } else line += ' ' + word;
    }
    out.push(line ?? '');
  }
  return out;
}

/** Re-render when the terminal is resized (the caller clears the screen first). */
function useResize(onResize: ((fn: () => void) => () => void) | undefined): void {
  const [, setTick] = useState(0);
  const n = useRef(0);
  useEffect(() => onResize?.(() => setTick(++n.current)), []);
}

const MAX_DIGITS = 3;
/** Hide the cursor while a screen is shown (Inquirer shows it again when the prompt ends). */
const CURSOR_HIDE = '\x1b[?25l';

export const choicePrompt = createPrompt<Choice, ChoicePromptConfig>((config, done) => {
  const n = config.options.length;
  const [active, setActive] = useState(config.current ?? -1);
  const [digits, setDigits] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [status, setStatus] = useState<'idle' | 'done'>('idle');
  useResize(config.onResize);

  useKeypress((key, rl) => {
    // We keep our own state; readline's line buffer only gets in the way of rendering.
    rl.clearLine(0);
    if (status === 'done') return;
    setError(undefined);
    const name = key.name ?? '';
    if (isEnterKey(key)) {
      if (digits !== '') {
        const k = Number(digits) - 1;
        setDigits('');
        if (k >= 0 && k < n) {
          setStatus('done');
          done({ kind: 'choose', option: k });
        } else setError(config.notAnOption(digits, n));
        return;
      }
      // Nothing highlighted yet: Enter does nothing (no answer is ever recorded by a stray key).
      if (active < 0) return;
      setStatus('done');
      done({ kind: 'choose', option: active });
    } else if (isUpKey(key)) {
      setDigits('');
      setActive(active < 0 ? 0 : Math.max(0, active - 1));
    } else if (isDownKey(key)) {
      setDigits('');
      setActive(active < 0 ? 0 : Math.min(n - 1, active + 1));
    } else if (name === 'pagedown' || name === 'pageup') {
      // Long option lists: a page at a time.
      setDigits('');
      const step = Math.max(1, Math.floor((sizeOf(config).rows - 6) / 2));
      const from = active < 0 ? 0 : active;
      setActive(name === 'pagedown' ? Math.min(n - 1, from + step) : Math.max(0, from - step));
    } else if (/^[0-9]$/.test(name) && !key.ctrl && !(key as { meta?: boolean }).meta) {
      const d = digits.length >= MAX_DIGITS ? digits : digits + name;
      setDigits(d);
      const k = Number(d) - 1;
      if (k >= 0 && k < n) setActive(k);
      else setError(config.notAnOption(d, n));
    } else if (isBackspaceKey(key) && digits !== '') {
      setDigits(digits.slice(0, -1));
    } else if ((isBackspaceKey(key) || (name === 'b' && !key.ctrl && !(key as { meta?: boolean }).meta)) && digits === '') {
      if (config.canBack) {
        setStatus('done');
        done({ kind: 'back' });
      } else setError(config.cannotBack);
    } else if (name === 's' && !key.ctrl && !(key as { meta?: boolean }).meta && config.canSkip) {
      setDigits('');
      setStatus('done');
      done({ kind: 'skip' });
    }
  });

  if (status === 'done') return '';
  const { columns: cols, rows } = sizeOf(config);
  const numWidth = String(n).length;
  const optionLines = config.options.map((o, i) => {
    const num = `${String(i + 1).padStart(numWidth)}.`;
    const mark = i === config.current ? ' ' + config.yourAnswer : '';
    return wrapText(`${num} ${o.label}${mark}`, cols - 2, ' '.repeat(numWidth + 2)).map((text, k) =>
      i === active ? chalk.cyan(`${k === 0 ? '❯' : ' '} ${chalk.bold(text)}`) : `  ${o.missing ? chalk.dim(text) : text}`,
    );
  });
  const foot: string[] = [];
  if (digits) foot.push(...wrapText(config.typed(digits, config.options[Number(digits) - 1]?.label), cols));
  else if (active >= 0) foot.push(...wrapText(config.typed(String(active + 1), config.options[active].label), cols));
  if (error) foot.push(...wrapText(error, cols).map((l) => chalk.red(l)));
  const lines = layoutChoice(
    {
      heading: config.heading.flatMap((h) => wrapText(h, cols)),
      question: wrapText(config.question, cols).map((l) => chalk.bold(l)),
      options: optionLines,
      active,
      foot,
      help: wrapText(config.help, cols).map((l) => chalk.dim(l)),
      more: config.more ?? { above: '↑ …', below: '↓ …' },
    },
    rows,
  );
  return lines.join('\n') + CURSOR_HIDE;
});

export interface ChoiceParts {
  heading: string[];
  question: string[];
  /** Each option's lines. */
  options: string[][];
  /** Highlighted option (-1: none). */
  active: number;
  /** Typed choice and error lines. */
  foot: string[];
  help: string[];
  /** Lines marking options above or below the visible page. */
  more: { above: string; below: string };
}

/**
 * The item screen's lines within `rows` terminal rows (Infinity: no limit). When everything does not
 * fit, in this order: the blank separators and the key help go, the heading shrinks to its last line
 * (the progress), the options show one page around the highlighted option with ↑/↓ markers, and a
 * question longer than what is left is cut at its end: its start always stays on screen (the
 * terminal would otherwise scroll it away).
 */
export function layoutChoice(p: ChoiceParts, rows: number): string[] {
  const optionCount = p.options.reduce((k, o) => k + o.length, 0);
  const full = [...p.heading, ...(p.heading.length ? [''] : []), ...p.question, '', ...p.options.flat(), '', ...p.foot, ...p.help];
  const avail = rows - 1; // the cursor's line
  if (full.length <= avail) return full;
  const compact = [...p.heading, ...p.question, ...p.options.flat(), ...p.foot];
  if (compact.length <= avail) return compact;
  const heading = p.heading.slice(-1);
  // Typed-choice and error lines: their first line only.
  const foot = p.foot.slice(0, 1);
  const room = avail - heading.length - foot.length;
  // Options keep at least 3 lines (or all of them) plus the page markers; the question keeps at least
  // its first 2 lines, and more when there is room. A longer question is cut at its end with '…'.
  const optNeed = Math.min(optionCount, 3) + (optionCount > 3 ? 2 : 0);
  const qRoom = Math.max(Math.min(p.question.length, 2), room - optNeed);
  const question = p.question.length <= qRoom ? p.question : [...p.question.slice(0, Math.max(1, qRoom - 1)), '…'];
  const forOptions = Math.max(1, room - question.length);
  return [...heading, ...question, ...pageOptions(p.options, p.active, forOptions, p.more), ...foot];
}

/** One page of option lines, within `room` lines, holding the active option (markers included). */
function pageOptions(options: string[][], active: number, room: number, more: { above: string; below: string }): string[] {
  const flat = options.flat();
  if (flat.length <= room) return flat;
  // Line where each option starts.
  const starts: number[] = [];
  let k = 0;
  for (const o of options) {
    starts.push(k);
    k += o.length;
  }
  const inner = Math.max(1, room - 2);
  const a = active >= 0 ? active : 0;
  let top = Math.max(0, Math.min(starts[a], flat.length - inner));
  // Keep the whole active option visible when it fits.
  const end = starts[a] + options[a].length;
  if (end - top > inner) top = Math.max(0, end - inner);
  const page = flat.slice(top, top + inner);
  return [...(top > 0 ? [more.above] : []), ...page, ...(top + inner < flat.length ? [more.below] : [])];
}

/** Terminal size now (`size`, for resize), else the fixed `width` (tests), no height limit. */
function sizeOf(c: { size?: () => { columns?: number; rows?: number }; width?: number }): { columns: number; rows: number } {
  const s = c.size?.();
  return { columns: s?.columns ?? c.width ?? 80, rows: s?.rows ?? Infinity };
}

export interface EnterPromptConfig {
  lines: string[];
  hint: string;
  width?: number;
  size?: () => { columns?: number; rows?: number };
  onResize?: (fn: () => void) => () => void;
}

export const enterPrompt = createPrompt<void, EnterPromptConfig>((config, done) => {
  const [status, setStatus] = useState<'idle' | 'done'>('idle');
  const [top, setTop] = useState(0);
  useResize(config.onResize);
  const { columns, rows } = sizeOf(config);
  const lines = config.lines.flatMap((l) => wrapText(l, columns));
  const hint = config.hint ? ['', chalk.dim(config.hint)] : [];
  // A text taller than the terminal shows from its start; ↓/↑ (or PgDn/PgUp) scroll it, and the
  // hint stays visible below.
  const room = Math.max(1, rows - 1 - hint.length - 2);
  const maxTop = Math.max(0, lines.length - room);
  useKeypress((key, rl) => {
    rl.clearLine(0);
    if (status === 'done') return;
    if (isEnterKey(key)) {
      setStatus('done');
      done();
    } else if (isDownKey(key) || key.name === 'pagedown') setTop(Math.min(maxTop, top + (key.name === 'pagedown' ? room : 1)));
    else if (isUpKey(key) || key.name === 'pageup') setTop(Math.max(0, top - (key.name === 'pageup' ? room : 1)));
  });
  if (status === 'done') return '';
  if (lines.length + hint.length <= rows - 1) return [...lines, ...hint].join('\n') + CURSOR_HIDE;
  const t = Math.min(top, maxTop);
  const page = [...(t > 0 ? ['↑ …'] : []), ...lines.slice(t, t + room), ...(t + room < lines.length ? ['↓ …'] : [])];
  return [...page, ...hint].join('\n') + CURSOR_HIDE;
});
