/**
 * The record reader's quote-free fast path (src/ingest/records.ts) against csv-parse alone
 * (`fastPath: false`): on random inputs built from delimiters, CR, LF, quotes, ASCII and non-ASCII
 * text and invalid UTF-8, pushed in random chunk sizes, the records, their start lines, and the error
 * (code and line) are the same; long lines and the field limit behave as with csv-parse.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RapportError } from '../../src/errors.js';
import { RecordReader } from '../../src/ingest/records.js';

type Outcome = { recs: { fields: string[]; line: number }[]; error: string | null };

function read(bytes: Buffer, chunks: number[], fastPath: boolean, extra: { maxRecordSize?: number; maxColumns?: number; delimiter?: string } = {}): Outcome {
  const recs: { fields: string[]; line: number }[] = [];
  const r = new RecordReader({ file: 'x.csv', delimiter: extra.delimiter ?? ',', fastPath, maxRecordSize: extra.maxRecordSize, maxColumns: extra.maxColumns }, (fields, line) =>
    recs.push({ fields, line }),
  );
  try {
    let pos = 0;
    let k = 0;
    while (pos < bytes.length) {
      const size = Math.max(1, chunks.length ? chunks[k++ % chunks.length] : bytes.length);
      r.push(bytes.subarray(pos, pos + size));
      pos += size;
    }
    r.end();
    return { recs, error: null };
  } catch (e) {
    if (!(e instanceof RapportError)) throw e;
    return { recs, error: `${e.code} ${e.message}` };
  }
}

const piece = fc.constantFrom('a', 'bb', '12', ',', ',', ';', '\n', '\n', '\r', '\r\n', '"', 'é', '中', '😀', ' ', '', '\u0000');
const bytesArb = fc.oneof(
  fc.array(piece, { maxLength: 60 }).map((a) => Buffer.from(a.join(''), 'utf8')),
  fc.array(fc.oneof(piece.map((p) => Buffer.from(p, 'utf8')), fc.constantFrom(Buffer.of(0xc3), Buffer.of(0xff), Buffer.of(0xe2, 0x82))), { maxLength: 60 }).map((a) => Buffer.concat(a)),
);

describe('quote-free fast path of the record reader', () => {
  it('gives the same records, lines and errors as csv-parse alone, in any chunking', () => {
    fc.assert(
      fc.property(bytesArb, fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 5 }), fc.constantFrom(',', ';'), (bytes, chunks, delimiter) => {
        const slow = read(bytes, chunks, false, { delimiter });
        const fast = read(bytes, chunks, true, { delimiter });
        expect(fast).toEqual(slow);
      }),
      { numRuns: 3000, seed: 7 },
    );
  });
  it('long lines, small record-size limits and the field limit: same records and errors', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('abc', ',', '\n', 'x'.repeat(70), ',,,,,,,,', '"q"'), { maxLength: 40 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 20, max: 200 }),
        fc.integer({ min: 3, max: 30 }),
        (parts, chunk, maxRecordSize, maxColumns) => {
          const bytes = Buffer.from(parts.join(''), 'utf8');
          const slow = read(bytes, [chunk], false, { maxRecordSize, maxColumns });
          const fast = read(bytes, [chunk], true, { maxRecordSize, maxColumns });
          expect(fast).toEqual(slow);
        },
      ),
      { numRuns: 1500, seed: 11 },
    );
  });
  it('a quoted record with a line break right after fast lines keeps its exact start lines', () => {
    const bytes = Buffer.from('\r"\n"\ra', 'utf8');
    const fast = read(bytes, [], true);
    expect(fast.recs).toEqual([
      { fields: [''], line: 1 },
      { fields: ['\n'], line: 2 },
      { fields: ['a'], line: 4 },
    ]);
    expect(fast).toEqual(read(bytes, [], false));
  });
  it('empty pushes and a long line fed one byte at a time: same records and errors, in linear time', () => {
    for (const text of ['', 'a,b\n', 'a,b', 'x\r', '\r', 'a,b\n' + 'y,'.repeat(30_000) + 'z\n1,2\n']) {
      const bytes = Buffer.from(text, 'utf8');
      const withEmpty = (fastPath: boolean) => {
        const recs: { fields: string[]; line: number }[] = [];
        const r = new RecordReader({ file: 'x.csv', delimiter: ',', fastPath }, (fields, line) => recs.push({ fields, line }));
        try {
          r.push(Buffer.alloc(0));
          for (let i = 0; i < bytes.length; i++) r.push(bytes.subarray(i, i + 1));
          r.push(Buffer.alloc(0));
          r.end();
          return { recs, error: null };
        } catch (e) {
          return { recs, error: (e as RapportError).code };
        }
      };
      const t = performance.now();
      const fast = withEmpty(true);
      expect(performance.now() - t).toBeLessThan(5000);
      expect(fast).toEqual(withEmpty(false));
    }
  });
  it('a 100,000-field line is refused with the same error either way', () => {
    const bytes = Buffer.from('a,b\n' + ','.repeat(100_000) + '\n', 'utf8');
    const slow = read(bytes, [1 << 16], false);
    const fast = read(bytes, [1 << 16], true);
    expect(fast.error).toMatch(/^CSV_TOO_MANY_COLUMNS .*line 2/);
    expect(fast).toEqual(slow);
  });
});
