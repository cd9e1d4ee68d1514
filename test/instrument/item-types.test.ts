/**
 * Instrument format additions (issue 13): option `code:` beside `value:`, item `type: number` with
 * min/max, `type: text`, and `multiple: true` choice items. Hand-computed fixture:
 * fixtures/item-types/types.yaml scored on fixtures/item-types/export.csv.
 */
import { describe, expect, it } from 'vitest';
import { validateInstrument } from '../../src/instrument/validate.js';
import { loadInstrument } from '../../src/instrument/load.js';
import { compileInstrument, readMultiple, readNumber, multiSelectParts } from '../../src/scoring/compile.js';
import { scoreValues } from '../../src/scoring/score.js';

const INST = 'fixtures/item-types/types.yaml';

const base = (): any => ({
  rapport: 1,
  id: 'demo',
  version: '1',
  title: 'Demo',
  response_sets: { yn: { options: [{ value: 0, code: 'N', label: 'No' }, { value: 1, code: 'Y', label: 'Yes' }] } },
  items: [
    { id: 'a', text: 'a', type: 'number', min: 0, max: 100 },
    { id: 'b', text: 'b', type: 'number', min: 0, max: 100 },
    { id: 'c', text: 'c', type: 'text' },
    { id: 'd', text: 'd', response_set: 'yn', multiple: true },
  ],
  scales: [{ id: 's', items: ['a', 'b'] }],
});

function problems(mutate: (d: any) => void): string[] {
  const d = base();
  mutate(d);
  const r = validateInstrument(d, 'test');
  return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
}

describe('validation of item types and codes', () => {
  it('accepts number, text and multiple items and option codes', () => {
    expect(problems(() => {})).toEqual([]);
  });
  it('a number item needs min and max, with min below max', () => {
    expect(problems((d) => delete d.items[0].max)).toEqual(['items[0].max: is required but missing; add it']);
    expect(problems((d) => (d.items[0].max = 0))).toContain('items[0].max: must be above min (0), got 0');
  });
  it('a choice item (the default) still needs a response set; number and text items take none', () => {
    expect(problems((d) => delete d.items[3].response_set)).toEqual(['items[3].response_set: is required but missing; add it']);
    expect(problems((d) => (d.items[2].response_set = 'yn'))[0]).toMatch(/^items\[2\]\.response_set: a text item has no response set/);
  });
  it('refuses an unknown type', () => {
    expect(problems((d) => (d.items[0].type = 'slider'))[0]).toMatch(/^items\[0\]\.type: must be one of "choice", "number", "text", got "slider"/);
  });
  it('text and multiple items cannot be scored in a scale', () => {
    expect(problems((d) => d.scales[0].items.push('c'))).toEqual(['scales[0].items[2]: item "c" is a text item (free text), so it cannot be in a scale; remove it from the scale']);
    expect(problems((d) => (d.scales = [{ id: 's', items: ['d'] }]))).toEqual([
      'scales[0].items[0]: item "d" is a multiple-choice item (one 0/1 value per option), so it cannot be in a scale; remove it from the scale',
    ]);
  });
  it('a scale may use number items of one range only', () => {
    expect(problems((d) => (d.items[1].max = 10))).toEqual([
      'scales[0].items: the scale has number items and its items have different ranges (0..100, 0..10); a scale may use number items of one range only',
    ]);
  });
  it('option codes are unique and distinct from other options\' values', () => {
    expect(problems((d) => (d.response_sets.yn.options[1].code = 'n'))[0]).toMatch(/options\[1\]\.code: duplicate code "n" \(also the value or code at response_sets\.yn\.options\[0\]\)/);
    expect(problems((d) => (d.response_sets.yn.options[1].code = '0'))[0]).toMatch(/options\[1\]\.code: duplicate code "0"/);
  });
  it('a multiple item cannot be reverse-keyed; min/max only on number items', () => {
    expect(problems((d) => (d.items[3].reverse = true))).toEqual(['items[3].reverse: a multiple-choice item gives one 0/1 value per option and cannot be reverse-keyed; remove reverse']);
    expect(problems((d) => (d.items[3].min = 1))).toEqual(['items[3].min: only number items have a min; add type: number or remove min']);
    expect(problems((d) => (d.items[3].max_length = 80))).toEqual(['items[3].max_length: only text items have a max_length; add type: text or remove max_length']);
  });
});

describe('reading cells', () => {
  const ci = compileInstrument(loadInstrument(INST));
  const item = (id: string) => ci.items[ci.itemIndex.get(id)!];
  it('a number item takes numbers within its range', () => {
    const p = item('pain_now');
    expect([readNumber(p, '0'), readNumber(p, ' 7.5 '), readNumber(p, '10'), readNumber(p, '1e1')]).toEqual([0, 7.5, 10, 10]);
    for (const bad of ['11', '-1', 'ten', '5 kg', '0x5', 'NaN']) expect(readNumber(p, bad)).toBeNaN();
  });
  it('a multiple item reads one option or a comma-separated list as bits', () => {
    const r = item('race');
    expect(readMultiple(r, 'White')).toBe(0b0001);
    expect(readMultiple(r, 'White,Other')).toBe(0b1001);
    expect(readMultiple(r, '2, 3')).toBe(0b0110);
    expect(readMultiple(r, 'White,Martian')).toBe(-1);
  });
  it('a multi-select cell in a single-choice item is recognised as several options', () => {
    expect(multiSelectParts(item('sex'), 'Female,Male')).toEqual([0, 1]);
    expect(multiSelectParts(item('sex'), 'Female')).toBeUndefined();
    expect(multiSelectParts(item('sex'), 'Female,Robot')).toBeUndefined();
  });
  it('scales of number items score like choice items (sum = mean x items; reverse = min + max - value)', () => {
    const v = new Float64Array(ci.items.length).fill(NaN);
    v[ci.itemIndex.get('pain_now')!] = 3;
    v[ci.itemIndex.get('pain_week')!] = 6;
    expect(scoreValues(ci, v)[1]).toBe(9);
    v[ci.itemIndex.get('pain_now')!] = NaN;
    expect(scoreValues(ci, v)[1]).toBe(12);
  });
});

