/**
 * report.xlsx (`report --xlsx`): a summary sheet (title, period, input and outcome, the "In short"
 * finding, the key table of traits), then one sheet per CSV table the report writes, built from the
 * CSV files' own text, so every row, value and withheld cell is the CSV's: the workbook never suppresses
 * anything by itself. Numbers are formatted by column (p values 4 decimals, shares as percentages,
 * counts as whole numbers, other estimates 3 decimals); the header row is frozen; widths fit the text.
 */
import { type SheetCell, type SheetSpec, csvRows, workbookBytes } from '../ingest/xlsx-write.js';
import { KEY_TABLE, WORKBOOK_LABELS, headline, workbookPeriod, workbookTitle } from './facts.js';
import type { ReportResult } from './types.js';

/** An Excel number format for a column, from its header and its numbers (undefined: text). */
export function columnFormat(header: string, values: SheetCell[]): string | undefined {
  const nums = values.filter((v): v is number => typeof v === 'number');
  if (nums.length === 0) return undefined;
  if (/(^|_)p($|_)|p_value|_p_holm$|^p$/.test(header)) return '0.0000';
  if (/share/.test(header)) return '0.0%';
  if (nums.every((x) => Number.isInteger(x))) return '0';
  return '0.000';
}

/** A sheet of one CSV table. */
export function tableSheet(name: string, csv: string): SheetSpec {
  const rows = csvRows(csv);
  const header = (rows[0] ?? []).map((h) => String(h ?? ''));
  const formats = header.map((h, i) => columnFormat(h, rows.slice(1).map((r) => r[i] ?? null)));
  return { name, rows, formats };
}

/** The summary sheet: from the result's facts and predictors.csv's rows. */
export function summarySheet(r: ReportResult, predictorsCsv: string): SheetSpec {
  const table = csvRows(predictorsCsv);
  const head = (table[0] ?? []).map((h) => String(h ?? ''));
  const cols = KEY_TABLE.map(([c]) => head.indexOf(c));
  const period = workbookPeriod(r);
  const rows: SheetCell[][] = [
    [workbookTitle(r)],
    ...(period !== undefined ? [[WORKBOOK_LABELS.period, period]] : []),
    [WORKBOOK_LABELS.input, r.input.file],
    [WORKBOOK_LABELS.outcome, r.outcome.label],
    [],
    [WORKBOOK_LABELS.inShort],
    [headline(r)],
    [],
    [WORKBOOK_LABELS.keyTable],
    KEY_TABLE.map(([, h]) => h),
    ...table.slice(1).map((row) => cols.map((i) => (i >= 0 ? (row[i] ?? null) : null))),
    [],
    [WORKBOOK_LABELS.tables],
  ];
  const formats = [undefined, '0.00', '0.00', '0.00', '0.0000', '0', '0%'];
  return { name: 'Summary', rows, formats, widths: [28, 14, 12, 12, 16, 16, 28] };
}

/** The workbook's bytes: the summary sheet, then a sheet per CSV file (in the order given). */
export async function reportWorkbook(r: ReportResult, files: Record<string, string>): Promise<Buffer> {
  const tables = Object.entries(files).filter(([name]) => name.endsWith('.csv'));
  const sheets = [summarySheet(r, files['predictors.csv'] ?? ''), ...tables.map(([name, csv]) => tableSheet(name.replace(/\.csv$/, ''), csv))];
  return workbookBytes(sheets);
}
