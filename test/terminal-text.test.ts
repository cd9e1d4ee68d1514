/**
 * issue 11, "Terminal text": every string that reaches a terminal shows C0 and C1 control characters
 * visibly (`\x1b`), except the line breaks the layout makes; `instruments validate` reports them with
 * the path; `import-redcap` never decodes control-character entities. One sanitiser: src/util/terminal.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { describeInstrument } from '../src/instrument/describe.js';
import { loadInstrument } from '../src/instrument/load.js';
import { decodeEntities, htmlToText } from '../src/instrument/redcap.js';
import { fancyAsk, plainAsk, type ChoiceScreen } from '../src/survey/ask.js';
import { messagesFor } from '../src/survey/messages.js';
import { firstControl, hasControl, visible } from '../src/util/terminal.js';
import { ROOT, distMissing, rapport, tmpDir } from './helpers/cli.js';

const MINI = path.join(ROOT, 'fixtures', 'instruments', 'mini.yaml');
// OSC 52 (write the clipboard), OSC 8 (a link), hidden-text SGR, a cursor move, a C1 CSI.
const OSC52 = '\x1b]52;c;ZWNobyBwd25lZA==\x07';
const OSC8 = '\x1b]8;;https://evil.example\x1b\\here\x1b]8;;\x1b\\';
const HIDDEN = '\x1b[8mSecret\x1b[0m';
const MOVE = '\x1b[2A\x1b[1G';
const C1 = '\u009b31m';
const HOSTILE = `Agree${OSC52}${OSC8}${HIDDEN}${MOVE}${C1}\r`;
// Raw C0 (except LF) or C1 anywhere.
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('visible()', () => {
  it('writes every C0, DEL and C1 character as \\xNN; LF only where the layout keeps it', () => {
    expect(visible('a\x1b[31mb')).toBe('a\\x1b[31mb');
    expect(visible('\x00\x07\x08\t\r\x7f\u0085\u009b\u009f')).toBe('\\x00\\x07\\x08\\x09\\x0d\\x7f\\x85\\x9b\\x9f');
    expect(visible('one\ntwo')).toBe('one\\x0atwo');
    expect(visible('one\ntwo\r', { lines: true })).toBe('one\ntwo\\x0d');
    expect(visible('Sí — ¿qué? 😀 ½ \u00a0')).toBe('Sí — ¿qué? 😀 ½ \u00a0');
    expect(RAW.test(visible(HOSTILE))).toBe(false);
    expect(hasControl('x\ny', { lines: true })).toBe(false);
    expect(hasControl('x\ny')).toBe(true);
    expect(firstControl('ok\x1b]52')).toBe('\\x1b');
    expect(firstControl('ok')).toBeUndefined();
  });
});

/** An instrument object with hostile text everywhere (as if validation had been bypassed). */
function hostileInstrument() {
  const inst = structuredClone(loadInstrument(MINI));
  inst.items[0].text = { en: `Greets me${HIDDEN}`, es: 'x' };
  inst.response_sets.agree4.options[2].label = { en: HOSTILE, es: 'x' };
  inst.title = { en: `Mini${OSC52}`, es: 'x' };
  return inst;
}

describe('instrument text on a terminal', () => {
  it('instruments show (text) shows the escapes', () => {
    const text = describeInstrument(hostileInstrument(), 'en');
    expect(RAW.test(text)).toBe(false);
    expect(text).toContain('Mini\\x1b]52;c;ZWNobyBwd25lZA==\\x07');
    expect(text).toContain('Greets me\\x1b[8mSecret\\x1b[0m');
  });

  const screen = (): ChoiceScreen => {
    const m = messagesFor('en');
    return {
      heading: [`Mini${OSC52}`, 'Item 1 of 5'],
      question: `Line one${MOVE}\nline two`,
      options: [{ label: 'Disagree' }, { label: HOSTILE }],
      canBack: false,
      canSkip: true,
      help: { fancy: m.keysFancy(2, false), plain: m.keysPlain(2, false), prompt: m.answerPrompt(2, false) },
      m,
    };
  };
  class Sink extends Writable {
    text = '';
    override _write(c: Buffer, _e: string, cb: () => void) {
      this.text += c.toString();
      cb();
    }
  }

  it('run --plain: options, question and heading shown with visible escapes; the question keeps its line break', async () => {
    const input = new PassThrough();
    const out = new Sink();
    const ask = plainAsk({ input, output: out });
    const answer = ask.choose(screen());
    input.write('2\n');
    await expect(answer).resolves.toEqual({ kind: 'choose', option: 1 });
    ask.close();
    expect(RAW.test(out.text)).toBe(false);
    expect(out.text).toContain('Line one\\x1b[2A\\x1b[1G\nline two\n');
    expect(out.text).toContain('  2. Agree\\x1b]52;c;');
  });

  it('run (full terminal): the only escape codes are rapport\'s own (clear, cursor, colour)', async () => {
    const input = new PassThrough() as PassThrough & { isTTY?: boolean };
    const out = new Sink();
    const ask = fancyAsk({ input, output: out });
    const answer = ask.choose(screen());
    await new Promise((r) => setTimeout(r, 20));
    input.write('2');
    input.write('\r');
    await expect(answer).resolves.toEqual({ kind: 'choose', option: 1 });
    // Every ESC written is followed by [ and a CSI that rapport or Inquirer emits; no OSC, no BEL, no C1.
    expect(out.text).not.toMatch(/\x1b\]|\x07|\u009b|\x1b\[8m/);
    expect(out.text).toContain('Agree\\x1b]52;c;ZWNobyBwd25lZA==\\x07');
  });
});

describe('REDCap entities', () => {
  it('control-character entities are never decoded; line breaks and ordinary entities are', () => {
    expect(decodeEntities('a&#27;[31mb &#x1B;]52; &#155; &#7; &#x9f; &#127;')).toBe('a&#27;[31mb &#x1B;]52; &#155; &#7; &#x9f; &#127;');
    expect(decodeEntities('x&#10;y &#233; &eacute; &#x263A;')).toBe('x\ny é é ☺');
    expect(RAW.test(htmlToText('<b>Red&#27;[31m</b>'))).toBe(false);
  });
});

describe.skipIf(distMissing())('through the built CLI', () => {
  it('instruments validate reports a control character with its path (65); show refuses the file', () => {
    const dir = tmpDir();
    // YAML double-quoted "\e" is ESC, "\a" BEL.
    const y = fs.readFileSync(MINI, 'utf8').replace('{en: Agree a little, es: Algo de acuerdo}', '{en: "Agree\\e]52;c;eA==\\a a little", es: Algo de acuerdo}');
    expect(y).toContain('\\e]52');
    fs.writeFileSync(path.join(dir, 'bad.yaml'), y);
    const r = rapport(['instruments', 'validate', 'bad.yaml'], { cwd: dir });
    expect(r.code).toBe(65);
    expect(r.stdout + r.stderr).toContain('response_sets.agree4.options[2].label.en: holds the control character \\x1b (an escape code or other invisible character); remove it, only line breaks are allowed in text');
    expect(RAW.test(r.stdout + r.stderr)).toBe(false);
    const s = rapport(['instruments', 'show', 'bad.yaml'], { cwd: dir });
    expect(s.code).toBe(65);
    expect(RAW.test(s.stdout + s.stderr)).toBe(false);
  });

  it('import-redcap keeps &#27; as text: the imported instrument is valid and holds no ESC', () => {
    const dir = tmpDir();
    const head = fs.readFileSync(path.join(ROOT, 'fixtures', 'redcap', 'letter-codes.csv'), 'utf8').split('\n')[0];
    fs.writeFileSync(path.join(dir, 'd.csv'), `${head}\nrecord_id,f,,text,Record ID,,,,,,,,,,,,,\nq1,f,,radio,Trust &#27;]52;c;eA==&#7; me,"1, No &#x1b;[8mhidden | 2, Yes",,,,,,,,,,,,\n`);
    const r = rapport(['instruments', 'import-redcap', 'd.csv', '--out', 'i.yaml'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const y = fs.readFileSync(path.join(dir, 'i.yaml'), 'utf8');
    expect(RAW.test(y)).toBe(false);
    expect(y).toContain('Trust &#27;]52;c;eA==&#7; me');
    expect(rapport(['instruments', 'validate', 'i.yaml'], { cwd: dir }).code).toBe(0);
  });

  it('score: a file name, export values in messages and --errors - are shown with visible escapes', () => {
    const dir = tmpDir();
    const missing = rapport(['score', `in${HIDDEN}.csv`, '--instrument', MINI], { cwd: dir });
    expect(missing.code).toBe(66);
    expect(RAW.test(missing.stderr)).toBe(false);
    expect(missing.stderr).toContain('in\\x1b[8mSecret\\x1b[0m.csv');
    fs.writeFileSync(path.join(dir, 'in.csv'), `id,warm_1,warm_2,clear_1,clear_2,portal_use\nA,3${OSC52},2,1,1,1\nB,1,1,1,1,0\n`);
    const e = rapport(['score', 'in.csv', '--instrument', MINI, '--errors', '-'], { cwd: dir });
    expect(e.code, e.stderr).toBe(0);
    expect(RAW.test(e.stderr)).toBe(false);
    expect(e.stderr).toContain('\\x1b]52;c;ZWNobyBwd25lZA==\\x07');
  });

  it('report: an export column name and group values reach the text report and its file with visible escapes', () => {
    const dir = tmpDir();
    const trait = `tr${HIDDEN}ust`;
    const lines = [`id,"${trait}",clinic,portal_use`];
    // A deterministic data set: the trait goes with use, two clinics of 60.
    for (let i = 0; i < 120; i++) {
      const t = ((i * 37) % 120) / 30 - 2;
      lines.push(`R${i},${t.toFixed(3)},"${i % 2 ? `A${OSC52}` : 'B'}",${(i * 53) % 120 < 60 + 25 * t ? 1 : 0}`);
    }
    fs.writeFileSync(path.join(dir, 's.csv'), lines.join('\n') + '\n');
    const r = rapport(['report', 's.csv', '--outcome', 'portal_use', '--predictors', trait, '--group-by', 'clinic', '--out', 'o'], { cwd: dir });
    expect([0, 65]).toContain(r.code);
    const file = fs.readFileSync(path.join(dir, 'o', 'report.txt'), 'utf8');
    for (const t of [r.stdout, r.stderr, file]) expect(RAW.test(t)).toBe(false);
    expect(r.stdout).toContain('tr\\x1b[8mSecret\\x1b[0must');
    expect(r.stdout).toContain('A\\x1b]52;c;ZWNobyBwd25lZA==\\x07');
  });

  it('run --kiosk --plain (or TERM=dumb) is refused: a plain terminal cannot clear its scrollback', () => {
    const r = rapport(['run', MINI, '--kiosk', '--plain']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--kiosk cannot run with --plain: a plain terminal cannot clear its scrollback/);
    const d = rapport(['run', MINI, '--kiosk'], { env: { TERM: 'dumb' } });
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/TERM=dumb/);
  });
});
