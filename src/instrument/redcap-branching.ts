/**
 * REDCap branching logic to `show_if`. Only the simple forms rapport can express are imported:
 *   [field] = 'value'                      one condition
 *   [f] = '1' or [f] = '2'                 one condition on one field, several values
 *   [a] = '1' and [b] = '2'                every condition must hold (a show_if list)
 * The field must be an item imported before this one and the values its codes. Anything else
 * (checkbox terms `[f(1)]`, <>, <, parentheses, functions, events, or/and mixed) is skipped with a note.
 */
import type { ShowIf } from './types.js';

const TERM = /^\[([a-z][a-z0-9_]*)\]\s*==?\s*(?:'([^']*)'|"([^"]*)"|(-?\d+(?:\.\d+)?))$/i;

/** The conditions of `logic`, or the reason it cannot be imported. */
export function parseBranching(logic: string): { conds: ShowIf[] } | { reason: string } {
  const text = logic.replace(/\s+/g, ' ').trim();
  const hasOr = / or /i.test(text);
  const hasAnd = / and /i.test(text);
  if (hasOr && hasAnd) return { reason: 'it mixes "and" and "or"' };
  const terms = text.split(hasOr ? / or /i : / and /i).map((t) => t.trim());
  const parsed: { item: string; value: string }[] = [];
  for (const t of terms) {
    const m = TERM.exec(t);
    if (!m) return { reason: `${JSON.stringify(t)} is not of the form [field] = 'value'` };
    parsed.push({ item: m[1].toLowerCase(), value: m[2] ?? m[3] ?? m[4] });
  }
  if (hasOr) {
    if (new Set(parsed.map((p) => p.item)).size > 1) return { reason: '"or" across different fields' };
    return { conds: [{ item: parsed[0].item, in: [...new Set(parsed.map((p) => p.value))] }] };
  }
  const byItem = new Map<string, string[]>();
  for (const p of parsed) byItem.set(p.item, [...(byItem.get(p.item) ?? []), p.value]);
  if ([...byItem.values()].some((v) => v.length > 1)) return { reason: 'one field must equal two values at once' };
  return { conds: [...byItem].map(([item, vals]) => ({ item, in: vals })) };
}

interface ImportedItem {
  id: unknown;
  response_set?: unknown;
  [k: string]: unknown;
}

/**
 * Set `show_if` on imported items from their fields' branching logic. `codesOf(item)` gives an item's
 * codes (options and missing codes, as they are in the instrument); `note` records a skipped rule.
 */
export function applyBranching(
  items: ImportedItem[],
  logicOf: (id: string) => string | undefined,
  codesOf: (item: ImportedItem) => (number | string)[] | undefined,
  note: (field: string, text: string) => void,
): void {
  const seen = new Map<string, ImportedItem>();
  for (const it of items) {
    const id = String(it.id);
    const logic = logicOf(id)?.trim();
    if (logic) {
      const r = parseBranching(logic);
      const skip = (why: string) => note(id, `field "${id}": branching logic ${JSON.stringify(logic)} was not imported (${why}); the item is always asked`);
      if ('reason' in r) skip(r.reason);
      else {
        const conds: ShowIf[] = [];
        let problem: string | undefined;
        for (const c of r.conds) {
          const ref = seen.get(c.item);
          const codes = ref ? codesOf(ref) : undefined;
          if (!ref || !codes) {
            problem = `"${c.item}" is not a choice item imported before it`;
            break;
          }
          const vals = c.in.map((v) => codes.find((k) => String(k) === String(v)));
          if (vals.some((v) => v === undefined)) {
            problem = `a value is not one of the codes of "${c.item}"`;
            break;
          }
          conds.push({ item: c.item, in: vals as (number | string)[] });
        }
        if (problem) skip(problem);
        else it.show_if = conds.length === 1 ? conds[0] : conds;
      }
    }
    seen.set(id, it);
  }
}

/**
 * `show_if` as REDCap branching logic (export): one condition's values joined by `or`, conditions by
 * `and` (parenthesised when a condition has several values; REDCap accepts that, import reads back the
 * simple forms). `fieldOf` maps an item id to its REDCap field name.
 */
export function toBranchingLogic(conds: ShowIf[] | undefined, fieldOf: (id: string) => string): string {
  if (!conds || conds.length === 0) return '';
  const one = (c: ShowIf) => c.in.map((v) => `[${fieldOf(c.item)}] = '${String(v)}'`).join(' or ');
  if (conds.length === 1) return one(conds[0]);
  return conds.map((c) => (c.in.length > 1 ? `(${one(c)})` : one(c))).join(' and ');
}
