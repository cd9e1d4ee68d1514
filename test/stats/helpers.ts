import { expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { buildDesign } from '../../src/stats/design.js';

/** Assert |got - want| <= tol * |want| (absolute tol when want is 0). */
export function expectRel(got: number | null | undefined, want: number, tol: number, label = ''): void {
  if (typeof got !== 'number' || !Number.isFinite(got)) throw new Error(`${label}: expected a finite number near ${want}, got ${got}`);
  const err = want === 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want);
  if (!(err <= tol)) {
    expect.fail(`${label}: got ${got}, R gives ${want} (relative error ${err.toExponential(2)} > ${tol})`);
  }
}

/** Assert two arrays agree elementwise to a relative tolerance. */
export function expectAllRel(got: ArrayLike<number | null>, want: ArrayLike<number>, tol: number, label = ''): void {
  expect(got.length, `${label}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) expectRel(got[i], want[i], tol, `${label}[${i}]`);
}

export function readJson<T = any>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../reference/${name}`, import.meta.url), 'utf8')) as T;
}

/** A tiny CSV reader for the committed reference data (no quoted commas in those files). */
export function readCsv(name: string): { header: string[]; rows: string[][]; num(col: string): Float64Array; str(col: string): (string | null)[] } {
  const text = readFileSync(new URL(`../reference/${name}`, import.meta.url), 'utf8').trim();
  const lines = text.split(/\r?\n/);
  const unq = (s: string): string => (s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s);
  const header = lines[0].split(',').map(unq);
  const rows = lines.slice(1).map((l) => l.split(',').map(unq));
  const idx = (col: string): number => {
    const i = header.indexOf(col);
    if (i < 0) throw new Error(`no column ${col} in ${name}`);
    return i;
  };
  return {
    header,
    rows,
    num: (col) => {
      const i = idx(col);
      return Float64Array.from(rows, (r) => (r[i] === '' || r[i] === 'NA' ? NaN : Number(r[i])));
    },
    str: (col) => {
      const i = idx(col);
      return rows.map((r) => (r[i] === '' ? null : r[i]));
    },
  };
}

/** Cluster labels to 0-based indices in sorted order (R's factor levels; numeric labels numerically). */
export function clusterIndex(labels: (string | null)[]): Int32Array {
  const levels = [...new Set(labels as string[])].sort((a, b) => (/^\d+$/.test(a) && /^\d+$/.test(b) ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
  const at = new Map(levels.map((l, i) => [l, i]));
  return Int32Array.from(labels, (l) => at.get(l as string)!);
}

const SURVEY_TRAITS = ['trust', 'respect', 'liking', 'listening', 'agreement', 'communication'];

/** The design of R's reference model on test/reference/survey.csv: six traits, age, sex and site. */
export function surveyDesign() {
  const d = readCsv('survey.csv');
  const numeric: Record<string, Float64Array> = {};
  for (const t of [...SURVEY_TRAITS, 'age']) numeric[t] = d.num(t);
  return buildDesign({
    numeric,
    categorical: { sex: d.str('sex'), site: d.str('site') },
    outcome: d.num('portal_use'),
  });
}
