/**
 * Reading a REDCap data dictionary: its bytes become records through the one table reader (BOM,
 * UTF-16, UTF-8 or Windows-1252; comma-separated, quoted multi-line cells, any line ending), then
 * instrument/redcap.ts's parseDictionary makes the dictionary of them.
 */
import { parseDictionary, type RedcapDictionary } from '../instrument/redcap.js';
import { readRecordsFromBytes } from './table.js';

export interface DictionaryRead {
  dict: RedcapDictionary;
  /** Notes for the user (the file was not UTF-8). */
  notes: string[];
}

/** The records of a dictionary file (bytes, or text already decoded) and the notes on its encoding. */
export function readDictionaryRecords(input: Uint8Array | string, file: string): { records: { fields: string[]; line: number }[]; notes: string[] } {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const records: { fields: string[]; line: number }[] = [];
  const facts = readRecordsFromBytes(bytes, { file, delimiter: ',' }, (fields, line) => records.push({ fields, line }));
  const notes = facts.encodingHow === 'fallback' ? ['the file is not valid UTF-8; it was read as Windows-1252 (save it as UTF-8 to avoid this)'] : [];
  return { records, notes };
}

/** Read a data dictionary file (bytes, or text already decoded). */
export function readDictionary(input: Uint8Array | string, file: string): DictionaryRead {
  const { records, notes } = readDictionaryRecords(input, file);
  return { dict: parseDictionary(records, file), notes };
}
