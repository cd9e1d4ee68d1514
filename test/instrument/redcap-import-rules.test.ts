/**
 * REDCap dictionary import rules of issue 13: NA cells, API metadata as JSON, one bad field never stops
 * the import, "no answer" choices as missing codes (English and Spanish), checkboxes as 0/1 items per
 * choice, sliders as number items, calcs other than mean/sum skipped, multi-form export/import round trip.
 * Fixtures: fixtures/redcap/{bad-fields.csv, r-write-csv-na.csv, api-metadata.json, sections-two-forms.csv}.
 */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import {
  checkboxColumn,
  dictionaryToInstrument,
  isNotAPosition,
  missingLikeChoices,
  parseDictionaryJson,
} from '../../src/instrument/redcap.js';
import { readDictionary } from '../../src/ingest/dictionary.js';
import { validateInstrument } from '../../src/instrument/validate.js';
import { importNoteLines } from '../../src/cli/commands/instruments-redcap.js';

const fx = (name: string) => `fixtures/redcap/${name}`;

function importFile(name: string) {
  const { dict } = readDictionary(fs.readFileSync(fx(name)), name);
  return { dict, ...dictionaryToInstrument(dict, { file: name }) };
}

describe('labels that are not a position on the scale', () => {
  it('recognises English and Spanish "no answer" labels, with punctuation and qualifiers', () => {
    for (const l of ['Unknown', "Don't know", 'Don\u2019t know / Not sure', 'Not applicable', 'N/A', 'Refused', 'Prefer not to answer.', '(Not sure)', 'No sé', 'No aplica', 'Prefiero no responder', 'NS/NC'])
      expect(isNotAPosition(l), l).toBe(true);
    for (const l of ['Never', 'Sometimes', 'Unknowingly agree', 'Not at all', 'Nunca', 'Known'])
      expect(isNotAPosition(l), l).toBe(false);
  });
  it('takes them at the ends of the list or with a conventional missing code, never between positions', () => {
    const ch = (s: string) => s.split('|').map((p) => ({ code: p.split(',')[0].trim(), label: p.split(',')[1].trim() }));
    expect([...missingLikeChoices(ch('1, Never | 2, Sometimes | 3, Always | 99, Unknown'))]).toEqual([3]);
    expect([...missingLikeChoices(ch('0, Not applicable | 1, Never | 2, Always'))]).toEqual([0]);
    expect([...missingLikeChoices(ch('1, Disagree | 2, Not sure | 3, Agree'))]).toEqual([]);
    expect([...missingLikeChoices(ch('1, Disagree | 99, Not sure | 3, Agree'))]).toEqual([1]);
    // at least two real options must remain
    expect([...missingLikeChoices(ch('1, Yes | 9, Unknown'))]).toEqual([]);
  });
  it('checkbox columns are named as REDCap exports them', () => {
    expect([checkboxColumn('race', '1'), checkboxColumn('race', '-2'), checkboxColumn('Topic', 'AB'), checkboxColumn('x', '1.5')]).toEqual(['race___1', 'race____2', 'Topic___ab', 'x___1_5']);
  });
});

describe('one bad field never stops the import (bad-fields.csv)', () => {
  const r = importFile('bad-fields.csv');
  const d = r.data as any;
  it('keeps every good field; skips the bad ones with a note each', () => {
    expect(d.items.map((i: any) => i.id)).toEqual(['q_trust', 'q_listen', 'q_middle', 'q_es', 'race___1', 'race___2', 'race____2', 'pain', 'vas']);
    expect(r.notes).toEqual([
      'skipped field "record_id" (text): not a scorable item',
      'field "q_trust": 99 "Unknown" imported as missing codes (no answer), not scored',
      'field "q_listen": 8 "Don\'t know", 9 "Refused" imported as missing codes (no answer), not scored',
      'skipped field "q_dup" (radio): choice label "yes" appears twice, so the choices cannot be told apart',
      'skipped field "q_empty" (dropdown): a dropdown field has no choices',
      'field "q_es": 0 "No aplica", 98 "No sé" imported as missing codes (no answer), not scored',
      'skipped field "q_badcode" (radio): choice code "1 x" is not a valid code (letters, digits, _, . or -)',
      'skipped field "score_odd" (calc): not a scorable item (only mean([...]) or sum([...]) of items becomes a scale)',
      'calc field "score_mean" became suggested scale "score_mean" (mean of 2 items, at least 50% answered); check its scoring rules',
    ]);
  });
  it('"99 Unknown" is a missing code, never the top of the scale; a middle "Not sure" stays a position', () => {
    expect(d.response_sets.never_always).toEqual({
      options: [{ value: 1, label: 'Never' }, { value: 2, label: 'Sometimes' }, { value: 3, label: 'Always' }],
      missing: [{ value: 99, label: 'Unknown' }],
    });
    expect(d.response_sets.nunca_siempre.missing).toEqual([{ value: 0, label: 'No aplica' }, { value: 98, label: 'No sé' }]);
    expect(d.response_sets.disagree_agree.options.map((o: any) => o.label)).toEqual(['Disagree', 'Not sure', 'Agree']);
  });
  it('checkbox: one 0/1 item per choice; sliders: number items with the field\'s range, else 0-100', () => {
    expect(d.items.find((i: any) => i.id === 'race____2')).toEqual({ id: 'race____2', text: 'Race (choice=Other)', response_set: 'checked', section: 'About your doctor' });
    expect(d.response_sets.checked.options).toEqual([{ value: 0, label: 'Unchecked' }, { value: 1, label: 'Checked' }]);
    expect(d.items.find((i: any) => i.id === 'pain')).toMatchObject({ type: 'number', min: 0, max: 10 });
    expect(d.items.find((i: any) => i.id === 'vas')).toMatchObject({ type: 'number', min: 0, max: 100 });
    expect(validateInstrument(d, 'x').ok).toBe(true);
  });
  it('the summary gives counts by reason and the first field names; verbose lists every note', () => {
    const many = Array.from({ length: 6 }, (_, i) => ({ reason: 'not-scorable', field: `f${i}`, text: `skipped field "f${i}" (${i < 4 ? 'text' : 'file'}): not a scorable item` }));
    expect(importNoteLines([{ reason: 'general', field: '', text: 'hello' }, ...many], false)).toEqual([
      'hello',
      'skipped 6 fields that are not scorable items (text 4, file 2): f0, f1, f2, f3, f4, ... (--verbose lists each)',
    ]);
    expect(importNoteLines(many, true)).toEqual(many.map((m) => m.text));
    expect(importNoteLines(many.slice(0, 3), false)).toEqual(many.slice(0, 3).map((m) => m.text));
  });
});

describe('a damaged first header cell (RareLink-CDM writes "1" there)', () => {
  it('is read as the field-name column when the next four headers are a dictionary\'s, with a note', () => {
    const ui = 'Variable / Field Name,Form Name,Section Header,Field Type,Field Label,"Choices, Calculations, OR Slider Labels"';
    const d = readDictionary(ui.replace('Variable / Field Name', '1') + '\nq1,f,,radio,Q,"1, A | 2, B"\n', 'd.csv').dict;
    expect(d.style).toBe('ui');
    expect(d.fields.map((f) => f.field_name)).toEqual(['q1']);
    expect(d.notes).toEqual(['the first header cell is "1", not "Variable / Field Name"; the first column was read as the field names']);
    expect(readDictionary(ui + '\nq1,f,,radio,Q,"1, A | 2, B"\n', 'd.csv').dict.notes).toBeUndefined();
    // anything else is still not a dictionary
    expect(() => readDictionary('1,Form,Section Header,Field Type,Field Label\nq1,f,,radio,Q\n', 'd.csv')).toThrow(/line 1 is not a REDCap data-dictionary header/);
  });
});

describe('NA cells and JSON metadata', () => {
  it('NA (R write.csv) is an empty cell: no section "NA", no scale "NA"', () => {
    const d = importFile('r-write-csv-na.csv').data as any;
    expect(d.items.map((i: any) => [i.id, i.section])).toEqual([['sat_1', undefined], ['sat_2', undefined], ['portal', undefined]]);
    expect(d.scales.map((s: any) => s.id)).toEqual(['sat']);
  });
  it('API metadata as JSON imports the same instrument as the same metadata as CSV', () => {
    const a = importFile('api-metadata.csv');
    const b = importFile('api-metadata.json');
    expect(b.dict.style).toBe('json');
    expect(b.data).toEqual(a.data);
    expect(b.notes).toEqual(a.notes);
  });
  it('a JSON file that is not an array of fields is named as JSON, not as broken CSV', () => {
    const err = (t: string) => {
      try {
        parseDictionaryJson(t, 'm.json');
      } catch (e) {
        expect(e).toBeInstanceOf(DataError);
        return (e as Error).message;
      }
      return '';
    };
    expect(err('{"error": "You do not have permissions"}')).toMatch(/^m\.json: holds JSON object, but REDCap metadata is an array of field objects/);
    expect(err('[{"field_name": "a"}, 3]')).toMatch(/^m\.json: field 2 of the array is not a field object/);
    expect(err('[{"field_name": ')).toMatch(/^m\.json: is not valid JSON/);
  });
});

describe('export-redcap of the new item types', () => {
  it('a number item is a slider with its range, a text item a notes field, a multiple item a checkbox; number scales get min/max in the calc', async () => {
    const { instrumentToDictionary, scaleCalc } = await import('../../src/instrument/redcap.js');
    const { loadInstrument } = await import('../../src/instrument/load.js');
    const inst = loadInstrument('fixtures/item-types/types.yaml');
    const rows = instrumentToDictionary(inst).rows;
    const row = (name: string) => rows.find((r) => r[0] === name)!;
    expect([row('pain_now')[3], row('pain_now')[8], row('pain_now')[9]]).toEqual(['slider', '0', '10']);
    expect(row('comment')[3]).toBe('notes');
    expect(row('race')[3]).toBe('checkbox');
    expect(row('race')[5]).toBe('1, White | 2, Black | 3, Asian | 4, Other');
    const names = new Map(inst.items.map((i) => [i.id, i.id]));
    expect(scaleCalc(inst, inst.scales[1], names)).toBe('mean([pain_now],[pain_week])*2');
    expect(scaleCalc(inst, inst.scales[0], names)).toBe("mean(if([q1]='99','',[q1]),if([q2]='' or [q2]='99','',(1+5-[q2])))");
  });
});

describe('an undoubled quote inside a quoted dictionary cell', () => {
  const header = 'Variable / Field Name,Form Name,Section Header,Field Type,Field Label,"Choices, Calculations, OR Slider Labels"\n';
  it('is read as text when every line keeps the header width, with a note naming the line', () => {
    const { dict, notes } = readDictionary(header + 'q1,f,,radio,"See <a href="http://x.org">the site</a> now","1, A | 2, B"\n', 'd.csv');
    expect(dict.fields.map((f) => [f.field_name, f.field_label, f.select_choices_or_calculations])).toEqual([['q1', 'See <a href="http://x.org">the site</a> now', '1, A | 2, B']]);
    expect(notes).toEqual(["line 2: a double quote inside a quoted cell is not doubled (as REDCap writes some labels); it was read as text, and every line still has the header's 6 fields"]);
  });
  it('keeps the strict error when the lenient reading would change a line\'s width (a comma after the stray quote)', () => {
    expect(() => readDictionary(header + 'q1,f,,radio,"See <a href="http://x.org">here</a>, then go","1, A | 2, B"\n', 'd.csv')).toThrow(/line 2.*a double quote appears in the middle of a field/);
  });
});
