/**
 * `--on <key>` or `--on <key>=<key2>` (issues 15 and 18): the column that links the input to a second
 * file (--join, --dyad), named the same in both or differently in each. One parser for both options.
 */
import { UsageError } from '../errors.js';

export interface KeyColumns {
  /** The key's name in the input (the patients' file). */
  input: string;
  /** Its name in the other file (--join's or --dyad's); the same unless `A=B` was given. */
  other: string;
}

export function parseOnKey(value: string): KeyColumns {
  const parts = value.split('=').map((s) => s.trim());
  if (parts.length > 2 || parts.some((s) => s === ''))
    throw new UsageError(`--on ${value}: give the key column's name (--on visit_id), or its name in the input and in the other file (--on visit_id=VisitID).`);
  return { input: parts[0], other: parts[1] ?? parts[0] };
}
