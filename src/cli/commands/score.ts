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
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DataError, UsageError, outputErrorFrom } from '../../errors.js';
import { openOutput, waitForDrain, writeFileAtomic, type OutputSink } from '../../io/atomic.js';
import { displayName, readInputBytes } from '../../io/input.js';
import { loadInstrument } from '../../instrument/load.js';
import { ENCODING_NAMES, parseEncodingName } from '../../ingest/decode.js';
import { ScoredCsvWriter, quoteCsv, textCell } from '../../ingest/csv-write.js';
import { type Mapping, parseMapping } from '../../ingest/mapping.js';
import { PLATFORMS, type Platform } from '../../ingest/platform.js';
import { parseDelimiterOption, delimiterName } from '../../ingest/sniff.js';
import { DEFAULT_MAX_RECORD_SIZE } from '../../ingest/records.js';
import { type DedupeMode, type InvalidCell, type ScoreHeader, type ScoreSummary, type ScoredRow, scoreInput } from '../../scoring/pipeline.js';
import { formatNumber } from '../../util/format.js';
import { commaList, makeUi, type Ui } from '../ui.js';

interface ScoreFlags {
  instrument: string;
  out: string;
  map?: string;
  format: Platform | 'auto';
  idColumn?: string;
  keep?: string[];
  errors?: string;
  strict?: boolean;
  includeIncomplete?: boolean;
  includePreviews?: boolean;
  encoding?: string;
  delimiter?: string;
  maxRecordSize?: string;
  dedupe?: DedupeMode;
  summaryJson?: string;
}

/** Parse `--max-record-size`: characters, with an optional k/K (KiB) or m/M (MiB) suffix. */
export function parseSize(v: string): number | undefined {
  const m = /^(\d+)\s*(k|kb|kib|m|mb|mib)?$/i.exec(v.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? '').toLowerCase();
  const n = Number(m[1]) * (unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 * 1024 : 1);
  return n >= 1 && n <= 1 << 30 ? n : undefined;
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
    `rapport score: ${displayName(s.input)} (${s.platform}${s.platformHow === 'forced' ? ', as given by --format' : ''}; ${s.encoding}; ${delimiterName(s.delimiter)}-separated)`,
    `  rows read ${n(s.rowsRead)} · excluded ${n(excTotal)}${exc.length ? ` (${exc.map(([k, v]) => `${k} ${n(v)}`).join(', ')})` : ''} · scored ${n(s.rowsScored)}`,
    `  invalid cells ${n(s.invalidCells)}${s.invalidCells > 0 ? (flags.errors ? ` (listed in ${flags.errors})` : ' (list them with --errors <file>)') : ''} · duplicate ids ${n(s.duplicateIds)}`,
  ];
  if (s.scales.length) lines.push(`  scores: ${s.scales.map((c) => `${c.id} ${formatNumber(Math.round(c.share * 1000) / 10)}%`).join(' · ')}`);
  return lines.join('\n');
}

export function build(): Command {
  return new Command('score')
    .description('score a survey export (Qualtrics, REDCap, LimeSurvey or plain CSV): one row per respondent with scale scores')
    .argument('<input>', 'the export (CSV or TSV), or - for standard input')
    .requiredOption('-i, --instrument <id|file>', 'a built-in instrument id or an instrument file')
    .option('-o, --out <file>', 'output CSV (- = standard output)', '-')
    .option('--map <mapping.yaml>', 'mapping file: id column, item → column, extra missing codes')
    .addOption(new Option('--format <platform>', 'export platform (auto detects it)').choices(['auto', ...PLATFORMS]).default('auto'))
    .option('--id-column <name>', 'respondent id column (default: the platform\'s id column)')
    .option('--keep <columns>', 'comma-separated input columns to copy into the output', commaList)
    .option('--errors <file>', 'write one CSV row per invalid cell: line, column, value, message')
    .option('--strict', 'fail (exit 65, no output) if any cell is invalid')
    .option('--include-incomplete', 'also score unfinished responses (Qualtrics Finished=0, REDCap incomplete forms, LimeSurvey without submitdate)')
    .option('--include-previews', 'also score Qualtrics preview, test and spam responses')
    .option('--encoding <name>', `input encoding (default: detected); one of ${ENCODING_NAMES}`)
    .option('--delimiter <char>', 'field delimiter (default: detected from the first record); a character or tab')
    .option('--max-record-size <size>', `largest record in characters, e.g. 4M (default ${DEFAULT_MAX_RECORD_SIZE / 1024 / 1024}M)`)
    .addOption(new Option('--dedupe <mode>', 'duplicate respondent ids: keep the first, keep the last, or fail (default: keep all and warn)').choices(['first', 'last', 'error']))
    .option('--summary-json <file>', 'write the run summary as JSON')
    .action(async function (this: Command, input: string) {
      const ui = makeUi(this);
      await runScore(input, this.opts<ScoreFlags>(), ui);
    });
}

async function runScore(input: string, flags: ScoreFlags, ui: Ui): Promise<void> {
  // Flags first (exit 2), then the instrument and mapping (65/66), then the outputs (73).
  const encoding = flags.encoding !== undefined ? parseEncodingName(flags.encoding) : undefined;
  if (flags.encoding !== undefined && !encoding) throw new UsageError(`--encoding ${flags.encoding}: unknown encoding; use one of ${ENCODING_NAMES}.`);
  const delimiter = flags.delimiter !== undefined ? parseDelimiterOption(flags.delimiter) : undefined;
  if (flags.delimiter !== undefined && !delimiter) throw new UsageError(`--delimiter ${JSON.stringify(flags.delimiter)}: give one character such as ";" or the word tab.`);
  const maxRecordSize = flags.maxRecordSize !== undefined ? parseSize(flags.maxRecordSize) : undefined;
  if (flags.maxRecordSize !== undefined && !maxRecordSize) throw new UsageError(`--max-record-size ${flags.maxRecordSize}: give a size such as 1048576, 512k or 4M (at most 1024M).`);
  if (flags.out !== '-' && flags.out === flags.errors) throw new UsageError('--out and --errors name the same file; give them different names.');
  if (input !== '-' && (flags.out === input || flags.errors === input || flags.summaryJson === input)) {
    throw new UsageError(`${input} is both the input and an output; choose another output file name.`);
  }

  const instrument = loadInstrument(flags.instrument);
  let mapping: Mapping | undefined;
  if (flags.map !== undefined) {
    if (flags.map === '-' && input === '-') throw new UsageError('the input and --map cannot both be standard input; save one of them to a file.');
    mapping = parseMapping((await readInputBytes(flags.map)).toString('utf8'), flags.map);
  }

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
  if (errSink) errPending = 'line,column,value,message\n';
  // `--errors -` reaches the terminal: the export's cells with their control characters made visible.
  const shown = flags.errors === '-' ? (s: string) => visible(s) : (s: string) => s;
  const onInvalid = (c: InvalidCell) => {
    if (!firstInvalid) firstInvalid = c;
    if (errSink) errPending += `${c.line},${textCell(shown(c.column))},${textCell(shown(c.value))},${quoteCsv(shown(c.message))}\n`;
  };
  const drain = async () => {
    if (writer.size > 0) await out.write(writer.take());
    if (errSink && errPending.length > 0) {
      const p = errPending;
      errPending = '';
      await errSink.write(p);
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
        instrument,
        mapping,
        format: flags.format,
        idColumn: flags.idColumn,
        keep: flags.keep,
        includeIncomplete: flags.includeIncomplete,
        includePreviews: flags.includePreviews,
        encoding,
        delimiter,
        maxRecordSize,
        dedupe: flags.dedupe,
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
    await writeFileAtomic(flags.summaryJson, JSON.stringify({ status: strictFail ? 'invalid' : 'ok', ...summary }, null, 2) + '\n', { mode: 0o600 });
  }
  for (const w of summary.warnings) ui.warn(w);
  ui.info(summaryText(summary, flags));
  if (strictFail) {
    const c = firstInvalid!;
    const more = summary.invalidCells > 1 ? ` (${summary.invalidCells} invalid cells in all${flags.errors ? `, listed in ${flags.errors}` : '; list them with --errors <file>'})` : '';
    throw new DataError(
      'VALUE_INVALID',
      `${displayName(input)}, line ${c.line}, column ${JSON.stringify(c.column)}: ${JSON.stringify(c.value)} is not an answer to item ${c.item} (accepted: ${instrumentAccepted(c.message)})${more}; correct the value, list it under missing: in a --map file if it means no answer, or run without --strict; nothing was written.`,
      { file: input, line: c.line, column: c.column },
    );
  }
}

/** The accepted-values part of an invalid-cell message. */
function instrumentAccepted(message: string): string {
  const m = /accepted: (.*); counted as unanswered$/.exec(message);
  return m ? m[1] : message;
}
