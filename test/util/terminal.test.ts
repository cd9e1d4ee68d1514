/**
 * issue 11, "Terminal text": every string that reaches a terminal shows C0 and C1 control characters
 * visibly (`\x1b`), except the line breaks the layout makes; `instruments validate` reports them with
 * the path; `import-redcap` never decodes control-character entities. One sanitiser: src/util/terminal.ts.
 */
import * as path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { describeInstrument } from '../../src/instrument/describe.js';
import { loadInstrument } from '../../src/instrument/load.js';
import { decodeEntities, htmlToText } from '../../src/instrument/redcap.js';
import { fancyAsk, plainAsk, type ChoiceScreen } from '../../src/survey/ask.js';
import { messagesFor } from '../../src/survey/messages.js';
import { firstControl, hasControl, visible } from '../../src/util/terminal.js';
import { ROOT } from '../helpers/cli.js';

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

