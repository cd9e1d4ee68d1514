/**
 * Loading instruments: a built-in id (`relationship-engagement`) or a file (YAML or JSON).
 * YAML is parsed safely: core schema only, no custom tags, duplicate keys refused, and an alias
 * bomb refused (yaml's maxAliasCount) rather than expanded.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument, visit } from 'yaml';
import { InputError, InstrumentError } from '../errors.js';
import { readBoundedSync } from '../io/input.js';
import { INSTRUMENTS_DIR } from '../paths.js';
import type { Instrument } from './types.js';
import { validateInstrument } from './validate.js';

/** Largest instrument file accepted (documented in README "Safety and limits"). */
export const MAX_INSTRUMENT_BYTES = 2 * 1024 * 1024;

/** Parse YAML or JSON text into plain data, or throw InstrumentError with line/column. */
export function parseInstrumentText(text: string, file: string): unknown {
  const doc = parseDocument(text, {
    schema: 'core',
    customTags: [],
    uniqueKeys: true,
    prettyErrors: true,
    strict: true,
  });
  // Custom or unknown tags (!!js/function, !custom) are refused, not ignored.
  const refused = [...doc.errors, ...doc.warnings.filter((w) => /tag/i.test(w.message))];
  if (refused.length) {
    throw new InstrumentError(
      file,
      refused.map((e) => ({
        path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '',
        message: yamlMessage(e.message),
      })),
    );
  }
  // Count aliases before resolving: yaml's own check is slow on self-referencing aliases.
  let aliases = 0;
  visit(doc, {
    Alias() {
      aliases++;
      return aliases > MAX_ALIASES ? visit.BREAK : undefined;
    },
  });
  if (aliases > MAX_ALIASES) {
    throw new InstrumentError(file, [{ path: '', message: `uses more than ${MAX_ALIASES} YAML aliases (a possible alias bomb); write the content out instead of using & and * references` }]);
  }
  try {
    // maxAliasCount applies here too: an alias bomb throws instead of expanding.
    const data = doc.toJS({ maxAliasCount: 100 });
    checkShape(data, file);
    return data;
  } catch (err) {
    if (err instanceof InstrumentError) throw err;
    const msg = (err as Error).message ?? String(err);
    if (/alias/i.test(msg)) {
      throw new InstrumentError(file, [{ path: '', message: 'uses YAML aliases that expand too far (a possible alias bomb); write the content out instead of using & and * references' }]);
    }
    if (err instanceof RangeError) {
      throw new InstrumentError(file, [{ path: '', message: 'is nested too deeply to be an instrument; check the indentation' }]);
    }
    throw new InstrumentError(file, [{ path: '', message: `cannot be read as YAML: ${msg}` }]);
  }
}

const MAX_ALIASES = 50;
const MAX_DEPTH = 32;

/** Refuse self-referencing (circular) data and absurd nesting before validation walks it. */
function checkShape(data: unknown, file: string): void {
  const onPath = new Set<object>();
  const walk = (v: unknown, depth: number): void => {
    if (v === null || typeof v !== 'object') return;
    if (onPath.has(v)) throw new InstrumentError(file, [{ path: '', message: 'has a YAML alias that refers to itself; write the content out instead' }]);
    if (depth > MAX_DEPTH) throw new InstrumentError(file, [{ path: '', message: `is nested more than ${MAX_DEPTH} levels deep, which no instrument needs; check the indentation` }]);
    onPath.add(v);
    for (const x of Object.values(v)) walk(x, depth + 1);
    onPath.delete(v);
  };
  walk(data, 0);
}

function yamlMessage(m: string): string {
  const first = m.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  if (/Unresolved tag/.test(first)) return `uses a YAML tag (${first.replace('Unresolved tag: ', '')}), which instruments may not use; remove the tag`;
  return `is not valid YAML: ${first}; fix the syntax at that place`;
}

/** The ids of the built-in instruments, from the files in instruments/. */
export function builtinIds(): string[] {
  return fs
    .readdirSync(INSTRUMENTS_DIR)
    .filter((f) => /\.(ya?ml|json)$/.test(f) && f !== 'schema.json')
    .map((f) => f.replace(/\.(ya?ml|json)$/, ''))
    .sort();
}

function builtinPath(id: string): string | undefined {
  for (const ext of ['.yaml', '.yml', '.json']) {
    const p = path.join(INSTRUMENTS_DIR, id + ext);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

/** Load and validate an instrument from text (used by load and by tests). */
export function instrumentFromText(text: string, file: string, source = file): Instrument {
  const data = parseInstrumentText(text.replace(/^\uFEFF/, ''), file);
  const res = validateInstrument(data, source);
  if (!res.ok) throw new InstrumentError(file, res.problems);
  return res.instrument;
}

/** Folder of earlier versions of built-ins, one file each: `archive/<id>@<version>.yaml`. */
const ARCHIVE_DIR = path.join(INSTRUMENTS_DIR, 'archive');

/** Every version of a built-in instrument, newest (the file in instruments/) first. */
export function builtinVersions(id: string): string[] {
  const p = builtinPath(id);
  if (!p) return [];
  const current = instrumentFromText(fs.readFileSync(p, 'utf8'), p, `builtin:${id}`).version;
  const older = fs.existsSync(ARCHIVE_DIR)
    ? fs.readdirSync(ARCHIVE_DIR).flatMap((f) => (f.startsWith(`${id}@`) && f.endsWith('.yaml') ? [f.slice(id.length + 1, -'.yaml'.length)] : [])).sort().reverse()
    : [];
  return [current, ...older.filter((v) => v !== current)];
}

/**
 * `id@version` of a built-in: the current file when its version matches, else archive/<id>@<version>.yaml.
 * Undefined when `ref` is not of that form or names no built-in (it may still be a file name).
 */
function loadBuiltinVersion(ref: string): Instrument | undefined {
  const m = /^([a-z0-9]+(?:-[a-z0-9]+)*)@([0-9A-Za-z][0-9A-Za-z.+-]*)$/.exec(ref);
  if (!m || !builtinPath(m[1]) || fs.existsSync(ref)) return undefined;
  const [, id, version] = m;
  const p = builtinPath(id)!;
  const current = instrumentFromText(fs.readFileSync(p, 'utf8'), p, `builtin:${id}`);
  if (current.version === version) return current;
  const old = path.join(ARCHIVE_DIR, `${id}@${version}.yaml`);
  if (!fs.existsSync(old)) {
    throw new InputError(`"${ref}": built-in instrument ${id} has no version ${version}; its versions are ${builtinVersions(id).join(', ')} (write ${id}@<version>, or ${id} for the newest).`, ref, 'INSTRUMENT_VERSION_UNKNOWN');
  }
  return instrumentFromText(fs.readFileSync(old, 'utf8'), old, `builtin:${id}@${version}`);
}

/**
 * Resolve `ref` as a built-in id first (when it has no path separator or extension), else as a file.
 * `id@version` picks a version of a built-in (the newest is plain `id`).
 * Missing file: InputError (66). Invalid: InstrumentError (65).
 */
export function loadInstrument(ref: string): Instrument {
  const pinned = loadBuiltinVersion(ref);
  if (pinned) return pinned;
  const looksLikeId = /^[a-z0-9]+(-[a-z0-9]+)*$/.test(ref);
  if (looksLikeId) {
    const p = builtinPath(ref);
    if (p) return instrumentFromText(fs.readFileSync(p, 'utf8'), p, `builtin:${ref}`);
    if (!fs.existsSync(ref)) {
      throw new InputError(`"${ref}" is neither a built-in instrument nor a file; built-ins are: ${builtinIds().join(', ')} (run 'rapport instruments list').`, ref, 'INSTRUMENT_UNKNOWN');
    }
  }
  // The limit counts the bytes read, not the stat size: a FIFO, /dev/zero or <(...) stops at it.
  const bytes = readBoundedSync(ref, MAX_INSTRUMENT_BYTES, () => new InstrumentError(ref, [{ path: '', message: `is larger than the ${MAX_INSTRUMENT_BYTES}-byte limit for instruments (stopped reading there); check that this is an instrument file` }]));
  if (bytes.includes(0)) throw new InstrumentError(ref, [{ path: '', message: 'contains NUL bytes, so it is not a YAML or JSON text file; check the file' }]);
  const text = bytes.toString('utf8');
  return instrumentFromText(text, ref, path.resolve(ref));
}
