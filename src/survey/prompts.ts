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
import { createPrompt, isBackspaceKey, isDownKey, isEnterKey, isUpKey, useKeypress, useState } from '@inquirer/core';
import chalk from 'chalk';

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
}

/** Word-wrap plain text to `width` columns; continuation lines start with `indent`. */
export function wrapText(text: string, width: number, indent = ''): string[] {
  const max = Math.max(20, width - 1);
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line: string | undefined;
    for (const word of para.split(/ +/)) {
      if (line === undefined) line = (out.length ? indent : '') + word;
      else if (line.length + 1 + word.length > max) {
        out.push(line);
        line = indent + word;
      } else line += ' ' + word;
    }
    out.push(line ?? '');
  }
  return out;
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
  const cols = config.width ?? 80;
  const lines: string[] = [];
  for (const h of config.heading) lines.push(...wrapText(h, cols));
  if (config.heading.length) lines.push('');
  lines.push(...wrapText(config.question, cols).map((l) => chalk.bold(l)));
  lines.push('');
  const numWidth = String(n).length;
  config.options.forEach((o, i) => {
    const num = `${String(i + 1).padStart(numWidth)}.`;
    const mark = i === config.current ? ' ' + config.yourAnswer : '';
    const wrapped = wrapText(`${num} ${o.label}${mark}`, cols - 2, ' '.repeat(numWidth + 2));
    wrapped.forEach((text, k) => {
      if (i === active) lines.push(chalk.cyan(`${k === 0 ? '❯' : ' '} ${chalk.bold(text)}`));
      else lines.push(`  ${o.missing ? chalk.dim(text) : text}`);
    });
  });
  lines.push('');
  if (digits) lines.push(config.typed(digits, config.options[Number(digits) - 1]?.label));
  else if (active >= 0) lines.push(config.typed(String(active + 1), config.options[active].label));
  if (error) lines.push(...wrapText(error, cols).map((l) => chalk.red(l)));
  lines.push(...wrapText(config.help, cols).map((l) => chalk.dim(l)));
  return lines.join('\n') + CURSOR_HIDE;
});

export interface EnterPromptConfig {
  lines: string[];
  hint: string;
}

export const enterPrompt = createPrompt<void, EnterPromptConfig>((config, done) => {
  const [status, setStatus] = useState<'idle' | 'done'>('idle');
  useKeypress((key, rl) => {
    rl.clearLine(0);
    if (status === 'done') return;
    if (isEnterKey(key)) {
      setStatus('done');
      done();
    }
  });
  if (status === 'done') return '';
  return [...config.lines, '', chalk.dim(config.hint)].join('\n') + CURSOR_HIDE;
});
