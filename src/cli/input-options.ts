/**
 * The input contract: the options of every command that reads a survey export (`score`, `report`),
 * defined once here with their names, help text, defaults and validation, so that they mean the same
 * and read the same in every command:
 *
 *   -i/--instrument, --map, --id-column, --platform, --encoding, --delimiter, --max-record-size,
 *   --sheet, --include-incomplete, --include-previews, --event, --dedupe, --strict, --errors
 *
 * One word per concept: the survey platform is `--platform` (old spellings are hidden aliases that
 * print a deprecation notice: see `addDeprecatedAlias`); `--format` is only ever the shape of what a
 * command prints.
 */
import { type Command, Option } from 'commander';
import { DataError, UsageError } from '../errors.js';
import { displayName, readMappingBytes } from '../io/input.js';
import type { Instrument } from '../instrument/types.js';
import { loadInstrument } from '../instrument/load.js';
import { ENCODING_NAMES, type EncodingName, parseEncodingName } from '../ingest/decode.js';
import { quoteCsv, textCell } from '../ingest/csv-write.js';
import { type Mapping, parseMapping } from '../ingest/mapping.js';
import { PLATFORMS, type Platform } from '../ingest/platform.js';
import { DEFAULT_MAX_RECORD_SIZE } from '../ingest/records.js';
import { parseDelimiterOption } from '../ingest/sniff.js';
import type { DedupeMode, InvalidCell } from '../scoring/pipeline.js';

export const PLATFORM_CHOICES = ['auto', ...PLATFORMS] as const;
const DEDUPE_CHOICES = ['first', 'last', 'error'] as const;

/** The input options as commander parses them. */
export interface InputFlags {
  instrument?: string;
  map?: string;
  idColumn?: string;
  platform: Platform | 'auto';
  encoding?: string;
  delimiter?: string;
  maxRecordSize?: string;
  sheet?: string;
  includeIncomplete?: boolean;
  includePreviews?: boolean;
  event?: string[];
  dedupe?: DedupeMode;
  strict?: boolean;
  errors?: string;
}

/** The input options checked and typed (what the reading code takes). */
export interface InputSettings {
  instrumentRef?: string;
  mapFile?: string;
  idColumn?: string;
  platform: Platform | 'auto';
  encoding?: EncodingName;
  delimiter?: string;
  maxRecordSize?: number;
  sheet?: string;
  includeIncomplete?: boolean;
  includePreviews?: boolean;
  events?: string[];
  dedupe?: DedupeMode;
  strict: boolean;
  errors?: string;
}

/** Help text of each input option: the same words in every command (tested). */
const INPUT_HELP = {
  instrument: 'a built-in instrument id or an instrument file: the export is scored with it',
  map: 'mapping file: id column, item → column, extra missing codes',
  idColumn: "respondent id column (default: the platform's id column)",
  platform: 'survey platform of the export (auto detects it)',
  encoding: `input encoding (default: detected); one of ${ENCODING_NAMES}`,
  delimiter: 'field delimiter (default: detected from the first record); a character or tab',
  maxRecordSize: `largest record in characters, e.g. 4M (default ${DEFAULT_MAX_RECORD_SIZE / 1024 / 1024}M)`,
  sheet: 'the sheet of an Excel .xlsx input to read (default: the first)',
  includeIncomplete: 'also score unfinished responses (Qualtrics Finished=0, REDCap incomplete forms, LimeSurvey without submitdate)',
  includePreviews: 'also score Qualtrics preview, test and spam responses',
  event: 'REDCap longitudinal exports: keep only rows of these events (redcap_event_name), comma-separated',
  dedupe: 'duplicate respondent ids: keep the first, keep the last, or fail (default: keep all and warn)',
  strict: 'fail (exit 65, no output) if any cell is invalid',
  errors: 'write one CSV row per invalid cell: line, column, value, message',
} as const;

/** Add the input options to a command (`--instrument` mandatory or not). */
export function addInputOptions(cmd: Command, opts: { instrumentRequired: boolean }): Command {
  const instrument = new Option('-i, --instrument <id|file>', INPUT_HELP.instrument);
  if (opts.instrumentRequired) instrument.makeOptionMandatory();
  return cmd
    .addOption(instrument)
    .option('--map <mapping.yaml>', INPUT_HELP.map)
    .option('--id-column <name>', INPUT_HELP.idColumn)
    .addOption(new Option('--platform <platform>', INPUT_HELP.platform).choices(PLATFORM_CHOICES).default('auto'))
    .option('--encoding <name>', INPUT_HELP.encoding)
    .option('--delimiter <char>', INPUT_HELP.delimiter)
    .option('--max-record-size <size>', INPUT_HELP.maxRecordSize)
    .option('--sheet <name>', INPUT_HELP.sheet)
    .option('--include-incomplete', INPUT_HELP.includeIncomplete)
    .option('--include-previews', INPUT_HELP.includePreviews)
    .option('--event <names>', INPUT_HELP.event, eventList)
    .addOption(new Option('--dedupe <mode>', INPUT_HELP.dedupe).choices(DEDUPE_CHOICES))
    .option('--strict', INPUT_HELP.strict)
    .option('--errors <file>', INPUT_HELP.errors);
}

/**
 * An old spelling of an option, kept working: hidden from help, and when used a one-line notice on
 * stderr (even with --quiet: a script that uses it should learn of it) says what to write instead.
 * Giving both spellings with different values is a usage error.
 */
export function addDeprecatedAlias(cmd: Command, alias: { flags: string; attribute: string; target: string; targetAttribute: string; choices?: readonly string[] }): Command {
  const opt = new Option(alias.flags, `deprecated spelling of ${alias.target}`).hideHelp();
  if (alias.choices) opt.choices(alias.choices);
  cmd.addOption(opt);
  const oldName = alias.flags.split(/[ ,]/)[0];
  return cmd.hook('preAction', (_hooked, action) => {
    if (action !== cmd) return;
    const v = cmd.getOptionValue(alias.attribute) as string | undefined;
    if (v === undefined) return;
    process.stderr.write(`rapport: ${oldName} is deprecated in 'rapport ${cmd.name()}'; use ${alias.target} ${v} (the old spelling will be removed in a later version).\n`);
    const source = cmd.getOptionValueSource(alias.targetAttribute);
    const current = cmd.getOptionValue(alias.targetAttribute) as string | undefined;
    if (source !== undefined && source !== 'default' && current !== v) {
      throw new UsageError(`${oldName} ${v} and ${alias.target} ${current} disagree; give only ${alias.target}.`);
    }
    cmd.setOptionValueWithSource(alias.targetAttribute, v, 'cli');
  });
}

/** `--event a,b`: the event names, trimmed (an empty list is a usage error). */
function eventList(v: string): string[] {
  const names = v.split(',').map((x) => x.trim()).filter((x) => x !== '');
  if (names.length === 0) throw new UsageError(`--event ${JSON.stringify(v)}: name one or more REDCap events, comma-separated (for example --event baseline_arm_1).`);
  return names;
}

/** Parse `--max-record-size`: characters, with an optional k/K (KiB) or m/M (MiB) suffix. */
function parseSize(v: string): number | undefined {
  const m = /^(\d+)\s*(k|kb|kib|m|mb|mib)?$/i.exec(v.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? '').toLowerCase();
  const n = Number(m[1]) * (unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 * 1024 : 1);
  return n >= 1 && n <= 1 << 30 ? n : undefined;
}

/** Options that only mean something when an export is scored with an instrument. */
const INSTRUMENT_ONLY: [keyof InputFlags, string][] = [
  ['map', '--map'],
  ['idColumn', '--id-column'],
  ['includeIncomplete', '--include-incomplete'],
  ['includePreviews', '--include-previews'],
  ['event', '--event'],
  ['dedupe', '--dedupe'],
  ['strict', '--strict'],
  ['errors', '--errors'],
];

/**
 * Check the input options (UsageError, exit 2): values that parse, files that do not collide with the
 * input, and (without an instrument) no option that needs one. `platformGiven`: --platform was given on
 * the command line (not its default).
 */
export function checkInputFlags(input: string, f: InputFlags, platformGiven = false): InputSettings {
  const encoding = f.encoding !== undefined ? parseEncodingName(f.encoding) : undefined;
  if (f.encoding !== undefined && !encoding) throw new UsageError(`--encoding ${f.encoding}: unknown encoding; use one of ${ENCODING_NAMES}.`);
  const delimiter = f.delimiter !== undefined ? parseDelimiterOption(f.delimiter) : undefined;
  if (f.delimiter !== undefined && !delimiter) throw new UsageError(`--delimiter ${JSON.stringify(f.delimiter)}: give one character such as ";" or the word tab.`);
  const maxRecordSize = f.maxRecordSize !== undefined ? parseSize(f.maxRecordSize) : undefined;
  if (f.maxRecordSize !== undefined && !maxRecordSize) throw new UsageError(`--max-record-size ${f.maxRecordSize}: give a size such as 1048576, 512k or 4M (at most 1024M).`);
  if (f.instrument === undefined) {
    const given = INSTRUMENT_ONLY.find(([k]) => f[k] !== undefined) ?? (platformGiven ? (['platform', '--platform'] as const) : undefined);
    if (given) throw new UsageError(`${given[1]} applies only with --instrument (scoring a survey export).`);
  }
  if (input !== '-' && f.errors === input) throw new UsageError(`${input} is both the input and an output; choose another output file name.`);
  if (f.map === '-' && input === '-') throw new UsageError('the input and --map cannot both be standard input; save one of them to a file.');
  return {
    instrumentRef: f.instrument,
    mapFile: f.map,
    idColumn: f.idColumn,
    platform: f.platform,
    encoding,
    delimiter,
    maxRecordSize,
    sheet: f.sheet,
    includeIncomplete: f.includeIncomplete,
    includePreviews: f.includePreviews,
    events: f.event,
    dedupe: f.dedupe,
    strict: f.strict === true,
    errors: f.errors,
  };
}

/** Load the instrument (65/66) and the mapping file named by the settings. */
export async function loadInputSources(s: InputSettings): Promise<{ instrument?: Instrument; mapping?: Mapping }> {
  const instrument = s.instrumentRef !== undefined ? loadInstrument(s.instrumentRef) : undefined;
  const mapping = s.mapFile !== undefined ? parseMapping((await readMappingBytes(s.mapFile)).toString('utf8'), s.mapFile) : undefined;
  return { instrument, mapping };
}

/** The scoring options of the settings (what `scoreInput` takes besides the input and the callbacks). */
export function scoringOptions(s: InputSettings) {
  return {
    idColumn: s.idColumn,
    platform: s.platform,
    includeIncomplete: s.includeIncomplete,
    includePreviews: s.includePreviews,
    events: s.events,
    encoding: s.encoding,
    delimiter: s.delimiter,
    maxRecordSize: s.maxRecordSize,
    sheet: s.sheet,
    dedupe: s.dedupe,
  };
}

/** The header of an --errors file. */
export const ERRORS_HEADER = 'line,column,value,message\n';

/** One --errors row. */
export function errorsRow(c: InvalidCell): string {
  return `${c.line},${textCell(c.column)},${textCell(c.value)},${quoteCsv(c.message)}\n`;
}

/** The --strict failure (exit 65) for the first invalid cell of `count`. */
export function strictError(input: string, c: InvalidCell, count: number, errorsFile?: string): DataError {
  const more = count > 1 ? ` (${count} invalid cells in all${errorsFile ? `, listed in ${errorsFile}` : '; list them with --errors <file>'})` : '';
  return new DataError(
    'SCORE_VALUE_INVALID',
    `${displayName(input)}, ${c.place ?? `line ${c.line}, column ${JSON.stringify(c.column)}`}: ${JSON.stringify(c.value)} is not an answer to item ${c.item} (accepted: ${c.accepted})${more}; correct the value, list it under missing: in a --map file if it means no answer, or run without --strict; nothing was written.`,
    { file: input, line: c.line, column: c.column },
  );
}
