/**
 * `rapport report <input|-> --outcome <item|column>`: which relationship traits predict the outcome.
 * The shell only: parses flags, loads the data (src/report/load.ts), runs the analysis
 * (src/report/analyze.ts), renders every file and writes them all-or-nothing into --out, then prints
 * the text report (or summary.json with --format json) to stdout.
 */
import { visible } from '../../util/terminal.js';
import { Command, Option } from 'commander';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXIT, UsageError, outputErrorFrom } from '../../errors.js';
import { writeFilesAtomic } from '../../io/atomic.js';
import { readInputBytes } from '../../io/input.js';
import { loadInstrument } from '../../instrument/load.js';
import { parseMapping } from '../../ingest/mapping.js';
import { PLATFORMS } from '../../ingest/platform.js';
import { renderReportFiles } from '../../report/index.js';
import { analyze, DEFAULT_MIN_CELL } from '../../report/analyze.js';
import { loadReportData } from '../../report/load.js';
import { workerOffload } from '../../report/parallel.js';
import type { MethodOption } from '../../report/types.js';
import { commaList, makeUi } from '../ui.js';

interface ReportFlags {
  instrument?: string;
  map?: string;
  idColumn?: string;
  format: 'text' | 'json';
  inputFormat?: string;
  outcome: string;
  positive?: string[];
  predictors?: string[];
  covariates?: string[];
  join?: string;
  on?: string;
  groupBy?: string;
  minCell: string;
  method: MethodOption;
  rawUnits?: boolean;
  out: string;
}

export function build(): Command {
  return new Command('report')
    .description('Which relationship traits predict the outcome (portal use): reliability, group comparison, adjusted logistic model, dominance ranking. Writes text, CSV, JSON and HTML.')
    .argument('<input>', 'survey export (with --instrument) or an already scored CSV; - reads standard input')
    .option('-i, --instrument <id|file>', 'score the input with this instrument first (as rapport score does); predictors default to all its scales')
    .option('--map <mapping.yaml>', 'mapping of item ids to export columns (with --instrument)')
    .option('--id-column <name>', 'respondent id column (with --instrument)')
    .addOption(new Option('--input-format <platform>', 'survey platform of the export (with --instrument)').choices(['auto', ...PLATFORMS]).default('auto'))
    .requiredOption('--outcome <item|column>', 'the yes/no outcome, e.g. portal_use')
    .option('--positive <values>', 'value(s) or label(s) that count as positive, comma-separated (default: the higher of a two-option item, else 1, yes or true)', commaList)
    .option('--predictors <names>', 'scales or numeric columns to use as traits, comma-separated (default with --instrument: every scale)', commaList)
    .option('--covariates <columns>', 'adjust for these columns, comma-separated (numbers as they are; text as categories)', commaList)
    .option('--join <file>', 'a second CSV keyed by respondent (e.g. portal log-ins from the EHR) supplying the outcome or covariates')
    .option('--on <column>', 'the key column for --join (in both files; with --instrument the respondent id is used when the export lacks it)')
    .option('--group-by <column>', 'also report outcome rates and trait means by this column (clinic, site, physician)')
    .option('--min-cell <n>', 'groups with fewer respondents than this are suppressed', String(DEFAULT_MIN_CELL))
    .addOption(new Option('--method <method>', 'auto: maximum likelihood, Firth on separation or non-convergence').choices(['auto', 'ml', 'firth']).default('auto'))
    .option('--raw-units', 'odds ratios per scale point instead of per standard deviation')
    .option('-o, --out <dir>', 'folder for the report files', 'rapport-report')
    .addOption(new Option('--format <format>', 'what to print on stdout: the text report or summary.json').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
Files written to --out (all or none): report.txt, report.html, summary.json, model.csv,
predictors.csv, reliability.csv, reliability_items.csv, descriptives.csv, and groups.csv with --group-by.
If the model cannot be fitted (one outcome class, no complete respondents, more predictors than
events), everything else is still written, the reason is given, and the exit code is 65.

Examples:
  rapport report export.csv --instrument relationship-engagement --outcome portal_use
  rapport report export.csv --instrument relationship-engagement --outcome portal_use \\
      --covariates age,sex --group-by clinic --out reports/2025-q1
  rapport report scores.csv --predictors trust,respect --outcome uses_portal --positive Yes
  rapport report export.csv --instrument relationship-engagement --outcome portal_login \\
      --join ehr-logins.csv --on ResponseId --positive yes`,
    )
    .action(async (input: string, flags: ReportFlags, cmd: Command) => {
      const ui = makeUi(cmd);
      const started = Date.now();
      const startedAt = new Date(started).toISOString();
      const minCell = Number(flags.minCell);
      if (!Number.isInteger(minCell) || minCell < 1 || minCell > 1e6) throw new UsageError(`--min-cell ${flags.minCell}: give a whole number of respondents, 1 or more (the usual small-cell rule is 11).`);
      if ((flags.join === undefined) !== (flags.on === undefined)) throw new UsageError('--join and --on go together: --join <file> --on <key column>.');
      if (!flags.instrument && (flags.map || flags.idColumn)) throw new UsageError(`--${flags.map ? 'map' : 'id-column'} applies only with --instrument (scoring a survey export).`);
      if (input === '-' && flags.join === '-') throw new UsageError('The input and --join cannot both be standard input.');
      const instrument = flags.instrument ? loadInstrument(flags.instrument) : undefined;
      const mapping = flags.map ? parseMapping((await readInputBytes(flags.map)).toString('utf8'), flags.map) : undefined;

      const data = await loadReportData({
        input,
        instrument,
        mapping,
        idColumn: flags.idColumn,
        format: flags.inputFormat as never,
        outcome: flags.outcome,
        positive: flags.positive,
        predictors: flags.predictors,
        covariates: flags.covariates,
        groupBy: flags.groupBy,
        join: flags.join ? { file: flags.join, on: flags.on! } : undefined,
      });
      if (ui.debug) process.stderr.write(`rapport: timing: load ${((Date.now() - started) / 1000).toFixed(2)} s\n`);
      const workerEnv = process.env.RAPPORT_REPORT_WORKER;
      const offload = workerOffload(workerEnv === '1' ? 'always' : workerEnv === '0' ? 'never' : 'auto');
      let result;
      try {
        result = analyze(data, {
          method: flags.method,
          rawUnits: flags.rawUnits,
          minCell,
          offload,
          onPhase: ui.debug ? (name, ms) => process.stderr.write(`rapport: timing: ${name} ${(ms / 1000).toFixed(2)} s\n`) : undefined,
        });
      } finally {
        offload.close();
      }
      if (ui.debug) process.stderr.write(`rapport: timing: ${offload.jobsInWorker} job(s) ran in a worker thread\n`);

      const outDir = flags.out;
      try {
        fs.mkdirSync(outDir, { recursive: true });
      } catch (err) {
        throw outputErrorFrom(err, outDir);
      }
      const t0 = Date.now();
      const files = renderReportFiles(result, { elapsedSeconds: (Date.now() - started) / 1000, startedAt });
      if (ui.debug) process.stderr.write(`rapport: timing: render ${((Date.now() - t0) / 1000).toFixed(2)} s\n`);
      await writeFilesAtomic(Object.entries(files).map(([name, text]) => ({ path: path.join(outDir, name), data: text })));

      ui.out(flags.format === 'json' ? files['summary.json'] : files['report.txt']);
      ui.info(`rapport: wrote ${Object.keys(files).length} files to ${outDir}${path.sep} (${Object.keys(files).join(', ')}).`);
      if (result.modelError) {
        process.stderr.write(`rapport: the model could not be fitted: ${visible(result.modelError)} The other results were written.\n`);
        process.exitCode = EXIT.DATA;
      }
    });
}
