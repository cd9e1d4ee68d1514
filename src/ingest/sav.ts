/**
 * A reader of SPSS system files (.sav), as documented with GNU PSPP ("System File Format"): the file
 * header, variable records (2), value labels (3 with their variable list 4), documents (6), extension
 * records (7: 3 machine integers with the character code, 13 long variable names, 14 very long strings,
 * 20 the character encoding; others skipped), the dictionary end (999), then the cases, uncompressed or
 * bytecode-compressed (the default of SPSS, PSPP and R's haven). zlib-compressed files (.zsav) are
 * refused with a sentence saying how to save a .sav.
 *
 * Why our own: the one npm reader (sav-reader 2.0.8) reads only the first case of a bytecode-compressed
 * file (see README, Design). This one is checked against files written by PSPP and haven
 * (test/ingest/sav.test.ts, fixtures/sav/).
 *
 * Out: variables (long names, labels, value labels, user-missing values) and cases as strings: a number
 * in its shortest exact form (`4`, `2.5`), a date variable as an ISO date, system-missing as an empty
 * cell, a string without its trailing blanks.
 */
import { DataError } from '../errors.js';
import { displayName } from '../io/input.js';

export interface SavVariable {
  /** The long name (record 7/13), else the short one. */
  name: string;
  label?: string;
  /** 0 numeric, else the string width in bytes. */
  width: number;
  /** Value → label, keyed by the cell text the reader emits (`4`, `Yes`). */
  valueLabels: Map<string, string>;
  /** User-missing values: discrete cell texts, and for numbers a range (lo..hi). */
  missing: { values: string[]; range?: [number, number] };
  /** Print format type (SPSS format code: 5 F, 1 A, 20 DATE, 22 DATETIME, ...). */
  format: number;
}

export interface SavFile {
  variables: SavVariable[];
  /** Each case's cells, in variable order. */
  cases: string[][];
  encoding: string;
}

/** Is `cell` a user-missing value of the variable? */
export function isUserMissing(v: SavVariable, cell: string): boolean {
  if (cell === '') return false;
  if (v.missing.values.includes(cell)) return true;
  const r = v.missing.range;
  if (r === undefined) return false;
  const x = Number(cell);
  return x >= r[0] && x <= r[1];
}

/** One slot of the case layout: a dictionary variable record (a string's continuations are extra slots). */
interface Slot {
  short: string;
  width: number;
  label?: Buffer;
  missing: Buffer[];
  nMissing: number;
  format: number;
  /** Elements (8 bytes) the variable takes in a case. */
  elements: number;
  labels: [Buffer, Buffer][];
}

/** A bounds-checked cursor over the file's bytes; running past the end is a truncated file. */
class Cursor {
  pos = 0;
  constructor(
    readonly buf: Buffer,
    readonly le: boolean,
    readonly file: string,
  ) {}
  need(n: number): void {
    if (n < 0 || this.pos + n > this.buf.length) throw truncated(this.file);
  }
  int(): number {
    this.need(4);
    const v = this.le ? this.buf.readInt32LE(this.pos) : this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  double(): number {
    this.need(8);
    const v = this.le ? this.buf.readDoubleLE(this.pos) : this.buf.readDoubleBE(this.pos);
    this.pos += 8;
    return v;
  }
  bytes(n: number): Buffer {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
}

const truncated = (file: string) =>
  new DataError('SAV_INVALID', `${displayName(file)} is an SPSS .sav file that ends early (it is truncated or damaged); save or export it again from SPSS, PSPP or R.`, { file });

const bad = (file: string, what: string) =>
  new DataError('SAV_INVALID', `${displayName(file)} cannot be read as an SPSS .sav file (${what}); save or export it again from SPSS, PSPP or R, or export a CSV.`, { file });

/** Does the buffer start like a .sav (or .zsav) file? */
export function looksLikeSav(head: Buffer): boolean {
  return head.length >= 4 && (head.toString('latin1', 0, 4) === '$FL2' || head.toString('latin1', 0, 4) === '$FL3');
}

interface Header {
  compression: number;
  bias: number;
  cases: number;
}

function readHeader(c: Cursor): Header {
  if (c.buf.toString('latin1', 0, 4) === '$FL3') throw bad(c.file, 'it is a zlib-compressed .zsav file; save it as .sav with ordinary compression');
  c.bytes(64);
  c.int(); // layout code (used to pick the byte order)
  c.int(); // nominal case size
  const compression = c.int();
  c.int(); // weight index
  const cases = c.int();
  const bias = c.double();
  c.bytes(84); // creation date and time, file label, padding
  if (compression !== 0 && compression !== 1) throw bad(c.file, `unknown compression ${compression}`);
  return { compression, bias, cases };
}

function readVariable(c: Cursor): Slot {
  const type = c.int();
  const hasLabel = c.int();
  const nMissing = c.int();
  const print = c.int();
  c.int(); // write format
  const short = c.bytes(8).toString('latin1').trimEnd();
  let labelBytes: Buffer | undefined;
  if (hasLabel === 1) {
    const len = c.int();
    labelBytes = c.bytes(Math.ceil(len / 4) * 4).subarray(0, len);
  }
  if (nMissing < -3 || nMissing > 3) throw bad(c.file, `a variable record with ${nMissing} missing values`);
  const missing: Buffer[] = [];
  for (let i = 0; i < Math.abs(nMissing); i++) missing.push(c.bytes(8));
  return { short, width: type, label: labelBytes, missing, nMissing, format: (print >> 16) & 0xff, elements: 1, labels: [] };
}

function readValueLabels(c: Cursor, slots: Slot[], indexOf: Map<number, number>): void {
  const n = c.int();
  if (n < 0 || n > 1e7) throw bad(c.file, 'a damaged value-label record');
  const pairs: [Buffer, Buffer][] = [];
  for (let i = 0; i < n; i++) {
    const value = c.bytes(8);
    c.need(1);
    const len = c.buf[c.pos];
    const raw = c.bytes(Math.ceil((len + 1) / 8) * 8);
    pairs.push([value, raw.subarray(1, 1 + len)]);
  }
  if (c.int() !== 4) throw bad(c.file, 'a value-label record without its variable list');
  const count = c.int();
  if (count < 0 || count > 1e7) throw bad(c.file, 'a damaged value-label variable list');
  for (let i = 0; i < count; i++) {
    const at = indexOf.get(c.int());
    if (at === undefined) throw bad(c.file, 'value labels for a variable that does not exist');
    for (const p of pairs) slots[at].labels.push(p);
  }
}

/** Extension records: what each subtype gave. */
interface Extensions {
  longNames?: string;
  veryLong?: string;
  encoding?: string;
  codePage?: number;
}

function readExtension(c: Cursor, ext: Extensions): void {
  const subtype = c.int();
  const size = c.int();
  const count = c.int();
  if (size < 0 || count < 0 || size * count > c.buf.length) throw truncated(c.file);
  const data = c.bytes(size * count);
  if (subtype === 3 && size === 4 && count >= 8) ext.codePage = c.le ? data.readInt32LE(28) : data.readInt32BE(28);
  else if (subtype === 13) ext.longNames = data.toString('latin1');
  else if (subtype === 14) ext.veryLong = data.toString('latin1');
  else if (subtype === 20) ext.encoding = data.toString('latin1').trim();
}

/** The dictionary: slots (one per variable record, continuations folded in) and extension facts. */
function readDictionary(c: Cursor): { slots: Slot[]; ext: Extensions } {
  const slots: Slot[] = [];
  const indexOf = new Map<number, number>(); // 1-based element index → slot
  const ext: Extensions = {};
  let element = 0;
  for (;;) {
    const rec = c.int();
    if (rec === 2) {
      const v = readVariable(c);
      element++;
      if (v.width === -1) {
        if (slots.length === 0) throw bad(c.file, 'a string continuation before any variable');
        slots[slots.length - 1].elements++;
        continue;
      }
      indexOf.set(element, slots.length);
      slots.push(v);
    } else if (rec === 3) readValueLabels(c, slots, indexOf);
    else if (rec === 6) c.bytes(c.int() * 80);
    else if (rec === 7) readExtension(c, ext);
    else if (rec === 999) {
      c.int();
      return { slots, ext };
    } else throw bad(c.file, `an unknown record type ${rec} at byte ${c.pos - 4}`);
  }
}

/** `KEY=value` pairs of a record 7/13 (tab-separated) or 7/14 (NUL then tab). */
function pairs(text: string | undefined): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of (text ?? '').split(/[\t\0]+/)) {
    const eq = part.indexOf('=');
    if (eq > 0) m.set(part.slice(0, eq).toUpperCase(), part.slice(eq + 1));
  }
  return m;
}

/** The character encoding: record 7/20, else the code page of record 7/3, else Windows-1252. */
function encodingOf(ext: Extensions): string {
  const named = ext.encoding?.toLowerCase();
  if (named && isDecodable(named)) return named;
  const cp = ext.codePage;
  if (cp === 65001) return 'utf-8';
  if (cp !== undefined && cp > 2 && isDecodable(`windows-${cp}`)) return `windows-${cp}`;
  return 'windows-1252';
}

function isDecodable(enc: string): boolean {
  try {
    new TextDecoder(enc);
    return true;
  } catch {
    return false;
  }
}


/** Seconds from SPSS's day zero (1582-10-14) to the Unix epoch. */
const SPSS_EPOCH = 12219379200;
const DATE_FORMATS = new Set([20, 23, 24, 28, 29, 30, 38, 39]);
const DATETIME_FORMATS = new Set([22, 41]);
const SYSMIS = -Number.MAX_VALUE;

/** A number as the reader emits it: dates as ISO text, system-missing as empty. */
function numberText(x: number, format: number): string {
  if (x !== x || x === SYSMIS) return '';
  if (DATE_FORMATS.has(format) || DATETIME_FORMATS.has(format)) {
    const d = new Date((x - SPSS_EPOCH) * 1000);
    if (!Number.isNaN(d.getTime())) return DATE_FORMATS.has(format) ? d.toISOString().slice(0, 10) : d.toISOString().replace('.000Z', 'Z');
  }
  return String(x);
}

/** Every case as one buffer of 8-byte elements (compressed cases expanded), until the data end. */
function* caseBuffers(c: Cursor, h: Header, width: number): Generator<Buffer> {
  const size = width * 8;
  if (h.compression === 0) {
    while (c.pos < c.buf.length) {
      if (c.pos + size > c.buf.length) throw truncated(c.file);
      yield c.bytes(size);
    }
    return;
  }
  let codes: Buffer = Buffer.alloc(0);
  let k = 8;
  for (;;) {
    const out = Buffer.alloc(size);
    for (let e = 0; e < width; ) {
      if (k === 8) {
        if (c.pos >= c.buf.length && e === 0) return;
        codes = c.bytes(8);
        k = 0;
      }
      const code = codes[k++];
      if (code === 0) continue;
      if (code === 252) {
        if (e === 0) return;
        throw truncated(c.file);
      }
      if (code === 253) c.bytes(8).copy(out, e * 8);
      else if (code === 254) out.fill(0x20, e * 8, e * 8 + 8);
      else if (code === 255) (c.le ? out.writeDoubleLE(SYSMIS, e * 8) : out.writeDoubleBE(SYSMIS, e * 8));
      else (c.le ? out.writeDoubleLE(code - h.bias, e * 8) : out.writeDoubleBE(code - h.bias, e * 8));
      e++;
    }
    yield out;
  }
}

/** A variable as cases store it: its slots (one, or a very long string's segments) and what to keep of each. */
interface Layout {
  v: SavVariable;
  /** [element offset, bytes kept] per segment. */
  parts: [number, number][];
}

/** Join very long strings' segments and apply long names, labels and missing values. */
function layout(slots: Slot[], ext: Extensions, dec: InstanceType<typeof TextDecoder>, c: Cursor): Layout[] {
  const le = c.le;
  const longNames = pairs(ext.longNames);
  const veryLong = pairs(ext.veryLong);
  const text = (b: Buffer) => dec.decode(b).replace(/[\s\0]+$/u, '');
  const key = (b: Buffer, width: number) => (width === 0 ? numberText(le ? b.readDoubleLE(0) : b.readDoubleBE(0), 5) : text(b));
  const out: Layout[] = [];
  let element = 0;
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i];
    const long = veryLong.get(s.short.toUpperCase());
    const width = long !== undefined ? Number(long) : s.width;
    const parts: [number, number][] = [];
    const segments = long !== undefined && width > 255 ? Math.ceil(width / 252) : 1;
    for (let g = 0; g < segments; g++) {
      const seg = slots[i + g];
      if (seg === undefined) throw bad(c.file, 'a very long string has fewer segments than its width needs');
      const keep = segments === 1 ? seg.width : g < segments - 1 ? 255 : width - 255 * (segments - 1);
      parts.push([element, keep]);
      element += seg.elements;
    }
    i += segments - 1;
    const num = s.width === 0;
    const valueLabels = new Map<string, string>(s.labels.map(([v, l]) => [key(v, s.width), text(l)]));
    const discrete = s.nMissing < 0 ? s.missing.slice(2) : s.missing;
    const missing = {
      values: discrete.map((b) => key(b, s.width)),
      range: num && s.nMissing < -1 ? ([le ? s.missing[0].readDoubleLE(0) : s.missing[0].readDoubleBE(0), le ? s.missing[1].readDoubleLE(0) : s.missing[1].readDoubleBE(0)] as [number, number]) : undefined,
    };
    const name = longNames.get(s.short.toUpperCase()) ?? s.short;
    out.push({ v: { name: dec.decode(Buffer.from(name, 'latin1')), label: s.label ? text(s.label) : undefined, width, valueLabels, missing, format: s.format }, parts });
  }
  return out;
}

/** A .sav file's dictionary, and its cases one at a time (a file that ends early throws at the end). */
export interface SavReader {
  variables: SavVariable[];
  encoding: string;
  cases(): Generator<string[]>;
}

/** Open a .sav file held in memory: the dictionary now, the cases as they are asked for. DataError SAV_INVALID when damaged. */
export function openSav(buf: Buffer, file: string): SavReader {
  if (buf.length < 176 || !looksLikeSav(buf)) throw bad(file, 'it does not start with an SPSS file header');
  const layoutCode = buf.readInt32LE(64);
  const c = new Cursor(buf, layoutCode === 2 || layoutCode === 3, file);
  const h = readHeader(c);
  const { slots, ext } = readDictionary(c);
  if (slots.length === 0) throw bad(file, 'it has no variables');
  const encoding = encodingOf(ext);
  const dec = new TextDecoder(encoding);
  const vars = layout(slots, ext, dec, c);
  const width = slots.reduce((a, s) => a + s.elements, 0);
  const cell = (b: Buffer, { v, parts }: Layout) =>
    v.width === 0
      ? numberText(c.le ? b.readDoubleLE(parts[0][0] * 8) : b.readDoubleBE(parts[0][0] * 8), v.format)
      : dec.decode(Buffer.concat(parts.map(([at, n]) => b.subarray(at * 8, at * 8 + n)))).replace(/[ \0]+$/u, '');
  function* cases(): Generator<string[]> {
    let n = 0;
    for (const b of caseBuffers(c, h, width)) {
      n++;
      yield vars.map((l) => cell(b, l));
    }
    if (h.cases >= 0 && n < h.cases) throw truncated(file);
  }
  return { variables: vars.map((l) => l.v), encoding, cases };
}

/** Read a whole .sav file held in memory (dictionary and every case). */
export function readSav(buf: Buffer, file: string): SavFile {
  const r = openSav(buf, file);
  return { variables: r.variables, cases: [...r.cases()], encoding: r.encoding };
}
