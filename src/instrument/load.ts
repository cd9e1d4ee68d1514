/**
 * Loading instruments: a built-in id (`relationship-engagement`) or a file (YAML or JSON).
 * YAML is parsed safely: core schema only, no custom tags, duplicate keys refused, and an alias
 * bomb refused (yaml's maxAliasCount) rather than expanded.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument, visit } from 'yaml';
import { InputError, InstrumentError, inputErrorFrom } from '../errors.js';
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

/**
 * Resolve `ref` as a built-in id first (when it has no path separator or extension), else as a file.
 * Missing file: InputError (66). Invalid: InstrumentError (65).
 */
export function loadInstrument(ref: string): Instrument {
  const looksLikeId = /^[a-z0-9]+(-[a-z0-9]+)*$/.test(ref);
  if (looksLikeId) {
    const p = builtinPath(ref);
    if (p) return instrumentFromText(fs.readFileSync(p, 'utf8'), p, `builtin:${ref}`);
    if (!fs.existsSync(ref)) {
      throw new InputError(`"${ref}" is neither a built-in instrument nor a file; built-ins are: ${builtinIds().join(', ')} (run 'rapport instruments list').`, ref, 'INSTRUMENT_UNKNOWN');
    }
  }
  let text: string;
  try {
    const st = fs.statSync(ref);
    if (st.isDirectory()) throw Object.assign(new Error('dir'), { code: 'EISDIR' });
    if (st.size > MAX_INSTRUMENT_BYTES) {
      throw new InstrumentError(ref, [{ path: '', message: `is ${st.size} bytes, larger than the ${MAX_INSTRUMENT_BYTES}-byte limit for instruments; check that this is an instrument file` }]);
    }
    const bytes = fs.readFileSync(ref);
    if (bytes.includes(0)) throw new InstrumentError(ref, [{ path: '', message: 'contains NUL bytes, so it is not a YAML or JSON text file; check the file' }]);
    text = bytes.toString('utf8');
  } catch (err) {
    if (err instanceof InstrumentError) throw err;
    throw inputErrorFrom(err, ref);
  }
  return instrumentFromText(text, ref, path.resolve(ref));
}
