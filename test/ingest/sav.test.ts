/**
 * The SPSS reader (src/ingest/sav.ts) on files written by PSPP (bytecode-compressed and uncompressed)
 * and R's haven (compressed), against what haven itself reads from them (test/reference/sav-fixtures.R
 * → sav-fixtures.json): names, labels, value labels, user-missing values and every cell; and the
 * scoring of a .sav: value labels matched to options, user-missing values refused. Truncated files fail
 * with SAV_INVALID at every cut.
 */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { readSav } from '../../src/ingest/sav.js';
import { loadInstrument } from '../../src/instrument/load.js';
import { scoreInput, type ScoredRow } from '../../src/scoring/pipeline.js';

interface HavenVar {
  name: string;
  label: string | null;
  numeric: boolean;
  value_labels: Record<string, string> | [];
  na_values: string[];
  na_range: [number, number] | null;
  cells: string[];
}
const reference = JSON.parse(fs.readFileSync('test/reference/sav-fixtures.json', 'utf8')) as { file: string; cases: number; variables: HavenVar[] }[];

describe('readSav agrees with haven on PSPP and haven files, and on haven\'s own SPSS files (fixtures/real)', () => {
  for (const ref of reference) {
    it(ref.file, () => {
      const sav = readSav(fs.readFileSync(ref.file), ref.file);
      expect(sav.cases.length).toBe(ref.cases);
      // our own fixtures have several rows (byte-compressed data past the first row); haven's small test files need not
      if (!ref.file.startsWith('fixtures/real/')) expect(sav.cases.length).toBeGreaterThan(5);
      expect(sav.variables.map((v) => v.name)).toEqual(ref.variables.map((v) => v.name));
      ref.variables.forEach((hv, j) => {
        const v = sav.variables[j];
        expect(v.label ?? null).toBe(hv.label);
        expect(v.width === 0).toBe(hv.numeric);
        expect(Object.fromEntries(v.valueLabels)).toEqual(Array.isArray(hv.value_labels) ? {} : hv.value_labels);
        expect(v.missing.values).toEqual(hv.na_values);
        expect(v.missing.range ?? null).toEqual(hv.na_range);
        expect(sav.cases.map((c) => c[j])).toEqual(hv.cells);
      });
    });
  }

  it('reads a very long string (over 255 bytes, UTF-8) whole', () => {
    const sav = readSav(fs.readFileSync('fixtures/sav/haven.sav'), 'haven.sav');
    const comment = sav.cases[0][sav.variables.findIndex((v) => v.name === 'comment')];
    expect(comment).toBe(Array(30).fill('très long').join(' '));
    expect(sav.encoding).toBe('utf-8');
  });

  it('a file cut anywhere fails with SAV_INVALID, one sentence, never a partial read', () => {
    for (const file of ['fixtures/sav/pspp.sav', 'fixtures/sav/haven.sav', 'fixtures/sav/pspp-uncompressed.sav']) {
      const buf = fs.readFileSync(file);
      for (let cut = 0; cut < buf.length; cut += 41) {
        let err: unknown;
        try {
          readSav(buf.subarray(0, cut), 'cut.sav');
        } catch (e) {
          err = e;
        }
        expect(err, `${file} cut at ${cut}`).toBeInstanceOf(DataError);
        expect((err as DataError).code).toBe('SAV_INVALID');
        expect((err as DataError).message).toMatch(/^cut\.sav (is an SPSS \.sav file that ends early|cannot be read as an SPSS \.sav file)/);
      }
    }
  });

  it('refuses a .zsav with a sentence saying what to do', () => {
    const buf = Buffer.from(fs.readFileSync('fixtures/sav/pspp.sav'));
    buf.write('$FL3', 0, 'latin1');
    expect(() => readSav(buf, 'x.zsav')).toThrow(/zlib-compressed \.zsav file; save it as \.sav/);
  });
});

describe('scoring a .sav', () => {
  const instrument = loadInstrument('fixtures/sav/instrument.yaml');
  const score = async (file: string) => {
    const rows: { id: string; scores: number[] }[] = [];
    const s = await scoreInput({ input: file, instrument }, (r: ScoredRow) => rows.push({ id: r.id, scores: Array.from(r.scores) }));
    return { rows, s };
  };
  for (const file of ['fixtures/sav/pspp.sav', 'fixtures/sav/haven.sav']) {
    it(`${file}: user-missing values are refused, a 0-4 coding is read by its labels`, async () => {
      const { rows, s } = await score(file);
      // Hand-computed from make-pspp.sps / make-haven.R: trust = mean(trust_1, trust_2, 6 - trust_3) over
      // non-missing answers (8 is user-missing); listening = listen_1 + 1 (coded 0-4, labels match 1-5), 7-9 missing.
      expect(rows[0].scores[0]).toBeCloseTo((5 + 4 + 4) / 3, 10);
      expect(rows[3].scores).toEqual([2, 1]); // trust_1 = 8 (user-missing): (2 + 2) / 2; listen_1 = 0 → 1
      expect(rows[4].scores[1]).toBeNaN(); // listen_1 = 7, in the missing range 7-9
      expect(rows[7].scores[1]).toBeNaN(); // listen_1 = 9
      expect(rows[8].scores[0]).toBe(5); // trust_2 = 8 refused: (5 + 5) / 2
      expect(s.invalidCells).toBe(0);
      expect(s.refusedCells).toBe(4); // trust_1 8 (case 4), trust_2 8 (case 9), listen_1 7 (case 5) and 9 (case 8)
      expect(s.format).toBe('sav');
      expect(s.warnings.join('\n')).toMatch(/listen_1: the \.sav file's codes differ from the instrument's values/);
    });
  }
});
