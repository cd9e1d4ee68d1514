/**
 * Reading a REDCap data dictionary: its bytes become records through the one table reader (BOM,
 * UTF-16, UTF-8 or Windows-1252; comma-separated, quoted multi-line cells, any line ending), then
 * instrument/redcap.ts's parseDictionary makes the dictionary of them. API metadata as JSON (an array
 * of field objects) is recognised by its first character and parsed as JSON, never as CSV.
 */
import { looksLikeJson, parseDictionary, parseDictionaryJson, type RedcapDictionary } from '../instrument/redcap.js';
import { DataError } from '../errors.js';
import { decodeWindows1252 } from './decode.js';
import { readRecordsFromBytes } from './table.js';

export interface DictionaryRead {
  dict: RedcapDictionary;
  /** Notes for the user (the file was not UTF-8). */
  notes: string[];
}

const FALLBACK_NOTE = 'the file is not valid UTF-8; it was read as Windows-1252 (save it as UTF-8 to avoid this)';

type Rec = { fields: string[]; line: number };

/**
 * The records of a dictionary file (bytes, or text already decoded) and the notes on its encoding.
 *
 * REDCap itself writes some dictionaries with an undoubled quote inside a quoted cell (an HTML
 * `<a href="...">` in a field label). Such a file is read a second time with csv-parse's relax_quotes,
 * and that reading is accepted only when it is safe: every record has exactly the header's number of
 * fields (a stray quote that swallowed or split a cell would change a width), with a note naming the
 * line. Otherwise the first, strict error stands: RareLink-CDM's dictionary (fixtures/real) is such a
 * file, since a comma after its stray quotes splits the label into two cells, and no reading of it can
 * tell which quotes were meant.
 */
export function readDictionaryRecords(input: Uint8Array | string, file: string): { records: Rec[]; notes: string[] } {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const read = (relaxQuotes: boolean) => {
    const records: Rec[] = [];
    const facts = readRecordsFromBytes(bytes, { file, delimiter: ',', relaxQuotes }, (fields, line) => records.push({ fields, line }));
    return { records, notes: facts.encodingHow === 'fallback' ? [FALLBACK_NOTE] : [] };
  };
  try {
    return read(false);
  } catch (err) {
    if (!(err instanceof DataError) || err.code !== 'CSV_QUOTE_INVALID') throw err;
    let relaxed: { records: Rec[]; notes: string[] };
    try {
      relaxed = read(true);
    } catch {
      throw err;
    }
    const width = relaxed.records[0]?.fields.length ?? 0;
    const sameWidth = relaxed.records.every((r) => r.fields.length === width || (r.fields.length === 1 && r.fields[0] === ''));
    if (!sameWidth) throw err;
    // relax_quotes keeps the cell's own opening and closing quotes: drop them.
    for (const r of relaxed.records) r.fields = r.fields.map((f) => (f.length >= 2 && f.startsWith('"') && f.endsWith('"') ? f.slice(1, -1) : f));
    const at = err.place.line !== undefined ? `line ${err.place.line}` : 'a line';
    relaxed.notes.push(`${at}: a double quote inside a quoted cell is not doubled (as REDCap writes some labels); it was read as text, and every line still has the header's ${width} fields`);
    return relaxed;
  }
}

/** UTF-8 text of a JSON file (a BOM dropped); Windows-1252 when it is not valid UTF-8, with a note. */
function jsonText(input: Uint8Array | string): { text: string; notes: string[] } {
  if (typeof input === 'string') return { text: input, notes: [] };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(input), notes: [] };
  } catch {
    return { text: decodeWindows1252(input), notes: [FALLBACK_NOTE] };
  }
}

/** Read a data dictionary file (bytes, or text already decoded): CSV, or API metadata as JSON. */
export function readDictionary(input: Uint8Array | string, file: string): DictionaryRead {
  const head = typeof input === 'string' ? input.slice(0, 256) : new TextDecoder('utf-8').decode(input.subarray(0, 256));
  if (looksLikeJson(head)) {
    const { text, notes } = jsonText(input);
    return { dict: parseDictionaryJson(text, file), notes };
  }
  const { records, notes } = readDictionaryRecords(input, file);
  return { dict: parseDictionary(records, file), notes };
}
