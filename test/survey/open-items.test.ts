/** Number and text items in `run`: the typed answer's checks, and the journal's replay of them. */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInstrument } from '../../src/instrument/load.js';
import { DEFAULT_TEXT_MAX, openAnswer, textMax } from '../../src/survey/flow.js';
import { answerLine, replayJournal, startLine } from '../../src/survey/journal.js';
import { ROOT } from '../helpers/cli.js';

const inst = loadInstrument(path.join(ROOT, 'fixtures', 'instruments', 'open-items.yaml'));
const [visits, , comments] = inst.items;

describe('typed answers', () => {
  it('number: decimal text within min..max only', () => {
    expect(openAnswer(visits, '12')).toEqual({ value: 12 });
    expect(openAnswer(visits, '0')).toEqual({ value: 0 });
    expect(openAnswer(visits, '52')).toEqual({ value: 52 });
    expect(openAnswer(visits, '2.5')).toEqual({ value: 2.5 });
    expect(openAnswer(visits, '53')).toEqual({ problem: 'out-of-range' });
    expect(openAnswer(visits, '-1')).toEqual({ problem: 'out-of-range' });
    for (const bad of ['0x10', '1e3', 'abc', '1,5', 'Infinity', '12 visits']) expect(openAnswer(visits, bad)).toEqual({ problem: 'not-a-number' });
  });
  it('text: at most max_length code points (emoji count as one); default limit without max_length', () => {
    expect(textMax(comments)).toBe(20);
    expect(openAnswer(comments, 'x'.repeat(20))).toEqual({ value: 'x'.repeat(20) });
    expect(openAnswer(comments, 'x'.repeat(21))).toEqual({ problem: 'too-long' });
    expect(openAnswer(comments, '😀'.repeat(20))).toEqual({ value: '😀'.repeat(20) });
    expect(textMax({ ...comments, max_length: undefined })).toBe(DEFAULT_TEXT_MAX);
  });
});

describe('journal', () => {
  const start = startLine({ respondent: 'K', instrumentId: 'open-items', version: '0.1.0', lang: 'en', startedAt: 's' });
  it('replays number and text answers', () => {
    const text = [start, answerLine('visits', { kind: 'value', value: 12 }, 't'), answerLine('comments', { kind: 'value', value: 'Kind, "clear"' }, 't')].join('\n') + '\n';
    expect(replayJournal(text, inst, 'j').answers).toEqual([{ kind: 'value', value: 12 }, undefined, { kind: 'value', value: 'Kind, "clear"' }]);
  });
  it('refuses a number out of range, a string for a number, a text over its limit', () => {
    for (const bad of ['{"type":"answer","item":"visits","value":99}', '{"type":"answer","item":"visits","value":"12"}', `{"type":"answer","item":"comments","value":"${'x'.repeat(21)}"}`]) {
      expect(() => replayJournal(`${start}\n${bad}\n`, inst, 'j')).toThrow(expect.objectContaining({ code: 'JOURNAL_BAD_VALUE', exitCode: 65 }));
    }
  });
});
