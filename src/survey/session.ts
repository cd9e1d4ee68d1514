/**
 * One respondent's session: open (or resume) the journal, walk the screens of the flow through an
 * `Ask`, record every answer in the journal before the next screen, and on submission append the row
 * to the responses file and remove the journal. The command (src/cli/commands/run.ts) adds flags,
 * the terminal check and the kiosk loop.
 */
import * as fs from 'node:fs';
import { DataError, InterruptedError } from '../errors.js';
import { localize, type Instrument } from '../instrument/types.js';
import { compileInstrument, scoreValues } from '../scoring/score.js';
import { isInterrupt, type Ask, type ChoiceScreen } from './ask.js';
import { countAnswered, itemView, startPosition, step, type Answer, type Position, type SurveyEvent } from './flow.js';
import { ulid } from './ids.js';
import { Journal, answerLine, journalPath, replayJournal, resumeLine, startLine, type SessionMeta } from './journal.js';
import { messagesFor, type Messages } from './messages.js';
import { META_COLUMNS, answerCell, appendResponse, buildRow, readResponses } from './responses.js';

export interface SessionOptions {
  inst: Instrument;
  /** Responses file (path as used for I/O). */
  out: string;
  /** Language for a new session; a resumed session keeps its own unless `langExplicit`. */
  lang: string;
  langExplicit: boolean;
  /** The visit these answers are about (`--visit`): a visit_id column. */
  visit?: string;
  /** Given with --respondent; else a new ULID. */
  respondent?: string;
  ask: Ask;
  showScores: boolean;
  /** Wait for Enter on the thank-you screen (kiosk). */
  waitAtEnd: boolean;
  /** The resume command, built from how the user called us. */
  resumeHint: (respondent: string) => string;
  now?: () => Date;
  /** Called with a cleanup to run on SIGTERM/SIGHUP/SIGINT outside a prompt (src/cli/main.ts onInterrupt); returns an unregister function. */
  onSignal?: (fn: () => void) => () => void;
  /** The responses file as the user named it, for messages (default: `out`). */
  outLabel?: string;
  /** Plain mode: no escape codes in the interrupt notice. */
  plain?: boolean;
  /** Where the interrupt notice goes when a signal arrives (stderr). */
  stderr?: NodeJS.WritableStream;
}

export interface SessionResult {
  respondent: string;
  outcome: 'submitted' | 'already-recorded';
  answers: (Answer | undefined)[];
  scores?: Float64Array;
  /** Ctrl-C on the thank-you screen (after submission): the caller should stop (kiosk: leave). */
  leave?: boolean;
}

/** Shell-quote a word for the resume hint when it needs it. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function resumeCommand(instrumentRef: string, outRef: string, respondent: string): string {
  return `To resume: rapport run ${shellWord(instrumentRef)} --out ${shellWord(outRef)} --respondent ${respondent}`;
}

function scaleScores(inst: Instrument, answers: readonly (Answer | undefined)[]): Float64Array {
  const ci = compileInstrument(inst);
  const values = new Float64Array(inst.items.length);
  answers.forEach((a, i) => {
    values[i] = a && a.kind === 'value' && typeof a.value === 'number' ? a.value : NaN;
  });
  return scoreValues(ci, values);
}

export function scoreLines(inst: Instrument, lang: string, m: Messages, scores: Float64Array): string[] {
  const lines = [m.yourScores];
  inst.scales.forEach((s, k) => {
    const x = scores[k];
    lines.push(`  ${localize(s.label, lang)}: ${Number.isFinite(x) ? x.toFixed(2) : m.noScore}`);
  });
  return lines;
}

function itemScreen(inst: Instrument, lang: string, m: Messages, index: number, answers: readonly (Answer | undefined)[], notice: string | undefined): ChoiceScreen {
  const v = itemView(inst, lang, index, answers);
  const n = v.options.length;
  const title = localize(inst.title, lang);
  const heading = [title, [m.itemOf(index + 1, v.total), v.section].filter(Boolean).join(' · ')];
  if (notice) heading.push('', notice);
  return {
    heading,
    question: v.text,
    options: v.options.map((o) => ({ label: o.label, missing: o.missing })),
    current: v.current,
    canBack: v.canBack,
    canSkip: true,
    help: { fancy: m.keysFancy(n, v.canBack), plain: m.keysPlain(n, v.canBack), prompt: m.answerPrompt(n, v.canBack) },
    m,
  };
}

function reviewScreen(inst: Instrument, lang: string, m: Messages, answers: readonly (Answer | undefined)[], notice: string | undefined): ChoiceScreen {
  const total = inst.items.length;
  const missing: string[] = [];
  answers.forEach((a, i) => {
    if (!a || a.kind === 'skipped') missing.push(String(i + 1));
  });
  const heading = [localize(inst.title, lang)];
  if (notice) heading.push('', notice);
  if (missing.length) heading.push('', m.notAnswered(missing.join(', ')));
  return {
    heading,
    question: `${m.answered(countAnswered(answers), total)} ${m.submitQuestion}`,
    options: [{ label: m.submit }, { label: m.goBack }],
    canBack: true,
    canSkip: false,
    help: { fancy: m.reviewKeysFancy, plain: '', prompt: m.reviewPromptPlain },
    m,
  };
}

/**
 * Run one respondent from the first unseen screen to submission. Throws InterruptedError (130) with the
 * resume hint on Ctrl-C; DataError (65) when the responses file or the journal does not fit the instrument.
 */
export async function runSession(o: SessionOptions): Promise<SessionResult> {
  const { inst, out, ask } = o;
  const now = o.now ?? (() => new Date());
  const respondent = o.respondent ?? ulid();

  // Refuse a responses file of another instrument before the respondent answers anything.
  const label = o.outLabel ?? out;
  const existing = readResponses(out, inst, label, o.visit !== undefined);
  const prevRow = existing?.rows.get(respondent);
  if (prevRow !== undefined && !fs.existsSync(journalPath(out, respondent))) {
    throw new DataError(
      'RESPONSES_DUPLICATE',
      `${label}: already has a row for respondent ${respondent}; choose another --respondent (or leave it out for a new random id).`,
      { file: label },
    );
  }

  const journal = Journal.open(out, respondent, label);
  let meta: SessionMeta;
  let answers: (Answer | undefined)[];
  let resumed = false;
  try {
    if (journal.existing.trim() !== '') {
      const r = replayJournal(journal.existing, inst, journal.file);
      meta = r.meta;
      answers = r.answers;
      resumed = true;
      if (o.langExplicit && o.lang !== meta.lang) meta.lang = o.lang;
      journal.append(resumeLine(meta.lang, now().toISOString()));
    } else {
      meta = { respondent, instrumentId: inst.id, version: inst.version, lang: o.lang, startedAt: now().toISOString(), ...(o.visit !== undefined ? { visit: o.visit } : {}) };
      answers = new Array(inst.items.length).fill(undefined);
      journal.append(startLine(meta));
    }
  } catch (e) {
    journal.close();
    throw e;
  }

  if (prevRow !== undefined) {
    // The row is there already: a submission that completed just before the journal could be removed.
    const same = prevRow.length === answers.length && answers.every((a, i) => answerCell(a) === prevRow[i]);
    if (same) {
      journal.remove();
      return { respondent, outcome: 'already-recorded', answers };
    }
    journal.close();
    throw new DataError(
      'RESPONSES_DUPLICATE',
      `${label}: already has a row for respondent ${respondent} with other answers than its session journal ${journalPath(label, respondent)}; choose another --respondent, or remove the old row to submit this session.`,
      { file: label },
    );
  }

  const lang = meta.lang;
  const m = messagesFor(lang);
  const stderr = o.stderr ?? process.stderr;
  const interruptMessage = () =>
    `interrupted; the answers given so far are saved in ${journalPath(label, respondent)}.\n${o.resumeHint(respondent)}`;
  const unregister = o.onSignal?.(() => {
    journal.close();
    stderr.write(`${o.plain ? '' : '\x1b[?25h'}\nrapport: ${interruptMessage()}\n`);
  });

  try {
    let pos: Position = startPosition(inst, answers, resumed);
    let notice: string | undefined;
    if (resumed) {
      notice = pos.at === 'item' ? m.resumed(pos.index + 1, inst.items.length) : m.resumedReview;
    }
    for (;;) {
      let ev: SurveyEvent;
      ask.clear();
      if (pos.at === 'intro') {
        await ask.pressEnter([localize(inst.title, lang), '', localize(inst.intro, lang)], m.pressEnterToBegin);
        ev = { kind: 'begin' };
      } else if (pos.at === 'item') {
        const c = await ask.choose(itemScreen(inst, lang, m, pos.index, answers, notice));
        ev = c.kind === 'choose' ? { kind: 'choose', option: c.option } : c;
      } else {
        const c = await ask.choose(reviewScreen(inst, lang, m, answers, notice));
        ev = c.kind === 'choose' && c.option === 0 ? { kind: 'submit' } : { kind: 'back' };
      }
      notice = undefined;
      const r = step(inst, lang, pos, answers, ev);
      if (r.record) {
        // Saved (and fsync'd) before the next screen is shown.
        journal.append(answerLine(inst.items[r.record.index].id, r.record.answer, now().toISOString()));
        answers[r.record.index] = r.record.answer;
      }
      if (r.pos === 'submitted') break;
      pos = r.pos;
    }
  } catch (e) {
    unregister?.();
    if (isInterrupt(e)) {
      journal.close();
      throw new InterruptedError(interruptMessage());
    }
    journal.close();
    throw e;
  }

  let outcome: SessionResult['outcome'];
  try {
    const row = buildRow(meta, answers, now().toISOString());
    outcome = (await appendResponse(out, inst, row, { label, visit: meta.visit !== undefined })) === 'appended' ? 'submitted' : 'already-recorded';
  } catch (e) {
    unregister?.();
    journal.close();
    throw e;
  }
  journal.remove();
  unregister?.();

  const result: SessionResult = { respondent, outcome, answers };
  const lines = [m.thanks];
  if (o.showScores) {
    result.scores = scaleScores(inst, answers);
    lines.push('', ...scoreLines(inst, lang, m, result.scores));
  }
  ask.clear();
  try {
    if (o.waitAtEnd) await ask.pressEnter(lines, m.pressEnterToFinish);
    else ask.show(lines);
  } catch (e) {
    if (!isInterrupt(e)) throw e;
    // Ctrl-C on the thank-you screen: the answers are already submitted, nothing is lost.
    result.leave = true;
  }
  return result;
}

export { META_COLUMNS };
