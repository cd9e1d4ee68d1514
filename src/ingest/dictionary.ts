/**
 * Reading a REDCap data dictionary: its bytes become records through the one table reader (BOM,
 * UTF-16, UTF-8 or Windows-1252; comma-separated, quoted multi-line cells, any line ending), then
 * instrument/redcap.ts's parseDictionary makes the dictionary of them. API metadata as JSON (an array
 * of field objects) is recognised by its first character and parsed as JSON, never as CSV.
 */
import { looksLikeJson, parseDictionary, parseDictionaryJson, type RedcapDictionary } from '../instrument/redcap.js';
import { decodeWindows1252 } from './decode.js';
import { readRecordsFromBytes } from './table.js';

export interface DictionaryRead {
  dict: RedcapDictionary;
  /** Notes for the user (the file was not UTF-8). */
  notes: string[];
}

const FALLBACK_NOTE = 'the file is not valid UTF-8; it was read as Windows-1252 (save it as UTF-8 to avoid this)';

/** The records of a dictionary file (bytes, or text already decoded) and the notes on its encoding. */
export function readDictionaryRecords(input: Uint8Array | string, file: string): { records: { fields: string[]; line: number }[]; notes: string[] } {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const records: { fields: string[]; line: number }[] = [];
  const facts = readRecordsFromBytes(bytes, { file, delimiter: ',' }, (fields, line) => records.push({ fields, line }));
  const notes = facts.encodingHow === 'fallback' ? [FALLBACK_NOTE] : [];
  return { records, notes };
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
