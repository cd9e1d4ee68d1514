/**
 * Loading the sampling design of `rapport report --weights <column> [--strata <column>]
 * [--replicate-weights <prefix> --replicate-type jk1]` (and --cluster as the PSU when given).
 *
 * What a weight may be (decided as for a design-based analysis, documented in docs/report.md):
 * - a negative weight, a weight that is not a number, or one out of range is an error (exit 65,
 *   REPORT_WEIGHTS, with file, line and column): it is a broken weighting file, not a respondent to skip;
 * - a missing or zero weight drops the respondent from the whole report (weighted and unweighted
 *   figures alike, so that every figure is about the same people), counted in the `weights_dropped`
 *   warning: the respondent is outside the weighted sample (not eligible, or not weighted), as if the
 *   file had been filtered before the design was declared;
 * - no respondent with a positive weight is an error;
 * - a kept respondent without a stratum (or cluster) is an error: the design cannot place them;
 * - replicate weights must be numbers of 0 or more for every kept respondent (0 = left out of that
 *   replicate); --strata and --cluster are refused beside them (the replicates carry the design).
 */
import { DataError, UsageError } from '../errors.js';
import { MAX_ABS_VALUE, numericValues, parseNumber, type TextColumn } from './columns.js';
import type { DesignColumns, ReportData } from './data.js';
import type { ReportWarning } from './types.js';

export interface DesignRequest {
  weights: string;
  strata?: string;
  /** The clinician / clinic column (--cluster), used as the primary sampling unit. */
  cluster?: string;
  replicateWeights?: string;
  replicateType?: 'jk1';
}

/** The replicate columns `<prefix>1 .. <prefix>R` of a header, in numeric order. */
function replicateNames(prefix: string, header: readonly string[], file: string): string[] {
  const re = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\d+)$`);
  const found = header.map((h) => ({ h, m: re.exec(h) })).filter((x) => x.m !== null);
  if (found.length < 2)
    throw new DataError('REPORT_VARIABLE_MISSING', `${file}: --replicate-weights ${prefix} needs columns ${prefix}1, ${prefix}2, ... (at least 2); the file has ${found.length === 0 ? 'none' : 'only ' + found[0].h}.`, { file, column: prefix });
  return found.sort((a, b) => Number(a.m![1]) - Number(b.m![1])).map((x) => x.h);
}

/** The columns the design needs, with the role each plays (for messages); checked against the model's variables. */
export function designColumnNames(d: DesignRequest, header: readonly string[], file: string, modelNames: readonly string[]): Map<string, string> {
  if (d.replicateWeights !== undefined && (d.strata !== undefined || d.cluster !== undefined))
    throw new UsageError(`--replicate-weights carries the sampling design; give it without ${d.strata !== undefined ? '--strata' : '--cluster'} (or give --strata / --cluster without replicate weights).`);
  const roles = new Map<string, string>([[d.weights, '--weights column']]);
  if (d.strata !== undefined) roles.set(d.strata, '--strata column');
  if (d.cluster !== undefined) roles.set(d.cluster, '--cluster column');
  if (d.replicateWeights !== undefined) for (const r of replicateNames(d.replicateWeights, header, file)) roles.set(r, 'replicate weight column');
  // A weight is not a variable of the analysis (strata and clusters may also be covariates or groups).
  for (const [name, role] of roles)
    if (/weight/.test(role) && modelNames.includes(name)) throw new UsageError(`"${name}" is named as the ${role} and as a variable of the report; a sampling weight is not a variable of the analysis.`);
  return roles;
}

/** A column of the design as read: its cells, the file it comes from (as shown) and its path. */
export interface DesignCell {
  column: TextColumn | null;
  shown: string;
  path: string;
}

function weightError(c: DesignCell, role: string, text: string, line: number, why: string): DataError {
  const name = c.column?.name ?? role;
  const at = line > 0 ? `, line ${line}` : '';
  return new DataError('REPORT_WEIGHTS', `${c.shown}${at}, column ${JSON.stringify(name)}: the ${role} ${JSON.stringify(text)} ${why}.`, { file: c.path, column: name, ...(line > 0 ? { line } : {}) });
}

/** The first (by line) cell of a column whose number fails `ok`, as text and line (0 = unknown). */
function firstBad(col: TextColumn, ok: (v: number) => boolean): { text: string; line: number } | null {
  if (col.kind === 'coded') {
    let best: { text: string; line: number } | null = null;
    col.levels.forEach((l, k) => {
      const v = parseNumber(l);
      const line = col.firstLines?.[k] ?? 0;
      if (!ok(v) && (best === null || line < best.line)) best = { text: l, line };
    });
    return best;
  }
  for (let i = 0; i < col.values.length; i++) if (!Number.isNaN(col.values[i]) && !ok(col.values[i])) return { text: String(col.values[i]), line: 0 };
  return col.badText !== null ? { text: col.badText, line: 0 } : null;
}

/** A weight column's numbers: non-numeric, negative or absurd values are errors; missing stays NaN. */
function weightValues(c: DesignCell, role: string): Float64Array {
  if (!c.column) throw new UsageError(`The ${role} must be a column of the data, not a scale or item of the instrument.`);
  const notNumber = firstBad(c.column, (v) => !Number.isNaN(v));
  if (notNumber) throw weightError(c, role, notNumber.text, notNumber.line, 'is not a number; a sampling weight is a number of 0 or more (leave the cell empty when a respondent has no weight)');
  const negative = firstBad(c.column, (v) => Number.isNaN(v) || v >= 0);
  if (negative) throw weightError(c, role, negative.text, negative.line, 'is negative; a sampling weight is 0 or more (check the weighting file)');
  const huge = firstBad(c.column, (v) => Number.isNaN(v) || v <= MAX_ABS_VALUE);
  if (huge) throw weightError(c, role, huge.text, huge.line, `is out of range (at most 1e15)`);
  return numericValues(c.column).values;
}

/** Codes of a stratum or cluster column (on the kept respondents: none may be missing). */
function codesOf(c: DesignCell, noun: 'stratum' | 'cluster', keep: Uint8Array): { name: string; codes: Int32Array; levels: string[] } {
  const role = noun === 'stratum' ? '--strata column' : '--cluster column';
  const col = c.column;
  if (!col) throw new UsageError(`The ${role} must be a column of the data, not a scale or item of the instrument.`);
  if (col.kind !== 'coded') throw new DataError('REPORT_TOO_MANY_LEVELS', `${c.shown}: the ${role} "${col.name}" has more than 50,000 different values.`, { file: c.path, column: col.name });
  let missing = 0;
  let first = -1;
  for (let i = 0; i < col.codes.length; i++)
    if (keep[i] && col.codes[i] < 0) {
      missing++;
      if (first < 0) first = i;
    }
  if (missing > 0)
    throw new DataError(
      'REPORT_WEIGHTS',
      `${c.shown}, column ${JSON.stringify(col.name)}: ${missing === 1 ? '1 weighted respondent has' : `${missing} weighted respondents have`} no ${noun} (the first is data row ${first + 1}); every respondent with a weight needs one, so fill it in or remove the row.`,
      { file: c.path, column: col.name },
    );
  return { name: col.name, codes: col.codes, levels: col.levels };
}

/** Read and check the design; returns it with the respondents to keep (null: all) and the warning. */
export function loadDesign(d: DesignRequest, get: (name: string) => DesignCell, n: number, roles: Map<string, string>): { design: DesignColumns; keep: Uint8Array | null; warnings: ReportWarning[] } {
  const replicateCols = [...roles].filter(([, r]) => r === 'replicate weight column').map(([name]) => name);
  const wc = get(d.weights);
  const w = weightValues(wc, 'weight');
  const keep = new Uint8Array(n);
  let missing = 0;
  let zero = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(w[i])) missing++;
    else if (w[i] === 0) zero++;
    else keep[i] = 1;
  }
  if (missing + zero === n)
    throw new DataError('REPORT_WEIGHTS', `${wc.shown}, column ${JSON.stringify(d.weights)}: no respondent has a positive weight (${missing} missing, ${zero} zero); check that --weights names the weight column.`, { file: wc.path, column: d.weights });
  const replicate = d.replicateWeights !== undefined ? { prefix: d.replicateWeights, type: d.replicateType ?? ('jk1' as const), names: replicateCols, columns: replicateCols.map((r) => replicateValues(get(r), keep)) } : null;
  const design: DesignColumns = {
    weightsName: d.weights,
    weights: w,
    strata: d.strata !== undefined ? codesOf(get(d.strata), 'stratum', keep) : null,
    cluster: d.cluster !== undefined ? codesOf(get(d.cluster), 'cluster', keep) : null,
    replicate,
    dropped: { missing, zero },
  };
  refuseLonelyStratum(design, keep, () => get(d.strata!));
  const warnings: ReportWarning[] = missing + zero > 0 ? [{ code: 'weights_dropped', column: d.weights, missing, zero }] : [];
  return { design, keep: missing + zero > 0 ? keep : null, warnings };
}

/**
 * A stratum with a single sampling unit (respondent, or cluster with --cluster) among the weighted
 * respondents has no variance estimate: an error, as survey's default survey.lonely.psu = "fail".
 */
function refuseLonelyStratum(d: DesignColumns, keep: Uint8Array, cell: () => DesignCell): void {
  if (!d.strata) return;
  const units = new Map<number, Set<number>>();
  for (let i = 0; i < keep.length; i++) {
    if (!keep[i]) continue;
    const h = d.strata.codes[i];
    let u = units.get(h);
    if (!u) units.set(h, (u = new Set()));
    u.add(d.cluster ? d.cluster.codes[i] : i);
  }
  for (const [h, u] of units)
    if (u.size < 2) {
      const c = cell();
      throw new DataError(
        'REPORT_WEIGHTS',
        `${c.shown}, column ${JSON.stringify(d.strata.name)}: stratum ${JSON.stringify(d.strata.levels[h])} has a single ${d.cluster ? 'cluster' : 'respondent'} with a weight, so its sampling variance cannot be estimated; merge it with a similar stratum.`,
        { file: c.path, column: d.strata.name },
      );
    }
}

function replicateValues(c: DesignCell, keep: Uint8Array): Float64Array {
  const v = weightValues(c, 'replicate weight');
  for (let i = 0; i < v.length; i++)
    if (keep[i] && Number.isNaN(v[i]))
      throw new DataError('REPORT_WEIGHTS', `${c.shown}, column ${JSON.stringify(c.column!.name)}: the replicate weight of data row ${i + 1} is missing, but the respondent has a sampling weight; every replicate weight must be given (0 leaves the respondent out of that replicate).`, { file: c.path, column: c.column!.name });
  return v;
}

/** Keep the rows of `keep` in every column of the data (design included). */
export function subsetData(data: ReportData, keep: Uint8Array): ReportData {
  const idx: number[] = [];
  for (let i = 0; i < keep.length; i++) if (keep[i]) idx.push(i);
  const f = (v: Float64Array) => Float64Array.from(idx, (i) => v[i]);
  const c = (v: Int32Array) => Int32Array.from(idx, (i) => v[i]);
  const d = data.design;
  return {
    ...data,
    n: idx.length,
    traits: data.traits.map((t) => ({ ...t, values: f(t.values) })),
    scaleItems: data.scaleItems?.map((s) => ({ ...s, items: s.items.map((it) => ({ ...it, values: f(it.values) })) })) ?? null,
    outcome: { ...data.outcome, y: f(data.outcome.y) },
    covariates: data.covariates.map((cv) => (cv.kind === 'numeric' ? { ...cv, values: f(cv.values) } : { ...cv, values: idx.map((i) => cv.values[i]) })),
    group: data.group ? { ...data.group, codes: c(data.group.codes) } : null,
    design: d
      ? {
          ...d,
          weights: f(d.weights),
          strata: d.strata ? { ...d.strata, codes: c(d.strata.codes) } : null,
          cluster: d.cluster ? { ...d.cluster, codes: c(d.cluster.codes) } : null,
          replicate: d.replicate ? { ...d.replicate, columns: d.replicate.columns.map(f) } : null,
        }
      : d,
  };
}
