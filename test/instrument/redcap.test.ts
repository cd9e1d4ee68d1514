/**
 * REDCap data dictionaries (issue #2): import on hand-written fixtures that mirror real exports (UI
 * and API headers, BOM, CRLF, multi-line labels, curly quotes, HTML, matrix groups, letter codes,
 * two forms), export in the UI style, and import(export(x)) round trips for every built-in.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError, UsageError } from '../../src/errors.js';
import { builtinIds, loadInstrument } from '../../src/instrument/load.js';
import { validateInstrument } from '../../src/instrument/validate.js';
import { localize, type Instrument } from '../../src/instrument/types.js';
import {
  REDCAP_API_HEADERS,
  REDCAP_UI_HEADERS,
  calcRefs,
  dictionaryToCsv,
  dictionaryToInstrument,
  htmlToText,
  instrumentToDictionary,
  neutralizeCell,
  parseChoices,
  scaleCalc,
  toInstrumentId,
} from '../../src/instrument/redcap.js';
import { readDictionary, readDictionaryRecords } from '../../src/ingest/dictionary.js';
import { FIXTURES_DIR } from '../../src/paths.js';

const fixture = (name: string) => path.join(FIXTURES_DIR, 'redcap', name);

function importFile(name: string, form?: string) {
  const file = fixture(name);
  const { dict } = readDictionary(fs.readFileSync(file), file);
  return { dict, ...dictionaryToInstrument(dict, { file, form }) };
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('choices, labels and names', () => {
  it('splits on | then on the first comma only, trimming both parts', () => {
    expect(parseChoices('1, Street, City, ZIP | 2,Other|3 ,  Third  ')).toEqual([
      { code: '1', label: 'Street, City, ZIP' },
      { code: '2', label: 'Other' },
      { code: '3', label: 'Third' },
    ]);
    expect(parseChoices('a, A|b, B')).toEqual([
      { code: 'a', label: 'A' },
      { code: 'b', label: 'B' },
    ]);
    // empty segments (a trailing |) are ignored; a part without a comma is its own code and label
    expect(parseChoices('0, No | 1, Yes |')).toHaveLength(2);
    expect(parseChoices('x')).toEqual([{ code: 'x', label: 'x' }]);
  });
  it('strips HTML to text and decodes entities', () => {
    expect(htmlToText('<b>How satisfied</b> were you&hellip;')).toBe('How satisfied were you…');
    expect(htmlToText('<p>Line one</p><p>Line&nbsp;two &amp; three</p>')).toBe('Line one\nLine two & three');
    expect(htmlToText('a<br>b<br/>\r\n  c  ')).toBe('a\nb\nc');
    expect(htmlToText('x &lt; y &#233;t&#xE9; <span style="color:red">red</span>')).toBe('x < y été red');
    expect(htmlToText('3 < 4 and 5 > 2')).toBe('3 < 4 and 5 > 2');
    expect(htmlToText('<script>alert(1)</script>safe')).toBe('safe');
  });
  it('makes instrument ids lower-case-dashed', () => {
    expect(toInstrumentId('clinic_visit')).toBe('clinic-visit');
    expect(toInstrumentId('Phone Follow-up (v2)')).toBe('phone-follow-up-v2');
    expect(toInstrumentId('___')).toBe('redcap-import');
  });
  it('finds the fields a calculation refers to, in order, once', () => {
    expect(calcRefs("mean(if([a]='9','',[a]),(1+5-[b_2]),[event_1_arm_1][c])")).toEqual(['a', 'b_2', 'c']);
  });
  it('neutralises cells that a spreadsheet would run as formulas', () => {
    for (const c of ['=1+2', '+44', '-3', '@SUM(A1)', '\tx', '\rx', '\nx']) expect(neutralizeCell(c)).toBe(`'${c}`);
    expect(neutralizeCell('mean([a])')).toBe('mean([a])');
  });
  it('decodes Windows-1252 when the bytes are not UTF-8, and UTF-16 with a BOM', () => {
    const cp = readDictionaryRecords(Uint8Array.from([0x93, 0x68, 0x69, 0x94, 0x20, 0x92, 0xe9]), 'd.csv');
    expect(cp.records).toEqual([{ fields: ['\u201chi\u201d \u2019é'], line: 1 }]);
    expect(cp.notes[0]).toMatch(/Windows-1252/);
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('field_name', 'utf16le')]);
    expect(readDictionaryRecords(le, 'd.csv').records[0].fields).toEqual(['field_name']);
    expect(readDictionaryRecords(Buffer.from('\uFEFFabc', 'utf8'), 'd.csv')).toEqual({ records: [{ fields: ['abc'], line: 1 }], notes: [] });
  });
});

describe('import: UI-header dictionary (BOM, CRLF, multi-line label, curly quotes, HTML, matrix group)', () => {
  const r = importFile('ui-dictionary.csv');
  it('reads the UI header style and keeps dictionary line numbers', () => {
    expect(r.dict.style).toBe('ui');
    expect(r.dict.fields.map((f) => f.field_name)).toEqual([
      'record_id', 'intro_text', 'visit_date', 'visit_type', 'sat_wait', 'sat_staff', 'sat_explain', 'would_return',
      'portal_ever', 'topics', 'pain_now', 'weight', 'height', 'bmi', 'consent_scan', 'comments',
    ]);
    // sat_explain's label spans two physical lines, so would_return starts one line later
    expect(r.dict.fields.find((f) => f.field_name === 'sat_explain')!.line).toBe(8);
    expect(r.dict.fields.find((f) => f.field_name === 'would_return')!.line).toBe(10);
  });
  it('turns radio, dropdown, yesno and truefalse fields into items', () => {
    const d = r.data as any;
    expect(d.id).toBe('clinic-visit');
    expect(d.version).toBe('1.0.0');
    expect(d.items).toEqual([
      { id: 'visit_type', text: 'Type of visit', response_set: 'in_person_telephone' },
      { id: 'sat_wait', text: 'the time you waited', response_set: 'very_dissatisfied_very_satisfied', section: 'How satisfied were you with…' },
      { id: 'sat_staff', text: 'how the front desk treated you', response_set: 'very_dissatisfied_very_satisfied', section: 'How satisfied were you with…' },
      { id: 'sat_explain', text: 'how clearly the clinician explained\nthe \u201cnext steps\u201d', response_set: 'very_dissatisfied_very_satisfied', section: 'How satisfied were you with…' },
      { id: 'would_return', text: 'Would you choose this clinic again?', response_set: 'yesno', section: 'Coming back' },
      { id: 'portal_ever', text: 'I have logged in to the clinic\u2019s patient portal before.', response_set: 'truefalse', section: 'Coming back' },
    ]);
  });
  it('builds one response set per distinct choice list; yesno is 0 No / 1 Yes, truefalse 0 False / 1 True', () => {
    expect((r.data as any).response_sets).toEqual({
      in_person_telephone: { options: [{ value: 1, label: 'In person' }, { value: 2, label: 'Video' }, { value: 3, label: 'Telephone' }] },
      very_dissatisfied_very_satisfied: {
        options: [
          { value: 1, label: 'Very dissatisfied' },
          { value: 2, label: 'Dissatisfied' },
          { value: 3, label: 'Neutral' },
          { value: 4, label: 'Satisfied' },
          { value: 5, label: 'Very satisfied' },
        ],
      },
      yesno: { options: [{ value: 0, label: 'No' }, { value: 1, label: 'Yes' }] },
      truefalse: { options: [{ value: 0, label: 'False' }, { value: 1, label: 'True' }] },
    });
  });
  it('makes the matrix group a suggested scale (mean, 50%)', () => {
    expect((r.data as any).scales).toEqual([
      { id: 'visit_sat', label: 'visit_sat', items: ['sat_wait', 'sat_staff', 'sat_explain'], method: 'mean', min_answered: '50%' },
    ]);
  });
  it('notes every skipped field, one line each, in dictionary order', () => {
    expect(r.notes).toEqual([
      'skipped field "record_id" (text): not a scorable item',
      'skipped field "intro_text" (descriptive): not a scorable item',
      'skipped field "visit_date" (text): not a scorable item',
      'matrix group "visit_sat" became suggested scale "visit_sat" (mean of 3 items, at least 50% answered); check its scoring rules and reverse-keyed items',
      'skipped field "topics" (checkbox): not a scorable item',
      'skipped field "pain_now" (slider): not a scorable item',
      'skipped field "weight" (text): not a scorable item',
      'skipped field "height" (text): not a scorable item',
      'skipped field "bmi" (calc): not a scorable item',
      'skipped field "consent_scan" (file): not a scorable item',
      'skipped field "comments" (notes): not a scorable item',
    ]);
  });
  it('the result validates', () => {
    const v = validateInstrument(r.data, 'x');
    expect(v.ok).toBe(true);
  });
});

describe('import: API snake_case metadata (no BOM, LF, no-space pipes, labels with commas, calc sum)', () => {
  const r = importFile('api-metadata.csv');
  it('reads the API header style', () => {
    expect(r.dict.style).toBe('api');
    expect((r.data as any).id).toBe('phone-followup');
  });
  it('splits "1,Yes, by phone" on the first comma only', () => {
    expect((r.data as any).response_sets.yes_by_phone_no_not_reached.options).toEqual([
      { value: 1, label: 'Yes, by phone' },
      { value: 2, label: 'Yes, by text message' },
      { value: 3, label: 'No, not reached' },
    ]);
  });
  it('carries @RAPPORT-REVERSE and turns a plain sum() calc into a suggested scale instead of the matrix group', () => {
    const d = r.data as any;
    expect(d.items.map((i: any) => [i.id, i.response_set, i.reverse ?? false])).toEqual([
      ['reached_by', 'yes_by_phone_no_not_reached', false],
      ['reach_1', 'never_every_time', false],
      ['reach_2', 'never_every_time', false],
      ['reach_3', 'never_every_time', true],
      ['med_change', 'yesno', false],
    ]);
    expect(d.response_sets.never_every_time.options.map((o: any) => o.value)).toEqual([0, 1, 2, 3]);
    expect(d.scales).toEqual([{ id: 'reach_total', label: 'Reachability total', items: ['reach_1', 'reach_2', 'reach_3'], method: 'sum', min_answered: '50%' }]);
    expect(r.notes).toEqual([
      'skipped field "participant_id" (text): not a scorable item',
      'calc field "reach_total" became suggested scale "reach_total" (sum of 3 items, at least 50% answered; rapport prorates sums, REDCap does not); check its scoring rules',
      'skipped field "issues" (checkbox): not a scorable item',
      'skipped field "lookup" (sql): not a scorable item',
    ]);
  });
});

describe('import: letter codes', () => {
  const r = importFile('letter-codes.csv');
  it('keeps letter codes as string values and numbers as numbers', () => {
    const d = r.data as any;
    expect(d.response_sets.a_letter_a_portal_message.options).toEqual([
      { value: 'a', label: 'A letter' },
      { value: 'b', label: 'A phone call' },
      { value: 'c', label: 'A portal message' },
    ]);
    expect(d.response_sets.english_french.options.map((o: any) => o.value)).toEqual(['en', 'es', 'fr']);
    expect(d.response_sets.disagree_agree.options.map((o: any) => o.value)).toEqual([1, 2, 3]);
    expect(validateInstrument(d, 'x').ok).toBe(true);
  });
  it('does not suggest a scale from a letter-coded matrix group, and says why', () => {
    expect((r.data as any).scales).toBeUndefined();
    expect(r.notes).toContain('matrix group "timing" was not made a scale: its choice codes "am", "pm" are not numbers, so it cannot be scored');
  });
  it('a scale that uses letter codes is an error for scoring (validation names the item)', () => {
    const d = structuredClone(r.data) as any;
    d.scales = [{ id: 'pref', items: ['contact_pref', 'reminder_help'] }];
    const v = validateInstrument(d, 'x');
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.problems).toEqual([expect.objectContaining({ path: 'scales[0].items[0]', message: expect.stringMatching(/"a", "b", "c" are not numbers, so it cannot be scored/) })]);
  });
});

describe('import: two forms', () => {
  it('without --form: all forms, id from the file name, a note naming the forms', () => {
    const r = importFile('two-forms.csv');
    expect(r.forms).toEqual(['baseline', 'followup']);
    expect((r.data as any).id).toBe('two-forms');
    expect((r.data as any).items.map((i: any) => i.id)).toEqual(['base_trust', 'base_portal', 'fu_trust', 'fu_portal_used']);
    expect(r.notes[0]).toMatch(/has 2 forms \(baseline, followup\); importing all of them as one instrument \(use --form NAME for one\)/);
    // the two trust items share one response set; the section header starts in the second form
    expect(Object.keys((r.data as any).response_sets)).toEqual(['not_at_all_completely', 'yesno']);
    expect((r.data as any).items.map((i: any) => i.section)).toEqual([undefined, undefined, 'Three months later', 'Three months later']);
  });
  it('--form selects one form; the id comes from the form name', () => {
    const r = importFile('two-forms.csv', 'followup');
    expect((r.data as any).id).toBe('followup');
    expect((r.data as any).title).toBe('Followup');
    expect((r.data as any).items.map((i: any) => i.id)).toEqual(['fu_trust', 'fu_portal_used']);
    expect(r.notes).toEqual([]);
  });
  it('an unknown --form is a usage error listing the forms', () => {
    const e = thrown(() => importFile('two-forms.csv', 'nope'));
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).toMatch(/--form nope: .*two-forms\.csv has no such form; its forms are: baseline, followup\./);
  });
});

describe('import errors', () => {
  it('no scorable field: DataError (65) saying so', () => {
    const e = thrown(() => importFile('no-scorable-fields.csv'));
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).exitCode).toBe(65);
    expect((e as Error).message).toMatch(/form "contact" of .*no-scorable-fields\.csv has no scorable field \(radio, dropdown, yesno or truefalse\)/);
  });
  it('a header of neither style: DataError naming the file, the header found and the expected first column', () => {
    const e = thrown(() => importFile('records-not-dictionary.csv'));
    expect(e).toBeInstanceOf(DataError);
    const m = (e as Error).message;
    expect(m).toContain('records-not-dictionary.csv: line 1 is not a REDCap data-dictionary header');
    expect(m).toContain('found "record_id", "redcap_event_name", "sat_wait", "sat_staff", ...');
    expect(m).toContain('the first column must be "Variable / Field Name" (data dictionary download) or "field_name" (API metadata export)');
  });
  const header = REDCAP_API_HEADERS.join(',') + '\n';
  const dict = (rows: string) => readDictionary(header + rows, 'd.csv').dict;
  it('a radio field without choices names the line', () => {
    const e = thrown(() => dictionaryToInstrument(dict('q1,f,,radio,Question,,,,,,,,,,,,,\n'), { file: 'd.csv' }));
    expect((e as Error).message).toBe('d.csv, line 2, field "q1": a radio field has no choices; fill "Choices, Calculations, OR Slider Labels" with "1, label | 2, label".');
  });
  it('duplicate choice codes and labels name the line', () => {
    expect((thrown(() => dictionaryToInstrument(dict('q1,f,,radio,Q,"1, A | 1, B",,,,,,,,,,,,\n'), { file: 'd.csv' })) as Error).message).toMatch(/line 2, field "q1": choice code "1" appears twice/);
    expect((thrown(() => dictionaryToInstrument(dict('q1,f,,radio,Q,"1, A | 2,  a",,,,,,,,,,,,\n'), { file: 'd.csv' })) as Error).message).toMatch(/choice label "a" appears twice/);
  });
  it('a choice code with spaces is refused', () => {
    expect((thrown(() => dictionaryToInstrument(dict('q1,f,,radio,Q,"1 x, A | 2, B",,,,,,,,,,,,\n'), { file: 'd.csv' })) as Error).message).toMatch(/choice code "1 x" is not a valid code/);
  });
  it('a header missing a required column names it in the style used', () => {
    const e = thrown(() => readDictionary('Variable / Field Name,Form Name,Field Type,Field Label\nq,f,radio,Q\n', 'd.csv'));
    expect((e as Error).message).toBe('d.csv: line 1: the header has no "Choices, Calculations, OR Slider Labels" column; a REDCap data dictionary needs it, so export the dictionary from REDCap again.');
  });
  it('an empty file is refused', () => {
    expect((thrown(() => readDictionary('', 'd.csv')) as Error).message).toMatch(/^d\.csv: is empty/);
  });
  it('a @RAPPORT-SCALE calc that refers to a field that is not an item is refused', () => {
    const rows = 'q1,f,,radio,Q,"1, A | 2, B",,,,,,,,,,,,\nnote,f,,text,T,,,,,,,,,,,,,\ns_score,f,,calc,S,"mean([q1],[note])",,,,,,,,,,,,@RAPPORT-SCALE=s\n';
    expect((thrown(() => dictionaryToInstrument(dict(rows), { file: 'd.csv' })) as Error).message).toBe(
      'd.csv, line 4, field "s_score": the calc field defines scale "s" but refers to [note], which is not a radio, dropdown, yesno or truefalse field in form "f"; import the form that holds them or fix the calculation.',
    );
  });
  it('a leading apostrophe added by formula neutralisation is removed on import', () => {
    const r = dictionaryToInstrument(dict(`q1,f,,radio,"'=odd label","1, A | 2, B",,,,,,,,,,,,\n`), { file: 'd.csv' });
    expect((r.data as any).items[0].text).toBe('=odd label');
  });
});

// ------------------------------------------------------------------------------------------------
// Export

function exportRows(inst: Instrument, lang?: string): string[][] {
  const csv = dictionaryToCsv(instrumentToDictionary(inst, { lang }).rows);
  expect(csv.startsWith('\uFEFF')).toBe(true);
  return parse(csv.slice(1), { relax_column_count: false }) as string[][];
}

describe('export: REDCap data dictionary in the UI header style', () => {
  it('has the exact 18 UI headers, a record_id first field, one form, radio fields and a calc per scale', () => {
    const rows = exportRows(loadInstrument('care'));
    expect(rows[0]).toEqual([...REDCAP_UI_HEADERS]);
    expect(rows.every((r) => r.length === 18)).toBe(true);
    expect(rows[1].slice(0, 5)).toEqual(['record_id', 'care', '', 'text', 'Record ID']);
    expect(new Set(rows.slice(1).map((r) => r[1]))).toEqual(new Set(['care']));
    const items = rows.slice(2, 12);
    expect(items.map((r) => r[0])).toEqual(Array.from({ length: 10 }, (_, i) => `care_${i + 1}`));
    for (const r of items) {
      expect(r[3]).toBe('radio');
      expect(r[5]).toBe('1, Poor | 2, Fair | 3, Good | 4, Very good | 5, Excellent | 9, Does not apply');
      expect(r[15]).toBe('care'); // matrix group named after the scale
      expect(r[17]).toBe('rapport: @RAPPORT-RESPONSE-SET=care5 @RAPPORT-MISSING=9');
    }
    const calc = rows[12];
    expect(calc.slice(0, 5)).toEqual(['care_score', 'care', '', 'calc', 'CARE score']);
    const terms = Array.from({ length: 10 }, (_, i) => `if([care_${i + 1}]='9','',[care_${i + 1}])`);
    expect(calc[5]).toBe(`mean(${terms.join(',')})*10`);
    expect(calc[6]).toMatch(/REDCap's mean\(\) ignores blank answers and does not apply min_answered: rapport requires at least 8 answered\./);
    expect(calc[17]).toBe('rapport: @RAPPORT-SCALE=care @RAPPORT-METHOD=sum @RAPPORT-MIN-ANSWERED=8');
    expect(rows).toHaveLength(13);
  });
  it('reverse-keyed items use (min+max-[item]); the 0-100 transform rescales the mean', () => {
    const inst = loadInstrument('hints-pcc');
    const names = new Map(inst.items.map((i) => [i.id, i.id]));
    const t = (k: number) => `if([pcc_${k}]='' or [pcc_${k}]='-1' or [pcc_${k}]='-9','',(1+4-[pcc_${k}]))`;
    expect(scaleCalc(inst, inst.scales[0], names)).toBe(`100*(mean(${[1, 2, 3, 4, 5, 6, 7].map(t).join(',')})-1)/3`);
    const re = loadInstrument('relationship-engagement');
    const trust = re.scales.find((s) => s.id === 'trust')!;
    expect(scaleCalc(re, trust, new Map(re.items.map((i) => [i.id, i.id])))).toBe(
      "mean(if([trust_1]='9','',[trust_1]),if([trust_2]='9','',[trust_2]),if([trust_3]='' or [trust_3]='9','',(1+5-[trust_3])),if([trust_4]='9','',[trust_4]))",
    );
  });
  it('field names are REDCap-legal: lower-case, and a collision is a DataError', () => {
    const base = loadInstrument('pdrq-9');
    const inst: Instrument = { ...base, items: base.items.map((i, k) => (k === 0 ? { ...i, id: 'PDRQ_1x' } : i)), scales: [] };
    const res = instrumentToDictionary(inst);
    expect(res.rows[2][0]).toBe('pdrq_1x');
    expect(res.notes).toEqual(['item "PDRQ_1x" is field "pdrq_1x" in REDCap (field names are lower-case)']);
    const clash: Instrument = { ...base, items: [...base.items, { ...base.items[0], id: 'PDRQ_1' }], scales: [] };
    expect((thrown(() => instrumentToDictionary(clash)) as Error).message).toBe(
      'pdrq-9: item "PDRQ_1" becomes REDCap field "pdrq_1", which is already used by item "pdrq_1"; REDCap field names are lower-case, so rename one of them.',
    );
  });
  it('neutralises formula-like text cells, but keeps a negative first choice code readable by REDCap', () => {
    const base = loadInstrument('hints-pcc');
    const inst: Instrument = {
      ...base,
      response_sets: { neg: { id: 'neg', options: [{ value: -2, label: '=2+3' }, { value: 2, label: '@home' }], missing: [] } },
      items: [{ id: 'x1', text: '-starts with a minus', response_set: 'neg', reverse: false }],
      scales: [{ id: 'xs', label: '+plus', items: ['x1'], method: 'mean', min_answered: { kind: 'count', n: 1 } }],
    };
    const rows = exportRows(inst);
    expect(rows[2][4]).toBe("'-starts with a minus");
    expect(rows[2][5]).toBe(' -2, =2+3 | 2, @home');
    expect(rows[3][4]).toBe("'+plus");
    // and import restores the texts
    const back = dictionaryToInstrument(readDictionary(dictionaryToCsv(instrumentToDictionary(inst).rows), 'x.csv').dict, { file: 'x.csv' }).data as any;
    expect(back.items[0].text).toBe('-starts with a minus');
    expect(back.response_sets.neg.options).toEqual([{ value: -2, label: '=2+3' }, { value: 2, label: '@home' }]);
    expect(back.scales[0].label).toBe('+plus');
  });
  it('a choice label containing | cannot be exported', () => {
    const base = loadInstrument('pdrq-9');
    const inst: Instrument = { ...base, response_sets: { pdrq5: { ...base.response_sets.pdrq5, options: [{ value: 1, label: 'a | b' }, ...base.response_sets.pdrq5.options.slice(1)] } } };
    expect((thrown(() => instrumentToDictionary(inst)) as Error).message).toBe(
      'pdrq-9: response_sets.pdrq5.options[0].label "a | b" contains "|", which REDCap uses to separate choices; replace it (for example with "/").',
    );
  });
});

// ------------------------------------------------------------------------------------------------
// Round trip

/** The parts of an instrument that a REDCap dictionary carries, with texts in one language. */
function comparable(inst: Instrument, lang: string) {
  const L = (t: unknown) => (t === undefined ? undefined : localize(t as never, lang, inst.languages[0]));
  return {
    id: inst.id,
    items: inst.items.map((i) => ({ id: i.id, text: L(i.text), response_set: i.response_set, reverse: i.reverse, section: L(i.section), pair: i.pair })),
    // a dictionary has no place for a response set that no item uses
    response_sets: Object.fromEntries(
      Object.values(inst.response_sets).filter((rs) => inst.items.some((i) => i.response_set === rs.id)).map((rs) => [
        rs.id,
        { options: rs.options.map((o) => ({ value: o.value, label: L(o.label) })), missing: rs.missing.map((o) => ({ value: o.value, label: L(o.label) })) },
      ]),
    ),
    scales: inst.scales.map((s) => ({ id: s.id, label: L(s.label), items: s.items, method: s.method, min_answered: s.min_answered, transform: s.transform })),
  };
}

function roundTrip(inst: Instrument, lang?: string): Instrument {
  const csv = dictionaryToCsv(instrumentToDictionary(inst, { lang }).rows);
  const res = dictionaryToInstrument(readDictionary(Buffer.from(csv, 'utf8'), 'rt.csv').dict, { file: 'rt.csv' });
  const v = validateInstrument(res.data, 'rt.csv');
  if (!v.ok) throw new Error(JSON.stringify(v.problems));
  return v.instrument;
}

describe('import(export(x)) round-trips', () => {
  it.each(builtinIds())('built-in %s: same items, response sets and scales', (id) => {
    const inst = loadInstrument(id);
    const back = roundTrip(inst);
    expect(comparable(back, 'en')).toEqual(comparable(inst, inst.languages[0]));
  });
  it('relationship-engagement in Spanish', () => {
    const inst = loadInstrument('relationship-engagement');
    expect(comparable(roundTrip(inst, 'es'), 'es')).toEqual(comparable(inst, 'es'));
  });
  it('a scale whose items are not contiguous is no matrix group but still round-trips through its calc field', () => {
    const base = loadInstrument('pdrq-9');
    const inst: Instrument = {
      ...base,
      scales: [
        { ...base.scales[0], id: 'odd', label: 'Odd items', items: ['pdrq_1', 'pdrq_3', 'pdrq_5'] },
        { ...base.scales[0], id: 'even', label: 'Even items', items: ['pdrq_2', 'pdrq_4'], method: 'sum', min_answered: { kind: 'count', n: 2 } },
      ],
    };
    const rows = instrumentToDictionary(inst).rows;
    expect(rows.slice(2, 11).map((r) => r[15])).toEqual(['', '', '', '', '', '', '', '', '']);
    expect(comparable(roundTrip(inst), 'en')).toEqual(comparable(inst, 'en'));
  });

  // Random instruments: awkward labels (commas, quotes, HTML characters, formula starts, entities,
  // curly quotes, accents), negative and zero codes, missing codes, reverse keying, scales that are
  // and are not contiguous, sum/mean, counts and percentages, the 0-100 transform.
  const word = fc.constantFrom('Never', 'often', 'a, b', '"quoted"', '<b>x</b>', '&amp;', 'A & B', '=1+2', '+3', '-4', '@me', '\u201cnice\u201d', 'ni\u00f1o', 'x;y', "it's", '5 > 3');
  const label = fc.array(word, { minLength: 1, maxLength: 4 }).map((ws) => ws.join(' '));
  const arbInstrument = fc
    .record({
      sets: fc.array(
        fc.record({
          codes: fc.uniqueArray(fc.integer({ min: -9, max: 12 }), { minLength: 2, maxLength: 6 }),
          nMissing: fc.integer({ min: 0, max: 2 }),
          labels: fc.array(label, { minLength: 8, maxLength: 8 }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      items: fc.array(fc.record({ set: fc.nat(), reverse: fc.boolean(), text: fc.array(label, { minLength: 1, maxLength: 2 }).map((ls) => ls.join('\n')), scale: fc.integer({ min: -1, max: 2 }) }), { minLength: 1, maxLength: 8 }),
      methods: fc.array(fc.record({ sum: fc.boolean(), pct: fc.boolean(), transform: fc.boolean() }), { minLength: 3, maxLength: 3 }),
    })
    .map(({ sets, items, methods }) => {
      const response_sets: Record<string, any> = {};
      sets.forEach((s, k) => {
        const nOpt = Math.max(2, s.codes.length - s.nMissing);
        const opts = s.codes.slice(0, nOpt).sort((a, b) => a - b);
        const miss = s.codes.slice(nOpt);
        response_sets[`set${k}`] = {
          options: opts.map((v, j) => ({ value: v, label: `${s.labels[j]} ${j}` })),
          missing: miss.map((v, j) => ({ value: v, label: `${s.labels[7 - j]} m${j}` })),
        };
      });
      const its = items.map((it, k) => ({ id: `q${k}`, text: it.text, response_set: `set${it.set % sets.length}`, reverse: it.reverse }));
      const scales = [0, 1, 2]
        .map((sc) => {
          const members = items.map((it, k) => (it.scale === sc ? `q${k}` : '')).filter(Boolean);
          if (!members.length) return undefined;
          const m = methods[sc];
          const oneRange = new Set(members.map((id) => its.find((i) => i.id === id)!.response_set)).size === 1;
          return {
            id: `scale${sc}`,
            label: `Scale ${sc} =x`,
            items: members,
            method: m.sum ? 'sum' : 'mean',
            min_answered: m.pct ? '50%' : 1,
            ...(m.transform && oneRange ? { transform: '0-100' } : {}),
          };
        })
        .filter(Boolean);
      return { rapport: 1, id: 'random-thing', version: '1.0.0', title: 'R', response_sets, items: its, scales };
    });
  it('random instruments round-trip (property)', () => {
    let roundTrips = 0; // generated instruments that validate; the others are skipped
    fc.assert(
      fc.property(arbInstrument, (data) => {
        const v = validateInstrument(data, 'gen');
        fc.pre(v.ok);
        if (!v.ok) return;
        const inst = v.instrument;
        expect(comparable(roundTrip(inst), 'en')).toEqual(comparable(inst, 'en'));
        roundTrips++;
      }),
      { numRuns: 200 },
    );
    expect(roundTrips).toBeGreaterThan(0);
  });
});
