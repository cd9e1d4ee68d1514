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
import { UsageError } from '../../errors.js';
import { loadInstrument } from '../../instrument/load.js';
import { checkAppendTarget, checkDistinct } from '../../io/output-target.js';
import { fancyAsk, isInterrupt, plainAsk, type Ask } from '../../survey/ask.js';
import { checkRespondentId, checkVisitId } from '../../survey/ids.js';
import { messagesFor } from '../../survey/messages.js';
import { resumeCommand, runSession, shellWord } from '../../survey/session.js';
import { onInterrupt } from '../signals.js';
import { makeUi } from '../ui.js';

interface RunOptions {
  out: string;
  respondent?: string;
  lang?: string;
  kiosk?: boolean;
  showScores?: boolean;
  plain?: boolean;
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
    .addHelpText(
      'after',
      `
Keys: ↑/↓ and Enter, or type an option's number and Enter; b or Backspace goes back; s skips an item.
Each answer is written to <out>.sessions/<respondent>.jsonl (fsync'd) before the next item is shown.
Interrupted (Ctrl-C, SIGTERM, SIGHUP: exit 130) or killed, run again with the same --respondent to
continue at the first unanswered item; the command to use is printed on interruption.
On submission one row is appended to --out under a lock (safe for several terminals at once):
respondent_id,instrument_id,instrument_version,lang,started_at,completed_at, then one column per item
(the option code; empty when skipped; the missing code when refused). Score it with 'rapport score'.
A responses file of another instrument or version is refused (exit 65), never appended to.`,
    )
    .action(async (ref: string, opts: RunOptions, cmd: Command) => {
      const ui = makeUi(cmd);
      const inst = loadInstrument(ref);
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
      if (opts.visit !== undefined && opts.kiosk) throw new UsageError('--visit names one visit, so it cannot be combined with --kiosk (a new respondent each time); run once per visit instead.');
      if (opts.visit !== undefined) checkVisitId(opts.visit);
      if (opts.out === '-' || opts.out.trim() === '') {
        throw new UsageError(`--out ${JSON.stringify(opts.out)}: 'rapport run' appends to a file (the terminal is used for the questions); name a CSV file, for example --out responses.csv.`);
      }
      checkAppendTarget(opts.out); // a folder, FIFO or device is refused at once (73), before the terminal check
      checkDistinct([{ flag: 'the instrument', path: ref }], [{ flag: '--out', path: opts.out }]);
      if (!process.stdin.isTTY || !process.stdout.isTTY) throw new UsageError(NO_TTY_MESSAGE, 'RUN_NO_TTY');

      const plain = Boolean(opts.plain) || process.env.TERM === 'dumb';
      if (plain) chalk.level = 0;
      const streams = { input: process.stdin, output: process.stdout };
      const ask: Ask = plain ? plainAsk(streams) : fancyAsk(streams);
      const outPath = path.resolve(opts.out);

      // Signals outside Inquirer's prompts (plain mode's Ctrl-C, SIGTERM, SIGHUP) reach main.ts, which
      // calls these handlers and exits 130. During a session the session prints the resume hint; after
      // submission (thank-you, kiosk "Next respondent" screen) nothing is in progress, so we leave with 0.
      let inSession = false;
      const offIdle = onInterrupt(() => {
        if (!inSession) {
          process.stdout.write(plain ? '\n' : '\x1b[?25h\n');
          process.exit(0);
        }
      });
      try {
        let first = true;
        for (;;) {
          const res = await runSession({
            inst,
            out: outPath,
            outLabel: opts.out,
            plain,
            lang,
            langExplicit: opts.lang !== undefined,
            respondent: first ? opts.respondent : undefined,
            visit: opts.visit,
            ask,
            showScores: Boolean(opts.showScores),
            waitAtEnd: Boolean(opts.kiosk),
            resumeHint: (id) => resumeCommand(ref, opts.out, id) + (opts.visit !== undefined ? ` --visit ${shellWord(opts.visit)}` : ''),
            onSignal: (fn) => {
              // From the journal's opening to the submission: a signal prints the resume command, exit 130.
              inSession = true;
              const off = onInterrupt(fn);
              return () => {
                inSession = false;
                off();
              };
            },
          });
          first = false;
          if (!opts.kiosk || res.leave) {
            ui.info(
              res.outcome === 'submitted'
                ? `rapport: the answers of respondent ${res.respondent} were appended to ${opts.out}.`
                : `rapport: the answers of respondent ${res.respondent} were already in ${opts.out}; its finished session journal was removed.`,
            );
            return;
          }
          ask.clear(true);
          try {
            await ask.pressEnter([messagesFor(lang).nextRespondent], '');
          } catch (e) {
            if (isInterrupt(e)) {
              // Leaving kiosk mode: nothing is in progress and nothing is lost.
              process.stdout.write('\n');
              return;
            }
            throw e;
          }
        }
      } finally {
        offIdle();
        ask.close();
      }
    });
}
