/**
 * Inputs that are not text: an Excel workbook (.xlsx, a zip archive) or an SPSS system file (.sav),
 * recognised by their first bytes whatever the file is called, read whole (both formats need random
 * access or are small) and handed on as records like a CSV's, so platform detection, mapping and
 * scoring are the same. `SourceInfo` tells the reader's caller what the input was: where a cell is (for
 * messages) and, for a .sav, each column's value labels and user-missing values.
 */
import { DataError } from '../errors.js';
import { displayName } from '../io/input.js';
import type { RecordHandler } from './records.js';
import { type SavFile, type SavVariable, isUserMissing, looksLikeSav, openSav, readSav } from './sav.js';
import { openByteSource, readHead } from './source.js';
import { cellPlace, looksLikeZip, readXlsx } from './xlsx.js';

/** What a non-CSV input was. */
export interface SourceInfo {
  kind: 'xlsx' | 'sav';
  /** The sheet read (xlsx). */
  sheet?: string;
  /** Where a cell is, for messages: `sheet Data, cell C14` or `case 12, variable trust_1`. */
  place(line: number, column: number, name: string): string;
  /** .sav: value label of a cell (undefined when it has none). */
  labelOf?(column: number, cell: string): string | undefined;
  /** .sav: is the cell a user-missing value of its variable? */
  isMissing?(column: number, cell: string): boolean;
  /** .sav: the variables, in column order. */
  variables?: SavVariable[];
}

/** Largest workbook or .sav file read (they are read whole). */
export const MAX_BINARY_BYTES = 512 * 1024 * 1024;

/** Is this head an input readBinaryTable reads? */
export function isBinaryTable(head: Buffer): boolean {
  return looksLikeZip(head) || looksLikeSav(head);
}

/** Gather the rest of the input after its head, up to MAX_BINARY_BYTES. */
export async function readWhole(head: Buffer, eof: boolean, chunks: AsyncIterator<Buffer | string>, file: string): Promise<Buffer> {
  const parts = [head];
  let size = head.length;
  while (!eof) {
    const r = await chunks.next();
    if (r.done) break;
    const chunk = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    size += chunk.length;
    if (size > MAX_BINARY_BYTES) throw new DataError('INPUT_TOO_LARGE', `${displayName(file)} is larger than ${MAX_BINARY_BYTES / 1024 / 1024} MiB, the limit for an Excel or SPSS input; export it as CSV instead.`, { file });
    parts.push(chunk);
  }
  return Buffer.concat(parts, size);
}

/** Read an .xlsx or .sav held in memory, record by record: the header first (line 1 in a .sav; a .sav's case n is line n + 1). */
export async function readBinaryTable(buf: Buffer, file: string, sheet: string | undefined, onSource: ((s: SourceInfo) => void) | undefined, onRecord: RecordHandler): Promise<void> {
  if (looksLikeSav(buf)) {
    const sav = openSav(buf, file);
    const vars = sav.variables;
    onSource?.({
      kind: 'sav',
      variables: vars,
      place: (line, column) => `case ${line - 1}, variable ${vars[column]?.name ?? column + 1}`,
      labelOf: (column, cell) => vars[column]?.valueLabels.get(cell),
      isMissing: (column, cell) => (vars[column] ? isUserMissing(vars[column], cell) : false),
    });
    onRecord(vars.map((v) => v.name), 1);
    let line = 1;
    for (const c of sav.cases()) onRecord(c, ++line);
    return;
  }
  const x = await readXlsx(buf, file, sheet);
  onSource?.({ kind: 'xlsx', sheet: x.sheet, place: (line, column) => cellPlace(x.sheet, line, column) });
  for (const r of x.rows) onRecord(r.fields, r.line);
}

/** Read an SPSS .sav file (`-` is standard input) for its dictionary and cases; anything else is SAV_INVALID. */
export async function readSavFile(file: string): Promise<SavFile> {
  const { chunks } = await openByteSource(file);
  const { head, eof } = await readHead(chunks);
  if (!looksLikeSav(head)) throw new DataError('SAV_INVALID', `${displayName(file)} is not an SPSS .sav file (it does not start with $FL2); in SPSS, PSPP or R save the data as .sav, or in Qualtrics and REDCap export "SPSS".`, { file });
  return readSav(await readWhole(head, eof, chunks, file), file);
}
