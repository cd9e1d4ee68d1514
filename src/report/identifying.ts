/**
 * Variables that identify respondents are refused (the report shows aggregates only; issue 11):
 * - the respondent id column (the scoring pipeline's id column with --instrument; without it
 *   --id-column, or else a column named like an id: id, respondent_id, ResponseId, record_id, ...),
 *   and the main input's --on join key, as any variable: outcome, predictor, covariate, --group-by;
 * - a column read as categories (--group-by, a text covariate, a text outcome) in which nearly every
 *   value is distinct: at least --min-cell distinct values and more distinct values than
 *   IDENTIFYING_SHARE of its non-empty cells. (A numeric covariate is exempt: only its slope is
 *   reported, and continuous measurements are rightly nearly all distinct.)
 * The messages name the column and give counts, never a value.
 */
import { DataError } from '../errors.js';
import { ID_CANDIDATES } from '../ingest/mapping.js';
import type { TextColumn } from './columns.js';

/** Share of distinct values among non-empty cells above which a categorical column identifies respondents. */
export const IDENTIFYING_SHARE = 0.9;

/** Header indexes of the columns that hold respondent ids (see the module comment). */
export function idColumnsOf(names: readonly string[], find: (want: string) => number, o: { pipelineId?: number; idColumn?: string; joinOn?: string }): Set<number> {
  const out = new Set<number>();
  if (o.pipelineId !== undefined && o.pipelineId >= 0) out.add(o.pipelineId);
  else if (o.pipelineId === undefined) {
    const named = o.idColumn !== undefined ? find(o.idColumn) : names.findIndex((n) => ID_CANDIDATES.includes(n.trim().toLowerCase()));
    if (named >= 0) out.add(named);
  }
  if (o.joinOn !== undefined) {
    const k = find(o.joinOn);
    if (k >= 0) out.add(k);
  }
  return out;
}

export function idColumnError(file: string, shown: string, role: string, column: string): DataError {
  return new DataError(
    'REPORT_IDENTIFYING_COLUMN',
    `${shown}: the ${role} "${column}" is the respondent id column, and the report never uses ids; choose another column.`,
    { file, column },
  );
}

/** Refuses a categorical column in which nearly every value is distinct (see the module comment). */
export function refuseIfIdentifying(t: TextColumn, minCell: number, where: { file: string; shown: string; role: string; column: string }): void {
  if (t.kind !== 'coded') return;
  const seen = new Uint8Array(t.levels.length);
  let distinct = 0;
  let nonEmpty = 0;
  for (let i = 0; i < t.codes.length; i++) {
    const c = t.codes[i];
    if (c < 0) continue;
    nonEmpty++;
    if (seen[c] === 0) {
      seen[c] = 1;
      distinct++;
    }
  }
  if (distinct >= minCell && distinct > IDENTIFYING_SHARE * nonEmpty)
    throw new DataError(
      'REPORT_IDENTIFYING_COLUMN',
      `${where.shown}: the ${where.role} "${where.column}" has ${distinct} different values in ${nonEmpty} non-empty cells, so it identifies respondents; the report shows only aggregates, so name a column with few values shared by many respondents (or recode this one into bands).`,
      { file: where.file, column: where.column },
    );
}
