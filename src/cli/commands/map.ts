/**
 * `rapport map <export> --instrument <id|file> [--out map.yaml]`: write a mapping file suggested from the
 * export's header (ingest/suggest-map.ts), one line per item with a comment giving the match and its
 * confidence, and the items it could not match. `score` and `report` take the result with `--map`.
 */
import { Command } from 'commander';
import { displayName } from '../../io/input.js';
import { writeFileAtomic } from '../../io/atomic.js';
import { loadInstrument } from '../../instrument/load.js';
import { type MapSuggestion, suggestMapping } from '../../ingest/suggest-map.js';
import { readRecords } from '../../ingest/table.js';
import { formatNumber, plural } from '../../util/format.js';
import { makeUi } from '../ui.js';

/** Thrown by the record handler once the header records are in: the rest of the file is not read. */
class HeadDone extends Error {}

async function headRecords(file: string, n: number): Promise<string[][]> {
  const recs: string[][] = [];
  try {
    await readRecords({ file }, (fields) => {
      if (fields.every((f) => f.trim() === '')) return;
      recs.push(fields);
      if (recs.length >= n) throw new HeadDone();
    });
  } catch (err) {
    if (!(err instanceof HeadDone)) throw err;
  }
  return recs;
}

/** A column as a mapping file names it: its header when short and unique, else its number (1 = first). */
function columnRef(s: MapSuggestion, c: number): string {
  const name = s.names[c];
  const unique = s.names.filter((x) => x === name).length === 1;
  return unique && /^[A-Za-z_][\w.\-[\]]{0,63}$/.test(name) ? name : String(c + 1);
}

/** The mapping file's text: YAML with a comment per line. */
export function mappingYaml(s: MapSuggestion, source: string, instrument: string): string {
  const lines = [
    `# Suggested by rapport map from ${source} (${s.platform}) for instrument ${instrument}.`,
    '# Check every line before scoring with --map. A column is named by its header, or by its number',
    '# (1 = the first column) where the header is a question text or appears twice.',
  ];
  // The id is always named (a mapping file's id takes a header, not a number).
  if (s.idColumn >= 0) {
    const name = s.names[s.idColumn];
    lines.push(`id: ${/^[A-Za-z_][\w.-]*$/.test(name) ? name : JSON.stringify(name)}  # column ${s.idColumn + 1}`);
  }
  const found = s.matches.filter((m) => m.column >= 0);
  lines.push(found.length ? 'items:' : 'items: {}');
  const width = Math.max(0, ...found.map((m) => `  ${m.item}: ${columnRef(s, m.column)}`.length));
  for (const m of found) {
    const entry = `  ${m.item}: ${columnRef(s, m.column)}`;
    const how = m.by === 'name' ? 'by column name' : 'by question text';
    lines.push(`${entry.padEnd(width)}  # column ${m.column + 1}, ${how}, confidence ${formatNumber(Math.round(m.confidence * 100) / 100)}`);
  }
  const missing = s.matches.filter((m) => m.column < 0).map((m) => m.item);
  if (missing.length) lines.push(`# Not matched (${plural(missing.length, 'item')}): ${missing.join(', ')}; add them by hand, or they count as unanswered.`);
  return lines.join('\n') + '\n';
}

export function build(): Command {
  return new Command('map')
    .description("suggest a mapping file (--map) by matching the export's column names and question texts to the instrument's items")
    .argument('<export>', 'the survey export (CSV or TSV)')
    .requiredOption('-i, --instrument <id|file>', 'a built-in instrument id or an instrument file')
    .option('-o, --out <file>', 'the mapping file to write (- = standard output)', '-')
    .action(async function (this: Command, input: string) {
      const ui = makeUi(this);
      const opts = this.opts<{ instrument: string; out: string }>();
      const inst = loadInstrument(opts.instrument);
      const recs = await headRecords(input, 3);
      const s = suggestMapping(recs, inst);
      await writeFileAtomic(opts.out, mappingYaml(s, displayName(input), `${inst.id} ${inst.version}`));
      const byText = s.matches.filter((m) => m.by === 'text').length;
      const none = s.matches.filter((m) => m.by === 'none').length;
      ui.info(`${opts.out === '-' ? 'mapping' : `wrote ${opts.out}`}: ${plural(s.matches.length - none, 'item')} matched (${byText} by question text), ${none} not matched; check it before scoring with --map`);
    });
}
