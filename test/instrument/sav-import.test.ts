/** import-sav's core (src/instrument/sav-import.ts): variables with value labels → a valid instrument skeleton. */
import { describe, expect, it } from 'vitest';
import { type LabelledVariable, savToInstrument } from '../../src/instrument/sav-import.js';
import { validateInstrument } from '../../src/instrument/validate.js';

const agree = new Map([
  ['1', 'Strongly disagree'],
  ['2', 'Disagree'],
  ['3', 'Agree'],
  ['4', 'Strongly agree'],
  ['9', "Don't know"],
]);
const v = (name: string, labels: Map<string, string>, extra: Partial<LabelledVariable> = {}): LabelledVariable => ({ name, width: 0, valueLabels: labels, missing: { values: [] }, ...extra });

describe('savToInstrument', () => {
  it('items from labelled numbers, shared response sets, missing codes, a suggested scale; strings and unlabelled numbers skipped', () => {
    const res = savToInstrument(
      [
        { name: 'id', width: 8, valueLabels: new Map(), missing: { values: [] } },
        v('care_1', agree, { label: 'Explains clearly' }),
        v('care_2', agree),
        v('care.3', agree),
        v('age', new Map()),
        v('uses', new Map([['0', 'No'], ['1', 'Yes'], ['8', 'Refused']]), { missing: { values: ['8'] } }),
        v('mood', new Map([['1', 'Low'], ['2', 'Unsure'], ['3', 'High']]), { missing: { values: [], range: [2, 2] } }),
      ],
      'Clinic Survey 2026',
    );
    const d = res.data as { id: string; items: { id: string; text: string; response_set: string }[]; response_sets: Record<string, { options: unknown[]; missing?: unknown[] }>; scales: { id: string; items: string[] }[] };
    expect(d.id).toBe('clinic-survey-2026');
    expect(d.items.map((i) => i.id)).toEqual(['care_1', 'care_2', 'care_3', 'uses', 'mood']);
    expect(d.items[0].text).toBe('Explains clearly');
    expect(new Set(d.items.slice(0, 3).map((i) => i.response_set)).size).toBe(1);
    expect(d.response_sets.care.missing).toEqual([{ value: 9, label: "Don't know" }]); // a not-a-position label at the end
    expect(d.response_sets.uses).toEqual({ options: [{ value: 0, label: 'No' }, { value: 1, label: 'Yes' }], missing: [{ value: 8, label: 'Refused' }] });
    expect(d.response_sets.mood.missing).toEqual([{ value: 2, label: 'Unsure' }]); // user-missing range, even mid-list
    expect(d.scales).toEqual([{ id: 'care', label: 'care', items: ['care_1', 'care_2', 'care_3'], method: 'mean', min_answered: '50%' }]);
    expect(res.entries.map((e) => e.field)).toEqual(expect.arrayContaining(['id', 'age', 'care.3']));
    expect(res.entries.find((e) => e.field === 'care.3')?.text).toMatch(/became item "care_3".*--map care_3: care\.3/);
    expect(validateInstrument(res.data, 'x.yaml').ok).toBe(true);
  });

  it('a variable with one labelled option is not an item', () => {
    const res = savToInstrument([v('a', new Map([['1', 'Yes']])), v('b', new Map([['1', 'No'], ['2', 'Yes']]))], 'f');
    expect((res.data.items as { id: string }[]).map((i) => i.id)).toEqual(['b']);
    expect(res.entries[0].text).toMatch(/skipped variable "a" \(fewer than two labelled options/);
  });
});
