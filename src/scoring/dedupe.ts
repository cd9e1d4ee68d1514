/**
 * Duplicate respondent ids, for `--dedupe keep|first|last|error`: a 64-bit hash set on typed arrays
 * (12 bytes per id), so a million ids cost ~16 MB, not the ~60 MB of a Set of strings. A false
 * "duplicate" needs a 64-bit collision (~3e-8 for 1M ids).
 *
 * - keep (default) and error: every key goes to a sequential log checked at the end (DupLog);
 * - first: an in-stream set drops a repeated key as it comes;
 * - last: a first pass records the ordinal of each key's last row (`remember`), the second pass keeps
 *   only that row.
 */
import { DataError } from '../errors.js';
import { displayName } from '../io/input.js';

export type DedupeMode = 'keep' | 'first' | 'last' | 'error';

/** Open-addressing set of 64-bit key hashes with a 32-bit value each, interleaved (one cache line per probe). */
export class HashIndex {
  private t: Uint32Array;
  private size = 0;
  private mask: number;
  constructor(capacity = 1 << 14) {
    this.t = new Uint32Array(capacity * 3);
    this.mask = capacity - 1;
  }
  /** Empty the set (keeping its capacity). */
  clear(): void {
    this.t.fill(0);
    this.size = 0;
  }
  /** Value stored for the key, or -1. `insert` stores `value` for a new key; `overwrite` also replaces an old one. */
  lookup(a: number, b: number, value: number, set: 'insert' | 'overwrite' | 'none'): number {
    a = (a | 1) >>> 0; // 0 marks an empty slot
    const t = this.t;
    const mask = this.mask;
    let i = (a ^ Math.imul(b, 0x9e3779b1)) & mask;
    for (;;) {
      const x = t[i * 3];
      if (x === 0) break;
      if (x === a && t[i * 3 + 1] === b) {
        const old = t[i * 3 + 2];
        if (set === 'overwrite') t[i * 3 + 2] = value;
        return old;
      }
      i = (i + 1) & mask;
    }
    if (set === 'none') return -1;
    t[i * 3] = a;
    t[i * 3 + 1] = b >>> 0;
    t[i * 3 + 2] = value;
    if (++this.size * 2 > mask) this.grow();
    return -1;
  }
  private grow(): void {
    const old = this.t;
    const cap = (this.mask + 1) * 2;
    this.t = new Uint32Array(cap * 3);
    this.mask = cap - 1;
    this.size = 0;
    for (let j = 0; j < old.length; j += 3) if (old[j] !== 0) this.lookup(old[j], old[j + 1], old[j + 2], 'insert');
  }
}

/**
 * Duplicate detection that only reports (default mode and --dedupe error). In the stream every key is
 * appended to a sequential log (12 bytes a row: no random memory access per row, which on a large
 * hash table costs a cache and TLB miss each, more than all the cell reading). At the end the log is
 * partitioned by the key's top byte (stable) and each partition checked with a small, cache-resident
 * hash table: exact at 64 bits, in input order.
 */
class DupLog {
  /** The log in fixed blocks of 2^16 entries (no doubling copies, no slack). */
  private blocks: Uint32Array[] = [];
  private n = 0;
  add(a: number, b: number, line: number): void {
    const j = this.n & 0xffff;
    if (j === 0) this.blocks.push(new Uint32Array(3 << 16));
    const blk = this.blocks[this.blocks.length - 1];
    this.n++;
    blk[j * 3] = a;
    blk[j * 3 + 1] = b;
    blk[j * 3 + 2] = line;
  }
  /** Number of rows whose key appeared before, and the first `max` of them (first line, line) in input order. */
  finish(max: number): { count: number; examples: { firstLine: number; line: number }[] } {
    const n = this.n;
    const blocks = this.blocks;
    const counts = new Uint32Array(256);
    for (const blk of blocks) {
      const m = blk === blocks[blocks.length - 1] ? ((n - 1) & 0xffff) + 1 : 1 << 16;
      for (let j = 0; j < m; j++) counts[blk[j * 3] >>> 24]++;
    }
    let count = 0;
    const found: { firstLine: number; line: number }[] = [];
    // Four passes over the log, each gathering a quarter of the partitions (stable), to bound memory.
    for (let g = 0; g < 4; g++) {
      const starts = new Uint32Array(65);
      let biggest = 0;
      for (let k = 0; k < 64; k++) {
        const c = counts[g * 64 + k];
        biggest = Math.max(biggest, c);
        starts[k + 1] = starts[k] + c;
      }
      if (starts[64] < 2) continue;
      const parts = new Uint32Array(starts[64] * 3);
      const fill = starts.slice(0, 64);
      for (const blk of blocks) {
        const m = blk === blocks[blocks.length - 1] ? ((n - 1) & 0xffff) + 1 : 1 << 16;
        for (let j = 0; j < m; j++) {
          const top = blk[j * 3] >>> 24;
          if (top >>> 6 !== g) continue;
          const o = fill[top & 63]++ * 3;
          parts[o] = blk[j * 3];
          parts[o + 1] = blk[j * 3 + 1];
          parts[o + 2] = blk[j * 3 + 2];
        }
      }
      let cap = 16;
      while (cap < biggest * 2 + 2) cap *= 2;
      const set = new HashIndex(cap);
      for (let k = 0; k < 64; k++) {
        if (starts[k + 1] - starts[k] < 2) continue;
        set.clear();
        for (let i = starts[k]; i < starts[k + 1]; i++) {
          const first = set.lookup(parts[i * 3], parts[i * 3 + 1], parts[i * 3 + 2], 'insert');
          if (first >= 0) {
            count++;
            found.push({ firstLine: first, line: parts[i * 3 + 2] });
            if (found.length > 4 * max) {
              found.sort((x, y) => x.line - y.line);
              found.length = max;
            }
          }
        }
      }
    }
    found.sort((x, y) => x.line - y.line);
    return { count, examples: found.slice(0, max) };
  }
}

let hashA = 0;
let hashB = 0;
/** Hash a list of fields into (hashA, hashB). */
function hashKey(fields: readonly string[], cols: Int32Array): void {
  let a = 0x811c9dc5;
  let b = 0x12345678;
  for (let j = 0; j < cols.length; j++) {
    const s = fields[cols[j]] ?? '';
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    a = Math.imul(a ^ 0x1f, 0x01000193);
    b = Math.imul(b ^ 0x1f, 0x5bd1e995);
  }
  hashA = a >>> 0;
  hashB = (b ^ (b >>> 13)) >>> 0;
}


/** A duplicate: the line where the key first appeared and the line that repeats it. */
export interface DuplicateExample {
  firstLine: number;
  line: number;
}

/** Duplicate detection over a stream of rows; `keyCols` are the fields that make a respondent's key. */
export class Duplicates {
  /** Rows whose key appeared before (counted whatever the mode does with them). */
  count = 0;
  readonly examples: DuplicateExample[] = [];
  private readonly seen: HashIndex | undefined;
  private readonly log: DupLog | undefined;
  constructor(
    private readonly mode: DedupeMode,
    private readonly keyCols: Int32Array,
    /** For --dedupe last: key → ordinal of its last accepted row (filled by `remember` in the first pass). */
    private readonly last?: HashIndex,
  ) {
    if (mode === 'first') this.seen = new HashIndex();
    else if (mode === 'keep' || mode === 'error') this.log = new DupLog();
  }

  /** Whether the row has a key (rows with an empty id are never duplicates); sets (hashA, hashB). */
  private key(fields: readonly string[]): boolean {
    const cols = this.keyCols;
    if (cols.length === 0 || fields[cols[0]] === '') return false;
    hashKey(fields, cols);
    return true;
  }

  /** First pass of --dedupe last: remember that the row with ordinal `ord` is its key's last so far. */
  remember(fields: readonly string[], ord: number): void {
    if (this.key(fields)) this.last!.lookup(hashA, hashB, ord, 'overwrite');
  }

  /** True when this mode drops the row (`ord`: its ordinal among accepted rows). */
  drops(fields: readonly string[], line: number, ord: number): boolean {
    if (!this.key(fields)) return false;
    if (this.log) this.log.add(hashA, hashB, line);
    else if (this.seen) {
      const first = this.seen.lookup(hashA, hashB, line, 'insert');
      if (first >= 0) {
        this.count++;
        if (this.examples.length < 5) this.examples.push({ firstLine: first, line });
        return true;
      }
    }
    if (this.mode === 'last' && this.last!.lookup(hashA, hashB, 0, 'none') !== ord) {
      this.count++;
      return true;
    }
    return false;
  }

  /** At the end of the stream: the logged modes count their duplicates; --dedupe error fails on one. */
  finish(file: string): void {
    if (!this.log) return;
    const d = this.log.finish(5);
    this.count = d.count;
    this.examples.push(...d.examples);
    if (this.mode === 'error' && d.count > 0) {
      const ex = d.examples[0];
      throw new DataError(
        'SCORE_DUPLICATE_ID',
        `${displayName(file)}, line ${ex.line}: the respondent id on this line already appeared on line ${ex.firstLine} (${d.count} repeated ids in all); remove the duplicates, or choose --dedupe first or --dedupe last.`,
        { file, line: ex.line },
      );
    }
  }
}
