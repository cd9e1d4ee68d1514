/**
 * Paired items across two instruments (the patient's and the clinician's form): items carrying the same
 * `pair:` key ask both sides the same question about one visit, so their options must be the same
 * (values in the same order, and the same labels in every language both forms declare). Within one
 * instrument a pair key is unique (checked by validateInstrument). Pure: no I/O.
 */
import type { InstrumentProblem } from '../errors.js';
import type { Instrument, Item, ResponseOption } from './types.js';
import { normalizeLabel } from './validate.js';

export interface ItemPair {
  key: string;
  /** Item id in the first instrument, and its index in `items`. */
  a: string;
  aIndex: number;
  b: string;
  bIndex: number;
}

export interface PairCheck {
  pairs: ItemPair[];
  /** Pair keys found in only one of the instruments (not an error: those items are simply unpaired). */
  onlyA: string[];
  onlyB: string[];
  /** Paired items whose options differ; paths name the second instrument's item. */
  problems: InstrumentProblem[];
}

function pairedItems(inst: Instrument): Map<string, { item: Item; index: number }> {
  const m = new Map<string, { item: Item; index: number }>();
  inst.items.forEach((item, index) => {
    if (typeof item.pair === 'string') m.set(item.pair, { item, index });
  });
  return m;
}

function labelIn(o: ResponseOption, lang: string): string {
  return normalizeLabel(typeof o.label === 'string' ? o.label : (o.label[lang] ?? ''));
}

/** Why two option lists are not the same question, or undefined when they are. */
function optionsDiffer(a: ResponseOption[], b: ResponseOption[], langs: string[]): string | undefined {
  if (a.length !== b.length) return `has ${b.length} options where the other form has ${a.length}`;
  for (let j = 0; j < a.length; j++) {
    if (String(a[j].value) !== String(b[j].value)) return `option ${j + 1} has value ${JSON.stringify(b[j].value)} where the other form has ${JSON.stringify(a[j].value)}`;
    for (const l of langs) {
      if (labelIn(a[j], l) !== labelIn(b[j], l)) return `option ${j + 1} (${JSON.stringify(b[j].value)}) is labelled differently in "${l}" from the other form`;
    }
  }
  return undefined;
}

/** Match the `pair:` items of two instruments and check that each pair has the same options. */
export function checkPairs(a: Instrument, b: Instrument): PairCheck {
  const pa = pairedItems(a);
  const pb = pairedItems(b);
  const langs = a.languages.filter((l) => b.languages.includes(l));
  const out: PairCheck = { pairs: [], onlyA: [], onlyB: [], problems: [] };
  for (const [key, x] of pa) {
    const y = pb.get(key);
    if (!y) {
      out.onlyA.push(key);
      continue;
    }
    const why = optionsDiffer(a.response_sets[x.item.response_set].options, b.response_sets[y.item.response_set].options, langs);
    if (why) {
      out.problems.push({
        path: `items[${y.index}].response_set`,
        message: `item "${y.item.id}" (pair "${key}") ${why} (item "${x.item.id}" of ${a.id}); paired items must offer the same options`,
      });
    } else out.pairs.push({ key, a: x.item.id, aIndex: x.index, b: y.item.id, bIndex: y.index });
  }
  for (const key of pb.keys()) if (!pa.has(key)) out.onlyB.push(key);
  return out;
}
