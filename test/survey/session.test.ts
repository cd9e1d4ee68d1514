/**
 * `rapport run`: whole sessions through the `ask` module (scripted, plain over streams, and the real
 * Inquirer prompts over a byte stream), the journal on disk, resume, and the locked append.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DataError, InterruptedError, UsageError } from '../../src/errors.js';
import { loadInstrument } from '../../src/instrument/load.js';
import { fancyAsk, plainAsk, type Ask, type Choice, type ChoiceScreen } from '../../src/survey/ask.js';
import { Journal, journalPath, replayJournal, startLine } from '../../src/survey/journal.js';
import { appendResponse, buildRow, csvLine, responsesHeader } from '../../src/survey/responses.js';
import { resumeCommand, runSession, type SessionOptions } from '../../src/survey/session.js';
import { ROOT, tmpDir } from '../helpers/cli.js';

const MINI = path.join(ROOT, 'fixtures', 'instruments', 'mini.yaml');
const mini = loadInstrument(MINI);
const HEADER = 'respondent_id,instrument_id,instrument_version,lang,started_at,completed_at,warm_1,warm_2,clear_1,clear_2,portal_use';

type Step = Choice | 'enter' | 'interrupt';

/** An Ask that plays a script and records what each screen showed. */
function scripted(steps: Step[]): Ask & { screens: string[]; shown: string[][]; rest: () => number } {
  const queue = [...steps];
  const screens: string[] = [];
  const shown: string[][] = [];
  const take = (what: string): Step => {
    const s = queue.shift();
    if (s === undefined) throw new Error(`script ended at screen: ${what}`);
    if (s === 'interrupt') throw Object.assign(new Error('User force closed the prompt with SIGINT'), { name: 'ExitPromptError' });
    return s;
  };
  return {
    screens,
    shown,
    rest: () => queue.length,
    async choose(s: ChoiceScreen) {
      screens.push([...s.heading, s.question].join('\n'));
      const st = take(s.question);
      if (st === 'enter') throw new Error(`expected a choice at: ${s.question}`);
      return st as Choice;
    },
    async pressEnter(lines: string[]) {
      screens.push(lines.join('\n'));
      const st = take(lines[0]);
      if (st !== 'enter') throw new Error(`expected Enter at: ${lines[0]}`);
    },
    show(lines: string[]) {
      shown.push(lines);
    },
    clear() {},
    close() {},
  };
}

const c = (option: number): Choice => ({ kind: 'choose', option });
const back: Choice = { kind: 'back' };
const skip: Choice = { kind: 'skip' };

let clock = Date.parse('2026-03-01T10:00:00.000Z');
const now = () => new Date((clock += 1000));

function opts(dir: string, ask: Ask, over: Partial<SessionOptions> = {}): SessionOptions {
  return {
    inst: mini,
    out: path.join(dir, 'r.csv'),
    outLabel: 'r.csv',
    lang: 'en',
    langExplicit: false,
    respondent: 'K42',
    ask,
    showScores: false,
    waitAtEnd: false,
    resumeHint: (id) => resumeCommand('mini.yaml', 'r.csv', id),
    now,
    ...over,
  };
}

/** The item cells (after the six meta columns) of each data row. */
function itemCells(file: string): string[][] {
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').slice(6));
}

describe('a whole session (scripted ask)', () => {
  it('intro, answers, refusal, skip, back and change, review, submit → one row; journal removed; files 0600', async () => {
    const dir = tmpDir();
    // warm_1: 3rd option (3); warm_2: refuse (option 5 = code 9); clear_1: skip; clear_2: 4th (4);
    // back to clear_2, change to 2nd (2); portal_use: Yes (1); review: submit.
    const ask = scripted(['enter', c(2), c(4), skip, c(3), back, c(1), c(1), c(0)]);
    const res = await runSession(opts(dir, ask));
    expect(res.outcome).toBe('submitted');
    expect(ask.rest()).toBe(0);
    const text = fs.readFileSync(path.join(dir, 'r.csv'), 'utf8');
    const lines = text.split('\n');
    expect(lines[0]).toBe(HEADER);
    expect(lines[1]).toMatch(/^K42,mini,0\.1\.0,en,2026-03-01T10:00:\d\d\.000Z,2026-03-01T10:00:\d\d\.000Z,3,9,,2,1$/);
    expect(lines).toHaveLength(3);
    expect(fs.statSync(path.join(dir, 'r.csv')).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(journalPath(path.join(dir, 'r.csv'), 'K42'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'r.csv.sessions'))).toBe(false);
    // Screens: intro, progress and section on items, review counts refusals as answers, not skips.
    expect(ask.screens[0]).toBe('Mini test survey\n\nA short test survey with five questions.');
    expect(ask.screens[1]).toBe('Mini test survey\nItem 1 of 5 · Warmth\nThe test doctor greets me warmly.');
    expect(ask.screens[5]).toMatch(/Item 5 of 5 · Online tools/);
    expect(ask.screens[6]).toMatch(/Item 4 of 5/);
    // The review lists every answer with its label before submission.
    expect(ask.screens[8]).toBe(
      'Mini test survey\n\nYour answers:\n  1. Agree a little\n  2. Prefer not to answer\n  3. (skipped)\n  4. Disagree a little\n  5. Yes\n\nNot answered: 3.\nYou answered 4 of 5. Submit?',
    );
    expect(ask.shown).toEqual([['Thank you! Your answers have been saved.']]);
  });

  it('--show-scores: scale scores from the scoring core (reverse keying, mean and prorated sum)', async () => {
    const dir = tmpDir();
    // warm_1 = 3, warm_2 = 4 (reverse: 1 + 4 - 4 = 1) → warmth mean 2; clear_1 = 3, clear_2 = 4 → clarity sum 7.
    const ask = scripted(['enter', c(2), c(3), c(2), c(3), c(0), c(0)]);
    const res = await runSession(opts(dir, ask, { showScores: true }));
    expect(Array.from(res.scores!)).toEqual([2, 7]);
    expect(ask.shown[0]).toEqual(['Thank you! Your answers have been saved.', '', 'Your scores:', '  Warmth: 2.00', '  Clarity: 7.00']);
  });

  it('kiosk thank-you screen waits for Enter; Ctrl-C there keeps the submission and asks the caller to leave', async () => {
    const dir = tmpDir();
    const ok = scripted(['enter', c(0), c(0), c(0), c(0), c(0), c(0), 'enter']);
    const r1 = await runSession(opts(dir, ok, { waitAtEnd: true, respondent: 'W1' }));
    expect(r1.leave).toBeUndefined();
    expect(ok.screens[ok.screens.length - 1]).toBe('Thank you! Your answers have been saved.');
    const stop = scripted(['enter', c(1), c(1), c(1), c(1), c(1), c(0), 'interrupt']);
    const r2 = await runSession(opts(dir, stop, { waitAtEnd: true, respondent: 'W2' }));
    expect(r2.leave).toBe(true);
    expect(itemCells(path.join(dir, 'r.csv'))).toEqual([
      ['1', '1', '1', '1', '0'],
      ['2', '2', '2', '2', '1'],
    ]);
  });

  it('Spanish text and interface', async () => {
    const dir = tmpDir();
    const ask = scripted(['enter', c(0), c(0), c(0), c(0), c(1), c(0)]);
    await runSession(opts(dir, ask, { lang: 'es', langExplicit: true }));
    expect(ask.screens[1]).toBe('Encuesta mínima de prueba\nPregunta 1 de 5 · Calidez\nEl médico de prueba me saluda con calidez.');
    expect(fs.readFileSync(path.join(dir, 'r.csv'), 'utf8').split('\n')[1]).toMatch(/^K42,mini,0\.1\.0,es,.*,1,1,1,1,1$/);
  });
});

describe('never lose an answer', () => {
  it('Ctrl-C: exit 130 with the resume command; answers so far are in the fsynced journal (0700/0600)', async () => {
    const dir = tmpDir();
    const ask = scripted(['enter', c(2), c(4), 'interrupt']);
    const err = await runSession(opts(dir, ask)).catch((e) => e);
    expect(err).toBeInstanceOf(InterruptedError);
    expect(err.exitCode).toBe(130);
    expect(err.message).toBe(
      `interrupted; the answers given so far are saved in ${path.join('r.csv.sessions', 'K42.jsonl')}.\nTo resume: rapport run mini.yaml --out r.csv --respondent K42`,
    );
    const j = journalPath(path.join(dir, 'r.csv'), 'K42');
    expect(fs.statSync(path.dirname(j)).mode & 0o777).toBe(0o700);
    expect(fs.statSync(j).mode & 0o777).toBe(0o600);
    const r = replayJournal(fs.readFileSync(j, 'utf8'), mini, j);
    expect(r.answers).toEqual([{ kind: 'value', value: 3 }, { kind: 'refused', value: 9 }, undefined, undefined, undefined]);
    expect(fs.existsSync(path.join(dir, 'r.csv'))).toBe(false);
    // The lock is released: the session can be resumed at once.
    expect(fs.existsSync(path.join(dir, 'r.csv.sessions', 'K42.lock'))).toBe(false);
  });

  it('resume goes straight to the first unanswered item, says so, and gives the same row as an uninterrupted run', async () => {
    const choices = [c(2), c(4), skip, c(3), c(1)];
    const whole = tmpDir();
    await runSession(opts(whole, scripted(['enter', ...choices, c(0)])));

    const dir = tmpDir();
    await expect(runSession(opts(dir, scripted(['enter', ...choices.slice(0, 3), 'interrupt'])))).rejects.toBeInstanceOf(InterruptedError);
    const ask = scripted([...choices.slice(3), c(0)]);
    const res = await runSession(opts(dir, ask));
    expect(res.outcome).toBe('submitted');
    expect(ask.screens[0]).toBe(
      'Mini test survey\nItem 4 of 5 · Clarity\n\nWelcome back: your earlier answers are saved, so we continue at item 4 of 5.\nThe test doctor explains the plan clearly.'.replace(
        'The test doctor explains the plan clearly.',
        'I know what to do after a test visit.',
      ),
    );
    // The notice is on the first screen only.
    expect(ask.screens[1]).not.toMatch(/Welcome back/);
    expect(itemCells(path.join(dir, 'r.csv'))).toEqual(itemCells(path.join(whole, 'r.csv')));
    expect(itemCells(path.join(dir, 'r.csv'))).toEqual([['3', '9', '', '4', '1']]);
  });

  it('going back and changing an answer appends a new journal line; the last one wins', async () => {
    const dir = tmpDir();
    await expect(runSession(opts(dir, scripted(['enter', c(0), c(1), back, back, c(3), 'interrupt'])))).rejects.toBeInstanceOf(InterruptedError);
    const j = journalPath(path.join(dir, 'r.csv'), 'K42');
    const lines = fs.readFileSync(j, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.type, l.item, l.value])).toEqual([
      ['start', undefined, undefined],
      ['answer', 'warm_1', 1],
      ['answer', 'warm_2', 2],
      ['answer', 'warm_1', 4],
    ]);
    // Resuming after the change: warm_2 was answered, so the next unseen is clear_1.
    const ask = scripted([c(0), c(0), c(0), c(0)]);
    await runSession(opts(dir, ask));
    expect(ask.screens[0]).toMatch(/Item 3 of 5/);
    expect(itemCells(path.join(dir, 'r.csv'))).toEqual([['4', '2', '1', '1', '0']]);
  });

  it('a journal of a killed session with a half-written last line resumes from the complete lines', async () => {
    const dir = tmpDir();
    await expect(runSession(opts(dir, scripted(['enter', c(1), 'interrupt'])))).rejects.toBeInstanceOf(InterruptedError);
    const j = journalPath(path.join(dir, 'r.csv'), 'K42');
    fs.appendFileSync(j, '{"type":"answer","item":"warm_2","val');
    const ask = scripted([c(0), c(0), c(0), c(0), c(0)]);
    await runSession(opts(dir, ask));
    expect(ask.screens[0]).toMatch(/Item 2 of 5/);
    expect(itemCells(path.join(dir, 'r.csv'))).toEqual([['2', '1', '1', '1', '0']]);
  });

  it('SIGTERM/SIGHUP outside a prompt: the registered handler prints the resume command', async () => {
    const dir = tmpDir();
    let handler: (() => void) | undefined;
    let unregistered = false;
    const err = new PassThrough();
    let text = '';
    err.on('data', (d) => (text += d));
    const ask = scripted(['enter', c(0)]);
    // Fire the "signal" when the second item is shown.
    const orig = ask.choose.bind(ask);
    ask.choose = async (s) => {
      if (/Item 2 of 5/.test(s.heading.join('\n'))) {
        handler!();
        throw Object.assign(new Error('x'), { name: 'ExitPromptError' });
      }
      return orig(s);
    };
    await expect(
      runSession(
        opts(dir, ask, {
          plain: true,
          stderr: err,
          onSignal: (fn) => {
            handler = fn;
            return () => (unregistered = true);
          },
        }),
      ),
    ).rejects.toBeInstanceOf(InterruptedError);
    expect(text).toBe(`\nrapport: interrupted; the answers given so far are saved in ${path.join('r.csv.sessions', 'K42.jsonl')}.\nTo resume: rapport run mini.yaml --out r.csv --respondent K42\n`);
    expect(unregistered).toBe(true);
  });

  it('the resume command quotes paths that need it', () => {
    expect(resumeCommand('my instruments/x.yaml', "it's.csv", 'K1')).toBe(`To resume: rapport run 'my instruments/x.yaml' --out 'it'\\''s.csv' --respondent K1`);
  });
});

describe('the responses file', () => {
  it('refuses a file of another instrument before the first screen, and leaves it untouched', async () => {
    const dir = tmpDir();
    const out = path.join(dir, 'r.csv');
    const other = csvLine(responsesHeader(loadInstrument('relationship-engagement')));
    fs.writeFileSync(out, other);
    const ask = scripted([]);
    const err = await runSession(opts(dir, ask)).catch((e) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err.exitCode).toBe(65);
    expect(err.code).toBe('RESPONSES_OTHER_INSTRUMENT');
    expect(err.message).toMatch(/r\.csv: holds responses to another instrument or version \(header column 7 is "trust_1", mini 0\.1\.0 needs "warm_1"\)/);
    expect(ask.screens).toEqual([]);
    expect(fs.readFileSync(out, 'utf8')).toBe(other);
    expect(fs.existsSync(out + '.sessions')).toBe(false);
  });

  it('refuses to append to a file whose header changed while the session ran', async () => {
    const dir = tmpDir();
    const out = path.join(dir, 'r.csv');
    const row = buildRow({ respondent: 'A', instrumentId: 'mini', version: '0.1.0', lang: 'en', startedAt: 's' }, new Array(5).fill({ kind: 'value', value: 1 }), 'c');
    fs.writeFileSync(out, 'respondent_id,instrument_id,instrument_version,lang,started_at,completed_at,x\n');
    await expect(appendResponse(out, mini, row)).rejects.toMatchObject({ code: 'RESPONSES_OTHER_INSTRUMENT', exitCode: 65 });
    expect(fs.readFileSync(out, 'utf8')).toBe('respondent_id,instrument_id,instrument_version,lang,started_at,completed_at,x\n');
  });

  it('header once; later rows appended; a missing final newline is repaired; an existing file keeps its mode', async () => {
    const dir = tmpDir();
    const out = path.join(dir, 'r.csv');
    const row = (id: string) => buildRow({ respondent: id, instrumentId: 'mini', version: '0.1.0', lang: 'en', startedAt: 's' }, [{ kind: 'value', value: 2 }, undefined, undefined, undefined, { kind: 'value', value: 0 }], 'c');
    expect(await appendResponse(out, mini, row('A'))).toBe('appended');
    fs.writeFileSync(out, fs.readFileSync(out, 'utf8').trimEnd());
    fs.chmodSync(out, 0o640);
    expect(await appendResponse(out, mini, row('B'))).toBe('appended');
    expect(fs.readFileSync(out, 'utf8')).toBe(`${HEADER}\nA,mini,0.1.0,en,s,c,2,,,,0\nB,mini,0.1.0,en,s,c,2,,,,0\n`);
    expect(fs.statSync(out).mode & 0o777).toBe(0o640);
    // The same respondent again: identical → already recorded (nothing written); different → refused.
    expect(await appendResponse(out, mini, row('A'))).toBe('already-recorded');
    const changed = row('A');
    changed[6] = '4';
    await expect(appendResponse(out, mini, changed)).rejects.toMatchObject({ code: 'RESPONSES_DUPLICATE' });
    expect(fs.readFileSync(out, 'utf8').split('\n')).toHaveLength(4);
    expect(fs.existsSync(out + '.lock')).toBe(false);
  });

  it('eight appends racing in one process: eight whole rows and one header', async () => {
    const dir = tmpDir();
    const out = path.join(dir, 'r.csv');
    const ids = Array.from({ length: 8 }, (_, i) => `P${i}`);
    await Promise.all(ids.map((id) => appendResponse(out, mini, buildRow({ respondent: id, instrumentId: 'mini', version: '0.1.0', lang: 'en', startedAt: 's' }, new Array(5).fill({ kind: 'value', value: 1 }), 'c'))));
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(HEADER);
    expect(lines.slice(1).sort()).toEqual(ids.map((id) => `${id},mini,0.1.0,en,s,c,1,1,1,1,1`));
  });

  it('a respondent id already in the file is refused at the start (no journal)', async () => {
    const dir = tmpDir();
    await runSession(opts(dir, scripted(['enter', c(0), c(0), c(0), c(0), c(0), c(0)])));
    const ask = scripted([]);
    await expect(runSession(opts(dir, ask))).rejects.toMatchObject({ code: 'RESPONSES_DUPLICATE', exitCode: 65 });
    expect(ask.screens).toEqual([]);
  });

  it('crash after the row was appended but before the journal was removed: resume recognises it, nothing is duplicated', async () => {
    const dir = tmpDir();
    const out = path.join(dir, 'r.csv');
    await runSession(opts(dir, scripted(['enter', c(0), c(1), c(2), c(3), c(1), c(0)])));
    // Recreate the finished journal as it was just before removal.
    const j = Journal.open(out, 'K42');
    j.append(startLine({ respondent: 'K42', instrumentId: 'mini', version: '0.1.0', lang: 'en', startedAt: 's' }));
    const ids = ['warm_1', 'warm_2', 'clear_1', 'clear_2', 'portal_use'];
    [1, 2, 3, 4, 1].forEach((v, i) => j.append(JSON.stringify({ type: 'answer', item: ids[i], value: v, at: 't' })));
    j.close();
    const before = fs.readFileSync(out, 'utf8');
    const ask = scripted([]);
    const res = await runSession(opts(dir, ask));
    expect(res.outcome).toBe('already-recorded');
    expect(fs.readFileSync(out, 'utf8')).toBe(before);
    expect(fs.existsSync(journalPath(out, 'K42'))).toBe(false);
  });
});

describe('journal file', () => {
  it('one terminal per respondent: a second open is refused while the first holds the lock; a dead holder is taken over', () => {
    const dir = tmpDir();
    const out = path.join(dir, 'r.csv');
    const a = Journal.open(out, 'K1');
    expect(() => Journal.open(out, 'K1')).toThrow(UsageError);
    expect(() => Journal.open(out, 'K1')).toThrow(/respondent K1 is already being surveyed in another terminal \(process \d+\)/);
    a.close();
    const b = Journal.open(out, 'K1');
    b.close();
    // A lock left by a killed process (pid that does not exist) is taken over.
    fs.writeFileSync(path.join(out + '.sessions', 'K1.lock'), `2147483646\n${os.hostname()}\n`);
    const c2 = Journal.open(out, 'K1');
    c2.remove();
    expect(fs.existsSync(out + '.sessions')).toBe(false);
  });
});

/** Collects everything written; `since` gives the text after the last screen clear. */
class Screen extends Writable {
  text = '';
  // Like a terminal, it stays open when a prompt ends its piped output stream.
  override end(): this {
    return this;
  }
  override _write(chunk: Buffer, _enc: string, cb: () => void) {
    this.text += chunk.toString();
    cb();
  }
  plain(): string {
    // eslint-disable-next-line no-control-regex
    return this.text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
  }
  current(): string {
    const k = this.text.lastIndexOf('\x1b[H\x1b[2J');
    // eslint-disable-next-line no-control-regex
    return this.text.slice(k < 0 ? 0 : k).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
  }
  async waitFor(re: RegExp, ms = 3000): Promise<void> {
    const t0 = Date.now();
    while (!re.test(this.current())) {
      if (Date.now() - t0 > ms) throw new Error(`screen never showed ${re}; it shows:\n${this.current()}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

describe('through the real prompts', () => {
  it('Inquirer screens driven by terminal bytes: arrows, typed numbers, Backspace back, s skip', async () => {
    const dir = tmpDir();
    const input = new PassThrough();
    const screen = new Screen();
    const ask = fancyAsk({ input, output: screen });
    const done = runSession(opts(dir, ask));
    const key = (s: string) => input.write(s);
    await screen.waitFor(/Press Enter to begin\./);
    key('\r');
    await screen.waitFor(/Item 1 of 5 · Warmth/);
    key('\x1b[B');
    key('\x1b[B');
    key('\x1b[B');
    await screen.waitFor(/❯ 3\. Agree a little/);
    key('\r');
    await screen.waitFor(/Item 2 of 5/);
    key('5');
    await screen.waitFor(/Your choice: 5/);
    key('\r');
    await screen.waitFor(/Item 3 of 5/);
    key('\x7f'); // Backspace: back to item 2, which shows the refusal as the answer given.
    await screen.waitFor(/Item 2 of 5[\s\S]*❯ 5\. Prefer not to answer \(your answer\)/);
    key('\r');
    await screen.waitFor(/Item 3 of 5/);
    key('s');
    await screen.waitFor(/Item 4 of 5/);
    key('4');
    await screen.waitFor(/Your choice: 4/);
    key('\r');
    await screen.waitFor(/Item 5 of 5 · Online tools/);
    key('2');
    await screen.waitFor(/Your choice: 2/);
    key('\r');
    await screen.waitFor(/You answered 4 of 5\. Submit\?/);
    key('1');
    await screen.waitFor(/Your choice: 1\. Submit my answers/);
    key('\r');
    const res = await done;
    expect(res.outcome).toBe('submitted');
    expect(itemCells(path.join(dir, 'r.csv'))).toEqual([['3', '9', '', '4', '1']]);
    expect(screen.current()).toMatch(/Thank you! Your answers have been saved\./);
  });

  it('plain mode: numbered lines, typed answers, no escape codes at all', async () => {
    const dir = tmpDir();
    const input = new PassThrough();
    const screen = new Screen();
    const ask = plainAsk({ input, output: screen });
    const done = runSession(opts(dir, ask, { plain: true }));
    // Typed ahead line by line, as a screen-reader user or someone reading aloud would answer.
    input.write('\n9\n3\n5\nb\n\n x \ns\n4\n2\n1\n');
    const res = await done;
    ask.close();
    expect(res.outcome).toBe('submitted');
    expect(itemCells(path.join(dir, 'r.csv'))).toEqual([['3', '9', '', '4', '1']]);
    // eslint-disable-next-line no-control-regex
    expect(screen.text).not.toMatch(/\x1b/);
    expect(screen.text).toContain('Item 1 of 5 · Warmth\n\nThe test doctor greets me warmly.\n  1. Disagree a lot\n  2. Disagree a little\n  3. Agree a little\n  4. Agree a lot\n  5. Prefer not to answer\nType a number from 1 to 5 and press Enter. Type s to skip.\nAnswer (1-5, s skip): ');
    expect(screen.text).toContain('"9" is not an option here; type a number from 1 to 5.');
    expect(screen.text).toContain('  5. Prefer not to answer (your answer)');
    expect(screen.text).toContain('"x" is not an option here');
    expect(screen.text).toContain('You answered 4 of 5. Submit?\n  1. Submit my answers\n  2. Go back to change an answer\n\nType 1 to submit, 2 or b to go back: ');
  });

  it('plain mode: end of input is an interruption (exit 130 with the resume command)', async () => {
    const dir = tmpDir();
    const input = new PassThrough();
    const ask = plainAsk({ input, output: new Screen() });
    const done = runSession(opts(dir, ask, { plain: true }));
    input.end('\n2\n');
    await expect(done).rejects.toMatchObject({ exitCode: 130, message: expect.stringMatching(/To resume: rapport run mini\.yaml --out r\.csv --respondent K42$/) });
    const r = replayJournal(fs.readFileSync(journalPath(path.join(dir, 'r.csv'), 'K42'), 'utf8'), mini, 'j');
    expect(r.answers[0]).toEqual({ kind: 'value', value: 2 });
  });
});
