/**
 * An instrument skeleton from an SPSS file's dictionary (`rapport instruments import-sav`), as
 * import-redcap does from a REDCap dictionary: a numeric variable with value labels becomes an item (its
 * labelled values the options, its user-missing values, and "no answer" labels such as "Don't know" at
 * either end, the missing codes); identical option lists share one response set; variables named
 * `<stem>_<n>` (two or more, one response set) become a suggested scale. Other variables (strings,
 * numbers without labels) are skipped with a note. Pure: takes the variables as read by
 * src/ingest/sav.ts (structurally), returns instrument data to validate and notes.
 */
import type { ImportNote } from './redcap.js';
import { isNotAPosition, toInstrumentId } from './redcap.js';

/** What the import needs of a variable (src/ingest/sav.ts SavVariable has these fields). */
export interface LabelledVariable {
  name: string;
  label?: string;
  /** 0 numeric, else a string's width. */
  width: number;
  valueLabels: ReadonlyMap<string, string>;
  missing: { values: readonly string[]; range?: readonly [number, number] };
}

export interface SavImportResult {
  data: Record<string, unknown>;
  entries: ImportNote[];
}

const ID_RE = /^[A-Za-z][A-Za-z0-9_]*$/;

type Option = { value: number; label: string };

/** Options and missing codes of a labelled numeric variable (null: fewer than two options). */
function optionsOf(v: LabelledVariable): { options: Option[]; missing: Option[] } | null {
  const all = [...v.valueLabels]
    .map(([code, label]) => ({ value: Number(code), label: label.trim() || code }))
    .filter((o) => Number.isFinite(o.value))
    .sort((a, b) => a.value - b.value);
  const userMissing = (x: number) => v.missing.values.includes(String(x)) || (v.missing.range !== undefined && x >= v.missing.range[0] && x <= v.missing.range[1]);
  const miss = new Set(all.filter((o) => userMissing(o.value)));
  const rest = all.filter((o) => !miss.has(o));
  for (let i = rest.length - 1; i >= 0 && isNotAPosition(rest[i].label); i--) miss.add(rest[i]);
  for (let i = 0; i < rest.length && isNotAPosition(rest[i].label); i++) miss.add(rest[i]);
  const options = all.filter((o) => !miss.has(o));
  if (options.length < 2) return null;
  return { options, missing: all.filter((o) => miss.has(o)) };
}

/** A response-set id from the first variable that uses the list. */
function setId(name: string, used: Set<string>): string {
  const base = name.replace(/_\d+$/, '').replace(/[^A-Za-z0-9_]/g, '_') || 'options';
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
  used.add(id);
  return id;
}

/** Suggested scales: stems with two or more items `<stem>_<n>` of one response set. */
function suggestScales(items: { id: string; response_set: string }[]): Record<string, unknown>[] {
  const byStem = new Map<string, { id: string; response_set: string }[]>();
  for (const it of items) {
    const m = /^(.+?)_\d+$/.exec(it.id);
    if (m) byStem.set(m[1], [...(byStem.get(m[1]) ?? []), it]);
  }
  return [...byStem]
    .filter(([stem, its]) => its.length >= 2 && new Set(its.map((i) => i.response_set)).size === 1 && ID_RE.test(stem) && !items.some((i) => i.id === stem))
    .map(([stem, its]) => ({ id: stem, label: stem.replace(/_/g, ' '), items: its.map((i) => i.id), method: 'mean', min_answered: '50%' }));
}

/** The instrument data of a .sav's variables (validate it before writing). */
export function savToInstrument(vars: readonly LabelledVariable[], fileBase: string): SavImportResult {
  const entries: ImportNote[] = [];
  const note = (reason: string, field: string, text: string) => entries.push({ reason, field, text });
  const sets: Record<string, { options: Option[]; missing?: Option[] }> = {};
  const setByKey = new Map<string, string>();
  const used = new Set<string>();
  const items: { id: string; text: string; response_set: string }[] = [];
  for (const v of vars) {
    if (v.width !== 0) {
      note('not-scorable', v.name, `skipped variable "${v.name}" (a string: ids and free text are not items)`);
      continue;
    }
    const o = optionsOf(v);
    if (!o) {
      note('not-scorable', v.name, `skipped variable "${v.name}" (${v.valueLabels.size === 0 ? 'a number without value labels' : 'fewer than two labelled options'}; add it by hand as a number item if it is one)`);
      continue;
    }
    const id = ID_RE.test(v.name) ? v.name : v.name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z])/, 'v$1');
    if (id !== v.name) note('bad-name', v.name, `variable "${v.name}" became item "${id}" (item ids take letters, digits and _); map it with --map ${id}: ${v.name}`);
    if (o.missing.length > 0) note('missing-codes', v.name, `"${v.name}": ${o.missing.map((m) => `${m.value} "${m.label}"`).join(', ')} imported as missing codes`);
    const key = JSON.stringify(o);
    let rs = setByKey.get(key);
    if (rs === undefined) {
      rs = setId(id, used);
      setByKey.set(key, rs);
      sets[rs] = o.missing.length > 0 ? o : { options: o.options };
    }
    items.push({ id, text: v.label?.trim() || v.name, response_set: rs });
  }
  const scales = suggestScales(items);
  for (const s of scales) note('suggested-scale', String(s.id), `suggested scale "${String(s.id)}" (mean of ${(s.items as string[]).join(', ')}): check it, and mark reverse-keyed items with reverse: true`);
  const id = toInstrumentId(fileBase);
  const data = { rapport: 1, id, version: '0.1.0', title: `${fileBase} (imported from SPSS)`, response_sets: sets, items, scales };
  return { data, entries };
}
