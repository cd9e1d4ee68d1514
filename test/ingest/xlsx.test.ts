/**
 * The Excel reader (src/ingest/xlsx.ts): cell values as the text a CSV of the sheet would hold, rows as
 * wide as the header, a value outside the header named by its cell; and the sheet cells of the writer
 * (src/ingest/xlsx-write.ts): canonical numbers become numbers, everything else stays text.
 */
import ExcelJS from 'exceljs';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { cellText, columnLetters, readXlsx } from '../../src/ingest/xlsx.js';
import { csvCellValue, workbookBytes } from '../../src/ingest/xlsx-write.js';

async function book(rows: ExcelJS.CellValue[][], name = 'Data'): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(name);
  rows.forEach((r) => ws.addRow(r));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('xlsx reader', () => {
  it('reads numbers, dates, booleans, formulas, rich text and hyperlinks as CSV text', async () => {
    const buf = await book([
      ['id', 'n', 'when', 'at', 'ok', 'sum', 'rich', 'link', 'err'],
      [
        '00123',
        2.5,
        new Date(Date.UTC(2024, 4, 1)),
        new Date(Date.UTC(2024, 4, 1, 9, 30)),
        true,
        { formula: 'B2*2', result: 5 },
        { richText: [{ text: 'Strongly ' }, { font: { bold: true }, text: 'agree' }] },
        { text: 'site', hyperlink: 'https://example.org' },
        { error: '#N/A' },
      ],
    ]);
    const x = await readXlsx(buf, 't.xlsx');
    expect(x.sheet).toBe('Data');
    expect(x.rows).toEqual([
      { fields: ['id', 'n', 'when', 'at', 'ok', 'sum', 'rich', 'link', 'err'], line: 1 },
      { fields: ['00123', '2.5', '2024-05-01', '2024-05-01T09:30:00Z', 'TRUE', '5', 'Strongly agree', 'site', '#N/A'], line: 2 },
    ]);
  });

  it('pads short rows to the header, skips empty rows, keeps row numbers as lines', async () => {
    const x = await readXlsx(await book([['a', 'b', 'c'], [1], [], [null, null, 3]]), 't.xlsx');
    expect(x.rows).toEqual([
      { fields: ['a', 'b', 'c'], line: 1 },
      { fields: ['1', '', ''], line: 2 },
      { fields: ['', '', '3'], line: 4 },
    ]);
  });

  it('a value right of the last header cell is XLSX_CELL_OUTSIDE naming the cell', async () => {
    const buf = await book([['a', 'b'], [1, 2], [1, 2, 3]]);
    await expect(readXlsx(buf, 't.xlsx')).rejects.toThrow(/^t\.xlsx, sheet Data, cell C3: a value right of the last header cell \(B1 is the last header cell\)/);
  });

  it('a damaged workbook is XLSX_INVALID', async () => {
    const buf = await book([['a'], [1]]);
    const err = await readXlsx(buf.subarray(0, buf.length - 200), 'cut.xlsx').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).code).toBe('XLSX_INVALID');
  });

  it('column letters', () => {
    expect([0, 25, 26, 27, 701, 702].map(columnLetters)).toEqual(['A', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
    expect(cellText(null)).toBe('');
  });
});

describe('xlsx writer cells', () => {
  it('canonical numbers become numbers; ids, codes and neutralised text stay text', () => {
    expect(['4', '-1.5', '4.33333333333', '5.3e-10', '00123', '1.50', "'=cmd", '', '<11'].map(csvCellValue)).toEqual([4, -1.5, 4.33333333333, 5.3e-10, '00123', '1.50', "'=cmd", null, '<11']);
  });

  it('the same sheets give the same bytes, read back by exceljs', async () => {
    const sheets = [{ name: 'T', rows: [['x', 'y'], [1, 'a']] as (string | number | null)[][], formats: [undefined, undefined] }];
    const a = await workbookBytes(sheets);
    await new Promise((r) => setTimeout(r, 2100)); // zip times have a 2-second resolution
    const b = await workbookBytes(sheets);
    expect(a.equals(b)).toBe(true);
    const x = await readXlsx(a, 'w.xlsx');
    expect(x.rows.map((r) => r.fields)).toEqual([['x', 'y'], ['1', 'a']]);
  });
});

describe('xlsx reader on workbooks written by other programs (fixtures/real, from exceljs\'s tests)', () => {
  /** The sheet's rows as Python's zipfile + ElementTree read them (test/helpers/read-xlsx.py). */
  const independent = (file: string): string[][] => {
    const r = spawnSync('python3', ['test/helpers/read-xlsx.py', file], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout).sheets[0].rows.map((row: (string | number | null)[]) => row.map((c) => (c === null ? '' : String(c))));
  };
  for (const name of ['exceljs-google-sheets.xlsx', 'exceljs-libre-calc.xlsx']) {
    it(name, async () => {
      const file = `fixtures/real/files/${name}`;
      const x = await readXlsx(fs.readFileSync(file), file);
      const want = independent(file);
      const width = want[0].length;
      expect(x.rows.map((r) => r.fields)).toEqual(want.map((row) => [...row, ...Array(width - row.length).fill('')]));
      expect(x.rows.map((r) => r.line)).toEqual([1, 2, 3]);
    });
  }
  it('a value right of the last header cell (exceljs-many-columns.xlsx, cell T2) is XLSX_CELL_OUTSIDE naming the cell', async () => {
    const file = 'fixtures/real/files/exceljs-many-columns.xlsx';
    expect(independent(file)[1].length).toBe(20); // the second row runs to column T
    const err = await readXlsx(fs.readFileSync(file), file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).code).toBe('XLSX_CELL_OUTSIDE');
    expect((err as DataError).message).toMatch(/sheet Sheet1, cell T2: .*L1 is the last header cell/);
  });
});
