/**
 * One respondent's session: open (or resume) the journal, walk the screens of the flow through an
 * `Ask`, record every answer in the journal before the next screen, and on submission append the row
 * to the responses file and remove the journal. The command (src/cli/commands/run.ts) adds flags,
 * the terminal check and the kiosk loop.
 */
import { visible } from '../util/terminal.js';
import * as fs from 'node:fs';
import { DataError, InterruptedError } from '../errors.js';
import { localize, type Instrument, type Item } from '../instrument/types.js';
import { compileInstrument, scoreValues } from '../scoring/score.js';
import { isInterrupt, type Ask, type ChoiceScreen } from './ask.js';
import { kioskEventKind } from './kiosk.js';
import { countAnswered, countShown, itemView, openAnswer, optionsFor, recordedAnswers, textMax, shownItems, startPosition, step, type Answer, type Position, type SurveyEvent } from './flow.js';
import { ulid } from './ids.js';
import { Journal, abandonedLine, answerLine, journalPath, replayJournal, resumeLine, startLine, type SessionMeta } from './journal.js';
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
  /** --site: recorded in a `site` column. */
  site?: string;
  /** Kiosk: the staff gate opened by a staff key; true = staff may leave. */
  staff?: () => Promise<boolean>;
  /** Plain mode: no escape codes in the interrupt notice. */
  plain?: boolean;
  /** Where the interrupt notice goes when a signal arrives (stderr). */
  stderr?: NodeJS.WritableStream;
}

export interface SessionResult {
  respondent: string;
  /** abandoned: kiosk idle reset before submission (journal kept, marked abandoned). */
  outcome: 'submitted' | 'already-recorded' | 'abandoned';
  answers: (Answer | undefined)[];
  scores?: Float64Array;
  /** Ctrl-C on the thank-you screen (after submission): the caller should stop (kiosk: leave). */
  leave?: boolean;
}

/** Shell-quote a word for the resume hint when it needs it. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The resume hint; `flags` are the other flags the run was given (name, value or name alone), repeated. */
export function resumeCommand(instrumentRef: string, outRef: string, respondent: string, flags: (string | [string, string])[] = []): string {
  const rest = flags.map((f) => (typeof f === 'string' ? ` ${f}` : ` ${f[0]} ${shellWord(f[1])}`)).join('');
  return `To resume: rapport run ${shellWord(instrumentRef)} --out ${shellWord(outRef)}${rest} --respondent ${respondent}`;
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

/** What the review screen shows for one item's answer: the option's label, or skipped. */
function answerLabel(inst: Instrument, lang: string, m: Messages, index: number, a: Answer | undefined, shown: boolean): string {
  if (!shown) return m.hiddenAnswer;
  if (!a || a.kind === 'skipped') return m.skippedAnswer;
  if (isOpen(inst.items[index])) {
    const t = String(a.value);
    return [...t].length > 60 ? [...t].slice(0, 59).join('') + '…' : t;
  }
  const o = optionsFor(inst, inst.items[index], lang).find((x) => x.value === a.value && x.missing === (a.kind === 'refused'));
  return o ? o.label : String(a.value);
}

function reviewScreen(inst: Instrument, lang: string, m: Messages, answers: readonly (Answer | undefined)[], notice: string | undefined): ChoiceScreen {
  const shown = shownItems(inst, answers);
  const total = countShown(shown);
  const missing: string[] = [];
  answers.forEach((a, i) => {
    if (shown[i] && (!a || a.kind === 'skipped')) missing.push(String(i + 1));
  });
  const heading = [localize(inst.title, lang)];
  if (notice) heading.push('', notice);
  heading.push('', m.yourAnswers, ...answers.map((a, i) => m.reviewLine(i + 1, answerLabel(inst, lang, m, i, a, shown[i]))));
  if (missing.length) heading.push('', m.notAnswered(missing.join(', ')));
  return {
    heading,
    question: `${m.answered(countAnswered(answers, shown), total)} ${m.submitQuestion}`,
    options: [{ label: m.submit }, { label: m.goBack }],
    canBack: true,
    canSkip: false,
    help: { fancy: m.reviewKeysFancy, plain: '', prompt: m.reviewPromptPlain },
    m,
  };
}

const isOpen = (item: Item) => item.type === 'number' || item.type === 'text';

/**
 * A number or text item, entered with a line editor: the typed answer is checked (a number within
 * min..max, a text within max_length) and asked again until it fits; Enter with nothing typed skips.
 */
async function askOpen(c: WalkContext, index: number, notice: string | undefined): Promise<SurveyEvent> {
  const { inst, lang, m, answers } = c;
  const item = inst.items[index];
  const v = itemView(inst, lang, index, answers);
  const lines = [localize(inst.title, lang), [m.itemOf(index + 1, v.total), v.section].filter(Boolean).join(' · ')];
  if (notice) lines.push('', notice);
  lines.push('', v.text);
  const given = answers[index];
  if (given?.kind === 'value') lines.push('', `${m.yourAnswer}: ${String(given.value)}`);
  lines.push('', m.openKeys);
  const min = item.min ?? 0;
  const max = item.max ?? 0;
  const prompt = item.type === 'number' ? m.numberPrompt(min, max) : m.textPrompt(textMax(item));
  const raw = await c.ask.text(lines, prompt, (t) => {
    if (t === '') return undefined;
    const r = openAnswer(item, t);
    if ('value' in r) return undefined;
    return r.problem === 'too-long' ? m.tooLong(textMax(item)) : m.notANumber(min, max);
  });
  if (raw === '') return { kind: 'skip' };
  const r = openAnswer(item, raw);
  return 'value' in r ? { kind: 'enter', value: r.value } : { kind: 'skip' };
}

type WalkEnd = 'submitted' | 'idle' | 'leave';

interface WalkContext {
  inst: Instrument;
  lang: string;
  m: Messages;
  ask: Ask;
  journal: Journal;
  answers: (Answer | undefined)[];
  now: () => Date;
  staff?: () => Promise<boolean>;
}

/**
 * The screens from `pos` to submission, each answer journaled before the next screen. In a kiosk a
 * staff key opens the staff gate (right PIN: 'leave'; else the same screen again) and the idle timer
 * ends the walk ('idle').
 */
async function walk(c: WalkContext, start: Position, firstNotice: string | undefined): Promise<WalkEnd> {
  const { inst, lang, m, ask, answers } = c;
  let pos = start;
  let notice = firstNotice;
  for (;;) {
    let ev: SurveyEvent;
    ask.clear();
    try {
      if (pos.at === 'intro') {
        await ask.pressEnter([localize(inst.title, lang), '', localize(inst.intro, lang)], m.pressEnterToBegin);
        ev = { kind: 'begin' };
      } else if (pos.at === 'item' && isOpen(inst.items[pos.index])) {
        ev = await askOpen(c, pos.index, notice);
      } else if (pos.at === 'item') {
        const ch = await ask.choose(itemScreen(inst, lang, m, pos.index, answers, notice));
        ev = ch.kind === 'choose' ? { kind: 'choose', option: ch.option } : ch;
      } else {
        const ch = await ask.choose(reviewScreen(inst, lang, m, answers, notice));
        ev = ch.kind === 'choose' && ch.option === 0 ? { kind: 'submit' } : { kind: 'back' };
      }
    } catch (e) {
      const k = kioskEventKind(e);
      if (k === undefined) throw e;
      if (k === 'idle') return 'idle';
      if (c.staff && (await c.staff())) return 'leave';
      continue;
    }
    notice = undefined;
    const r = step(inst, lang, pos, answers, ev);
    if (r.record) {
      // Saved (and fsync'd) before the next screen is shown.
      c.journal.append(answerLine(inst.items[r.record.index].id, r.record.answer, c.now().toISOString()));
      answers[r.record.index] = r.record.answer;
    }
    if (r.pos === 'submitted') return 'submitted';
    pos = r.pos;
  }
}

/**
 * Refuse a responses file of another instrument, or a respondent already submitted without a journal,
 * before the respondent answers anything. Returns the respondent's existing row, if any.
 */
function previousRow(o: SessionOptions, respondent: string, label: string): string[] | undefined {
  const existing = readResponses(o.out, o.inst, label, { site: o.site !== undefined, visit: o.visit !== undefined });
  const prevRow = existing?.rows.get(respondent);
  if (prevRow !== undefined && !fs.existsSync(journalPath(o.out, respondent))) {
    const when = existing?.completedAt.get(respondent);
    throw new DataError(
      'RESPONSES_DUPLICATE',
      `${label}: respondent ${respondent} already submitted${when ? ` on ${when}` : ''}; a row is written once, so choose another --respondent (or leave it out for a new random id).`,
      { file: label },
    );
  }
  return prevRow;
}

interface Started {
  meta: SessionMeta;
  answers: (Answer | undefined)[];
  resumed: boolean;
}

/** Resume the session in the journal (a resume line), or start a new one (a start line). Closes the journal on error. */
function startOrResume(o: SessionOptions, journal: Journal, respondent: string, label: string, now: () => Date): Started {
  const { inst } = o;
  try {
    if (journal.existing.trim() !== '') {
      const r = replayJournal(journal.existing, inst, journal.file);
      if (r.meta.respondent !== respondent) {
        throw new DataError(
          'JOURNAL_OTHER_RESPONDENT',
          `${journalPath(label, respondent)}: holds the session of respondent ${JSON.stringify(r.meta.respondent)}, not ${respondent}; the file was renamed or copied, so move it aside and start this respondent again (nothing was recorded).`,
          { file: journalPath(label, respondent) },
        );
      }
      const meta = r.meta;
      if (o.langExplicit && o.lang !== meta.lang) meta.lang = o.lang;
      // The responses file's layout follows this run's flags: --site given now decides the column.
      if (o.site !== undefined) meta.site = o.site;
      else delete meta.site;
      journal.append(resumeLine(meta.lang, now().toISOString()));
      return { meta, answers: r.answers, resumed: true };
    }
    const meta: SessionMeta = { respondent, instrumentId: inst.id, version: inst.version, lang: o.lang, startedAt: now().toISOString(), ...(o.visit !== undefined ? { visit: o.visit } : {}), ...(o.site !== undefined ? { site: o.site } : {}) };
    const answers = new Array<Answer | undefined>(inst.items.length).fill(undefined);
    journal.append(startLine(meta));
    return { meta, answers, resumed: false };
  } catch (e) {
    journal.close();
    throw e;
  }
}

/**
 * The row is there already: a submission that completed just before the journal could be removed.
 * Same answers: remove the journal and return true; other answers: close it and throw.
 */
function sameAsRecorded(inst: Instrument, prevRow: string[], answers: (Answer | undefined)[], journal: Journal, label: string, respondent: string): boolean {
  const rec = recordedAnswers(inst, answers);
  const same = prevRow.length === rec.length && rec.every((a, i) => answerCell(a) === prevRow[i]);
  if (same) {
    journal.remove();
    return true;
  }
  journal.close();
  throw new DataError(
    'RESPONSES_DUPLICATE',
    `${label}: already has a row for respondent ${respondent} with other answers than its session journal ${journalPath(label, respondent)}; choose another --respondent, or remove the old row to submit this session.`,
    { file: label },
  );
}

/** Append the row (hidden items recorded empty, even when answered before an earlier answer changed). */
async function submitRow(o: SessionOptions, meta: SessionMeta, answers: (Answer | undefined)[], label: string, now: () => Date): Promise<SessionResult['outcome']> {
  const row = buildRow(meta, recordedAnswers(o.inst, answers), now().toISOString());
  const layout = { site: o.site !== undefined, visit: meta.visit !== undefined };
  return (await appendResponse(o.out, o.inst, row, { label, layout })) === 'appended' ? 'submitted' : 'already-recorded';
}

/**
 * Run one respondent from the first unseen screen to submission. Throws InterruptedError (130) with the
 * resume hint on Ctrl-C; DataError (65) when the responses file or the journal does not fit the instrument.
 */
export async function runSession(o: SessionOptions): Promise<SessionResult> {
  const { inst, out, ask } = o;
  const now = o.now ?? (() => new Date());
  const respondent = o.respondent ?? ulid();
  const label = o.outLabel ?? out;
  const prevRow = previousRow(o, respondent, label);

  const stderr = o.stderr ?? process.stderr;
  const journal = Journal.open(out, respondent, label, (file, why) => {
    stderr.write(`rapport: removed the stale session lock ${visible(file)}: ${why}.\n`);
  });
  const { meta, answers, resumed } = startOrResume(o, journal, respondent, label, now);
  if (prevRow !== undefined && sameAsRecorded(inst, prevRow, answers, journal, label, respondent)) return { respondent, outcome: 'already-recorded', answers };

  const lang = meta.lang;
  const m = messagesFor(lang);
  const interruptMessage = () =>
    `interrupted; the answers given so far are saved in ${journalPath(label, respondent)}.\n${o.resumeHint(respondent)}`;
  const unregister = o.onSignal?.(() => {
    journal.close();
    stderr.write(`${o.plain ? '' : '\x1b[?25h'}\nrapport: ${visible(interruptMessage(), { lines: true })}\n`);
  });

  let end: WalkEnd;
  try {
    const pos = startPosition(inst, answers, resumed);
    const notice = resumed ? (pos.at === 'item' ? m.resumed(pos.index + 1, inst.items.length) : m.resumedReview) : undefined;
    end = await walk({ inst, lang, m, ask, journal, answers, now, staff: o.staff }, pos, notice);
  } catch (e) {
    unregister?.();
    journal.close();
    if (isInterrupt(e)) throw new InterruptedError(interruptMessage());
    throw e;
  }
  if (end === 'leave') {
    unregister?.();
    journal.close();
    throw new InterruptedError(interruptMessage());
  }
  if (end === 'idle') {
    // Kiosk idle reset: the unfinished session stays in the journal, marked abandoned (staff can
    // resume it with --respondent); a session with no answer leaves nothing behind.
    unregister?.();
    if (answers.every((a) => a === undefined)) journal.remove();
    else {
      journal.append(abandonedLine(now().toISOString()));
      journal.close();
    }
    return { respondent, outcome: 'abandoned', answers };
  }

  let outcome: SessionResult['outcome'];
  try {
    outcome = await submitRow(o, meta, answers, label, now);
  } catch (e) {
    unregister?.();
    journal.close();
    throw e;
  }
  journal.remove();
  unregister?.();

  return thankYou(o, lang, m, { respondent, outcome, answers });
}

/** The thank-you screen (with --show-scores the scale scores); kiosk: waits for Enter. */
async function thankYou(o: SessionOptions, lang: string, m: Messages, result: SessionResult): Promise<SessionResult> {
  const lines = [m.thanks];
  if (o.showScores) {
    result.scores = scaleScores(o.inst, result.answers);
    lines.push('', ...scoreLines(o.inst, lang, m, result.scores));
  }
  o.ask.clear();
  try {
    if (o.waitAtEnd) await o.ask.pressEnter(lines, m.pressEnterToFinish);
    else o.ask.show(lines);
  } catch (e) {
    // Ctrl-C on the thank-you screen (kiosk: the staff PIN): the answers are already submitted.
    const k = kioskEventKind(e);
    if (k === 'staff') result.leave = o.staff ? await o.staff() : true;
    else if (k === undefined && !isInterrupt(e)) throw e;
    else if (k === undefined) result.leave = true;
  }
  return result;
}

export { META_COLUMNS };
