/**
 * `rapport report <input|-> --outcome <item|column>`: which relationship traits predict the outcome.
 * The shell only: parses flags, loads the data (src/report/load.ts), runs the analysis
 * (src/report/analyze.ts), renders every file and writes them all-or-nothing into --out, then prints
 * the text report (or summary.json with --format json) to stdout.
 */
import { visible } from '../../util/terminal.js';
import { Command, Option } from 'commander';
import type { InvalidCell } from '../../scoring/pipeline.js';
import {
  ERRORS_HEADER,
  type InputFlags,
  PLATFORM_CHOICES,
  addDeprecatedAlias,
  addInputOptions,
  checkInputFlags,
  errorsRow,
  loadInputSources,
  scoringOptions,
  strictError,
} from '../input-options.js';
import * as path from 'node:path';
import { EXIT, UsageError } from '../../errors.js';
import { commitAll, openOutput, type OutputSink } from '../../io/atomic.js';
import { MANIFEST, prepareFolder, writeFolderRun } from '../../io/folder.js';
import { checkDistinct } from '../../io/output-target.js';
import { REPORT_FILES, renderReportFiles } from '../../report/index.js';
import { analyze, DEFAULT_MIN_CELL } from '../../report/analyze.js';
import { modelErrorText } from '../../report/facts.js';
import { loadReportData } from '../../report/load.js';
import { reportWorkbook } from '../../report/xlsx.js';
import { attachDyads, patientDyadRequest } from '../../report/dyad-load.js';
import { loadInstrument } from '../../instrument/load.js';
import { parseOnKey } from '../on-key.js';
import { prewarmWorker, workerOffload } from '../../report/parallel.js';
import type { CiOption, MethodOption, OutcomeType, ReliabilityMethod } from '../../report/types.js';
import { DEFAULT_BOOTSTRAP, DEFAULT_SEED } from '../../report/sections/bootstrap.js';
import type { ClusterMethod, ClusterModelOptions } from '../../report/cluster-types.js';
import { parseWholeNumber } from '../../util/decimal.js';
import { commaList, makeUi } from '../ui.js';
import { phaseBar, REPORT_PHASES } from '../progress.js';
import { checkPilotFlags, runPilot } from './report-pilot.js';
import { PILOT_FILES } from '../../report/pilot-files.js';
import { addDesignOptions, designRequest, type DesignFlags } from '../design-options.js';

interface ReportFlags extends InputFlags, DesignFlags {
  format: 'text' | 'json';
  outcome?: string;
  positive?: string[];
  outcomeType?: OutcomeType;
  predictors?: string[];
  covariates?: string[];
  join?: string;
  on?: string;
  unmatched?: 'missing' | 'negative';
  outcomeSource?: 'survey' | 'record';
  dyad?: string;
  dyadInstrument?: string;
  dyadCluster?: string;
  groupBy?: string;
  minCell: string;
  method: MethodOption;
  rawUnits?: boolean;
  out: string;
  ci: CiOption;
  bootstrap: string;
  seed: string;
  reliability: ReliabilityMethod;
  title?: string;
  period?: string;
  outcomeLabel?: string;
  cluster?: string;
  clusterMethod: ClusterMethod;
  quadrature?: string;
  withinBetween?: boolean;
  caseMix?: string[];
  alpha?: string;
  xlsx?: boolean;
}

export function build(): Command {
  const cmd = new Command('report')
    .description('Which relationship traits predict the outcome (portal use): reliability, group comparison, adjusted logistic model, dominance ranking. Writes text, CSV, JSON and HTML.')
    .argument('<input>', 'survey export (with --instrument) or an already scored file: CSV, Excel .xlsx or SPSS .sav; - reads standard input');
  addInputOptions(cmd, { instrumentRequired: false });
  addDeprecatedAlias(cmd, { flags: '--input-format <platform>', attribute: 'inputFormat', target: '--platform', targetAttribute: 'platform', choices: PLATFORM_CHOICES });
  cmd
    .option('--outcome <item|column>', 'the outcome: yes/no (portal_use), ordinal (portal_frequency) or a count (log-ins), see --outcome-type; without it, and with --instrument: a pilot report of the items and scales')
    .option('--positive <values>', "value(s) or label(s) that count as positive, comma-separated, or a comparison with a number such as '>0' (>, >=, <, <=, =) for a count (default: the higher of a two-option item, else 1, yes or true)", commaList)
    .addOption(
      new Option('--outcome-type <type>', 'binary: logistic model; ordinal: proportional odds (3+ ordered options); count: negative binomial (default: from the item\'s options or the column\'s values)').choices(['binary', 'ordinal', 'count']),
    )
    .option('--predictors <names>', 'scales or numeric columns to use as traits, comma-separated (default with --instrument: every scale)', commaList)
    .option('--covariates <columns>', 'adjust for these columns, comma-separated (numbers as they are; text as categories)', commaList)
    .option('--join <file>', 'a second CSV keyed by respondent (e.g. portal log-ins from the EHR) supplying the outcome or covariates')
    .option('--on <column>', 'the key column for --join or --dyad: one name in both files, or input=other when they differ (with --join and --instrument the respondent id is used when the export lacks it)')
    .addOption(new Option('--unmatched <rule>', 'with --join: an outcome from the joined file is missing (default) or negative for respondents with no row there').choices(['missing', 'negative']))
    .addOption(new Option('--outcome-source <source>', 'whether the outcome is self-reported (survey) or recorded (record); default: record when it comes from --join, else survey').choices(['survey', 'record']))
    .option('--dyad <file>', "the clinicians' forms of the same visits (one row per visit, linked by --on): agreement between the two sides, on the visit, and the response surface")
    .option('--dyad-instrument <id|file>', "score the --dyad file with this instrument (e.g. relationship-engagement-clinician); without it, the file is already scored, with columns named like the predictors")
    .option('--dyad-cluster <column>', 'the --dyad file\'s clinician column, for standard errors robust to clustering by clinician (default: clinician_id when present)')
    .option('--group-by <column>', 'also report outcome rates and trait means by this column (clinic, site, physician)')
    .option('--min-cell <n>', 'groups with fewer respondents than this are suppressed', String(DEFAULT_MIN_CELL));
  return addDesignOptions(cmd)
    .addOption(new Option('--method <method>', 'auto: maximum likelihood, Firth on separation or non-convergence').choices(['auto', 'ml', 'firth']).default('auto'))
    .option('--raw-units', 'odds ratios per scale point instead of per standard deviation')
    .addOption(new Option('--ci <method>', 'confidence intervals: auto (profile under Firth, or with fewer than 20 events per variable or |log OR| > 3; else Wald), profile, or wald').choices(['auto', 'profile', 'wald']).default('auto'))
    .option('--bootstrap <B>', 'bootstrap resamples for the dominance CIs and the model validation (0 = none)', String(DEFAULT_BOOTSTRAP))
    .option('--seed <n>', 'seed of the bootstrap resamples (the same seed gives the same files)', String(DEFAULT_SEED))
    .addOption(new Option('--reliability <method>', 'Cronbach’s alpha on complete cases (listwise) or pairwise-complete covariances (as psych)').choices(['listwise', 'pairwise']).default('listwise'))
    .option('--title <text>', 'the report\'s title, in the headline of every output (default: the question it answers)')
    .option('--period <text>', 'the period the data cover, e.g. "2026 Q4", shown under the title')
    .option('--outcome-label <text>', 'the outcome in words for sentences, e.g. "uses the patient portal" (default: the outcome\'s name in words)')
    .option('--cluster <column>', 'respondents are nested in clinicians (or clinics) named by this column: random-intercept model, clinician comparisons, reliability of clinician scores')
    .addOption(new Option('--cluster-method <method>', 'with --cluster: glmm (random intercept) or robust (cluster-robust standard errors)').choices(['glmm', 'robust']).default('glmm'))
    .option('--quadrature <points>', 'with --cluster: adaptive Gauss–Hermite points for the random-intercept model (1 = Laplace, the default)')
    .option('--within-between', 'with --cluster: split each trait into the clinician mean and the patient deviation from it')
    .option('--case-mix <columns>', 'with --cluster: adjusters of the clinician comparisons, comma-separated (default: the covariates)', commaList)
    .option('--alpha <p>', 'with --cluster: significance level of the clinician ratings (default 0.05)')
    .option('-o, --out <dir>', 'folder for the report files', 'rapport-report')
    .option('--xlsx', 'also write report.xlsx: a summary sheet and one sheet per CSV table')
    .addOption(new Option('--format <format>', 'what to print on stdout: the text report or summary.json').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
Without --instrument the input is an already scored file, --predictors names its numeric columns, and
the options that need an instrument (--map, --id-column, --platform, --include-incomplete,
--include-previews, --dedupe, --strict, --errors) are refused; with it the export is read and scored
exactly as rapport score does, and the predictors default to all its scales.

Files written to --out (all or none): report.txt, report.html, summary.json, model.csv,
predictors.csv, reliability.csv, reliability_items.csv, descriptives.csv, groups.csv with --group-by,
and cluster_reliability.csv and clusters.csv with --cluster, dyads.csv, concordance.csv and
surface.csv with --dyad, and report.xlsx with --xlsx.
Without --outcome (with --instrument) it is a pilot report of the items and scales: report.txt,
report.html, summary.json, scales.csv, items.csv, item_frequencies.csv, scale_correlations.csv.
If the model cannot be fitted (one outcome class, no complete respondents, more predictors than
events), everything else is still written, the reason is given, and the exit code is 65.

Examples:
  rapport report export.csv --instrument relationship-engagement --outcome portal_use
  rapport report export.csv --instrument relationship-engagement --outcome portal_use \\
      --covariates age,sex --group-by clinic --out reports/2026-q4 \\
      --title "Patient survey, four clinics" --period "2026 Q4" --outcome-label "uses the patient portal"
  rapport report scores.csv --predictors trust,respect --outcome uses_portal --positive Yes
  rapport report export.csv --instrument relationship-engagement --outcome portal_login \\
      --join ehr-logins.csv --on ResponseId --positive yes
  rapport report export.csv --instrument relationship-engagement --outcome logins_12m \\
      --join ehr-logins.csv --on ResponseId --positive '>0' --unmatched negative
  rapport report pilot.csv --instrument relationship-engagement --out pilot-report
  rapport report patients.csv --instrument relationship-engagement --outcome portal_use \\
      --dyad clinicians.csv --dyad-instrument relationship-engagement-clinician --on visit_id
  rapport report export.csv --instrument relationship-engagement --outcome portal_frequency
      (an item with 4 ordered options: a proportional-odds model)
  rapport report export.csv --instrument relationship-engagement --outcome logins_12m \\
      --join ehr-logins.csv --on ResponseId      (a count: a negative binomial model)`,
    )
    .action(async (input: string, flags: ReportFlags, cmd: Command) => {
      await runReport(input, flags, cmd);
    });
}

async function runReport(input: string, flags: ReportFlags, cmd: Command): Promise<void> {
  const ui = makeUi(cmd);
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const minCell: number =
    parseWholeNumber(flags.minCell, 1, 1e6) ??
    (() => {
      throw new UsageError(`--min-cell ${flags.minCell}: give a whole number of respondents, 1 or more (the usual small-cell rule is 11).`);
    })();
  const bootstrap = parseWholeNumber(flags.bootstrap, 0, 100_000);
  if (bootstrap === undefined) throw new UsageError(`--bootstrap ${flags.bootstrap}: give a whole number of resamples from 0 (none) to 100000 (the default is ${DEFAULT_BOOTSTRAP}).`);
  const seed = parseWholeNumber(flags.seed, 0, 2 ** 32 - 1);
  if (seed === undefined) throw new UsageError(`--seed ${flags.seed}: give a whole number from 0 to 4294967295.`);
  for (const [flag, v] of [['--title', flags.title], ['--period', flags.period], ['--outcome-label', flags.outcomeLabel]] as const) checkHeadingText(flag, v);
  const design = designRequest(flags, cmd);
  if (flags.poolSmall && flags.groupBy === undefined) throw new UsageError('--pool-small goes with --group-by <column>.');
  if ((flags.join === undefined && flags.dyad === undefined) !== (flags.on === undefined)) throw new UsageError('--join and --on go together: --join <file> --on <key column> (--dyad <file> --on <key column> likewise).');
  if (flags.unmatched !== undefined && flags.join === undefined) throw new UsageError('--unmatched says what the outcome is for respondents with no row in the --join file; it needs --join <file> --on <key column>.');
  const dyad = dyadFlags(flags);
  const on = flags.on !== undefined ? parseOnKey(flags.on) : undefined;
  const cluster = clusterOptions(flags, cmd.getOptionValueSource('clusterMethod') === 'cli');
  const settings = checkInputFlags(input, flags, cmd.getOptionValueSource('platform') === 'cli');
  const explicitMethod = cmd.getOptionValueSource('method') === 'cli';
  if (flags.outcome === undefined) checkPilotFlags({ ...flags }, cmd);
  if (input === '-' && (flags.join === '-' || flags.dyad === '-')) throw new UsageError(`The input and ${flags.join === '-' ? '--join' : '--dyad'} cannot both be standard input.`);
  if (flags.join === '-' && flags.dyad === '-') throw new UsageError('--join and --dyad cannot both be standard input.');
  if (flags.out === '-') throw new UsageError('--out -: the report is a folder of files; use --format json to print to standard output (summary.json), and --out <folder> for the files.');
  // The input is never an output (compared by device and inode); the folder is created (0700) and
  // --errors opened before any input is read, so a path that cannot work fails at once.
  checkDistinct(
    [{ flag: 'the input', path: input }, ...(flags.join ? [{ flag: '--join', path: flags.join }] : []), ...(flags.dyad ? [{ flag: '--dyad', path: flags.dyad }] : []), ...(flags.dyadInstrument ? [{ flag: '--dyad-instrument', path: flags.dyadInstrument }] : []), ...(flags.map ? [{ flag: '--map', path: flags.map }] : []), ...(flags.instrument ? [{ flag: '--instrument', path: flags.instrument }] : [])],
    [...[...new Set([...REPORT_FILES, ...PILOT_FILES]), MANIFEST].map((name) => ({ flag: 'the report file', path: path.join(flags.out, name) })), ...(settings.errors !== undefined && settings.errors !== '-' ? [{ flag: '--errors', path: settings.errors }] : [])],
  );
  prepareFolder(flags.out);
  const errSink: OutputSink | undefined = settings.errors !== undefined ? await openOutput(settings.errors, { mode: 0o600, spool: true, dashFd: 2 }) : undefined;
  const { instrument, mapping } = await loadInputSources(settings);
  const invalid = invalidCellLog();
  /** --errors and --strict, once the export has been read. */
  const afterLoad = async (): Promise<void> => {
    // `-` reaches the terminal: the export's cells with their control characters made visible.
    await errSink?.write(settings.errors === '-' ? visible(invalid.text, { lines: true }) : invalid.text);
    if (settings.strict && invalid.count > 0) {
      if (errSink) await commitAll([errSink]);
      throw strictError(input, invalid.first!, invalid.count, settings.errors);
    }
  };
  const bar = phaseBar(ui, 'report', REPORT_PHASES);
  const reading = { ...scoringOptions(settings), onInvalid: invalid.add };
  if (flags.outcome === undefined) {
    try {
      return await runPilot({ input, instrument: instrument!, mapping, idColumn: settings.idColumn, platform: settings.platform, reading, minCell, out: flags.out, format: flags.format, started, startedAt, afterLoad, errSink }, ui, bar);
    } finally {
      bar.stop();
    }
  }
  try {
    await outcomeReport();
  } finally {
    bar.stop();
  }

  // The outcome report (a closure over the set-up above).
  async function outcomeReport(): Promise<void> {
  bar.phase('reading');
  const dyadInstrument = dyad.instrument !== undefined ? loadInstrument(dyad.instrument) : undefined;
  const dyadLoad = dyad.file !== undefined ? { file: dyad.file, on: on!.input, onClinician: on!.other, instrument: dyadInstrument, patientInstrument: instrument, cluster: dyad.cluster, minCell, reading: { includeIncomplete: settings.includeIncomplete, includePreviews: settings.includePreviews, maxRecordSize: settings.maxRecordSize } } : undefined;
  prewarmWorker(input); // a large input: the dominance worker loads while the file is read

  let data = await loadReportData({
    input,
    instrument,
    mapping,
    idColumn: settings.idColumn,
    platform: settings.platform,
    reading,
    outcome: flags.outcome!,
    positive: flags.positive,
    outcomeType: flags.outcomeType,
    predictors: flags.predictors,
    covariates: flags.covariates,
    groupBy: flags.groupBy,
    cluster: flags.cluster,
    caseMix: flags.caseMix,
    minCell,
    join: flags.join ? { file: flags.join, on: on!.input, onJoined: on!.other } : undefined,
    design,
    dyad: dyadLoad ? patientDyadRequest(dyadLoad) : undefined,
    unmatched: flags.unmatched,
    outcomeSource: flags.outcomeSource,
    onProgress: (b, t) => bar.within(b, t),
  });
  if (data.outcome.family && data.cluster)
    throw new UsageError(`--cluster: the clinician-level models are logistic ones; ${flags.outcome} is ${data.outcome.family.type === 'ordinal' ? 'ordinal' : 'a count'}, and its model does not take clinicians into account yet. Drop --cluster, or use --outcome-type binary with --positive.`);
  if (data.outcome.family && data.design)
    throw new UsageError(`--weights: the design-based model is a logistic one; ${flags.outcome} is ${data.outcome.family.type === 'ordinal' ? 'ordinal' : 'a count'}, and its model does not take a sampling design yet. Drop --weights, or use --outcome-type binary with --positive.`);
  if (data.outcome.family && explicitMethod && flags.method !== 'auto')
    throw new UsageError(`--method ${flags.method} chooses between logistic fits of a yes/no outcome; ${flags.outcome} is ${data.outcome.family.type === 'ordinal' ? 'ordinal (proportional-odds model)' : 'a count (negative binomial model)'}. Drop --method, or use --outcome-type binary with --positive.`);
  if (data.outcome.family && dyadLoad)
    throw new UsageError(`--dyad: the response-surface models are logistic ones; ${flags.outcome} is ${data.outcome.family.type === 'ordinal' ? 'ordinal' : 'a count'}. Give a yes/no outcome (or --outcome-type binary with --positive) for --dyad.`);
  bar.phase('scoring');
  if (dyadLoad) data = await attachDyads(data, dyadLoad);
  if (ui.debug) process.stderr.write(`rapport: timing: load ${((Date.now() - started) / 1000).toFixed(2)} s\n`);
  await afterLoad();
  const workerEnv = process.env.RAPPORT_REPORT_WORKER;
  const offload = workerOffload(workerEnv === '1' ? 'always' : workerEnv === '0' ? 'never' : 'auto');
  let result;
  bar.phase('models');
  try {
    result = analyze(data, {
      method: flags.method,
      rawUnits: flags.rawUnits,
      minCell,
      ci: flags.ci,
      bootstrap,
      seed,
      reliability: flags.reliability,
      poolSmall: flags.poolSmall,
      cluster,
      offload,
      title: flags.title?.trim(),
      period: flags.period?.trim(),
      outcomeLabel: flags.outcomeLabel?.trim(),
      onPhase: (name, ms) => {
        if (ui.debug) process.stderr.write(`rapport: timing: ${name} ${(ms / 1000).toFixed(2)} s\n`);
        if (name === 'unadjusted') bar.phase('dominance');
      },
    });
  } finally {
    offload.close();
  }
  if (ui.debug) process.stderr.write(`rapport: timing: ${offload.jobsInWorker} job(s) ran in a worker thread; the main thread helped with ${offload.passesHelped} of its passes\n`);

  const outDir = flags.out;
  bar.phase('writing');
  const t0 = Date.now();
  const files = renderReportFiles(result, { elapsedSeconds: (Date.now() - started) / 1000, startedAt });
  if (ui.debug) process.stderr.write(`rapport: timing: render ${((Date.now() - t0) / 1000).toFixed(2)} s\n`);
  // One commit: the report files, the manifest, the removal of the previous run's stale files, --errors.
  const written: Record<string, string | Uint8Array> = { ...files };
  if (flags.xlsx) written['report.xlsx'] = await reportWorkbook(result, files);
  const run = await writeFolderRun(outDir, Object.entries(written).map(([name, data]) => ({ name, data })), errSink ? [errSink] : []);
  bar.stop();
  for (const name of run.changed) ui.warn(`${path.join(outDir, name)} is from an earlier run but was changed since rapport wrote it, so it was left in place.`);

  ui.out(flags.format === 'json' ? files['summary.json'] : files['report.txt']);
  ui.info(`rapport: wrote ${Object.keys(written).length} files to ${outDir}${path.sep} (${Object.keys(written).join(', ')}).`);
  if (result.modelError) {
    process.stderr.write(`rapport: the model could not be fitted: ${visible(modelErrorText(result) ?? "")} The other results were written.\n`);
    process.exitCode = EXIT.DATA;
  }
  }
}

/** --title, --period, --outcome-label: one line of printable text, at most 200 characters. */
function checkHeadingText(flag: string, v: string | undefined): void {
  if (v === undefined) return;
  // eslint-disable-next-line no-control-regex
  if (v.trim() === '' || /[\u0000-\u001f\u007f-\u009f]/.test(v) || [...v].length > 200)
    throw new UsageError(`${flag} ${JSON.stringify(visible(v.slice(0, 60)))}: give one line of text (1 to 200 characters, no control characters), e.g. ${flag === '--period' ? '"2026 Q4"' : flag === '--title' ? '"Patient survey, North clinic"' : '"uses the patient portal"'}.`);
}

/** The clinician-level options (--cluster and the options that go with it). */
function clusterOptions(flags: ReportFlags, methodGiven: boolean): ClusterModelOptions | undefined {
  if (flags.cluster === undefined) {
    const stray = [flags.quadrature !== undefined && '--quadrature', flags.withinBetween && '--within-between', flags.caseMix && '--case-mix', flags.alpha !== undefined && '--alpha'].find(Boolean);
    if (stray) throw new UsageError(`${stray} goes with --cluster <column> (the column naming each respondent's clinician).`);
    return undefined;
  }
  const weighted = flags.weights !== undefined || flags.replicateWeights !== undefined;
  const modelOnly = [methodGiven && '--cluster-method', flags.quadrature !== undefined && '--quadrature', flags.withinBetween && '--within-between', flags.caseMix && '--case-mix', flags.alpha !== undefined && '--alpha'].find(Boolean);
  if (weighted && modelOnly) throw new UsageError(`${modelOnly} is for the clinician-level model, which is not fitted on weighted data: with --weights, --cluster names the design's sampling units. Drop ${modelOnly}, or run without --weights.`);
  const quadrature = flags.quadrature === undefined ? 1 : parseWholeNumber(flags.quadrature, 1, 25);
  if (quadrature === undefined) throw new UsageError(`--quadrature ${flags.quadrature}: give a whole number of points from 1 (Laplace) to 25.`);
  const alpha = flags.alpha === undefined ? 0.05 : Number(flags.alpha);
  if (!(alpha > 0 && alpha < 0.5)) throw new UsageError(`--alpha ${flags.alpha}: give a significance level between 0 and 0.5, such as 0.05.`);
  return { method: flags.clusterMethod, quadrature, withinBetween: flags.withinBetween ?? false, caseMix: flags.caseMix ?? [], alpha };
}

/** The --dyad options, checked: --dyad-instrument and --dyad-cluster need --dyad. */
function dyadFlags(flags: ReportFlags): { file?: string; instrument?: string; cluster?: string } {
  if (flags.dyad === undefined && (flags.dyadInstrument !== undefined || flags.dyadCluster !== undefined))
    throw new UsageError(`${flags.dyadInstrument !== undefined ? '--dyad-instrument' : '--dyad-cluster'} describes the --dyad file; give the clinicians' file with --dyad <file> --on <key column>.`);
  return { file: flags.dyad, instrument: flags.dyadInstrument, cluster: flags.dyadCluster };
}

/** Invalid cells met while scoring, for --errors and --strict. */
function invalidCellLog() {
  let text = ERRORS_HEADER;
  const log = {
    count: 0,
    first: undefined as InvalidCell | undefined,
    add: (c: InvalidCell) => {
      log.count++;
      log.first ??= c;
      text += errorsRow(c);
    },
    /** The --errors file's text (0600; `-` is standard error, as in rapport score). */
    get text() {
      return text;
    },
  };
  return log;
}
