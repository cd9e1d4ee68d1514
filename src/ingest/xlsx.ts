/**
 * Excel workbooks (.xlsx) as records: the first sheet (or the one `--sheet` names), one record per
 * non-empty row with its row number as the record's line, read with exceljs (see README, Design).
 *
 * Cells become the text a CSV export of the sheet would hold: a number in its shortest exact form, a
 * date as an ISO date (with the time when it has one), TRUE/FALSE, a formula's result, rich text and
 * hyperlinks as their text, an error as its code (`#N/A`). Rows are as wide as the header (the first
 * non-empty row): a value right of the last header cell is an error naming its cell.
 */
import type ExcelJS from 'exceljs';
import { DataError, UsageError } from '../errors.js';
import { displayName } from '../io/input.js';

/** Does the buffer start like a zip archive (an .xlsx is one)? */
export function looksLikeZip(head: Buffer): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}

/** Column letters of a 0-based column index (0 → A, 26 → AA). */
export function columnLetters(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** `sheet Data, cell C14`. */
export function cellPlace(sheet: string, line: number, column: number): string {
  return `sheet ${sheet}, cell ${columnLetters(column)}${line}`;
}

type Value = ExcelJS.CellValue;

/** A date as YYYY-MM-DD, or the full ISO time when it has a time of day. */
function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
}

/** The text of a cell value (see the module comment). */
export function cellText(v: Value): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return dateText(v);
  const o = v as unknown as Record<string, unknown>;
  if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((r) => r.text).join('');
  if ('result' in o || 'formula' in o || 'sharedFormula' in o) return cellText(o.result as Value);
  if (typeof o.text === 'string') return o.text;
  if (o.text !== undefined) return cellText(o.text as Value);
  if (typeof o.error === 'string') return o.error;
  return '';
}

export interface SheetRecords {
  sheet: string;
  /** Each non-empty row: its cells and its row number. */
  rows: { fields: string[]; line: number }[];
}

/** Load a workbook held in memory; a damaged or truncated file is XLSX_INVALID (exit 65). */
async function loadWorkbook(buf: Buffer, file: string): Promise<ExcelJS.Workbook> {
  // exceljs is loaded only when a workbook is read: CSV runs never pay for it.
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0].slice(0, 120) : String(err);
    throw new DataError(
      'XLSX_INVALID',
      `${displayName(file)} is a zip archive but cannot be read as an Excel .xlsx workbook (${why}); the file may be truncated or damaged: save it again from Excel, or export the sheet as CSV.`,
      { file },
    );
  }
  return wb;
}

/** Pick the sheet: `name` (exactly, then ignoring case), else the first. */
function pickSheet(wb: ExcelJS.Workbook, file: string, name: string | undefined): ExcelJS.Worksheet {
  const sheets = wb.worksheets;
  const names = sheets.map((s) => JSON.stringify(s.name)).join(', ');
  if (sheets.length === 0) throw new DataError('XLSX_INVALID', `${displayName(file)} is an Excel workbook without sheets; save it again from Excel, or export a CSV.`, { file });
  if (name === undefined) return sheets[0];
  const ws = sheets.find((s) => s.name === name) ?? sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
  if (!ws) throw new UsageError(`--sheet ${JSON.stringify(name)}: ${displayName(file)} has no sheet of that name; its sheets are ${names}.`);
  return ws;
}

/** Read one sheet of an .xlsx workbook into records. */
export async function readXlsx(buf: Buffer, file: string, sheetName?: string): Promise<SheetRecords> {
  const wb = await loadWorkbook(buf, file);
  const ws = pickSheet(wb, file, sheetName);
  const rows: { fields: string[]; line: number }[] = [];
  let width = -1;
  let headerLine = 0;
  ws.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      cells[col - 1] = cellText(cell.value);
    });
    let last = cells.length - 1;
    while (last >= 0 && (cells[last] === undefined || cells[last] === '')) last--;
    if (last < 0) return;
    if (width < 0) {
      width = last + 1;
      headerLine = line;
    }
    if (last >= width) {
      throw new DataError(
        'XLSX_CELL_OUTSIDE',
        `${displayName(file)}, ${cellPlace(ws.name, line, last)}: a value right of the last header cell (${columnLetters(width - 1)}${headerLine} is the last header cell); give the column a header, or delete the value.`,
        { file, line },
      );
    }
    const fields = new Array<string>(width);
    for (let i = 0; i < width; i++) fields[i] = cells[i] ?? '';
    rows.push({ fields, line });
  });
  return { sheet: ws.name, rows };
}
