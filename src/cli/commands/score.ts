/**
 * `rapport score <input.csv|-> --instrument <id|file>`: batch scoring of survey exports.
 * The shell only: parses flags, loads the instrument and mapping, opens the outputs, runs the
 * streaming pipeline (src/scoring/pipeline.ts) and writes CSV rows, the errors file and the summary.
 *
 * Output safety: every output is checked and opened before the input is read; file targets are
 * written atomically and committed together (src/io/atomic.ts commitAll); standard output and other
 * in-place targets are spooled (memory up to 8 MiB, then an unlinked temporary file) and only sent
 * when the run succeeded, so a structure error or --strict failure never leaves partial output anywhere.
 */
import { visible } from '../../util/terminal.js';
import { Command } from 'commander';
import cliProgress from 'cli-progress';
import { commitAll, openOutput, type OutputSink } from '../../io/atomic.js';
import { checkDistinct } from '../../io/output-target.js';
import { displayName } from '../../io/input.js';
import { ScoredCsvWriter } from '../../ingest/csv-write.js';
import { StreamingSheetWriter } from '../../ingest/xlsx-write.js';
import { delimiterName } from '../../ingest/sniff.js';
import { type InvalidCell, type ScoreHeader, type ScoreSummary, type ScoredRow, scoreInput } from '../../scoring/pipeline.js';
import { formatNumber } from '../../util/format.js';
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
import { scoreSummaryDocument } from '../score-summary.js';
import { commaList, makeUi, type Ui } from '../ui.js';

interface ScoreFlags extends InputFlags {
  instrument: string;
  out: string;
  keep?: string[];
  summaryJson?: string;
}

/**
 * How the summary names each exclusion (the first five as they always were). The counts add up: rows
 * read = the sum of the exclusions + rows scored.
 */
const EXCLUSION_WORDS: Record<string, string> = {
  not_collected: 'form not collected',
  other_repeating: 'other repeating instrument',
  other_event: 'other event',
};

/** The one-paragraph summary printed on stderr. */
export function summaryText(s: ScoreSummary, flags: { errors?: string }): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const exc = Object.entries(s.excluded).filter(([, v]) => v > 0);
  const excTotal = exc.reduce((a, [, v]) => a + v, 0);
  const lines = [
    `rapport score: ${displayName(s.input)} (${s.platform}${s.platformHow === 'forced' ? ', as given by --platform' : ''}; ${sourceWords(s)})`,
    `  rows read ${n(s.rowsRead)} · excluded ${n(excTotal)}${exc.length ? ` (${exc.map(([k, v]) => `${EXCLUSION_WORDS[k] ?? k} ${n(v)}`).join(', ')})` : ''} · scored ${n(s.rowsScored)}`,
    `  invalid cells ${n(s.invalidCells)}${s.invalidCells > 0 ? (flags.errors ? ` (listed in ${flags.errors})` : ' (list them with --errors <file>)') : ''} · duplicate ids ${n(s.duplicateIds)}`,
  ];
  if (s.scales.length) lines.push(`  scores: ${s.scales.map((c) => `${c.id} ${formatNumber(Math.round(c.share * 1000) / 10)}%`).join(' · ')}`);
  return lines.join('\n');
}

/** How the input was read: its encoding and delimiter, or the workbook's sheet, or SPSS. */
function sourceWords(s: ScoreSummary): string {
  if (s.format === 'xlsx') return `Excel workbook, sheet ${visible(JSON.stringify(s.sheet ?? ''))}`;
  if (s.format === 'sav') return 'SPSS .sav file';
  return `${s.encoding}; ${delimiterName(s.delimiter)}-separated`;
}

export function build(): Command {
  const cmd = new Command('score')
    .description('score a survey export (Qualtrics, REDCap, LimeSurvey or plain CSV): one row per respondent with scale scores')
    .argument('<input>', 'the export (CSV or TSV, Excel .xlsx, SPSS .sav), or - for standard input');
  addInputOptions(cmd, { instrumentRequired: true });
  addDeprecatedAlias(cmd, { flags: '--format <platform>', attribute: 'format', target: '--platform', targetAttribute: 'platform', choices: PLATFORM_CHOICES });
  return cmd
    .option('-o, --out <file>', 'output CSV (- = standard output); a name ending in .xlsx writes an Excel workbook', '-')
    .option('--keep <columns>', 'comma-separated input columns to copy into the output', commaList)
    .option('--summary-json <file>', 'write the run summary as JSON (snake_case keys, "schema": "rapport.score/2")')
    .action(async function (this: Command, input: string) {
      const ui = makeUi(this);
      await runScore(input, this.opts<ScoreFlags>(), ui, this.getOptionValueSource('platform') === 'cli');
    });
}

async function runScore(input: string, flags: ScoreFlags, ui: Ui, platformGiven: boolean): Promise<void> {
  // Flags first (exit 2), then the instrument and mapping (65/66), then the outputs (73).
  const settings = checkInputFlags(input, flags, platformGiven);
  // The input is never an output, and no two outputs are one file (compared by device and inode).
  checkDistinct(
    [{ flag: 'the input', path: input }, ...(flags.map !== undefined ? [{ flag: '--map', path: flags.map }] : []), { flag: '--instrument', path: flags.instrument }],
    [{ flag: '--out', path: flags.out }, ...(flags.errors !== undefined && flags.errors !== '-' ? [{ flag: '--errors', path: flags.errors }] : []), ...(flags.summaryJson !== undefined ? [{ flag: '--summary-json', path: flags.summaryJson }] : [])],
  );
  const { instrument, mapping } = await loadInputSources(settings);

  // Every output is checked and opened (temporary files in their folders) before the input is read;
  // standard output and other in-place outputs are held back until the run has succeeded.
  const sinks: OutputSink[] = [];
  const open = async (target: string, opts: Parameters<typeof openOutput>[1]) => {
    const s = await openOutput(target, { mode: 0o600, spool: true, ...opts });
    sinks.push(s);
    return s;
  };
  let out: OutputSink, errSink: OutputSink | undefined, summarySink: OutputSink | undefined;
  try {
    out = await open(flags.out, { highWaterMark: 1 << 20 });
    if (flags.errors !== undefined) errSink = await open(flags.errors, { dashFd: 2 });
    if (flags.summaryJson !== undefined) summarySink = await open(flags.summaryJson, {});
  } catch (err) {
    for (const s of sinks) await s.abort();
    throw err;
  }

  // Output state.
  const writer = new ScoredCsvWriter();
  // --out scored.xlsx: the same rows as the CSV, streamed into a workbook (one sheet, "Scores").
  const sheet = /\.xlsx$/i.test(flags.out) ? await StreamingSheetWriter.create({ write: (c) => out.write(c) }, 'Scores') : undefined;
  let errPending = '';
  let firstInvalid: InvalidCell | undefined;
  const onHeader = (h: ScoreHeader) => writer.header(h);
  const onRow = (r: ScoredRow) => writer.row(r);
  if (errSink) errPending = ERRORS_HEADER;
  const onInvalid = (c: InvalidCell) => {
    if (!firstInvalid) firstInvalid = c;
    if (errSink) errPending += errorsRow(c);
  };
  const drain = async () => {
    if (writer.size > 0) {
      if (sheet) await sheet.push(writer.take());
      else await out.write(writer.take());
    }
    if (errSink && errPending.length > 0) {
      const p = errPending;
      errPending = '';
      // `--errors -` reaches the terminal: the export's cells with their control characters made visible.
      await errSink.write(flags.errors === '-' ? visible(p, { lines: true }) : p);
    }
  };

  // Progress bar: stderr TTY only, not --quiet, and only once the run has taken more than a second.
  let bar: cliProgress.SingleBar | undefined;
  const t0 = Date.now();
  const progressWanted = !ui.quiet && (process.stderr as NodeJS.WriteStream).isTTY === true;
  const onProgress = (bytes: number, total: number | undefined) => {
    if (!progressWanted || total === undefined || total === 0) return;
    if (!bar) {
      if (Date.now() - t0 < 1000) return;
      bar = new cliProgress.SingleBar(
        { stream: process.stderr, format: 'scoring [{bar}] {percentage}% | {value}/{total} MB | ETA {eta}s', clearOnComplete: true, hideCursor: true, etaBuffer: 50 },
        cliProgress.Presets.shades_classic,
      );
      bar.start(Math.round(total / 1e5) / 10, Math.round(bytes / 1e5) / 10);
    }
    bar.update(Math.round(bytes / 1e5) / 10);
  };

  let summary: ScoreSummary;
  try {
    summary = await scoreInput(
      {
        input,
        instrument: instrument!,
        mapping,
        ...scoringOptions(settings),
        keep: flags.keep,
        onHeader,
        onInvalid,
        drain,
        onProgress,
      },
      onRow,
    );
    bar?.stop();
    bar = undefined;
    await drain();
  } catch (err) {
    bar?.stop();
    for (const s of sinks) await s.abort();
    throw err;
  }

  const strictFail = flags.strict === true && summary.invalidCells > 0;
  // All or none: the scores (unless --strict failed), the errors list and the summary are committed together.
  try {
    if (strictFail) await out.abort();
    else await sheet?.end();
    await summarySink?.write(JSON.stringify(scoreSummaryDocument(summary, strictFail ? 'invalid' : 'ok'), null, 2) + '\n');
  } catch (err) {
    for (const s of sinks) await s.abort();
    throw err;
  }
  await commitAll(strictFail ? sinks.filter((s) => s !== out) : sinks);
  for (const w of summary.warnings) ui.warn(w);
  ui.info(summaryText(summary, flags));
  if (strictFail) throw strictError(input, firstInvalid!, summary.invalidCells, flags.errors);
}
