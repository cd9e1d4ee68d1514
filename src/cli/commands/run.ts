/**
 * `rapport run <id|file>`: administer an instrument at the terminal, one item per screen, saving each
 * answer to a journal as it is given and appending one row per respondent to the responses CSV.
 * The flow lives in src/survey/; this file parses flags, checks the terminal, and runs the kiosk loop.
 *
 * Exit codes: 0 submitted (and, in kiosk mode, Ctrl-C on the "Next respondent" screen: nothing is
 * lost there); 2 bad flags or no terminal; 65 the responses file or journal belongs to another
 * instrument/version; 130 interrupted during a session (the resume command is printed).
 */
import * as path from 'node:path';
import { Command } from 'commander';
import chalk from 'chalk';
import { InterruptedError, UsageError } from '../../errors.js';
import { loadInstrument } from '../../instrument/load.js';
import { checkAppendTarget, checkDistinct } from '../../io/output-target.js';
import * as fs from 'node:fs';
import { localize, type Instrument } from '../../instrument/types.js';
import { fancyAsk, isInterrupt, plainAsk, type Ask, type ChoiceScreen } from '../../survey/ask.js';
import { RESPONDENT_ID_RE, checkRespondentId, checkVisitId } from '../../survey/ids.js';
import { journalPath } from '../../survey/journal.js';
import { KioskInput, kioskAsk, kioskEventKind, staffGate } from '../../survey/kiosk.js';
import { messagesFor, nativeLanguageName, type Messages } from '../../survey/messages.js';
import { readPinFile, verifyPin, type PinRecord } from '../../survey/pin.js';
import { readResponses, type Layout } from '../../survey/responses.js';
import { resumeCommand, runSession, type SessionResult } from '../../survey/session.js';
import { hasControl } from '../../util/terminal.js';
import { onInterrupt } from '../signals.js';
import { makeUi, type Ui } from '../ui.js';

interface RunOptions {
  out: string;
  respondent?: string;
  lang?: string;
  kiosk?: boolean;
  showScores?: boolean;
  plain?: boolean;
  staffPinFile?: string;
  idle?: string;
  askId?: string;
  idPattern?: string;
  site?: string;
  visit?: string;
}

export const NO_TTY_MESSAGE =
  "'rapport run' needs an interactive terminal on standard input and output, so it cannot read answers from a pipe or file; to score answers collected elsewhere, use 'rapport score <file> --instrument <id>'.";

export function build(): Command {
  return new Command('run')
    .description('administer an instrument at the terminal, one item per screen; every answer is saved as it is given')
    .argument('<instrument>', 'built-in instrument id (see rapport instruments list) or an instrument file (YAML or JSON)')
    .option('-o, --out <file>', 'responses CSV to append to (created with a header if missing)', 'responses.csv')
    .option('--respondent <id>', 'respondent id (letters, digits, . _ -); the same id resumes an interrupted session; default: a new random ULID (with --kiosk: the first respondent only)')
    .option('--visit <id>', 'the visit these answers are about, recorded in a visit_id column (patient and clinician forms pair on it)')
    .option('--lang <code>', "language of the instrument's text (default: its first language)")
    .option('--kiosk', 'after each submission show a neutral "Next respondent" screen and start again with a new id (Ctrl-C there leaves with exit 0)')
    .option('--show-scores', "show the respondent's scale scores on the thank-you screen (for pilot testing)")
    .option('--plain', 'no colours or cursor movement, numbered options answered by typing (screen readers); also when TERM=dumb')
    .option('--staff-pin-file <file>', "kiosk: the staff PIN file written by 'rapport kiosk-pin' (mode 0600; required with --kiosk)")
    .option('--idle <seconds>', 'kiosk: after this many seconds without a key, abandon the screen and clear it for the next patient (default 120)')
    .option('--ask-id <prompt>', "ask for the respondent's id (an MRN or study id) at the start, with this prompt, and use it as respondent_id")
    .option('--id-pattern <regex>', 'with --ask-id: the whole id must match this regular expression')
    .option('--site <name>', 'record this site (clinic) in a site column of the responses file')
    .addHelpText(
      'after',
      `
Keys: ↑/↓ and Enter, or type an option's number and Enter (nothing is chosen until you do); b or
Backspace goes back; s skips an item.
Kiosk: Ctrl-C, Ctrl-D, Ctrl-Z and Ctrl-\\ open a Staff PIN prompt (three wrong PINs return to the
survey); set the PIN with 'rapport kiosk-pin <file>'. After --idle seconds without a key the screen and
scrollback are cleared and the unfinished session is kept in the journal as abandoned (staff resume it
with --respondent). With several languages and no --lang, each patient first chooses the language.
Each answer is written to <out>.sessions/<respondent>.jsonl (fsync'd) before the next item is shown.
Interrupted (Ctrl-C, SIGTERM, SIGHUP: exit 130) or killed, run again with the same --respondent to
continue at the first unanswered item; the command to use is printed on interruption.
On submission one row is appended to --out under a lock (safe for several terminals at once):
respondent_id,instrument_id,instrument_version,lang,started_at,completed_at, then one column per item
(the option code; empty when skipped; the missing code when refused). Score it with 'rapport score'.
A responses file of another instrument or version is refused (exit 65), never appended to.`,
    )
    .action(runCommand);
}

/** What the respondent loop shares with the staff gate and the signal handler. */
interface RunState {
  /** The language of the screen on show (the staff gate's messages follow it). */
  shownLang: string;
  /** From the journal's opening to the submission. */
  inSession: boolean;
}

interface RunContext {
  ref: string;
  opts: RunOptions;
  f: Flags;
  inst: Instrument;
  ask: Ask;
  staff: (() => Promise<boolean>) | undefined;
  ui: Ui;
  state: RunState;
}

async function runCommand(ref: string, opts: RunOptions, cmd: Command): Promise<void> {
  const ui = makeUi(cmd);
  const inst = loadInstrument(ref);
  if (opts.visit !== undefined && opts.kiosk) throw new UsageError('--visit names one visit, so it cannot be combined with --kiosk (a new respondent each time); run once per visit instead.');
  if (opts.visit !== undefined) checkVisitId(opts.visit);
  const f = checkFlags(inst, opts);
  checkAppendTarget(opts.out); // a folder, FIFO or device is refused at once (73), before the terminal check
  checkDistinct([{ flag: 'the instrument', path: ref }], [{ flag: '--out', path: opts.out }]);
  if (!process.stdin.isTTY || !process.stdout.isTTY) throw new UsageError(NO_TTY_MESSAGE, 'RUN_NO_TTY');
  if (f.plain) chalk.level = 0;
  const kiosk = opts.kiosk ? new KioskInput(process.stdin, f.idle) : undefined;
  const streams = { input: kiosk ? kiosk.input : process.stdin, output: process.stdout };
  const ask: Ask = f.plain ? plainAsk(streams) : kiosk ? kioskAsk((signal) => fancyAsk(streams, signal), kiosk) : fancyAsk(streams);
  const state: RunState = { shownLang: f.lang, inSession: false };
  const staff =
    kiosk && f.pin ? staffGate({ kiosk, output: process.stdout, verify: (p) => verifyPin(p, f.pin!), messages: () => messagesFor(state.shownLang) }) : undefined;

  // Signals outside Inquirer's prompts (plain mode's Ctrl-C, SIGTERM, SIGHUP) reach main.ts, which
  // calls these handlers and exits 130. During a session the session prints the resume hint; after
  // submission (thank-you, kiosk "Next respondent" screen) nothing is in progress, so we leave with 0.
  const offIdle = onInterrupt(() => {
    // A kiosk ended by the system (SIGTERM, SIGHUP) exits 130 like any interruption.
    if (!state.inSession && !opts.kiosk) {
      process.stdout.write(f.plain ? '\n' : '\x1b[?25h\n');
      process.exit(0);
    }
  });
  kiosk?.start();
  try {
    await respondents({ ref, opts, f, inst, ask, staff, ui, state });
  } finally {
    kiosk?.stop();
    offIdle();
    ask.close();
  }
}

/** One session, or (kiosk) one after another until staff leave. */
async function respondents(c: RunContext): Promise<void> {
  const { opts, f, inst, ask, staff, state } = c;
  let first = true;
  for (;;) {
    let respondent = first ? opts.respondent : undefined;
    let lang = f.lang;
    let langChosen = opts.lang !== undefined;
    // A new respondent: the language screen (kiosk, several languages, no --lang), then --ask-id.
    // A resumed session keeps its language.
    if (respondent === undefined || !fs.existsSync(journalPath(out(opts), respondent))) {
      const before = await beforeSession(ask, inst, opts, f, out(opts), staff, respondent);
      if (before === 'leave') {
        if (opts.kiosk) return leaveKiosk(messagesFor(state.shownLang));
        throw new InterruptedError('interrupted before the session started; nothing was recorded.');
      }
      if (before === 'reset') {
        ask.clear(true);
        continue;
      }
      ({ lang, respondent } = before);
      langChosen ||= before.chosen;
    }
    state.shownLang = lang;
    const res = await session(c, lang, langChosen, respondent);
    first = false;
    if (!opts.kiosk || res.leave) {
      if (res.outcome !== 'abandoned') {
        c.ui.info(
          res.outcome === 'submitted'
            ? `rapport: the answers of respondent ${res.respondent} were appended to ${opts.out}.`
            : `rapport: the answers of respondent ${res.respondent} were already in ${opts.out}; its finished session journal was removed.`,
        );
      }
      if (!opts.kiosk) return;
      return leaveKiosk(messagesFor(state.shownLang));
    }
    ask.clear(true);
    state.shownLang = f.lang;
    const next = await guarded(staff, () => ask.pressEnter([messagesFor(f.lang).nextRespondent], ''));
    if (next === 'leave') return leaveKiosk(messagesFor(state.shownLang));
    ask.clear(true);
  }
}

/** One respondent's session with this run's flags. */
function session(c: RunContext, lang: string, langExplicit: boolean, respondent: string | undefined): Promise<SessionResult> {
  const { ref, opts, f, state } = c;
  return runSession({
    inst: c.inst,
    out: out(opts),
    outLabel: opts.out,
    plain: f.plain,
    lang,
    langExplicit,
    respondent,
    visit: opts.visit,
    ask: c.ask,
    site: opts.site,
    staff: c.staff,
    showScores: Boolean(opts.showScores),
    waitAtEnd: Boolean(opts.kiosk),
    resumeHint: (id) => resumeCommand(ref, opts.out, id, repeatedFlags(opts)),
    onSignal: (fn) => {
      // From the journal's opening to the submission: a signal prints the resume command, exit 130.
      state.inSession = true;
      const off = onInterrupt(fn);
      return () => {
        state.inSession = false;
        off();
      };
    },
  });
}

const out = (opts: RunOptions) => path.resolve(opts.out);

/** Every flag of this run but --out and --respondent, for the resume hint (so a kiosk resumes as a kiosk). */
function repeatedFlags(o: RunOptions): (string | [string, string])[] {
  const f: (string | [string, string])[] = [];
  if (o.lang !== undefined) f.push(['--lang', o.lang]);
  if (o.kiosk) f.push('--kiosk');
  if (o.staffPinFile !== undefined) f.push(['--staff-pin-file', o.staffPinFile]);
  if (o.idle !== undefined) f.push(['--idle', o.idle]);
  if (o.askId !== undefined) f.push(['--ask-id', o.askId]);
  if (o.idPattern !== undefined) f.push(['--id-pattern', o.idPattern]);
  if (o.site !== undefined) f.push(['--site', o.site]);
  if (o.visit !== undefined) f.push(['--visit', o.visit]);
  if (o.showScores) f.push('--show-scores');
  if (o.plain) f.push('--plain');
  return f;
}

function leaveKiosk(m: Messages): void {
  process.stdout.write('\x1b[H\x1b[2J\x1b[3J\x1b[?25h');
  process.stderr.write(m.kioskClosed + '\n');
}

interface Flags {
  lang: string;
  plain: boolean;
  idle: number;
  pin?: PinRecord;
  idPattern?: RegExp;
}

/** Every flag checked before the terminal is touched (exit 2; the PIN file: 2 mode, 66 missing, 65 malformed). */
function checkFlags(inst: Instrument, opts: RunOptions): Flags {
  const multiple = inst.items.filter((it) => it.multiple === true);
  if (multiple.length > 0)
    throw new UsageError(`instrument ${inst.id} has multiple-choice items (${multiple[0].id}${multiple.length > 1 ? ', ...' : ''}), which run cannot ask yet; use an instrument of single-choice, number and text items.`, 'RUN_ITEM_TYPE');
  let lang = inst.languages[0] ?? 'en';
  if (opts.lang !== undefined) {
    if (!inst.languages.includes(opts.lang)) {
      throw new UsageError(
        `--lang ${JSON.stringify(opts.lang)}: instrument ${inst.id} has no text in that language; available languages: ${inst.languages.join(', ')}.`,
        'RUN_LANG_UNKNOWN',
      );
    }
    lang = opts.lang;
  }
  if (opts.respondent !== undefined) checkRespondentId(opts.respondent);
  if (opts.out === '-' || opts.out.trim() === '') {
    throw new UsageError(`--out ${JSON.stringify(opts.out)}: 'rapport run' appends to a file (the terminal is used for the questions); name a CSV file, for example --out responses.csv.`);
  }
  const plain = Boolean(opts.plain) || process.env.TERM === 'dumb';
  if (opts.kiosk && plain) {
    throw new UsageError(
      `--kiosk cannot run ${opts.plain ? 'with --plain' : 'on a terminal without cursor control (TERM=dumb)'}: a plain terminal cannot clear its scrollback, so the next patient could scroll back to the previous one's answers; run the kiosk in a full terminal.`,
      'KIOSK_PLAIN',
    );
  }
  if (!opts.kiosk && (opts.staffPinFile !== undefined || opts.idle !== undefined)) {
    throw new UsageError(`${opts.idle !== undefined ? '--idle' : '--staff-pin-file'} belongs to kiosk mode; add --kiosk, or leave it out.`);
  }
  if (opts.kiosk && opts.staffPinFile === undefined) {
    throw new UsageError("--kiosk needs --staff-pin-file <file>, so that only staff can leave the kiosk; write the file once with 'rapport kiosk-pin staff.pin'.", 'KIOSK_NO_PIN');
  }
  let idle = opts.kiosk ? 120 : 0;
  if (opts.idle !== undefined) {
    if (!/^\d{1,6}(\.\d+)?$/.test(opts.idle) || Number(opts.idle) < 1) {
      throw new UsageError(`--idle ${JSON.stringify(opts.idle)}: give a number of seconds, at least 1 (for example --idle 120).`);
    }
    idle = Number(opts.idle);
  }
  if (opts.idPattern !== undefined && opts.askId === undefined) throw new UsageError('--id-pattern checks the id typed at --ask-id; add --ask-id "<prompt>".');
  if (opts.askId !== undefined && opts.askId.trim() === '') throw new UsageError('--ask-id needs the prompt to show, for example --ask-id "Your clinic number".');
  if (opts.site !== undefined && (opts.site.trim() === '' || hasControl(opts.site) || opts.site.length > 200)) {
    throw new UsageError(`--site ${JSON.stringify(opts.site)}: give the site's name (1 to 200 characters, no control characters).`);
  }
  let idPattern: RegExp | undefined;
  if (opts.idPattern !== undefined) {
    try {
      idPattern = new RegExp(`^(?:${opts.idPattern})$`, 'u');
    } catch (e) {
      throw new UsageError(`--id-pattern ${JSON.stringify(opts.idPattern)} is not a valid regular expression (${(e as Error).message}).`);
    }
  }
  const pin = opts.staffPinFile !== undefined ? readPinFile(opts.staffPinFile) : undefined;
  return { lang, plain, idle, pin, idPattern };
}

type Guarded<T> = T | 'leave' | 'reset';

/** A screen between sessions in a kiosk: a staff key opens the gate (right PIN: 'leave'), idle: 'reset'. */
async function guarded<T>(staff: (() => Promise<boolean>) | undefined, screen: () => Promise<T>): Promise<Guarded<T>> {
  for (;;) {
    try {
      return await screen();
    } catch (e) {
      const k = kioskEventKind(e);
      if (k === 'idle') return 'reset';
      if (k === 'staff') {
        if (staff && (await staff())) return 'leave';
        continue;
      }
      if (isInterrupt(e) && !staff) return 'leave';
      throw e;
    }
  }
}

/** Before a new respondent's session: the language screen and the id question. */
async function beforeSession(
  ask: Ask,
  inst: Instrument,
  opts: RunOptions,
  f: Flags,
  outPath: string,
  staff: (() => Promise<boolean>) | undefined,
  given: string | undefined,
): Promise<Guarded<{ lang: string; respondent?: string; chosen: boolean }>> {
  let lang = f.lang;
  let chosen = false;
  if (opts.kiosk && opts.lang === undefined && inst.languages.length > 1) {
    ask.clear();
    const c = await guarded(staff, () => ask.choose(languageScreen(inst)));
    if (c === 'leave' || c === 'reset') return c;
    if (c.kind !== 'choose') return 'reset';
    lang = inst.languages[c.option];
    chosen = true;
  }
  if (opts.askId === undefined || given !== undefined) return { lang, respondent: given, chosen };
  const m = messagesFor(lang);
  ask.clear();
  const id = await guarded(staff, () => ask.text([localize(inst.title, lang)], opts.askId!, (v) => idProblem(v, f.idPattern, m, outPath, inst, { site: opts.site !== undefined, visit: opts.visit !== undefined })));
  if (id === 'leave' || id === 'reset') return id;
  return { lang, respondent: id, chosen };
}

function languageScreen(inst: Instrument): ChoiceScreen {
  const m = messagesFor(inst.languages[0]);
  const titles = [...new Set(inst.languages.map((l) => localize(inst.title, l)))];
  return {
    heading: [titles.join(' · ')],
    question: [...new Set(inst.languages.map((l) => messagesFor(l).chooseLanguage))].join(' · '),
    options: inst.languages.map((l) => ({ label: nativeLanguageName(l) })),
    canBack: false,
    canSkip: false,
    help: { fancy: '↑↓ · 1–' + inst.languages.length + ' · Enter', plain: '', prompt: `(1-${inst.languages.length}): ` },
    m,
  };
}

/**
 * Why a typed id cannot be used (undefined when it can): empty, not matching --id-pattern or the file
 * name rule, or already in use (a row or an unfinished session: a patient never enters another's session).
 */
function idProblem(v: string, pattern: RegExp | undefined, m: Messages, outPath: string, inst: Instrument, layout: Layout): string | undefined {
  if (v === '') return m.idEmpty;
  if (!RESPONDENT_ID_RE.test(v) || (pattern && !pattern.test(v))) return m.idInvalid(v);
  if (fs.existsSync(journalPath(outPath, v))) return m.idInvalid(v);
  const existing = readResponses(outPath, inst, outPath, layout);
  if (existing?.rows.has(v)) return m.idInvalid(v);
  return undefined;
}
