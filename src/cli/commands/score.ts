/**
 * `rapport score <input.csv|-> --instrument <id|file>`: batch scoring of survey exports.
 * The shell only: parses flags, loads the instrument and mapping, opens the outputs, runs the
 * streaming pipeline (src/scoring/pipeline.ts) and writes CSV rows, the errors file and the summary.
 *
 * Output safety: a file target is written atomically (src/io/atomic.ts); standard output is spooled
 * (memory up to 8 MiB, then a private temporary file) and only sent when the run succeeded, so a
 * structure error or --strict failure never leaves partial output anywhere.
 */
import { visible } from '../../util/terminal.js';
import { Command } from 'commander';
import cliProgress from 'cli-progress';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { UsageError, outputErrorFrom } from '../../errors.js';
import { openOutput, waitForDrain, writeFileAtomic, type OutputSink } from '../../io/atomic.js';
import { displayName } from '../../io/input.js';
import { ScoredCsvWriter } from '../../ingest/csv-write.js';
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

const SPOOL_MEMORY = 8 << 20;

/**
 * Output for `--out -`: kept in memory up to 8 MiB, then in a private temporary file; sent to stdout
 * only by commit(), so a failed run prints nothing.
 */
class StdoutSpool implements OutputSink {
  readonly target = '-';
  private parts: (string | Uint8Array)[] = [];
  private size = 0;
  private fd: number | undefined;
  private file: string | undefined;
  private readonly cleanupOnExit = () => this.removeFile();
  constructor(private readonly stdout: NodeJS.WritableStream = process.stdout) {}
  async write(chunk: string | Uint8Array): Promise<void> {
    if (this.fd === undefined) {
      this.parts.push(chunk);
      this.size += chunk.length;
      if (this.size <= SPOOL_MEMORY) return;
      this.file = path.join(os.tmpdir(), `rapport-score-${process.pid}-${randomBytes(4).toString('hex')}.csv`);
      try {
        this.fd = fs.openSync(this.file, 'wx', 0o600);
      } catch (err) {
        throw outputErrorFrom(err, this.file);
      }
      process.once('exit', this.cleanupOnExit);
      chunk = Buffer.concat(this.parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
      this.parts = [];
    }
    try {
      if (typeof chunk === 'string') fs.writeSync(this.fd, chunk);
      else fs.writeSync(this.fd, chunk);
    } catch (err) {
      throw outputErrorFrom(err, this.file!);
    }
  }
  private async send(text: string | Uint8Array): Promise<void> {
    if (!this.stdout.write(text)) await waitForDrain(this.stdout, 'close');
  }
  async commit(): Promise<void> {
    if (this.fd === undefined) {
      const parts = this.parts;
      this.parts = [];
      for (const p of parts) if (p.length) await this.send(p);
      return;
    }
    fs.closeSync(this.fd);
    this.fd = undefined;
    try {
      const rs = fs.createReadStream(this.file!, { highWaterMark: 1 << 20 });
      for await (const piece of rs) await this.send(piece as Buffer);
    } finally {
      this.removeFile();
    }
  }
  async abort(): Promise<void> {
    this.parts = [];
    if (this.fd !== undefined) {
      try {
        fs.closeSync(this.fd);
      } catch {
        /* ignore */
      }
      this.fd = undefined;
    }
    this.removeFile();
  }
  private removeFile(): void {
    if (this.file) {
      try {
        fs.unlinkSync(this.file);
      } catch {
        /* gone */
      }
      process.removeListener('exit', this.cleanupOnExit);
      this.file = undefined;
    }
  }
}

/** The one-paragraph summary printed on stderr. */
export function summaryText(s: ScoreSummary, flags: { errors?: string }): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const exc = Object.entries(s.excluded).filter(([, v]) => v > 0);
  const excTotal = exc.reduce((a, [, v]) => a + v, 0);
  const lines = [
    `rapport score: ${displayName(s.input)} (${s.platform}${s.platformHow === 'forced' ? ', as given by --platform' : ''}; ${s.encoding}; ${delimiterName(s.delimiter)}-separated)`,
    `  rows read ${n(s.rowsRead)} · excluded ${n(excTotal)}${exc.length ? ` (${exc.map(([k, v]) => `${k} ${n(v)}`).join(', ')})` : ''} · scored ${n(s.rowsScored)}`,
    `  invalid cells ${n(s.invalidCells)}${s.invalidCells > 0 ? (flags.errors ? ` (listed in ${flags.errors})` : ' (list them with --errors <file>)') : ''} · duplicate ids ${n(s.duplicateIds)}`,
  ];
  if (s.scales.length) lines.push(`  scores: ${s.scales.map((c) => `${c.id} ${formatNumber(Math.round(c.share * 1000) / 10)}%`).join(' · ')}`);
  return lines.join('\n');
}

export function build(): Command {
  const cmd = new Command('score')
    .description('score a survey export (Qualtrics, REDCap, LimeSurvey or plain CSV): one row per respondent with scale scores')
    .argument('<input>', 'the export (CSV or TSV), or - for standard input');
  addInputOptions(cmd, { instrumentRequired: true });
  addDeprecatedAlias(cmd, { flags: '--format <platform>', attribute: 'format', target: '--platform', targetAttribute: 'platform', choices: PLATFORM_CHOICES });
  return cmd
    .option('-o, --out <file>', 'output CSV (- = standard output)', '-')
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
  if (flags.out !== '-' && flags.out === flags.errors) throw new UsageError('--out and --errors name the same file; give them different names.');
  if (input !== '-' && (flags.out === input || flags.summaryJson === input)) {
    throw new UsageError(`${input} is both the input and an output; choose another output file name.`);
  }
  const { instrument, mapping } = await loadInputSources(settings);

  const out: OutputSink = flags.out === '-' ? new StdoutSpool() : await openOutput(flags.out, { mode: 0o600, highWaterMark: 1 << 20 });
  let errSink: OutputSink | undefined;
  try {
    if (flags.errors !== undefined) errSink = flags.errors === '-' ? new StdoutSpool(process.stderr) : await openOutput(flags.errors, { mode: 0o600 });
  } catch (err) {
    await out.abort();
    throw err;
  }

  // Output state.
  const writer = new ScoredCsvWriter();
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
    if (writer.size > 0) await out.write(writer.take());
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
    await out.abort();
    await errSink?.abort();
    throw err;
  }

  const strictFail = flags.strict === true && summary.invalidCells > 0;
  try {
    if (strictFail) await out.abort();
    else await out.commit();
    await errSink?.commit();
  } catch (err) {
    await out.abort();
    await errSink?.abort();
    throw err;
  }
  if (flags.summaryJson !== undefined) {
    await writeFileAtomic(flags.summaryJson, JSON.stringify(scoreSummaryDocument(summary, strictFail ? 'invalid' : 'ok'), null, 2) + '\n', { mode: 0o600 });
  }
  for (const w of summary.warnings) ui.warn(w);
  ui.info(summaryText(summary, flags));
  if (strictFail) throw strictError(input, firstInvalid!, summary.invalidCells, flags.errors);
}
