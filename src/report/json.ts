/**
 * summary.json: the whole result in one JSON document for scheduled jobs. Keys are snake_case (like
 * the CSV columns). Everything is deterministic except the `run` key, which alone holds the run time.
 */
import { methodSentences, droppedReason, exclusionReason, headline, inShort, methodReason, modelErrorText, outcomeRule, reliabilityNote, reportTitle, termExplanations, warningText, whatThisMeans } from './facts.js';
import type { ReportResult } from './types.js';
import { dyadSummary } from './json-dyads.js';

/** Keys named as their CSV columns where the camelCase name cannot say it (cluster_reliability.csv). */
const KEY_AS_COLUMN: Record<string, string> = { nFor070: 'n_for_0.70', nFor080: 'n_for_0.80' };

function snake(k: string): string {
  return KEY_AS_COLUMN[k] ?? k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
}

export function convert(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  // ±Infinity (an infinite profile limit) as the strings R's jsonlite writes, never null ("not computed")
  if (typeof v === 'number') return Number.isFinite(v) ? v : v === Infinity ? 'Inf' : v === -Infinity ? '-Inf' : null;
  if (Array.isArray(v)) return v.map(convert);
  if (typeof v === 'object') {
    const out: Record<string, unknown> = Object.create(null);
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[snake(k)] = convert(x);
    return out;
  }
  return v;
}

/** The version of summary.json's layout (2: issue 12, the same key style as score's summary). */
const REPORT_SUMMARY_SCHEMA = 'rapport.report/2';

export interface RunInfo {
  /** Wall time of the whole run, seconds. */
  elapsedSeconds: number;
  /** When the run started (ISO 8601). */
  startedAt: string;
}

/** The result with every code that has a sentence worded (facts.ts), keys in the document's order. */
function worded(r: ReportResult): Record<string, unknown> {
  const { requested, used, separation } = r.method;
  const { title, subtitle } = reportTitle(r);
  return {
    // The headline of every output: --title (else the question), --period, the outcome in words.
    headline: {
      title,
      subtitle,
      period: r.options.period,
      outcome: r.outcome.label,
      whatThisMeans: whatThisMeans(r),
      inShort: r.model && !r.family ? inShort(r) : [headline(r)],
      terms: r.model && !r.family ? termExplanations(r).map(([term, meaning]) => ({ term, meaning })) : [],
    },
    tool: r.tool,
    input: r.input,
    options: r.options,
    counts: { ...r.counts, excluded: r.counts.excluded.map((c) => ({ reason: exclusionReason(c), n: c.n })) },
    outcome: { ...r.outcome, rule: outcomeRule(r.outcome.rule) },
    // Ordinal and count outcomes only: the model family, its categories or count summary, PO tests, theta.
    ...(r.family ? { family: r.family } : {}),
    predictors: r.predictors,
    covariates: r.covariates,
    sample: { n: r.sample.n, dropped: r.sample.dropped.map((d) => ({ reason: droppedReason(d), n: d.n })) },
    method: { requested, used, reason: methodReason(r.method), separation },
    reliability: r.reliability,
    reliabilityNote: reliabilityNote(r),
    descriptives: r.descriptives,
    model: r.model,
    predictorRows: r.predictorRows,
    dominance: r.dominance,
    groups: r.groups,
    inference: r.inference,
    methods: methodSentences(r),
    ...(r.dyads ? { dyads: dyadSummary(r) } : {}),
    ...(r.design ? { design: r.design } : {}),
    ...(r.clustering ? { clustering: r.clustering } : {}),
    warnings: r.warnings.map((w) => ({ code: w.code, message: warningText(w, r.outcome.label) })),
  };
}

/** The JSON document; `run` is omitted when not given (for byte-for-byte comparisons). */
export function summaryObject(r: ReportResult, run?: RunInfo): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    schema: REPORT_SUMMARY_SCHEMA,
    status: r.modelError === null ? 'ok' : 'model_not_fitted',
    model_error: modelErrorText(r),
    ...(convert(worded(r)) as Record<string, unknown>),
  };
  if (run) doc.run = { started_at: run.startedAt, elapsed_seconds: Math.round(run.elapsedSeconds * 1000) / 1000 };
  return doc;
}

export function summaryJson(r: ReportResult, run?: RunInfo): string {
  return JSON.stringify(summaryObject(r, run), null, 2) + '\n';
}
