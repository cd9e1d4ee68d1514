/** The ingest layer: byte decoding, delimiter sniffing, the record reader, platform detection, mapping. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ByteDecoder, checkNotBinary, decodeWindows1252, detectEncoding, utf8CompletePrefix } from '../../src/ingest/decode.js';
import { sniffDelimiter, parseDelimiterOption } from '../../src/ingest/sniff.js';
import { RecordReader, readRecordsFromString } from '../../src/ingest/records.js';
import { buildLayout, detectPlatform, isNotFinished, isRedcapComplete, limesurveyUnderscore, parseImportId, qualtricsStatusReason } from '../../src/ingest/platform.js';
import { parseMapping, planColumns } from '../../src/ingest/mapping.js';
import { instrumentFromText } from '../../src/instrument/load.js';
import { loadInstrument } from '../../src/instrument/load.js';
import { scoreInput } from '../../src/scoring/pipeline.js';

const decodeAll = (bytes: Buffer, chunk = 7, forced?: Parameters<typeof detectEncoding>[2]) => {
  const warnings: string[] = [];
  const g = detectEncoding(bytes.subarray(0, 64), bytes.length <= 64, forced);
  const d = new ByteDecoder(g, (m) => warnings.push(m));
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) parts.push(d.push(bytes.subarray(i, i + chunk)));
  parts.push(d.end());
  return { text: Buffer.concat(parts).toString('utf8'), guess: g, warnings };
};

describe('decode', () => {
  const text = 'id,name\n1,Zoë “quoted” – café €\n';
  it('strips a UTF-8 BOM and passes UTF-8 through, across chunk boundaries inside characters', () => {
    const r = decodeAll(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 3);
    expect(r.text).toBe(text);
    expect(r.guess).toMatchObject({ encoding: 'utf-8', how: 'bom' });
    expect(r.warnings).toEqual([]);
  });
  it('decodes UTF-16 LE and BE by their BOM', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    expect(decodeAll(le, 5).text).toBe(text);
    const rb = decodeAll(be, 5);
    expect(rb.text).toBe(text);
    expect(rb.guess.encoding).toBe('utf-16be');
  });
  it('falls back to Windows-1252 for invalid UTF-8 (head) with the 0x80-0x9F characters right', () => {
    const bytes = Buffer.from([0x61, 0x93, 0x71, 0x94, 0x2c, 0xe9, 0x80, 0x0a]);
    const r = decodeAll(bytes, 3);
    expect(r.guess).toMatchObject({ encoding: 'windows-1252', how: 'fallback' });
    expect(r.text).toBe('a“q”,é€\n');
    expect(decodeWindows1252(Buffer.from([0x8a, 0x9f, 0xff]))).toBe('ŠŸÿ');
  });
  it('switches to Windows-1252 with a warning when invalid bytes come after the head', () => {
    const bytes = Buffer.concat([Buffer.from('x'.repeat(100) + '\n'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a])]);
    const r = decodeAll(bytes, 16);
    expect(r.text.endsWith('café\n')).toBe(true);
    expect(r.warnings[0]).toMatch(/not valid UTF-8 after byte \d+/);
  });
  it('--encoding forces a decoding', () => {
    expect(decodeAll(Buffer.from('caf\xe9', 'latin1'), 2, 'windows-1252').text).toBe('café');
  });
  it('utf8CompletePrefix cuts before an incomplete sequence only', () => {
    const e = Buffer.from('aé€😀');
    expect(utf8CompletePrefix(e)).toBe(e.length);
    expect(utf8CompletePrefix(e.subarray(0, e.length - 1))).toBe(e.length - 4);
    expect(utf8CompletePrefix(e.subarray(0, 2))).toBe(1);
  });
  it('any UTF-8 text survives any chunking (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.integer({ min: 1, max: 9 }), (s, n) => {
        expect(decodeAll(Buffer.from(s), n).text).toBe(s);
      }),
    );
  });
  it('binary input: NUL bytes are CSV_BINARY, with a hint for xlsx and BOM-less UTF-16', () => {
    expect(() => checkNotBinary(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 1]), 'utf-8', 'x.csv')).toThrow(/zip archive.*xlsx/);
    expect(() => checkNotBinary(Buffer.from('i\0d\0,\0'), 'utf-8', 'x.csv')).toThrow(/--encoding utf-16le/);
    expect(() => checkNotBinary(Buffer.from('plain,text\n'), 'utf-8', 'x.csv')).not.toThrow();
  });
});

describe('sniffDelimiter', () => {
  it.each([
    ['a,b,c\n1,2,3', ','],
    ['a;b;c\r\n1;2;3', ';'],
    ['a\tb\tc\n', '\t'],
    ['"x,y,z";b;c\n', ';'],
    ['"a ""q"", b";"c"\n', ';'],
    ['"multi\nline, with, commas";x;y\n1;2;3', ';'],
    ['single\n1\n', ','],
  ])('%j -> %j', (text, d) => expect(sniffDelimiter(text)).toBe(d));
  it('parses --delimiter words', () => {
    expect(parseDelimiterOption('tab')).toBe('\t');
    expect(parseDelimiterOption(';')).toBe(';');
    expect(parseDelimiterOption('ab')).toBeUndefined();
  });
});

describe('RecordReader', () => {
  const opts = { file: 'x.csv', delimiter: ',' };
  it('gives the start line of each record, counting CRLF, CR and LF inside quotes once', () => {
    const text = 'a,b\r\n"x\r\ny",1\r\n"p\nq\rr",2\r\n\r\nlast,3';
    const recs = readRecordsFromString(text, opts);
    expect(recs.map((r) => r.line)).toEqual([1, 2, 4, 7, 8]);
    expect(recs[1].fields).toEqual(['x\r\ny', '1']);
    expect(recs[3].fields).toEqual(['']);
  });
  it('line numbers do not depend on how the bytes are chunked (property)', () => {
    const field = fc.oneof(fc.constantFrom('', 'a', 'bé', '"q"', 'l1\nl2', 'c\r\nd', 'x,y'), fc.string({ maxLength: 4 }));
    const rec = fc.array(field, { minLength: 2, maxLength: 2 });
    fc.assert(
      fc.property(fc.array(rec, { minLength: 1, maxLength: 6 }), fc.constantFrom('\n', '\r\n'), fc.integer({ min: 1, max: 5 }), (rows, eol, chunk) => {
        const q = (s: string) => '"' + s.replace(/"/g, '""') + '"';
        const text = rows.map((r) => r.map(q).join(',')).join(eol) + eol;
        // Expected start lines: 1 + line breaks before the record (CRLF counts once).
        const expected: number[] = [];
        let line = 1;
        for (const r of rows) {
          expected.push(line);
          line += r.join(',').replace(/\r\n/g, '\n').replace(/\r/g, '\n').split('\n').length - 1 + 1;
        }
        const got: number[] = [];
        const fields: string[][] = [];
        const rd = new RecordReader(opts, (f, l) => {
          got.push(l);
          fields.push(f);
        });
        const bytes = Buffer.from(text);
        for (let i = 0; i < bytes.length; i += chunk) rd.push(bytes.subarray(i, i + chunk));
        rd.end();
        expect(fields).toEqual(rows);
        expect(got).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
  it('an unclosed quote is CSV_QUOTE_NOT_CLOSED at the line where the record starts', () => {
    expect(() => readRecordsFromString('a,b\n1,2\n3,"open\nmore\n', opts)).toThrow(expect.objectContaining({ code: 'CSV_QUOTE_NOT_CLOSED', place: expect.objectContaining({ line: 3 }) }));
  });
  it('a quote in the middle of an unquoted field is CSV_QUOTE_INVALID naming the column', () => {
    const r = new RecordReader({ ...opts, columnName: (i) => ['a', 'b'][i] }, () => {});
    expect(() => {
      r.push(Buffer.from('a,b\n1,x"y\n'));
      r.end();
    }).toThrow(/line 2, column "b": a double quote/);
  });
  it('a record over the size limit is CSV_RECORD_TOO_LARGE without reading the rest of the field', () => {
    const r = new RecordReader({ ...opts, maxRecordSize: 1000 }, () => {});
    r.push(Buffer.from('a,b\n1,"'));
    const block = Buffer.alloc(600, 0x78);
    let thrown: unknown;
    let pushed = 0;
    try {
      for (; pushed < 100; pushed++) r.push(block);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ code: 'CSV_RECORD_TOO_LARGE', exitCode: 65, place: { line: 2 } });
    expect(pushed).toBeLessThan(3);
  });
});

describe('platform detection', () => {
  it('recognises each platform from its first records', () => {
    expect(detectPlatform([['StartDate', 'Q1'], ['Start Date', 'Q one'], ['{"ImportId":"startDate"}', '{"ImportId":"QID1"}']])).toBe('qualtrics');
    expect(detectPlatform([['V1', 'V2', 'Q1', ''], ['ResponseID', 'ResponseSet', 'text', '']])).toBe('qualtrics-legacy');
    expect(detectPlatform([['record_id', 'redcap_event_name', 'x']])).toBe('redcap');
    expect(detectPlatform([['record_id', 'x', 'form_1_complete']])).toBe('redcap');
    expect(detectPlatform([['id', 'submitdate', 'lastpage', 'Q1']])).toBe('limesurvey');
    expect(detectPlatform([['rid', 'Q1[SQ001]', 'Q1[SQ002]']])).toBe('limesurvey');
    expect(detectPlatform([['id', 'trust_1', 'trust_2'], ['a', '1', '2'], ['b', '3', '4']])).toBe('plain');
  });
  it('an item id ending in _complete is not REDCap without a REDCap key column (record_id first, or <form>_timestamp)', () => {
    // rapport run's own responses file for an instrument with an item `visit_complete`.
    const runFile = ['respondent_id', 'instrument_id', 'instrument_version', 'lang', 'started_at', 'completed_at', 'trust_1', 'visit_complete'];
    expect(detectPlatform([runFile, ['K1', 'mini', '1', 'en', 't', 't', '3', '1']])).toBe('plain');
    expect(detectPlatform([['id', 'q1', 'form_complete']])).toBe('plain');
    expect(detectPlatform([['study_id', 'q1', 'visit_timestamp', 'visit_complete']])).toBe('redcap');
    expect(detectPlatform([['Record_ID', 'q1', 'visit_complete']])).toBe('redcap');
    expect(detectPlatform([['study_id', 'redcap_survey_identifier', 'q1']])).toBe('redcap');
  });
  it('legacy layout: row-2 names for V-columns, trailing empty column dropped', () => {
    const l = buildLayout([['V1', 'V2', 'Q1', ''], ['ResponseID', 'Status', 'text', '']], 'qualtrics-legacy', 'detected');
    expect(l).toMatchObject({ names: ['ResponseID', 'Status', 'Q1'], width: 3, rawWidth: 4, headerRecords: 2 });
  });
  it('reads Qualtrics status, finished, ImportIds; REDCap complete; LimeSurvey headings', () => {
    expect(['0', '1', '2', '8', '9', '17', '16', 'Survey Preview', 'Survey Test', 'Spam', 'IP Address'].map(qualtricsStatusReason)).toEqual([
      undefined, 'preview', 'test', 'spam', 'spam', 'preview', undefined, 'preview', 'test', 'spam', undefined,
    ]);
    expect(['0', 'False', 'FALSE', '1', 'True', ''].map(isNotFinished)).toEqual([true, true, true, false, false, false]);
    expect(['2', 'Complete', '1', '0', '', 'Incomplete'].map(isRedcapComplete)).toEqual([true, true, false, false, false, false]);
    expect(parseImportId('{"ImportId":"QID5_1"}')).toBe('QID5_1');
    expect(parseImportId('not json')).toBe('');
    expect(limesurveyUnderscore('Q1[SQ001]')).toBe('Q1_SQ001');
    expect(limesurveyUnderscore('Q1[SQ001][1]')).toBe('Q1_SQ001_1');
  });
});

describe('mapping', () => {
  const inst = instrumentFromText(
    `rapport: 1
id: m
version: '1'
title: M
response_sets:
  a: {options: [{value: 1, label: One}, {value: 2, label: Two}]}
items:
  - {id: q_a, text: x, response_set: a}
  - {id: q_b, text: x, response_set: a}
scales:
  - {id: s, items: [q_a, q_b]}
`,
    'm.yaml',
  );
  const layout = (names: string[], platform: 'plain' | 'limesurvey' | 'redcap' = 'plain') => buildLayout([names], platform, 'detected');
  it('matches exactly, then case-insensitively, then LimeSurvey X[Y] as X_Y', () => {
    expect(Array.from(planColumns(layout(['id', 'q_a', 'Q_B']), inst, { file: 'f' }).itemCols)).toEqual([1, 2]);
    expect(Array.from(planColumns(layout(['id', 'q[a]', 'q[b]'], 'limesurvey'), inst, { file: 'f' }).itemCols)).toEqual([1, 2]);
  });
  it('REDCap checkbox columns are not matched loosely', () => {
    const p = planColumns(layout(['record_id', 'q_a', 'Q_B___1'], 'redcap'), inst, { file: 'f' });
    expect(Array.from(p.itemCols)).toEqual([1, -1]);
    expect(p.missingItems).toEqual(['q_b']);
  });
  it('errors: item mapped to a missing column, ambiguous columns, a column named twice, unknown keys', () => {
    const m = parseMapping('items:\n  q_a: nope\n', 'map.yaml');
    expect(() => planColumns(layout(['id', 'q_a']), inst, { file: 'f', mapping: m })).toThrow(expect.objectContaining({ code: 'MAP_COLUMN_MISSING', message: expect.stringMatching(/"nope".*"id", "q_a".*--map/) }));
    expect(() => planColumns(layout(['id', 'q_a', 'q_a']), inst, { file: 'f' })).toThrow(expect.objectContaining({ code: 'MAP_COLUMN_AMBIGUOUS' }));
    expect(() => parseMapping('items:\n  q_a: X\n  q_b: X\n', 'map.yaml')).toThrow(expect.objectContaining({ code: 'MAP_COLUMN_TWICE' }));
    expect(() => parseMapping('itmes: {}\n', 'map.yaml')).toThrow(/unknown key "itmes"/);
    expect(() => planColumns(layout(['id', 'x']), inst, { file: 'f', mapping: parseMapping('items: {zz: x}', 'map.yaml') })).toThrow(expect.objectContaining({ code: 'MAP_ITEM_UNKNOWN' }));
  });
  it('a column number, the id column and missing codes', () => {
    const m = parseMapping('id: who\nitems:\n  q_b: 3\nmissing: [-99, "n/a"]\n', 'map.yaml');
    expect(m.missing).toEqual(['-99', 'n/a']);
    const p = planColumns(layout(['who', 'q_a', 'other']), inst, { file: 'f', mapping: m });
    expect(Array.from(p.itemCols)).toEqual([1, 2]);
    expect(p.idHeader).toBe('who');
  });
});

describe('pipeline on awkward text', () => {
  const inst = loadInstrument('fixtures/instruments/score-fixture.yaml');
  const run = async (text: string, extra = {}) => {
    const out: string[] = [];
    const s = await scoreInput({ input: 't.csv', text, instrument: inst, ...extra }, (r) => out.push(`${r.line}:${r.id}:${[...r.scores].map((x) => (Number.isNaN(x) ? '' : x)).join('|')}`));
    return { out, s };
  };
  it('ragged rows fail with the line and both counts; a consistent trailing empty column is accepted', async () => {
    await expect(run('id,trust_1,trust_2\na,1,2\nb,1\n')).rejects.toMatchObject({ code: 'CSV_RAGGED_ROW', message: expect.stringMatching(/t\.csv, line 3: the record has 2 fields but the header has 3/) });
    const { out } = await run('id,trust_1,trust_2,\na,1,2,\nb,4,5\n');
    expect(out).toEqual(['2:a:1.5|', '3:b:4.5|']); // (1 + 2) / 2; (4 + 5) / 2
  });
  it('empty, blank-only and header-only inputs', async () => {
    await expect(run('')).rejects.toMatchObject({ code: 'CSV_EMPTY' });
    await expect(run('\n\r\n  \n')).rejects.toMatchObject({ code: 'CSV_EMPTY' });
    const { out, s } = await run('id,trust_1\n');
    expect(out).toEqual([]);
    expect(s.warnings.join()).toMatch(/header but no data rows/);
  });
  it('tab-separated input with blank lines; ids that look like prototype keys', async () => {
    const { out, s } = await run('id\ttrust_1\ttrust_2\n\n__proto__\t2\t4\nconstructor\t5\t5\n');
    expect(s.delimiter).toBe('\t');
    expect(out).toEqual(['3:__proto__:3|', '4:constructor:5|']);
    expect(s.blankLines).toBe(1);
  });
});
