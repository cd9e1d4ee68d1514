/**
 * Excel workbooks out, with exceljs (see README, Design): the report's workbook (several sheets, built
 * in memory: it holds aggregates only) and `score --out scored.xlsx` (one sheet, streamed row by row in
 * constant memory with exceljs' WorkbookWriter into an output sink of src/io/atomic.ts).
 *
 * Cells come from the text of the CSV the same command writes (the same rows, the same suppression): a
 * cell whose text is a number in its canonical form (`4`, `-1.5`, `4.33333333333`) becomes a number; any
 * other text (ids such as `00123`, codes, labels) stays text, exactly as in the CSV. A string cell of an
 * .xlsx file is never a formula, so the CSV's formula neutralisation (a leading `'`) is kept as text.
 */
import { Writable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';

/** exceljs, loaded when a workbook is written (commands that write none never load it). */
const excel = async () => (await import('exceljs')).default;

/** A cell of a sheet: a number or text; null is an empty cell. */
export type SheetCell = string | number | null;

export interface SheetSpec {
  name: string;
  rows: SheetCell[][];
  /** Rows of headers at the top, frozen and bold (default 1; 0 for none). */
  headerRows?: number;
  /** Number format per column (Excel codes such as `0.000`), by column index. */
  formats?: (string | undefined)[];
  /** Widths in characters; default: from the longest text of each column (8 to 48). */
  widths?: number[];
}

/** A CSV cell's text as a sheet cell (see the module comment). */
export function csvCellValue(s: string): SheetCell {
  if (s === '') return null;
  const c = s.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 45 || c === 46) {
    const x = Number(s);
    if (Number.isFinite(x) && String(x) === s) return x;
  }
  return s;
}

/** The rows of a CSV text (as rapport writes it) as sheet cells. */
export function csvRows(text: string): SheetCell[][] {
  const records = parseCsv(text, { relaxColumnCount: true }) as string[][];
  return records.map((r) => r.map(csvCellValue));
}

/** Column widths from the cells' text (8 to 48 characters). */
function autoWidths(rows: SheetCell[][]): number[] {
  const w: number[] = [];
  for (const r of rows) r.forEach((c, i) => (w[i] = Math.max(w[i] ?? 8, Math.min(48, String(c ?? '').length + 2))));
  return w;
}

function addSheet(wb: ExcelJS.Workbook, spec: SheetSpec): void {
  const heads = spec.headerRows ?? 1;
  const ws = wb.addWorksheet(spec.name, { views: heads > 0 ? [{ state: 'frozen', ySplit: heads }] : [] });
  const widths = spec.widths ?? autoWidths(spec.rows);
  ws.columns = widths.map((width, i) => ({ width, style: spec.formats?.[i] ? { numFmt: spec.formats[i] } : {} }));
  spec.rows.forEach((r, i) => {
    const row = ws.addRow(r);
    if (i < heads) row.font = { bold: true };
  });
}

/** The bytes of a workbook of these sheets: the same sheets give the same bytes (fixed dates). */
export async function workbookBytes(sheets: SheetSpec[]): Promise<Buffer> {
  const wb = new (await excel()).Workbook();
  wb.creator = 'rapport';
  wb.created = wb.modified = FIXED_DATE;
  for (const s of sheets) addSheet(wb, s);
  const buf = Buffer.from(await wb.xlsx.writeBuffer());
  fixZipDates(buf);
  return buf;
}

const FIXED_DATE = new Date(Date.UTC(1980, 0, 1));

/**
 * Set every entry's modification time in a zip (local headers and central directory) to 1980-01-01
 * 00:00, so that a workbook's bytes do not depend on the clock. Walks the central directory from the
 * end-of-central-directory record; a zip it cannot walk is left as it is.
 */
function fixZipDates(z: Buffer): void {
  const eocd = z.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > z.length) return;
  const entries = z.readUInt16LE(eocd + 10);
  let p = z.readUInt32LE(eocd + 16);
  const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
  for (let i = 0; i < entries && p + 46 <= z.length && z.readUInt32LE(p) === 0x02014b50; i++) {
    z.writeUInt16LE(0, p + 12);
    z.writeUInt16LE(DOS_DATE, p + 14);
    const local = z.readUInt32LE(p + 42);
    if (local + 30 <= z.length && z.readUInt32LE(local) === 0x04034b50) {
      z.writeUInt16LE(0, local + 10);
      z.writeUInt16LE(DOS_DATE, local + 12);
    }
    p += 46 + z.readUInt16LE(p + 28) + z.readUInt16LE(p + 30) + z.readUInt16LE(p + 32);
  }
}

/** Where the streamed workbook's bytes go: an output sink's write (back-pressure by its promise). */
export interface ByteSink {
  write(chunk: Uint8Array): Promise<void>;
}

/**
 * One sheet written row by row from CSV text (what score's CSV writer produces), in constant memory:
 * `push` whole CSV lines as they come (the first line is the header: frozen, bold, and its widths),
 * `end` to finish the workbook.
 */
export class StreamingSheetWriter {
  private readonly wb: ExcelJS.stream.xlsx.WorkbookWriter;
  private ws: ExcelJS.Worksheet | undefined;
  private readonly finished: Promise<void>;
  private readonly out: Writable;

  /** A writer into `sink` (loads exceljs). */
  static async create(sink: ByteSink, sheetName: string): Promise<StreamingSheetWriter> {
    return new StreamingSheetWriter(await excel(), sink, sheetName);
  }

  private constructor(
    Excel: typeof ExcelJS,
    sink: ByteSink,
    private readonly sheetName: string,
  ) {
    const stream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        sink.write(chunk).then(() => cb(), cb);
      },
    });
    this.out = stream;
    this.finished = new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
    });
    this.finished.catch(() => {}); // awaited in end(); a failure before then must not go unhandled
    this.wb = new Excel.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
    this.wb.creator = 'rapport';
  }

  /**
   * Add the rows of `csv` (complete lines); resolves once the zip has caught up (the workbook writer
   * buffers rows it has not compressed yet, so waiting here keeps memory flat).
   */
  async push(csv: string | Buffer): Promise<void> {
    this.addRows(csv);
    await new Promise((resolve) => setImmediate(resolve));
    while (this.out.writableNeedDrain) await new Promise((resolve) => this.out.once('drain', resolve));
  }

  private addRows(csv: string | Buffer): void {
    const text = typeof csv === 'string' ? csv : csv.toString('utf8');
    if (text.length === 0) return;
    for (const r of csvRows(text)) {
      if (!this.ws) {
        this.ws = this.wb.addWorksheet(this.sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
        this.ws.columns = r.map((h) => ({ width: Math.max(10, Math.min(40, String(h ?? '').length + 2)) }));
        const head = this.ws.addRow(r);
        head.font = { bold: true };
        head.commit();
        continue;
      }
      this.ws.addRow(r).commit();
    }
  }

  /** Finish the workbook: every byte has reached the sink when this resolves. */
  async end(): Promise<void> {
    if (!this.ws) this.ws = this.wb.addWorksheet(this.sheetName);
    this.ws.commit();
    await this.wb.commit();
    await this.finished;
  }
}
