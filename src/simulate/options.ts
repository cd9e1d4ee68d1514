/**
 * Parsing of the `simulate` and `power` option values. Each bad value is a UsageError (exit 2)
 * with one sentence naming the option, the value and the fix.
 */
import { UsageError } from '../errors.js';
import { parseDecimal } from '../util/decimal.js';


/** Largest number of respondents `simulate` will generate in one run. */
export const MAX_N = 10_000_000;
/** Largest number of replicates per sample size in `power`. */
export const MAX_REPS = 100_000;

const num = parseDecimal;

export function parseCount(v: string, flag: string, example: string, max: number): number {
  const x = num(v);
  if (!Number.isInteger(x) || x < 1) throw new UsageError(`${flag} ${JSON.stringify(v)}: give a whole number of at least 1, e.g. ${flag} ${example}.`);
  if (x > max) throw new UsageError(`${flag} ${v}: at most ${max.toLocaleString('en-US')} is supported; choose a smaller number.`);
  return x;
}

export function parseSeed(v: string): number {
  const x = num(v);
  if (!Number.isSafeInteger(x)) throw new UsageError(`--seed ${JSON.stringify(v)}: give a whole number (up to 9007199254740991 in size), e.g. --seed 2026.`);
  return x;
}

export function parseOpenProportion(v: string, flag: string, what: string, example: string): number {
  const x = num(v);
  if (!(x > 0 && x < 1)) throw new UsageError(`${flag} ${JSON.stringify(v)}: ${what} must be a number strictly between 0 and 1, e.g. ${flag} ${example}.`);
  return x;
}

export function parseMissing(v: string): number {
  const x = num(v);
  if (!(x >= 0 && x < 1)) throw new UsageError(`--missing ${JSON.stringify(v)}: the share of unanswered items must be at least 0 and below 1, e.g. --missing 0.03.`);
  return x;
}

export function parseCorrelation(v: string): number {
  const x = num(v);
  if (!(x > -1 && x < 1)) throw new UsageError(`--correlation ${JSON.stringify(v)}: the correlation between traits must be a number between -1 and 1 (exclusive), e.g. --correlation 0.45.`);
  return x;
}

/** `trust=2.0,agreement=1.6` → { trust: 2, agreement: 1.6 } (names are checked against the instrument later). */
export function parseEffects(v: string): Record<string, number> {
  // A null-prototype table: `__proto__=2` becomes an own key (and is then refused as no scale), not a prototype.
  const out: Record<string, number> = Object.create(null);
  const parts = v.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (parts.length === 0) throw new UsageError('--effect: give at least one effect as trait=OR, e.g. --effect trust=2.0.');
  for (const part of parts) {
    const m = /^([^=\s]+)\s*=\s*(.+)$/.exec(part);
    if (!m) throw new UsageError(`--effect ${JSON.stringify(part)}: write each effect as trait=OR (the odds ratio per 1 SD of the scale score), e.g. trust=2.0.`);
    const [, trait, val] = m;
    const or = num(val);
    if (!(or > 0) || !Number.isFinite(or)) throw new UsageError(`--effect ${part}: an odds ratio must be a positive number, e.g. ${trait}=1.8 (1 means no effect).`);
    if (Object.hasOwn(out, trait)) throw new UsageError(`--effect: "${trait}" is given twice; give each trait once.`);
    out[trait] = or;
  }
  return out;
}

/** `100,200,400` → sorted distinct sample sizes. */
export function parseNList(v: string): number[] {
  const parts = v.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (parts.length === 0) throw new UsageError('--n: give one or more sample sizes separated by commas, e.g. --n 100,200,400.');
  const ns = parts.map((p) => {
    const x = num(p);
    if (!Number.isInteger(x) || x < 10) throw new UsageError(`--n ${JSON.stringify(p)}: each sample size must be a whole number of at least 10, e.g. --n 100,200,400.`);
    if (x > 1_000_000) throw new UsageError(`--n ${p}: sample sizes up to 1,000,000 are supported in power; choose a smaller one.`);
    return x;
  });
  return [...new Set(ns)].sort((a, b) => a - b);
}

export function parseChoice<T extends string>(v: string, flag: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(v)) return v as T;
  const list = choices.length > 1 ? `${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]}` : choices[0];
  throw new UsageError(`${flag} ${JSON.stringify(v)}: unknown value; use ${list}.`);
}

/** `--clusters`, `--icc`, `--trait-share` (the last two only matter with --clusters). */
export function parseClusterFlags(f: { clusters?: string; icc?: string; traitShare?: string }, n: number): { clusters?: number; icc: number; traitShare: number } {
  const icc = num(f.icc ?? '0.1');
  if (!(icc >= 0 && icc < 1)) throw new UsageError(`--icc ${JSON.stringify(f.icc)}: the latent-scale intraclass correlation must be a number from 0 up to (not including) 1, e.g. --icc 0.1.`);
  const traitShare = num(f.traitShare ?? '0.1');
  if (!(traitShare >= 0 && traitShare < 1)) throw new UsageError(`--trait-share ${JSON.stringify(f.traitShare)}: the between-clinician share of trait variance must be a number from 0 up to (not including) 1, e.g. --trait-share 0.1.`);
  if (f.clusters === undefined) return { icc, traitShare };
  const clusters = parseCount(f.clusters, '--clusters', '40', MAX_N);
  if (clusters > n) throw new UsageError(`--clusters ${clusters}: more clinicians than respondents (--n ${n}); choose at most ${n}.`);
  return { clusters, icc, traitShare };
}
