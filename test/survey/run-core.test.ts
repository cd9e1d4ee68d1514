/** `rapport run`, pure core: screens and transitions, journal replay, rows, header checks, ids. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError, RapportError, UsageError } from '../../src/errors.js';
import { loadInstrument } from '../../src/instrument/load.js';
import { countAnswered, itemView, optionsFor, sectionFor, startPosition, step, type Answer } from '../../src/survey/flow.js';
import { checkRespondentId, ulid } from '../../src/survey/ids.js';
import { answerLine, replayJournal, resumeLine, startLine, type SessionMeta } from '../../src/survey/journal.js';
import { buildRow, checkResponsesText, csvLine, responsesHeader } from '../../src/survey/responses.js';
import { ROOT } from '../helpers/cli.js';

const MINI = path.join(ROOT, 'fixtures', 'instruments', 'mini.yaml');
const mini = loadInstrument(MINI);
const builtin = loadInstrument('relationship-engagement@1.0.0');

const meta: SessionMeta = { respondent: 'K42', instrumentId: 'mini', version: '0.1.0', lang: 'en', startedAt: '2026-01-02T03:04:05.000Z' };

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as RapportError).code;
  }
  return 'no error';
}

describe('screens', () => {
  it('numbers the response options from 1 and lists missing codes last', () => {
    const o = optionsFor(mini, mini.items[0], 'en');
    expect(o.map((x) => [x.number, x.value, x.missing])).toEqual([
      [1, 1, false],
      [2, 2, false],
      [3, 3, false],
      [4, 4, false],
      [5, 9, true],
    ]);
    expect(o[4].label).toBe('Prefer not to answer');
    expect(optionsFor(mini, mini.items[0], 'es')[4].label).toBe('Prefiero no responder');
    // yes/no without a missing code: just the two options.
    expect(optionsFor(mini, mini.items[4], 'en').map((x) => x.label)).toEqual(['No', 'Yes']);
    // The built-in: 22 agree5 items offer 5 options + "Prefer not to answer" as 6.
    const b = optionsFor(builtin, builtin.items[0], 'en');
    expect(b).toHaveLength(6);
    expect(b[5]).toMatchObject({ number: 6, value: 9, missing: true, label: 'Prefer not to answer' });
  });

  it('section is the item section, else the label of its scale', () => {
    expect(sectionFor(mini, mini.items[1], 'en')).toBe('Warmth');
    expect(sectionFor(mini, mini.items[2], 'es')).toBe('Claridad');
    expect(sectionFor(mini, mini.items[4], 'en')).toBe('Online tools');
    expect(sectionFor(builtin, builtin.items[7], 'en')).toBe('Liking');
  });

  it('item view marks the answer already given', () => {
    const answers: (Answer | undefined)[] = [{ kind: 'refused', value: 9 }, { kind: 'value', value: 2 }, { kind: 'skipped' }, undefined, undefined];
    expect(itemView(mini, 'en', 0, answers)).toMatchObject({ index: 0, total: 5, current: 4, canBack: false, section: 'Warmth' });
    expect(itemView(mini, 'en', 1, answers).current).toBe(1);
    expect(itemView(mini, 'en', 2, answers).current).toBeUndefined();
    expect(itemView(mini, 'en', 2, answers).canBack).toBe(true);
    expect(countAnswered(answers)).toBe(2);
  });
});

describe('transitions', () => {
  const none = (): (Answer | undefined)[] => new Array(5).fill(undefined);

  it('intro → first item; answer → recorded, next item; last item → review; submit', () => {
    const a = none();
    expect(startPosition(mini, a, false)).toEqual({ at: 'intro' });
    expect(step(mini, 'en', { at: 'intro' }, a, { kind: 'begin' })).toEqual({ pos: { at: 'item', index: 0 } });
    expect(step(mini, 'en', { at: 'item', index: 0 }, a, { kind: 'choose', option: 2 })).toEqual({
      pos: { at: 'item', index: 1 },
      record: { index: 0, answer: { kind: 'value', value: 3 } },
    });
    expect(step(mini, 'en', { at: 'item', index: 0 }, a, { kind: 'choose', option: 4 }).record).toEqual({ index: 0, answer: { kind: 'refused', value: 9 } });
    expect(step(mini, 'en', { at: 'item', index: 3 }, a, { kind: 'skip' })).toEqual({ pos: { at: 'item', index: 4 }, record: { index: 3, answer: { kind: 'skipped' } } });
    expect(step(mini, 'en', { at: 'item', index: 4 }, a, { kind: 'choose', option: 1 })).toEqual({
      pos: { at: 'review' },
      record: { index: 4, answer: { kind: 'value', value: 1 } },
    });
    expect(step(mini, 'en', { at: 'review' }, a, { kind: 'submit' })).toEqual({ pos: 'submitted' });
  });

  it('back: previous item, no-op on the first, last item from the review; same answer again is not re-recorded', () => {
    const a = none();
    a[0] = { kind: 'value', value: 3 };
    expect(step(mini, 'en', { at: 'item', index: 2 }, a, { kind: 'back' })).toEqual({ pos: { at: 'item', index: 1 } });
    expect(step(mini, 'en', { at: 'item', index: 0 }, a, { kind: 'back' })).toEqual({ pos: { at: 'item', index: 0 } });
    expect(step(mini, 'en', { at: 'review' }, a, { kind: 'back' })).toEqual({ pos: { at: 'item', index: 4 } });
    expect(step(mini, 'en', { at: 'item', index: 0 }, a, { kind: 'choose', option: 2 })).toEqual({ pos: { at: 'item', index: 1 } });
    expect(step(mini, 'en', { at: 'item', index: 0 }, a, { kind: 'choose', option: 3 }).record).toEqual({ index: 0, answer: { kind: 'value', value: 4 } });
    expect(() => step(mini, 'en', { at: 'item', index: 0 }, a, { kind: 'choose', option: 5 })).toThrow(RangeError);
  });

  it('a resumed session starts at the first unseen item (skipped counts as seen), or the review', () => {
    const a = none();
    a[0] = { kind: 'value', value: 1 };
    a[1] = { kind: 'skipped' };
    expect(startPosition(mini, a, true)).toEqual({ at: 'item', index: 2 });
    expect(startPosition(mini, a, false)).toEqual({ at: 'intro' });
    const all = a.map(() => ({ kind: 'skipped' }) as Answer);
    expect(startPosition(mini, all, true)).toEqual({ at: 'review' });
  });
});

describe('journal replay', () => {
  const lines = (...l: string[]) => l.join('\n') + '\n';

  it('replays answers, last line wins, skip and refusal kept apart, resume changes the language', () => {
    const text = lines(
      startLine(meta),
      answerLine('warm_1', { kind: 'value', value: 2 }, 't1'),
      answerLine('warm_2', { kind: 'refused', value: 9 }, 't2'),
      answerLine('clear_1', { kind: 'skipped' }, 't3'),
      answerLine('warm_1', { kind: 'value', value: 4 }, 't4'),
      resumeLine('es', 't5'),
    );
    const r = replayJournal(text, mini, 'j.jsonl');
    expect(r.answers).toEqual([{ kind: 'value', value: 4 }, { kind: 'refused', value: 9 }, { kind: 'skipped' }, undefined, undefined]);
    expect(r.meta).toEqual({ ...meta, lang: 'es' });
    expect(r.answerLines).toBe(4);
  });

  it('drops a last line cut short by a crash', () => {
    const text = lines(startLine(meta), answerLine('warm_1', { kind: 'value', value: 2 }, 't1')) + '{"type":"answer","item":"warm_2","va';
    expect(replayJournal(text, mini, 'j').answers.slice(0, 2)).toEqual([{ kind: 'value', value: 2 }, undefined]);
  });

  it('refuses a journal of another instrument version, unknown items, impossible values, damaged lines', () => {
    expect(codeOf(() => replayJournal(lines(startLine({ ...meta, version: '0.0.9' })), mini, 'j'))).toBe('JOURNAL_OTHER_INSTRUMENT');
    expect(codeOf(() => replayJournal(lines(startLine(meta), answerLine('nope', { kind: 'value', value: 1 }, 't')), mini, 'j'))).toBe('JOURNAL_UNKNOWN_ITEM');
    // 9 is a missing code, not an option; 3 is not a code of portal_use.
    expect(codeOf(() => replayJournal(lines(startLine(meta), answerLine('warm_1', { kind: 'value', value: 9 }, 't')), mini, 'j'))).toBe('JOURNAL_BAD_VALUE');
    expect(codeOf(() => replayJournal(lines(startLine(meta), answerLine('portal_use', { kind: 'value', value: 3 }, 't')), mini, 'j'))).toBe('JOURNAL_BAD_VALUE');
    expect(codeOf(() => replayJournal(lines(startLine(meta), 'garbage'), mini, 'j'))).toBe('JOURNAL_CORRUPT');
    expect(codeOf(() => replayJournal(lines(answerLine('warm_1', { kind: 'value', value: 1 }, 't')), mini, 'j'))).toBe('JOURNAL_CORRUPT');
    expect(() => replayJournal(lines(startLine(meta), 'garbage'), mini, 'x.jsonl')).toThrow(DataError);
    expect(() => replayJournal(lines(startLine(meta), 'garbage'), mini, 'x.jsonl')).toThrow(/^x\.jsonl: line 2 is not a journal record/);
  });
});

describe('rows and the responses file', () => {
  it('header: six meta columns then one per item, in instrument order', () => {
    expect(responsesHeader(mini)).toEqual(['respondent_id', 'instrument_id', 'instrument_version', 'lang', 'started_at', 'completed_at', 'warm_1', 'warm_2', 'clear_1', 'clear_2', 'portal_use']);
    expect(responsesHeader(builtin)).toHaveLength(6 + 27);
  });

  it('row: codes, missing code when refused, empty when skipped or unseen', () => {
    const answers: (Answer | undefined)[] = [{ kind: 'value', value: 3 }, { kind: 'refused', value: 9 }, { kind: 'skipped' }, undefined, { kind: 'value', value: 0 }];
    const row = buildRow(meta, answers, '2026-01-02T03:10:00.000Z');
    expect(csvLine(row)).toBe('K42,mini,0.1.0,en,2026-01-02T03:04:05.000Z,2026-01-02T03:10:00.000Z,3,9,,,0\n');
  });

  it('text cells starting with = + - @ are neutralised, and commas/quotes are quoted', () => {
    const row = buildRow({ ...meta, respondent: '=HYPERLINK("x")' }, [], 'c');
    expect(csvLine(row)).toBe(`"'=HYPERLINK(""x"")",mini,0.1.0,en,2026-01-02T03:04:05.000Z,c\n`);
    expect(buildRow({ ...meta, respondent: '-1' }, [], 'c')[0]).toBe("'-1");
    expect(buildRow({ ...meta, respondent: 'K-1' }, [], 'c')[0]).toBe('K-1');
  });

  it('accepts its own file and finds respondents; refuses another instrument, another version, a foreign file', () => {
    const header = csvLine(responsesHeader(mini));
    const row = csvLine(buildRow(meta, [{ kind: 'value', value: 3 }], 'c'));
    // buildRow with fewer answers gives a short row: use a complete one.
    const full = csvLine(buildRow(meta, new Array(5).fill({ kind: 'value', value: 1 }), 'c'));
    expect(row.split(',')).toHaveLength(7);
    const ok = checkResponsesText(header + full, mini, 'r.csv');
    expect([...ok.rows.keys()]).toEqual(['K42']);
    expect(ok.rows.get('K42')).toEqual(['1', '1', '1', '1', '1']);
    expect(ok.endsWithNewline).toBe(true);
    expect(checkResponsesText('', mini, 'r.csv').rows.size).toBe(0);

    expect(codeOf(() => checkResponsesText(csvLine(responsesHeader(builtin)), mini, 'r.csv'))).toBe('RESPONSES_OTHER_INSTRUMENT');
    const otherVersion = header + full.replace(',0.1.0,', ',0.0.9,');
    expect(codeOf(() => checkResponsesText(otherVersion, mini, 'r.csv'))).toBe('RESPONSES_OTHER_INSTRUMENT');
    expect(codeOf(() => checkResponsesText('id,age\n1,40\n', mini, 'r.csv'))).toBe('RESPONSES_OTHER_FILE');
    expect(codeOf(() => checkResponsesText(header + 'K1,mini,0.1.0\n', mini, 'r.csv'))).toBe('RESPONSES_DAMAGED');
    expect(() => checkResponsesText(otherVersion, mini, 'r.csv')).toThrow(
      new DataError('RESPONSES_OTHER_INSTRUMENT', 'r.csv: line 2 holds a response to mini version 0.0.9, not mini version 0.1.0; choose another --out file for this version, nothing was appended.', { file: 'r.csv', line: 2 }),
    );
    expect(new DataError('CSV_INVALID', 'm').exitCode).toBe(65);
  });
});

describe('respondent ids', () => {
  it('ULID: spec time prefix, Crockford alphabet, 26 characters, random part from the bytes', () => {
    // From the ULID specification's example: 1469918176385 ms → "01ARYZ6S41".
    expect(ulid(1469918176385, Buffer.alloc(10)).slice(0, 10)).toBe('01ARYZ6S41');
    expect(ulid(0, Buffer.alloc(10))).toBe('0'.repeat(26));
    expect(ulid(0, Buffer.alloc(10, 0xff))).toBe('0'.repeat(10) + 'Z'.repeat(16));
    const ids = new Set<string>();
    for (let i = 0; i < 2000; i++) ids.add(ulid());
    expect(ids.size).toBe(2000);
    for (const id of ids) expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    // Sorts by time.
    expect(ulid(1000) < ulid(2000)).toBe(true);
  });

  it('--respondent must be usable as a file name', () => {
    expect(checkRespondentId('K42')).toBe('K42');
    expect(checkRespondentId('site-2_p.17')).toBe('site-2_p.17');
    for (const bad of ['../x', 'a/b', '', '.hidden', '-x', 'a b', 'x'.repeat(65)]) expect(() => checkRespondentId(bad), bad).toThrow(UsageError);
  });
});

describe('fixture', () => {
  it('mini.yaml: 5 items, 2 scales, one reverse-keyed item, one missing code', () => {
    expect(mini.items).toHaveLength(5);
    expect(mini.scales.map((s) => s.id)).toEqual(['warmth', 'clarity']);
    expect(mini.items.filter((i) => i.reverse).map((i) => i.id)).toEqual(['warm_2']);
    expect(mini.response_sets.agree4.missing.map((m) => m.value)).toEqual([9]);
    expect(fs.existsSync(MINI)).toBe(true);
  });
});
