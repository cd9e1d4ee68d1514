/**
 * `rapport report <export> --instrument <id|file>` without `--outcome`: the pilot (item-analysis)
 * report. The shell only: after report.ts's common set-up (flags, folder, --errors, instrument), it
 * loads the export (src/report/pilot-load.ts), analyses it (src/report/sections/pilot.ts) and writes
 * the files all or none.
 */
import type { Command } from 'commander';
import * as path from 'node:path';
import { UsageError } from '../../errors.js';
import type { OutputSink } from '../../io/atomic.js';
import { writeFolderRun } from '../../io/folder.js';
import type { Instrument } from '../../instrument/types.js';
import type { Mapping } from '../../ingest/mapping.js';
import { loadPilotData } from '../../report/pilot-load.js';
import { renderPilotFiles } from '../../report/pilot-files.js';
import { analyzePilot } from '../../report/sections/pilot.js';
import type { ScoreOptions } from '../../scoring/pipeline.js';
import type { PhaseBar } from '../progress.js';
import type { Ui } from '../ui.js';

/** Options of the outcome model that a pilot report has no use for (flag → attribute). */
const OUTCOME_ONLY: [string, string][] = [
  ['--positive', 'positive'],
  ['--predictors', 'predictors'],
  ['--covariates', 'covariates'],
  ['--join', 'join'],
  ['--on', 'on'],
  ['--unmatched', 'unmatched'],
  ['--outcome-source', 'outcomeSource'],
  ['--group-by', 'groupBy'],
  ['--method', 'method'],
  ['--raw-units', 'rawUnits'],
  ['--weights', 'weights'],
  ['--strata', 'strata'],
  ['--replicate-weights', 'replicateWeights'],
  ['--replicate-type', 'replicateType'],
  ['--pool-small', 'poolSmall'],
  ['--cluster', 'cluster'],
  ['--cluster-method', 'clusterMethod'],
  ['--quadrature', 'quadrature'],
  ['--within-between', 'withinBetween'],
  ['--case-mix', 'caseMix'],
  ['--alpha', 'alpha'],
  ['--dyad', 'dyad'],
  ['--dyad-instrument', 'dyadInstrument'],
  ['--dyad-cluster', 'dyadCluster'],
  ['--xlsx', 'xlsx'],
];

/** Without --outcome: a pilot report needs --instrument and takes none of the model's options (exit 2). */
export function checkPilotFlags(flags: Record<string, unknown>, cmd: Command): void {
  // Commander's own wording and usage hint, as for any missing required option.
  if (flags.instrument === undefined)
    cmd.error("error: required option '--outcome <item|column>' not specified (or give --instrument <id|file> without --outcome for a pilot report of the items and scales)", { exitCode: 2, code: 'commander.missingMandatoryOptionValue' });
  const given = OUTCOME_ONLY.filter(([, k]) => cmd.getOptionValueSource(k) === 'cli').map(([f]) => f);
  if (given.length > 0)
    throw new UsageError(`${given.join(', ')} ${given.length === 1 ? 'belongs' : 'belong'} to the outcome model; without --outcome the report is a pilot report of the items and scales. Give --outcome, or drop ${given.length === 1 ? 'it' : 'them'}.`);
}

export interface PilotRun {
  input: string;
  instrument: Instrument;
  mapping?: Mapping;
  idColumn?: string;
  platform?: 'auto' | 'plain' | 'qualtrics' | 'qualtrics-legacy' | 'redcap' | 'limesurvey';
  reading: Pick<ScoreOptions, 'includeIncomplete' | 'includePreviews' | 'events' | 'dedupe' | 'encoding' | 'delimiter' | 'maxRecordSize' | 'onInvalid'>;
  minCell: number;
  out: string;
  format: 'text' | 'json';
  started: number;
  startedAt: string;
  /** Called after the export is read (to write --errors and apply --strict before anything else). */
  afterLoad: () => Promise<void>;
  errSink?: OutputSink;
}

export async function runPilot(p: PilotRun, ui: Ui, bar: PhaseBar): Promise<void> {
  bar.phase('reading');
  const data = await loadPilotData({ input: p.input, instrument: p.instrument, mapping: p.mapping, idColumn: p.idColumn, platform: p.platform, reading: p.reading, onProgress: (b, t) => bar.within(b, t) });
  bar.phase('scoring');
  await p.afterLoad();
  bar.phase('models');
  const result = analyzePilot(data, p.minCell);
  bar.phase('writing');
  const files = renderPilotFiles(result, { elapsedSeconds: (Date.now() - p.started) / 1000, startedAt: p.startedAt });
  const run = await writeFolderRun(p.out, Object.entries(files).map(([name, data]) => ({ name, data })), p.errSink ? [p.errSink] : []);
  bar.stop();
  for (const name of run.changed) ui.warn(`${path.join(p.out, name)} is from an earlier run but was changed since rapport wrote it, so it was left in place.`);
  ui.out(p.format === 'json' ? files['summary.json'] : files['report.txt']);
  ui.info(`rapport: wrote ${Object.keys(files).length} files to ${p.out}${path.sep} (${Object.keys(files).join(', ')}).`);
}
