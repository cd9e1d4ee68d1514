/**
 * The report's analysis: typed-array columns in, one plain result object of numbers, flags and
 * warning codes out (every sentence is worded by facts.ts). Each report section is computed by its
 * own module under sections/; this module runs them in order, starting the two long computations
 * (dominance and the one-trait models) early so that they can run in a worker thread. Pure: no I/O.
 */
import { buildDesign, dominance as dominanceAnalysis, type DesignMatrix, type LogisticFit } from '../stats/index.js';
import { VERSION } from '../version.js';
import type { ReportData } from './data.js';
import type { CiOption, DominanceInfo, InferenceInfo, Method, MethodInfo, MethodOption, ModelError, ModelResult, ReliabilityMethod, ReportResult, ReportWarning } from './types.js';
import { familyModel } from './sections/family.js';
import { addPenalisedTermTests, chooseIntervals, fitChecks, noInference, type FitChecks } from './sections/inference.js';
import { DEFAULT_BOOTSTRAP, DEFAULT_SEED, dominanceBootstrap, modelValidation } from './sections/bootstrap.js';
import { constantPredictor } from './sections/constant.js';
import { cautionWarnings } from './sections/cautions.js';
import { describeTraits, descriptiveRow } from './sections/descriptives.js';
import { addTermTests, dominanceWarnings, predictorRows, type DominanceOutcome } from './sections/dominance.js';
import { groupsSection } from './sections/groups.js';
import { dyadSection } from './sections/dyads.js';
import { fitAdjusted, modelResult, modelWarnings, NOT_FITTED, precheck, withholdSmallLevels } from './sections/model.js';
import { reliabilitySection } from './sections/reliability.js';
import { modelColumns, modelSample, outcomeCounts } from './sections/sample.js';
import { unadjustedModels, type UnadjustedRow } from './sections/unadjusted.js';
import { outcomePhrase } from './facts-lead.js';
import { designFigures, designGroupStats, weightedDominance } from './sections/design.js';
import type { ClusteringResult, ClusterModelOptions } from './cluster-types.js';
import { clusteredModel, type ClusteredModel } from './sections/cluster-model.js';
import { clusteringSection } from './sections/clustering.js';

export type { DominanceOutcome, UnadjustedRow };

/**
 * Starts the dominance analysis of the fitted design and returns a getter for its result. The default
 * runs it inline when the getter is called; the CLI passes one that runs it in a worker thread while
 * the rest of the analysis proceeds (same function, same data, same result).
 */
type DominanceRunner = (X: DesignMatrix, y: Float64Array, traits: string[], epsilon: number) => () => DominanceOutcome;

/**
 * Convergence tolerance of the 2^p fits of the dominance analysis: each warm-started Newton fit stops
 * when its Newton decrement (the deviance still to gain) is below 1e-8 relative, and reports the
 * deviance at the optimum to third order (see src/stats/newton.ts); the weights agree with glm fits
 * to about 1e-10 relative.
 */
const DOMINANCE_EPSILON = 1e-8;

/**
 * Where the two long, independent computations run: the dominance analysis (2^p fits) and the
 * one-trait models. Each call starts the work and returns a getter for its result. `inlineOffload`
 * computes when the getter is called; parallel.ts offers one that uses a worker thread.
 */
export interface Offload {
  dominance: DominanceRunner;
  unadjusted: (traits: Float64Array[], y: Float64Array, rawUnits: boolean, method: Method) => () => UnadjustedRow[];
}

/** Options of every dominance run of the report: the drop-one LR tests come from the same fits. */
export const dominanceOptions = (epsilon: number) => ({ epsilon, termTests: true });

const inlineDominance: DominanceRunner = (X, y, traits, epsilon) => () => dominanceAnalysis(X, y, traits, dominanceOptions(epsilon));

export const inlineOffload: Offload = {
  dominance: inlineDominance,
  unadjusted: (traits, y, rawUnits, method) => () => unadjustedModels(traits, y, rawUnits, method),
};

export interface AnalyzeOptions {
  method?: MethodOption;
  rawUnits?: boolean;
  /** Smallest group shown with --group-by (default 11). */
  minCell?: number;
  /** --pool-small: pool --group-by groups under minCell into "other" (sections/groups.ts). */
  poolSmall?: boolean;
  /** Where dominance and the one-trait models run (default: inline). */
  offload?: Offload;
  /** Called after each phase with its wall time in ms (benchmarks, --debug). */
  onPhase?: (phase: string, ms: number) => void;
  /** Confidence intervals: auto (default; see sections/inference.ts), profile or wald. */
  ci?: CiOption;
  /** Bootstrap resamples of the dominance weights and of the model's validation (default 500; 0 = none). */
  bootstrap?: number;
  /** Seed of the bootstrap resamples (default DEFAULT_SEED). */
  seed?: number;
  /** Cronbach's alpha on complete cases (default) or psych's pairwise alpha. */
  reliability?: ReliabilityMethod;
  /** --title, --period, --outcome-label: the headline of every output. */
  title?: string;
  period?: string;
  outcomeLabel?: string;
  /** The clinician level's options (with data.cluster; issue 14). */
  cluster?: ClusterModelOptions;
}

export const DEFAULT_MIN_CELL = 11;

/** A timer that reports each phase's wall time to onPhase. */
function phaseTimer(onPhase: AnalyzeOptions['onPhase']): (name: string) => void {
  let t = performance.now();
  return (name) => {
    const now = performance.now();
    onPhase?.(name, now - t);
    t = now;
  };
}

interface Adjusted {
  X: DesignMatrix | null;
  fit: LogisticFit | null;
  method: MethodInfo;
  error: ModelError | null;
  dominance: (() => DominanceOutcome) | null;
  clustered?: ClusteredModel;
}

/** Build the design and fit the adjusted model, starting the dominance analysis on the same design. */
function adjustedModel(data: ReportData, method: MethodOption, rawUnits: boolean, offload: Offload, phase: (name: string) => void, cluster?: ClusterModelOptions) {
  const sample = modelSample(data);
  const cols = modelColumns(data, sample, rawUnits);
  const out: Adjusted = { X: null, fit: null, method: NOT_FITTED(method), error: precheck(sample.n, sample.events, null) ?? constantPredictor(data, sample), dominance: null };
  if (out.error) return { sample, cols, ...out };
  const X = buildDesign({ numeric: cols.numeric, categorical: cols.categorical, order: cols.order, levels: cols.levels, outcome: cols.y, shared: true });
  out.X = X;
  phase('design');
  out.error = precheck(sample.n, sample.events, X.p - 1);
  if (out.error) return { sample, cols, ...out };
  // Dominance needs only the design: start it now (in a worker when the runner provides one).
  const names = data.traits.map((t) => t.name);
  if (data.traits.length >= 1) out.dominance = data.design ? weightedDominance(data.design, X, names, DOMINANCE_EPSILON) : offload.dominance(X, X.y!, names, DOMINANCE_EPSILON);
  const r = fitAdjusted(X, X.y!, method);
  out.method = r.method;
  if (!r.fit.ok) out.error = { code: 'fit_failed', reason: r.fit.reason };
  else out.fit = r.fit;
  // --cluster: the clustered model replaces the ordinary coefficients (sections/cluster-model.ts)
  if (out.fit && data.cluster && cluster) {
    out.clustered = clusteredModel(X, out.fit, out.method, data.cluster.codes, cluster);
    out.fit = out.clustered.fit;
    phase('clustered model');
  }
  return { sample, cols, ...out };
}

export function analyze(data: ReportData, options: AnalyzeOptions = {}): ReportResult {
  if (data.outcome.family) return analyzeFamily(data, options);
  const phase = phaseTimer(options.onPhase);
  const method = options.method ?? 'auto';
  const offload = options.offload ?? inlineOffload;
  const rawUnits = options.rawUnits ?? false;
  const minCell = options.minCell ?? DEFAULT_MIN_CELL;
  const y = data.outcome.y;
  const traits = data.traits;
  const warnings: ReportWarning[] = [...data.warnings];

  // With --weights the clinicians are the design's sampling units (sections/design.ts), not a model level.
  const clusterModel = data.design ? undefined : options.cluster;
  if (data.design && options.cluster) warnings.push({ code: 'cluster_design' });
  const adj = adjustedModel(data, method, rawUnits, offload, phase, clusterModel);
  phase('model');
  // Unadjusted models: one trait at a time (in the worker when there is one; collected below).
  const usedMethod = (adj.method.used ?? (method === 'firth' ? 'firth' : 'ml')) as Method;
  // Under a sampling design they are refitted weighted (sections/design.ts); these are then needed only under Firth.
  const traitValues = traits.map((t) => t.values);
  const unadjustedGetter = data.design ? () => unadjustedModels(traitValues, y, rawUnits, usedMethod) : offload.unadjusted(traitValues, y, rawUnits, usedMethod);

  const { reliability, descriptives } = describe(data, warnings, phase, options.reliability ?? 'listwise');

  let model: ModelResult | null = null;
  let ci: InferenceInfo['ci'] = null;
  let checks: FitChecks | null = null;
  if (adj.fit && adj.X) {
    // issue 17's inference is that of the ordinary (unweighted, unclustered) fit: a design-based or
    // clustered model keeps its own intervals, and its probabilities are not the ordinary fit's
    const ordinary = !adj.clustered && !(data.design && adj.method.used !== 'firth');
    const intervals = ordinary ? chooseIntervals(adj.fit, adj.X, adj.X.y!, options.ci ?? 'auto') : { fit: adj.fit, info: null, termTests: null };
    adj.fit = intervals.fit;
    ci = intervals.info;
    phase('intervals');
    model = modelResult(adj.fit, adj.X, new Set(traits.map((t) => t.name)), rawUnits, adj.cols);
    addPenalisedTermTests(model, intervals.termTests);
    checks = fitChecks(adj.fit, adj.X, adj.X.y!, model, minCell, ordinary);
    const smallLevels = withholdSmallLevels(model, adj.X, minCell);
    warnings.push(...modelWarnings(adj.fit, model, adj.method, checks.warnings), ...smallLevels);
  } else if (adj.error) warnings.push({ code: 'model_not_fitted', error: adj.error });

  // The one-trait models first (inline, they run while the worker does the dominance analysis).
  const design = data.design ? designFigures(data, model, adj, rawUnits, warnings) : null;
  const unadjusted = design?.unadjusted ?? unadjustedGetter();
  phase('unadjusted');
  let dom: DominanceOutcome | null = null;
  if (adj.fit && adj.X && adj.dominance) {
    dom = adj.dominance();
    phase('dominance (wait)');
    // under clustering the drop-one LR tests of the ordinary fits would ignore the clinicians
    if (model && !adj.clustered) addTermTests(model, adj.fit, dom);
    warnings.push(...dominanceWarnings(dom));
    if (adj.clustered && dom.ok) warnings.push({ code: 'cluster_dominance' });
  }
  const rows = predictorRows(traits, adj.fit, dom, unadjusted, descriptives);
  design?.finish(rows, dom);
  phase('ranking');
  const B = options.bootstrap ?? DEFAULT_BOOTSTRAP;
  const seed = options.seed ?? DEFAULT_SEED;
  const canBootstrap = adj.X && dom && dom.ok;
  // resampling respondents would ignore the sampling design, or the clinicians (resampled as units they are not)
  const notHere = data.design ? ({ status: 'design' } as const) : adj.clustered ? ({ status: 'cluster' } as const) : null;
  const bootstrap: InferenceInfo['bootstrap'] = !canBootstrap || B === 0 ? { status: 'off' } : (notHere ?? dominanceBootstrap(adj.X!, adj.X!.y!, traits.map((t) => t.name), rows, B, seed));
  phase('dominance bootstrap');
  const validation: InferenceInfo['validation'] =
    !adj.fit || !adj.X || B === 0 ? { status: 'off' } : (notHere ?? (adj.fit.method === 'firth' ? { status: 'firth' } : modelValidation(adj.X, adj.X.y!, B, seed)));
  phase('validation');
  const inference: InferenceInfo = {
    ci,
    fitted: checks?.fitted ?? 'ml',
    vif: checks?.vif ? { basis: 'design', terms: checks.vif } : null,
    hlGroups: checks?.hlGroups ?? null,
    calibrationGroups: checks?.calibrationGroups ?? [],
    calibrationCurve: checks?.calibrationCurve ?? [],
    validation,
    bootstrap,
    dominanceFits: 'ml',
    reliability: options.reliability ?? 'listwise',
  };

  const dyads = data.dyads ? dyadSection(data.dyads, data, { fit: adj.fit, X: adj.X }, minCell) : null;
  phase('dyads');
  return assemble(data, options, warnings, {
    sample: adj.sample,
    method: adj.method,
    modelFitted: !adj.error,
    reliability: reliability.rows,
    descriptives,
    model,
    rows,
    dominance: dom && dom.ok ? { r2Full: dom.r2Full, r2Covariates: dom.r2Covariates, models: dom.models } : null,
    design: design?.result ?? null,
    modelError: adj.error,
    inference,
    dyads,
    clustering:
      adj.clustered && options.cluster
        ? () => {
            const c = clusteringSection(data, adj.clustered!, options.cluster!, minCell);
            warnings.push(...c.warnings);
            phase('clinicians');
            return c.clustering;
          }
        : null,
  });
}

/** Reliability and the trait descriptives (the same for every outcome type). */
function describe(data: ReportData, warnings: ReportWarning[], phase: (name: string) => void, alpha: ReliabilityMethod) {
  const descByScale = describeTraits(data.traits);
  const reliability = reliabilitySection(data.scaleItems, descByScale, alpha);
  warnings.push(...reliability.warnings);
  phase('reliability');
  const descriptives = data.traits.map((t) => descriptiveRow(t, descByScale.get(t.name)!, data.outcome.y));
  phase('descriptives');
  return { reliability, descriptives };
}

interface Parts {
  sample: { n: number; dropped: ReportResult['sample']['dropped'] };
  method: MethodInfo;
  modelFitted: boolean;
  reliability: ReportResult['reliability'];
  descriptives: ReportResult['descriptives'];
  model: ModelResult | null;
  rows: ReportResult['predictorRows'];
  dominance: DominanceInfo | null;
  design: ReportResult['design'];
  modelError: ModelError | null;
  /** --dyad: the pairs' agreement, concordance and response surfaces. */
  dyads: ReportResult['dyads'] | null;
  /** --cluster: computes the clinician level (and pushes its warnings), or null without it. */
  clustering: (() => ClusteringResult) | null;
  /** Issue 17's inference (binary outcomes; sections/inference.ts). */
  inference: InferenceInfo;
}

/** The groups, the cautions and the result object (the same for every outcome type). */
function assemble(data: ReportData, options: AnalyzeOptions, warnings: ReportWarning[], parts: Parts): ReportResult {
  const minCell = options.minCell ?? DEFAULT_MIN_CELL;
  const traits = data.traits;
  const y = data.outcome.y;
  const counts = outcomeCounts(y);
  const groups = data.group ? groupsSection(data.group, y, traits, minCell, { weighted: data.design ? designGroupStats(data.design) : undefined, poolSmall: options.poolSmall }) : null;
  if (groups) warnings.push(...groups.warnings);
  // --cluster: the clinician level, after the groups (its warnings come next)
  const clustering = parts.clustering ? parts.clustering() : null;
  const p = counts.prevalence;
  if (!data.outcome.family) warnings.push(...cautionWarnings(p, parts.modelFitted));

  return {
    tool: { name: 'rapport', version: VERSION },
    input: data.input,
    options: { outcome: data.outcome.variable, predictors: traits.map((t) => t.name), covariates: data.covariates.map((c) => c.name), groupBy: data.group?.name ?? null, minCell, method: options.method ?? 'auto', rawUnits: options.rawUnits ?? false, title: options.title ?? null, period: options.period ?? null, outcomeLabel: options.outcomeLabel ?? null },
    counts: data.counts,
    outcome: {
      variable: data.outcome.variable,
      positive: data.outcome.positive,
      negative: data.outcome.negative,
      label: options.outcomeLabel ? outcomePhrase(data.outcome.variable, options.outcomeLabel) : data.outcome.label,
      nPositive: counts.nPos,
      nNegative: counts.nNeg,
      nMissing: data.n - counts.nPos - counts.nNeg,
      prevalence: p,
      rule: data.outcome.rule,
      question: data.outcome.question ?? null,
      source: data.outcome.source ?? 'survey',
    },
    predictors: traits.map((t) => ({ name: t.name, label: t.label, lo: t.lo, hi: t.hi })),
    covariates: data.covariates.map((c) => ({ name: c.name, kind: c.kind, levels: c.kind === 'categorical' ? c.levels : null })),
    sample: { n: parts.sample.n, dropped: parts.sample.dropped },
    method: parts.method,
    reliability: parts.reliability,
    descriptives: parts.descriptives,
    model: parts.model,
    predictorRows: parts.rows,
    dominance: parts.dominance,
    groups: groups?.groups ?? null,
    ...(parts.dyads ? { dyads: parts.dyads } : {}),
    design: parts.design,
    warnings,
    modelError: parts.modelError,
    inference: parts.inference,
    ...(clustering ? { clustering } : {}),
  };
}

/** An ordinal or count outcome: the same sections around the family's model (sections/family.ts). Unweighted (the CLI refuses --weights). */
function analyzeFamily(data: ReportData, options: AnalyzeOptions): ReportResult {
  const phase = phaseTimer(options.onPhase);
  const warnings: ReportWarning[] = [...data.warnings];
  const alpha = options.reliability ?? 'listwise';
  const { reliability, descriptives } = describe(data, warnings, phase, alpha);
  const fam = familyModel(data, options.rawUnits ?? false, options.minCell ?? DEFAULT_MIN_CELL, descriptives);
  phase('model');
  if (fam.error) warnings.push({ code: 'model_not_fitted', error: fam.error });
  warnings.push(...fam.warnings);
  const result = assemble(data, options, warnings, {
    sample: fam.sample,
    method: fam.method,
    modelFitted: fam.model !== null,
    reliability: reliability.rows,
    descriptives,
    model: fam.model,
    rows: fam.rows,
    inference: noInference(alpha),
    dominance: fam.dominance,
    design: null,
    modelError: fam.error,
    dyads: null,
    clustering: null,
  });
  return { ...result, family: fam.family };
}
