/**
 * Input that names Object.prototype's keys (`__proto__`, `constructor`, `toString`, ...) as respondent
 * ids, column names, item, scale and response-set ids, HTML entities, option words and model variables:
 * treated as ordinary text everywhere, and Object.prototype is never changed (issue #8).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { parseDelimiterOption } from '../../src/ingest/sniff.js';
import { instrumentFromText } from '../../src/instrument/load.js';
import { decodeEntities, dictionaryToInstrument, htmlToText, instrumentToDictionary, dictionaryToCsv } from '../../src/instrument/redcap.js';
import { readDictionary } from '../../src/ingest/dictionary.js';
import { validateInstrument } from '../../src/instrument/validate.js';
import { scoreInput } from '../../src/scoring/pipeline.js';
import { buildDesign } from '../../src/stats/design.js';
import { messagesFor } from '../../src/survey/messages.js';
import { distMissing, rapport } from '../helpers/cli.js';

const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

/** An instrument whose ids are all Object.prototype keys. */
export const PROTO_INSTRUMENT = `rapport: 1
id: proto
version: "1"
title: Proto
response_sets:
  constructor:
    options: [{value: 1, label: toString}, {value: 2, label: constructor}, {value: 3, label: __proto__}]
    missing: [{value: 9, label: hasOwnProperty}]
  toString:
    options: [{value: 0, label: "No"}, {value: 1, label: "Yes"}]
items:
  - {id: constructor, text: A, response_set: constructor}
  - {id: toString, text: B, response_set: constructor}
  - {id: valueOf, text: C, response_set: constructor, reverse: true}
  - {id: hasOwnProperty, text: D, response_set: toString}
scales:
  - {id: isPrototypeOf, label: X, items: [constructor, toString, valueOf]}
`;

export const PROTO_EXPORT =
  'id,constructor,toString,valueOf,hasOwnProperty,__proto__\n' +
  '__proto__,1,constructor,__proto__,1,x\n' +
  'constructor,toString,hasOwnProperty,3,Yes,y\n' +
  'valueOf,__proto__,9,hasOwnProperty,No,z\n';

/** Hand-computed: labels are codes (toString=1, constructor=2, __proto__=3, hasOwnProperty=9 refused); valueOf reversed as 4 - v; mean needs 2 of 3. */
export const PROTO_SCORED = 'id,__proto__,isPrototypeOf,hasOwnProperty\n__proto__,x,1.33333333333,1\nconstructor,y,1,1\nvalueOf,z,,0\n';

describe('prototype keys as data', () => {
  beforeAll(() => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTO_KEYS);
  });
  afterAll(() => {
    // Nothing below may have added to or replaced anything on Object.prototype.
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTO_KEYS);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(typeof ({} as { toString: unknown }).toString).toBe('function');
  });

  it('--delimiter words: constructor, __proto__, toString are not delimiter names (was an internal error, exit 1)', () => {
    for (const w of ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty']) expect(parseDelimiterOption(w)).toBeUndefined();
    expect(parseDelimiterOption('TAB')).toBe('\t');
    expect(parseDelimiterOption('semicolon')).toBe(';');
    expect(parseDelimiterOption('|')).toBe('|');
  });

  it('HTML entities named like Object.prototype keys stay as written (was "function Object() { [native code] }")', () => {
    expect(decodeEntities('a &constructor; b &toString; &valueOf; &amp;')).toBe('a &constructor; b &toString; &valueOf; &');
    expect(htmlToText('<b>Trust &constructor;</b>')).toBe('Trust &constructor;');
  });

  it('REDCap import keeps response sets named constructor and toString (were renamed constructor_2, toString_2)', () => {
    const inst = instrumentFromText(PROTO_INSTRUMENT, 'proto.yaml');
    const csv = dictionaryToCsv(instrumentToDictionary(inst).rows);
    const back = dictionaryToInstrument(readDictionary(csv.replace(/^\uFEFF/, ''), 'd.csv').dict, { file: 'd.csv' });
    const rs = back.data.response_sets as Record<string, unknown>;
    expect(Object.keys(rs)).toEqual(['constructor', 'toString']);
    const v = validateInstrument(back.data, 'd.csv');
    expect(v.ok).toBe(true);
    if (v.ok) expect(v.instrument.items.map((i) => i.response_set)).toEqual(['constructor', 'constructor', 'constructor', 'toString']);
  });

  it('messagesFor never returns a prototype member', () => {
    expect(messagesFor('constructor')).toBe(messagesFor('en'));
    expect(messagesFor('toString-x')).toBe(messagesFor('en'));
    expect(messagesFor('es-MX')).toBe(messagesFor('es'));
  });

  it('model variables named constructor / toString are columns, and an absent one is a DataError', () => {
    const X = buildDesign({ numeric: { constructor: [1, 2, 3, 4] }, categorical: { toString: ['a', 'b', 'a', 'b'] }, order: ['constructor', 'toString'], levels: {} });
    expect(X.names).toEqual(['(Intercept)', 'constructor', 'toString=b']);
    expect(Array.from(X.data)).toEqual([1, 1, 0, 1, 2, 1, 1, 3, 0, 1, 4, 1]);
    expect(() => buildDesign({ numeric: { x: [1, 2] }, order: ['x', 'valueOf'] })).toThrow(DataError);
    expect(() => buildDesign({ numeric: { x: [1, 2] }, order: ['x', 'hasOwnProperty'] })).toThrow(/Model variable "hasOwnProperty" is not among the supplied columns/);
  });

  it('scoring in-process: ids, columns, item and scale ids named after prototype keys score normally', async () => {
    const inst = instrumentFromText(PROTO_INSTRUMENT, 'proto.yaml');
    const rows: [string, number, string][] = [];
    const s = await scoreInput({ input: 'p.csv', text: PROTO_EXPORT, instrument: inst, keep: ['__proto__'] }, (r) => rows.push([r.id, r.scores[0], r.cell('__proto__')]));
    expect(rows).toEqual([
      ['__proto__', 4 / 3, 'x'],
      ['constructor', 1, 'y'],
      ['valueOf', NaN, 'z'],
    ]);
    expect(Object.getPrototypeOf(s.columns)).toBeNull();
    expect(Object.keys(s.columns)).toEqual(['constructor', 'toString', 'valueOf', 'hasOwnProperty']);
    expect(s.refusedCells).toBe(3);
    expect(s.duplicateIds).toBe(0);
  });
});

describe.skipIf(distMissing())('prototype keys through the built CLI', () => {
  it('score --delimiter constructor is a usage error (exit 2), not an internal error', () => {
    const r = rapport(['score', 'fixtures/exports/qualtrics.csv', '-i', 'fixtures/instruments/score-fixture.yaml', '--delimiter', 'constructor']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--delimiter "constructor": give one character/);
  });
});
