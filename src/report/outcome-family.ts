/**
 * Coding an ordinal or count outcome (issue 17), called by load.ts before the yes/no coding. The type
 * is `--outcome-type` when given; by default an instrument item with three or more ordered options is
 * ordinal, and a column (of the input or of the --join file) of whole numbers >= 0 with more than
 * two distinct values is a count. With --positive and no --outcome-type the outcome stays yes/no, as
 * before. Returns null when the outcome is yes/no (load.ts then codes it as it always has).
 */
import { DataError, UsageError } from '../errors.js';
import type { Instrument, Item } from '../instrument/types.js';
import { localize, responseSetOf } from '../instrument/types.js';
import { numericValues, type TextColumn } from './columns.js';
import type { OutcomeColumn } from './data.js';
import type { OutcomeType } from './types.js';
import { IDENTIFYING_SHARE } from './identifying.js';
import { DEFAULT_MIN_CELL } from './analyze.js';

export interface FamilyRequest {
  outcome: string;
  positive?: string[];
  outcomeType?: OutcomeType;
  label: string;
  /** The small-cell limit: a column with at least this many values, nearly all distinct, is never taken for a count by default. */
  minCell?: number;
}

function conflicts(o: FamilyRequest): void {
  if (o.outcomeType && o.outcomeType !== 'binary' && o.positive && o.positive.length > 0)
    throw new UsageError(`--positive applies to a yes/no outcome; --outcome-type ${o.outcomeType} models every value of ${o.outcome}. Drop one of the two.`);
}

/** The split of descriptives and group rates: 1 above the lowest category (or a count above 0). */
function split(values: Float64Array): Float64Array {
  return Float64Array.from(values, (v) => (Number.isNaN(v) ? NaN : v > 0 ? 1 : 0));
}

/** An item outcome: ordinal when asked, or by default with 3+ options and no --positive. */
export function itemFamilyOutcome(o: FamilyRequest, inst: Instrument, it: Item, vals: Float64Array): OutcomeColumn | null {
  conflicts(o);
  if (o.outcomeType === 'binary') return null;
  if (o.outcomeType === 'count')
    throw new UsageError(`--outcome-type count: ${o.outcome} is a choice item; a count outcome is a column of whole numbers (for example portal log-ins joined with --join). Use --outcome-type ordinal for an item with ordered options.`);
  const rs = responseSetOf(inst, it);
  const options = rs.options.filter((op) => typeof op.value === 'number');
  if (o.outcomeType === undefined && (options.length < 3 || (o.positive && o.positive.length > 0))) return null;
  if (options.length < 3)
    throw new UsageError(`--outcome-type ordinal: item ${it.id} has ${options.length} options; an ordinal outcome needs at least 3 ordered options (use --outcome-type binary).`);
  const lang = inst.languages[0] ?? 'en';
  const index = new Map(options.map((op, k) => [op.value as number, k] as const));
  const values = Float64Array.from(vals, (v) => (Number.isNaN(v) ? NaN : (index.get(v) ?? NaN)));
  const levels = options.map((op) => localize(op.label, lang));
  return familyColumn(o, 'ordinal', values, levels, o.outcomeType ? 'option' : 'item_options');
}

/** A column outcome: a count (whole numbers >= 0) or, when asked, ordinal by numeric order. */
export function columnFamilyOutcome(o: FamilyRequest, t: TextColumn, file: string): OutcomeColumn | null {
  conflicts(o);
  if (o.outcomeType === 'binary' || (o.outcomeType === undefined && o.positive && o.positive.length > 0)) return null;
  const { values, bad } = numericValues(t);
  const distinct = new Set<number>();
  let notCount: number | null = null;
  let nonEmpty = 0;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    nonEmpty++;
    if (!(Number.isInteger(v) && v >= 0) && notCount === null) notCount = v;
    if (distinct.size <= 50_000) distinct.add(v);
  }
  if (o.outcomeType === undefined) {
    // Nearly every value distinct looks like an identifier: left to the yes/no coding, which refuses it.
    const identifying = distinct.size >= (o.minCell ?? DEFAULT_MIN_CELL) && distinct.size > IDENTIFYING_SHARE * nonEmpty;
    return bad === null && notCount === null && distinct.size > 2 && !identifying ? familyColumn(o, 'count', values, null, 'count_values') : null;
  }
  if (bad !== null || (o.outcomeType === 'count' && notCount !== null))
    throw new DataError(
      'REPORT_OUTCOME_VALUES',
      `${file}: --outcome-type ${o.outcomeType}: the outcome column "${t.name}" has ${bad !== null ? 'a value that is not a number' : `the value ${notCount}`}; ${o.outcomeType === 'count' ? 'a count is a whole number 0 or more' : 'an ordinal column must hold numbers in their order (or use an instrument item)'}.`,
      { column: t.name },
    );
  if (o.outcomeType === 'count') return familyColumn(o, 'count', values, null, 'option');
  if (distinct.size < 3)
    throw new DataError('REPORT_OUTCOME_VALUES', `${file}: --outcome-type ordinal: the outcome column "${t.name}" has ${distinct.size} different values; an ordinal outcome needs at least 3.`, { column: t.name });
  const sorted = [...distinct].sort((a, b) => a - b);
  const pos = new Map(sorted.map((v, k) => [v, k] as const));
  return familyColumn(o, 'ordinal', Float64Array.from(values, (v) => (Number.isNaN(v) ? NaN : pos.get(v)!)), sorted.map(String), 'option');
}

function familyColumn(o: FamilyRequest, type: 'ordinal' | 'count', values: Float64Array, levels: string[] | null, rule: 'option' | 'item_options' | 'count_values'): OutcomeColumn {
  return {
    variable: o.outcome,
    y: split(values),
    positive: levels ? levels.slice(1) : ['1 or more'],
    negative: levels ? levels.slice(0, 1) : ['0'],
    rule: 'outcome_type',
    label: o.label,
    family: { type, values, levels, rule },
  };
}
