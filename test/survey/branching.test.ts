/** Branching (`show_if`): validation, which items are shown, the flow, the recorded row, REDCap import. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { instrumentFromText, loadInstrument } from '../../src/instrument/load.js';
import { parseBranching, toBranchingLogic } from '../../src/instrument/redcap-branching.js';
import { describeInstrument } from '../../src/instrument/describe.js';
import type { Ask, Choice, ChoiceScreen } from '../../src/survey/ask.js';
import { shownItems, step, type Answer } from '../../src/survey/flow.js';
import { resumeCommand, runSession } from '../../src/survey/session.js';
import { ROOT, tmpDir } from '../helpers/cli.js';

const inst = loadInstrument(path.join(ROOT, 'fixtures', 'instruments', 'branching.yaml'));
const v = (value: number): Answer => ({ kind: 'value', value });

describe('which items are shown', () => {
  it('a follow-up appears only for the listed answers, and a chain closes when its first link does', () => {
    expect(shownItems(inst, [undefined, undefined, undefined, undefined])).toEqual([true, false, false, true]);
    expect(shownItems(inst, [v(0), undefined, undefined, undefined])).toEqual([true, false, false, true]);
    expect(shownItems(inst, [v(1), v(2), undefined, undefined])).toEqual([true, true, false, true]);
    expect(shownItems(inst, [v(1), v(3), undefined, undefined])).toEqual([true, true, true, true]);
    // "No" after a weekly answer: both follow-ups close, whatever they hold.
    expect(shownItems(inst, [v(0), v(3), v(1), undefined])).toEqual([true, false, false, true]);
  });

  it('the flow skips hidden items forward and back', () => {
    const none = [undefined, undefined, undefined, undefined];
    expect(step(inst, 'en', { at: 'item', index: 0 }, none, { kind: 'choose', option: 0 }).pos).toEqual({ at: 'item', index: 3 });
    expect(step(inst, 'en', { at: 'item', index: 0 }, none, { kind: 'choose', option: 1 }).pos).toEqual({ at: 'item', index: 1 });
    expect(step(inst, 'en', { at: 'item', index: 3 }, [v(0), undefined, undefined, v(1)], { kind: 'back' }).pos).toEqual({ at: 'item', index: 0 });
    expect(step(inst, 'en', { at: 'review' }, [v(1), v(3), v(1), v(1)], { kind: 'back' }).pos).toEqual({ at: 'item', index: 3 });
  });
});

describe('a session with branching', () => {
  it('hidden items are recorded empty and are not "not answered"; an answer closed by a change is dropped', async () => {
    const dir = tmpDir();
    const screens: string[] = [];
    // Yes, Weekly, Yes (follow-up), back to item 1... then "No": the follow-ups close; trust Yes; submit.
    const script: Choice[] = [
      { kind: 'choose', option: 1 },
      { kind: 'choose', option: 2 },
      { kind: 'choose', option: 1 },
      { kind: 'back' },
      { kind: 'back' },
      { kind: 'back' },
      { kind: 'choose', option: 0 },
      { kind: 'choose', option: 1 },
      { kind: 'choose', option: 0 },
    ];
    const ask: Ask = {
      async choose(s: ChoiceScreen) {
        screens.push([...s.heading, s.question].join('\n'));
        return script.shift()!;
      },
      async pressEnter() {},
      async text() {
        return '';
      },
      show() {},
      clear() {},
      close() {},
    };
    const out = path.join(dir, 'r.csv');
    const res = await runSession({ inst, out, lang: 'en', langExplicit: false, respondent: 'B1', ask, showScores: false, waitAtEnd: false, resumeHint: (id) => resumeCommand('b', 'r.csv', id) });
    expect(res.outcome).toBe('submitted');
    expect(screens.map((s) => s.split('\n').pop())).toEqual([
      'Did you use the test portal?',
      'How often did you use it?',
      'Did you mostly read test results?',
      'I trust the test doctor.',
      'Did you mostly read test results?',
      'How often did you use it?',
      'Did you use the test portal?',
      'I trust the test doctor.',
      'You answered 2 of 2. Submit?',
    ]);
    expect(screens[8]).toContain('  1. No\n  2. (not asked)\n  3. (not asked)\n  4. Yes');
    expect(screens[8]).not.toContain('Not answered');
    const row = fs.readFileSync(out, 'utf8').trim().split('\n')[1].split(',');
    expect(row.slice(6)).toEqual(['0', '', '', '1']);
  });
});

describe('validation and show', () => {
  const base = (showIf: string, at = 1) => {
    const items = ['{id: a, text: A, response_set: yn}', '{id: b, text: B, response_set: yn}'];
    items[at] = items[at].replace('}', `, show_if: ${showIf}}`);
    return `rapport: 1\nid: t\nversion: '1'\ntitle: T\nresponse_sets:\n  yn: {options: [{value: 0, label: N}, {value: 1, label: Y}]}\nitems:\n${items.map((i) => `  - ${i}`).join('\n')}\n`;
  };
  it('the item must come earlier and the values must be its codes; the rule is shown', () => {
    expect(() => instrumentFromText(base('{item: a, in: [1]}'), 't.yaml')).not.toThrow();
    expect(() => instrumentFromText(base('{item: b, in: [1]}', 0), 't.yaml')).toThrow(/items\[0\]\.show_if\.item: "b" is not an earlier item/);
    expect(() => instrumentFromText(base('{item: b, in: [1]}'), 't.yaml')).toThrow(/items\[1\]\.show_if\.item: "b" is not an earlier item/);
    expect(() => instrumentFromText(base('{item: a, in: [2]}'), 't.yaml')).toThrow(/items\[1\]\.show_if\.in\[0\]: 2 is not a value of item "a" \(its values: 0, 1\)/);
    expect(() => instrumentFromText(base('{item: a}'), 't.yaml')).toThrow(/show_if/);
    expect(describeInstrument(inst, 'en')).toContain('portal_freq     How often did you use it?  [no scale, freq, shown if portal_use in [1]]');
  });
});

describe('REDCap branching logic', () => {
  it('simple forms become show_if; others are refused with the reason', () => {
    expect(parseBranching("[portal_use] = '1'")).toEqual({ conds: [{ item: 'portal_use', in: ['1'] }] });
    expect(parseBranching("[f] = '2' or [f] = \"3\"")).toEqual({ conds: [{ item: 'f', in: ['2', '3'] }] });
    expect(parseBranching("[a] = '1' AND [b] = 2")).toEqual({ conds: [{ item: 'a', in: ['1'] }, { item: 'b', in: ['2'] }] });
    expect(parseBranching("[a] = '1' or [b] = '2'")).toEqual({ reason: '"or" across different fields' });
    expect(parseBranching("[a] = '1' and [b] = '2' or [c] = '3'")).toEqual({ reason: 'it mixes "and" and "or"' });
    expect(parseBranching("[a(1)] = '1'")).toMatchObject({ reason: expect.stringMatching(/not of the form/) });
    expect(parseBranching("[a] <> '0'")).toMatchObject({ reason: expect.stringMatching(/not of the form/) });
  });
  it('export writes show_if as branching logic that import reads back', () => {
    const id = (x: string) => x;
    expect(toBranchingLogic([{ item: 'a', in: [1] }], id)).toBe("[a] = '1'");
    expect(toBranchingLogic([{ item: 'a', in: [2, 3] }], id)).toBe("[a] = '2' or [a] = '3'");
    expect(toBranchingLogic([{ item: 'a', in: [1] }, { item: 'b', in: ['x'] }], id)).toBe("[a] = '1' and [b] = 'x'");
    expect(toBranchingLogic([{ item: 'a', in: [1, 2] }, { item: 'b', in: [3] }], id)).toBe("([a] = '1' or [a] = '2') and [b] = '3'");
    expect(toBranchingLogic(undefined, id)).toBe('');
    for (const conds of [[{ item: 'a', in: ['1'] }], [{ item: 'a', in: ['2', '3'] }], [{ item: 'a', in: ['1'] }, { item: 'b', in: ['x'] }]]) {
      expect(parseBranching(toBranchingLogic(conds, id))).toEqual({ conds });
    }
  });
});

