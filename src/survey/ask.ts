/**
 * `Ask`: the only way the survey session talks to the respondent, so the flow can be driven without a
 * terminal in tests. Two implementations:
 *
 * - `fancyAsk`: full-terminal screens built on Inquirer prompts (src/survey/prompts.ts), one screen at a
 *   time (the terminal is cleared before each), arrow keys or typed numbers.
 * - `plainAsk` (--plain, TERM=dumb): line by line, no colours and no cursor movement: the screen is
 *   printed as text with numbered options and the answer is a typed line (a number, `b`, or `s`).
 *   Suits screen readers and terminals without arrow keys.
 *
 * Interruption (Ctrl-C in a prompt, input closed) rejects with an error whose name is
 * `ExitPromptError` (`isInterrupt`).
 */
import * as readline from 'node:readline';
import { input } from '@inquirer/prompts';
import { choicePrompt, enterPrompt, type Choice, type ChoiceOption } from './prompts.js';
import type { Messages } from './messages.js';
import { visible } from '../util/terminal.js';

export type { Choice, ChoiceOption };

export interface ChoiceScreen {
  heading: string[];
  question: string;
  options: ChoiceOption[];
  current?: number;
  canBack: boolean;
  canSkip: boolean;
  help: {
    /** Key help under the options in a full terminal. */
    fancy: string;
    /** Help line printed before the plain prompt. */
    plain: string;
    /** The plain prompt (what to type). */
    prompt: string;
  };
  m: Messages;
}

export interface Ask {
  /** Show a question with numbered options; resolve with the respondent's choice. */
  choose(s: ChoiceScreen): Promise<Choice>;
  /** Show lines and wait for Enter. */
  pressEnter(lines: string[], hint: string): Promise<void>;
  /** Show lines and read a typed line until `check` accepts it (returns an error message, or undefined). */
  text(lines: string[], prompt: string, check: (value: string) => string | undefined): Promise<string>;
  /** Show lines without waiting (the last screen of a session). */
  show(lines: string[]): void;
  /** Start a new screen; `wipe` also clears the scrollback (kiosk: nothing of the previous respondent stays). */
  clear(wipe?: boolean): void;
  close(): void;
}

export interface AskStreams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

/** Thrown by `plainAsk` when input ends; same name as Inquirer's error so one check covers both. */
export class AskClosedError extends Error {
  constructor() {
    super('input closed');
    this.name = 'ExitPromptError';
  }
}

export function isInterrupt(err: unknown): boolean {
  const n = (err as { name?: string } | null)?.name;
  return n === 'ExitPromptError' || n === 'AbortPromptError';
}

/**
 * The screen as it may reach a terminal: instrument text with its control characters shown (`\x1b`),
 * never sent raw, so the option shown is the option recorded. A question keeps its own line breaks.
 */
function shown(s: ChoiceScreen): ChoiceScreen {
  return {
    ...s,
    heading: s.heading.map((h) => visible(h, { lines: true })),
    question: visible(s.question, { lines: true }),
    options: s.options.map((o) => ({ ...o, label: visible(o.label) })),
  };
}

const shownLines = (lines: string[]) => lines.map((l) => visible(l, { lines: true }));

const CLEAR = '\x1b[H\x1b[2J';
const WIPE = '\x1b[H\x1b[2J\x1b[3J';

/** `signal` (kiosk): an AbortSignal for each prompt, so a staff key or the idle timer can end it. */
export function fancyAsk(streams: AskStreams, signal?: () => AbortSignal | undefined): Ask {
  const base = { input: streams.input as NodeJS.ReadableStream & { isTTY?: boolean }, output: streams.output, clearPromptOnDone: true };
  const context = () => ({ ...base, signal: signal?.() });
  // The terminal's size at each render, and its resizes: the screen is cleared and drawn again to fit.
  const out = streams.output as NodeJS.WritableStream & { columns?: number; rows?: number };
  const term = {
    size: () => ({ columns: out.columns ?? 80, rows: out.rows }),
    onResize: (fn: () => void) => {
      const h = () => {
        out.write(CLEAR);
        fn();
      };
      out.on('resize', h);
      return () => {
        out.removeListener('resize', h);
      };
    },
  };
  return {
    async choose(screen) {
      const s = shown(screen);
      return choicePrompt(
        {
          heading: s.heading,
          question: s.question,
          options: s.options,
          current: s.current,
          canBack: s.canBack,
          canSkip: s.canSkip,
          help: s.help.fancy,
          yourAnswer: s.m.yourAnswer,
          typed: s.m.typed,
          notAnOption: s.m.notAnOption,
          cannotBack: s.m.firstItem,
          ...term,
        },
        context() as never,
      );
    },
    async pressEnter(lines, hint) {
      await enterPrompt({ lines: shownLines(lines), hint, ...term }, context() as never);
    },
    async text(lines, prompt, check) {
      streams.output.write(shownLines(lines).join('\n') + '\n\n');
      const v = await input({ message: visible(prompt), validate: (x: string) => check(x.trim()) ?? true }, context() as never);
      return v.trim();
    },
    show(lines) {
      streams.output.write(shownLines(lines).join('\n') + '\n');
    },
    clear(wipe) {
      streams.output.write(wipe ? WIPE : CLEAR);
    },
    close() {},
  };
}

/** Reads whole lines; one reader for the whole run so typed-ahead lines are never lost. */
class LineReader {
  private readonly rl: readline.Interface;
  private readonly queue: string[] = [];
  private waiting: { resolve: (l: string) => void; reject: (e: Error) => void } | undefined;
  private closed = false;

  constructor(input: NodeJS.ReadableStream) {
    this.rl = readline.createInterface({ input, terminal: false });
    this.rl.on('line', (l) => {
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = undefined;
        w.resolve(l);
      } else this.queue.push(l);
    });
    this.rl.on('close', () => {
      this.closed = true;
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = undefined;
        w.reject(new AskClosedError());
      }
    });
  }

  next(): Promise<string> {
    const l = this.queue.shift();
    if (l !== undefined) return Promise.resolve(l);
    if (this.closed) return Promise.reject(new AskClosedError());
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  close(): void {
    this.rl.close();
  }
}

export function plainAsk(streams: AskStreams): Ask {
  const out = streams.output;
  let reader: LineReader | undefined;
  const lines = () => (reader ??= new LineReader(streams.input));
  const write = (s: string) => out.write(s);
  return {
    async choose(screen) {
      const s = shown(screen);
      const n = s.options.length;
      const text: string[] = [...s.heading];
      if (s.heading.length) text.push('');
      text.push(s.question);
      s.options.forEach((o, i) => text.push(`  ${i + 1}. ${o.label}${i === s.current ? ' ' + s.m.yourAnswer : ''}`));
      text.push(s.help.plain);
      write(text.join('\n') + '\n');
      for (;;) {
        write(s.help.prompt);
        const t = (await lines().next()).trim().toLowerCase();
        if (t === '' && s.current !== undefined) return { kind: 'choose', option: s.current };
        if (t === '') continue;
        if (t === 'b') {
          if (s.canBack) return { kind: 'back' };
          write(s.m.firstItem + '\n');
          continue;
        }
        if (t === 's' && s.canSkip) return { kind: 'skip' };
        if (/^\d{1,3}$/.test(t)) {
          const k = Number(t) - 1;
          if (k >= 0 && k < n) return { kind: 'choose', option: k };
        }
        write(s.m.notAnOption(visible(t), n) + '\n');
      }
    },
    async pressEnter(text, hint) {
      write([...shownLines(text), hint].join('\n') + '\n');
      await lines().next();
    },
    async text(text, prompt, check) {
      write(shownLines(text).join('\n') + '\n');
      for (;;) {
        write(visible(prompt) + ' ');
        const v = (await lines().next()).trim();
        const problem = check(v);
        if (problem === undefined) return v;
        write(visible(problem) + '\n');
      }
    },
    show(text) {
      write(shownLines(text).join('\n') + '\n');
    },
    clear(wipe) {
      // No cursor movement in plain mode: a separator, or for a new kiosk respondent enough blank
      // lines to push the previous screen out of view.
      const rows = (out as { rows?: number }).rows ?? 40;
      write(wipe ? '\n'.repeat(rows) : '\n');
    },
    close() {
      reader?.close();
    },
  };
}
