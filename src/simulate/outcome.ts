/**
 * Which item `simulate` and `power` draw as the outcome: `--outcome <item>`, which must be a
 * two-option item in no scale (the outcome model is a logistic one), or by default the first such
 * item. Bad choices are usage errors (exit 2) naming the item and the items that would do.
 */
import { UsageError } from '../errors.js';
import type { Instrument } from '../instrument/types.js';
import type { CompiledInstrument } from '../scoring/compile.js';

/** Items that can be the outcome: two options, in no scale. */
function candidates(ci: CompiledInstrument): string[] {
  return ci.items.filter((it) => it.scale < 0 && it.codes.length === 2).map((it) => it.id);
}

/** The outcome item's index: the named item, or the first two-option item in no scale (-1: none). */
export function chooseOutcome(inst: Instrument, ci: CompiledInstrument, wanted: string | undefined): number {
  const ok = candidates(ci);
  if (wanted === undefined) return ok.length ? ci.itemIndex.get(ok[0])! : -1;
  const choose = ok.length ? ` Choose one of ${ok.join(', ')}.` : ` Instrument ${inst.id} has no two-option item in no scale.`;
  const k = ci.itemIndex.get(wanted);
  if (k === undefined) throw new UsageError(`--outcome ${wanted}: not an item of instrument ${inst.id}.${choose}`);
  const it = ci.items[k];
  if (it.scale >= 0) throw new UsageError(`--outcome ${wanted}: the item belongs to the scale ${ci.scales[it.scale].id}, so it cannot also be the outcome.${choose}`);
  if (it.codes.length !== 2)
    throw new UsageError(`--outcome ${wanted}: the outcome must be binary (yes/no), and ${wanted} has ${it.codes.length === 0 ? 'no options' : `${it.codes.length} options`}.${choose}`);
  return k;
}
