/**
 * Both sides of the relationship (issue 15): the clinician's form, the patient form's 1.1.0 visit items,
 * `pair:` keys (unique within an instrument, same options across instruments), `id@version` resolution
 * of built-ins, and both forms through REDCap export and import.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { builtinVersions, instrumentFromText, loadInstrument } from '../../src/instrument/load.js';
import { describeInstrument } from '../../src/instrument/describe.js';
import { checkPairs } from '../../src/instrument/pairs.js';
import { dictionaryToCsv, dictionaryToInstrument, instrumentToDictionary } from '../../src/instrument/redcap.js';
import { readDictionary } from '../../src/ingest/dictionary.js';
import type { Instrument } from '../../src/instrument/types.js';
import { validateInstrument } from '../../src/instrument/validate.js';

const patient = loadInstrument('relationship-engagement');
const clinician = loadInstrument('relationship-engagement-clinician');
const VISIT = ['visit_reason', 'visit_problem', 'visit_plan', 'visit_selfcare'];

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('did not throw');
}

describe('relationship-engagement-clinician', () => {
  it('the same five trait ids as the patient form, at least 3 items each, some reverse-keyed, en + es', () => {
    expect(clinician.scales.map((s) => s.id)).toEqual(['trust', 'respect', 'liking', 'listening', 'agreement']);
    for (const s of clinician.scales) {
      expect(s.items.length, s.id).toBeGreaterThanOrEqual(3);
      expect(patient.scales.some((p) => p.id === s.id)).toBe(true);
    }
    const reversed = clinician.items.filter((i) => i.reverse).map((i) => i.id);
    expect(reversed).toEqual(['trust_3', 'respect_3', 'liking_3', 'listening_4', 'agreement_2']);
    expect(clinician.languages).toEqual(['en', 'es']);
    for (const it of clinician.items) expect(Object.keys(it.text as object).sort()).toEqual(['en', 'es']);
    // asked about "this patient", never copied from the patient form
    const pText = new Set(patient.items.map((i) => (i.text as Record<string, string>).en));
    for (const it of clinician.items) expect(pText.has((it.text as Record<string, string>).en)).toBe(false);
  });
});

describe('pair keys', () => {
  it('the four visit items pair across the two built-in forms with the same options', () => {
    const res = checkPairs(patient, clinician);
    expect(res.problems).toEqual([]);
    expect(res.pairs.map((p) => [p.key, p.a, p.b])).toEqual(VISIT.map((k) => [k, k, k]));
    expect(res.onlyA).toEqual([]);
    expect(res.onlyB).toEqual([]);
    expect(res.pairs[0].aIndex).toBe(patient.items.findIndex((i) => i.id === 'visit_reason'));
    expect(res.pairs[0].bIndex).toBe(clinician.items.findIndex((i) => i.id === 'visit_reason'));
    // `instruments show` names the pair key of an item
    expect(describeInstrument(clinician, 'es')).toMatch(/visit_plan +¿Qué decidieron hacer al respecto usted y este paciente\?  \[no scale, visit_plan, pair visit_plan\]/);
  });
  it('paired items with other options, values or labels are problems naming the item and the difference', () => {
    const edit = (f: (c: Instrument) => void): Instrument => {
      const c = structuredClone(clinician);
      f(c);
      return c;
    };
    const fewer = edit((c) => c.response_sets.visit_plan.options.pop());
    expect(checkPairs(patient, fewer).problems).toEqual([
      {
        path: `items[${clinician.items.findIndex((i) => i.id === 'visit_plan')}].response_set`,
        message: 'item "visit_plan" (pair "visit_plan") has 4 options where the other form has 5 (item "visit_plan" of relationship-engagement); paired items must offer the same options',
      },
    ]);
    const value = edit((c) => (c.response_sets.visit_reason.options[2].value = 7));
    expect(checkPairs(patient, value).problems[0].message).toMatch(/option 3 has value 7 where the other form has 3/);
    const label = edit((c) => ((c.response_sets.visit_selfcare.options[0].label as Record<string, string>).es = 'Nada'));
    expect(checkPairs(patient, label).problems[0].message).toMatch(/option 1 \(1\) is labelled differently in "es"/);
    // case and spacing of labels do not matter
    const spaced = edit((c) => ((c.response_sets.visit_selfcare.options[0].label as Record<string, string>).en = '  nothing IN particular'));
    expect(checkPairs(patient, spaced).problems).toEqual([]);
    // a key on one side only is reported, not an error
    const one = edit((c) => delete c.items.find((i) => i.id === 'visit_plan')!.pair);
    const r = checkPairs(patient, one);
    expect([r.onlyA, r.onlyB, r.problems.length, r.pairs.length]).toEqual([['visit_plan'], [], 0, 3]);
  });
  it('a pair key is unique within an instrument and must look like an id', () => {
    const yaml = (pairs: string[]) =>
      `rapport: 1\nid: x\nversion: '1'\ntitle: X\nresponse_sets: {r: {options: [{value: 1, label: A}, {value: 2, label: B}]}}\nitems:\n` +
      pairs.map((p, i) => `  - {id: q${i}, text: Q, response_set: r, pair: ${p}}\n`).join('');
    expect(validateInstrument(instrumentFromText(yaml(['a', 'b']), 'x.yaml'), 'x').ok).toBe(true);
    const dup = validateInstrument({ rapport: 1, id: 'x', version: '1', title: 'X', response_sets: { r: { options: [{ value: 1, label: 'A' }] } }, items: [{ id: 'q0', text: 'Q', response_set: 'r', pair: 'a' }, { id: 'q1', text: 'Q', response_set: 'r', pair: 'a' }] }, 'x');
    expect(dup.ok).toBe(false);
    if (!dup.ok) expect(dup.problems).toEqual([{ path: 'items[1].pair', message: 'duplicate pair key "a" (also items[0]); a pair key names one item in each instrument' }]);
    const bad = validateInstrument({ rapport: 1, id: 'x', version: '1', title: 'X', response_sets: { r: { options: [{ value: 1, label: 'A' }] } }, items: [{ id: 'q0', text: 'Q', response_set: 'r', pair: '1 a' }] }, 'x');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems[0].path).toBe('items[0].pair');
  });
});

describe('versions of a built-in', () => {
  it('plain id is the newest (1.1.0); id@1.0.0 is the archived file with the 27 items of before', () => {
    expect(patient.version).toBe('1.1.0');
    expect(builtinVersions('relationship-engagement')).toEqual(['1.1.0', '1.0.0']);
    expect(builtinVersions('care')).toEqual(['1.0.0']);
    const old = loadInstrument('relationship-engagement@1.0.0');
    expect([old.id, old.version, old.items.length, old.source]).toEqual(['relationship-engagement', '1.0.0', 27, 'builtin:relationship-engagement@1.0.0']);
    expect(loadInstrument('relationship-engagement@1.1.0')).toEqual(patient);
    // 1.1.0 = 1.0.0 plus the four visit items at the end: scales, their items and outcomes unchanged
    expect(patient.items.slice(0, 27)).toEqual(old.items);
    expect(patient.items.slice(27).map((i) => i.pair)).toEqual(VISIT);
    expect(patient.scales).toEqual(old.scales);
    expect(old.items.some((i) => i.pair !== undefined)).toBe(false);
  });
  it('an unknown version is an InputError (66) listing the versions', () => {
    const e = thrown(() => loadInstrument('relationship-engagement@2.0.0')) as InputError;
    expect(e).toBeInstanceOf(InputError);
    expect(e.exitCode).toBe(66);
    expect(e.message).toBe('"relationship-engagement@2.0.0": built-in instrument relationship-engagement has no version 2.0.0; its versions are 1.1.0, 1.0.0 (write relationship-engagement@<version>, or relationship-engagement for the newest).');
  });
});

describe('both forms through REDCap', () => {
  it.each([['relationship-engagement', 38], ['relationship-engagement-clinician', 28]])('%s exports (%i fields) and imports back with its pair keys', (id, fields) => {
    const inst = loadInstrument(id);
    const dict = instrumentToDictionary(inst);
    expect(dict.rows.length - 1).toBe(fields);
    const visit = dict.rows.find((r) => r[0] === 'visit_plan')!;
    expect(visit[3]).toBe('radio');
    expect(visit[17]).toBe('rapport: @RAPPORT-RESPONSE-SET=visit_plan @RAPPORT-MISSING=9 @RAPPORT-PAIR=visit_plan');
    const csv = dictionaryToCsv(dict.rows);
    const back = validateInstrument(dictionaryToInstrument(readDictionary(Buffer.from(csv, 'utf8'), 'x.csv').dict, { file: 'x.csv' }).data, 'x.csv');
    expect(back.ok).toBe(true);
    if (back.ok) {
      expect(back.instrument.items.map((i) => i.pair ?? null)).toEqual(inst.items.map((i) => i.pair ?? null));
      // imported back (English), the two forms still pair
      expect(checkPairs(back.instrument, { ...clinician, languages: ['en'] }).problems).toEqual([]);
    }
  });
});
