/**
 * The outcome counts and the model sample: the respondents with the outcome and every trait and
 * covariate (drops attributed to the first missing variable, in order), and the model's columns,
 * traits standardised on those respondents unless --raw-units.
 */
import { standardise } from '../../stats/standardise.js';
import type { ReportData } from '../data.js';
import type { Dropped } from '../types.js';

export interface OutcomeCounts {
  nPos: number;
  nNeg: number;
  prevalence: number | null;
}

export function outcomeCounts(y: Float64Array): OutcomeCounts {
  let nPos = 0;
  let nNeg = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] === 1) nPos++;
    else if (y[i] === 0) nNeg++;
  }
  return { nPos, nNeg, prevalence: nPos + nNeg > 0 ? nPos / (nPos + nNeg) : null };
}

export interface ModelSample {
  /** 1 for the respondents in the model. */
  use: Uint8Array;
  n: number;
  events: number;
  dropped: Dropped[];
}

/** The respondents with the outcome and every trait and covariate. */
export function modelSample(data: ReportData): ModelSample {
  const n = data.n;
  const y = data.outcome.y;
  const use = new Uint8Array(n);
  const dropCounts = new Map<string | null, number>();
  const drop = (k: string | null) => dropCounts.set(k, (dropCounts.get(k) ?? 0) + 1);
  const missingOf = (i: number): string | null | undefined => {
    if (!(y[i] === 0 || y[i] === 1)) return null;
    for (const t of data.traits) if (t.values[i] !== t.values[i]) return t.name;
    for (const c of data.covariates) if (c.kind === 'numeric' ? c.values[i] !== c.values[i] : c.values[i] === null) return c.name;
    if (data.cluster && data.cluster.codes[i] < 0) return data.cluster.name;
    return undefined;
  };
  let m = 0;
  let events = 0;
  for (let i = 0; i < n; i++) {
    const miss = missingOf(i);
    if (miss !== undefined) drop(miss);
    else {
      use[i] = 1;
      m++;
      if (y[i] === 1) events++;
    }
  }
  return { use, n: m, events, dropped: [...dropCounts.entries()].map(([variable, k]) => ({ variable, n: k })) };
}

export interface ModelColumns {
  /** Keyed by user-given column names: null-prototype objects, so `__proto__` is an ordinary key. */
  numeric: Record<string, Float64Array>;
  categorical: Record<string, (string | null)[]>;
  levels: Record<string, string[]>;
  order: string[];
  y: Float64Array;
  /** Mean and SD of each trait on the model respondents. */
  scaling: { predictor: string; mean: number; sd: number }[];
}

/** The model's columns on the model sample (NaN / null elsewhere). */
export function modelColumns(data: ReportData, s: ModelSample, rawUnits: boolean): ModelColumns {
  const n = data.n;
  const use = s.use;
  const masked = (v: Float64Array) => {
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = use[i] ? v[i] : NaN;
    return x;
  };
  const scaling: ModelColumns['scaling'] = [];
  const numeric: Record<string, Float64Array> = Object.create(null);
  for (const t of data.traits) {
    const st = s.n >= 2 ? standardise(t.values, use) : null;
    numeric[t.name] = rawUnits || !st ? masked(t.values) : st.z;
    scaling.push({ predictor: t.name, mean: st?.mean ?? NaN, sd: st?.sd ?? NaN });
  }
  const categorical: Record<string, (string | null)[]> = Object.create(null);
  const levels: Record<string, string[]> = Object.create(null);
  for (const c of data.covariates) {
    if (c.kind === 'numeric') numeric[c.name] = masked(c.values);
    else {
      categorical[c.name] = c.values.map((v, i) => (use[i] ? v : null));
      levels[c.name] = c.levels;
    }
  }
  const order = [...data.traits.map((t) => t.name), ...data.covariates.map((c) => c.name)];
  return { numeric, categorical, levels, order, y: masked(data.outcome.y), scaling };
}
