/**
 * `rapport instruments import-redcap <dictionary.csv> [--form NAME] --out <file.yaml>`
 * `rapport instruments export-redcap <id|file> --out <dictionary.csv> [--lang CODE]`
 * Thin shell: read, call the pure core in src/instrument/redcap.ts, validate, write atomically.
 */
import { Command } from 'commander';
import { Document, isMap, isSeq, visit } from 'yaml';
import { InstrumentError, UsageError } from '../../errors.js';
import { readDictionaryBytes, displayName } from '../../io/input.js';
import { writeFileAtomic } from '../../io/atomic.js';
import { checkDistinct } from '../../io/output-target.js';
import { loadInstrument } from '../../instrument/load.js';
import { validateInstrument } from '../../instrument/validate.js';
import { readDictionary } from '../../ingest/dictionary.js';
import { dictionaryToCsv, dictionaryToInstrument, type ImportNote, instrumentToDictionary } from '../../instrument/redcap.js';
import { VERSION } from '../../version.js';
import { plural } from '../../util/format.js';
import { makeUi } from '../ui.js';

const outName = (f: string) => (f === '-' ? '<stdout>' : f);

/** Instrument data as YAML: block style, response options as one-line flow maps, item lists inline. */
export function instrumentYaml(data: Record<string, unknown>, comment: string): string {
  const doc = new Document(data);
  doc.commentBefore = comment;
  const sets = doc.get('response_sets');
  if (isMap(sets)) {
    for (const pair of sets.items) {
      const rs = pair.value;
      if (!isMap(rs)) continue;
      for (const key of ['options', 'missing']) {
        const seq = rs.get(key);
        if (isSeq(seq)) for (const o of seq.items) if (isMap(o)) o.flow = true;
      }
    }
  }
  const scales = doc.get('scales');
  if (isSeq(scales)) {
    for (const s of scales.items) {
      if (!isMap(s)) continue;
      const items = s.get('items');
      if (isSeq(items)) items.flow = true;
    }
  }
  // Quote words that YAML 1.1 readers (many editors, PyYAML) would take for booleans.
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && /^(y|n|yes|no|on|off|true|false)$/i.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({ lineWidth: 0 });
}

/** Reason keys of import notes → what the summary line says about the fields. */
const REASON_TEXT: Record<string, string> = {
  'not-scorable': 'fields that are not scorable items',
  calc: 'calc fields other than mean([...]) or sum([...]) of items',
  scale: 'calc fields whose @RAPPORT-SCALE definition cannot be used',
  'no-choices': 'radio or dropdown fields without choices',
  'duplicate-label': 'fields with a choice label twice',
  'duplicate-code': 'fields with a choice code twice',
  'bad-code': 'fields with an invalid choice code',
  'bad-name': 'fields with an invalid name',
  'duplicate-name': 'fields whose name is used twice',
  'all-missing': 'fields with every choice marked missing',
  'bad-range': 'sliders whose minimum is not below the maximum',
  'missing-codes': 'fields with "no answer" choices (unknown, don\'t know, not applicable, refused ...) imported as missing codes',
  'no-label': 'fields without a label (the name is the item text)',
};

/** Notes of one reason beyond this many are summarised in one line (--verbose lists every one). */
const SUMMARY_AFTER = 3;

/**
 * The import notes for stderr: general notes as they are; per reason, up to SUMMARY_AFTER notes one
 * line each, more as one line with the count, the field types (for skipped fields) and the first names.
 */
export function importNoteLines(entries: ImportNote[], verbose: boolean): string[] {
  const byReason = new Map<string, ImportNote[]>();
  for (const e of entries) if (e.field && REASON_TEXT[e.reason]) byReason.set(e.reason, [...(byReason.get(e.reason) ?? []), e]);
  const out: string[] = [];
  const done = new Set<string>();
  for (const e of entries) {
    const group = byReason.get(e.reason);
    if (verbose || !group || group.length <= SUMMARY_AFTER) {
      out.push(e.text);
      continue;
    }
    if (done.has(e.reason)) continue;
    done.add(e.reason);
    const names = group.map((g) => g.field);
    const types = new Map<string, number>();
    for (const g of group) {
      const t = /^skipped field "[^"]*" \(([^)]*)\)/.exec(g.text)?.[1];
      if (t) types.set(t, (types.get(t) ?? 0) + 1);
    }
    const byType = types.size ? ` (${[...types].map(([t, n]) => `${t} ${n}`).join(', ')})` : '';
    const verb = e.text.startsWith('skipped') ? 'skipped ' : '';
    out.push(`${verb}${group.length} ${REASON_TEXT[e.reason]}${byType}: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''} (--verbose lists each)`);
  }
  return out;
}

export function buildImportRedcap(): Command {
  return new Command('import-redcap')
    .description('turn a REDCap data dictionary (CSV) into an instrument file')
    .argument('<dictionary>', 'the data dictionary CSV from REDCap (download or API export; - for standard input)')
    .option('--form <name>', 'import only this form of the dictionary (default: all forms)')
    .option('--verbose', 'list every skipped or changed field (default: more than 3 of one kind are summarised)')
    .requiredOption('--out <file>', 'instrument file to write (YAML; - for standard output)')
    .addHelpText(
      'after',
      `
The dictionary is the CSV download, the API metadata CSV, or the API metadata as JSON (an array of
field objects). radio, dropdown, yesno and truefalse fields become items (identical choice lists share
one response set); choices such as "99, Unknown" or "Don't know" at the end of the list become missing
codes; a checkbox field becomes one 0/1 item per choice (field___code); a slider becomes a number item
(0-100 unless the field gives a range); other field types, and fields that cannot be read (no choices,
a label twice), are skipped with a note. A matrix group becomes a suggested scale (mean, at least 50%
answered); a calc mean([...]) or sum([...]) too; a calc field written by export-redcap
(@RAPPORT-SCALE) restores its scale. NA cells (R's write.csv) are empty.`,
    )
    .action(async function (this: Command, dictFile: string) {
      const ui = makeUi(this);
      const opts = this.opts<{ form?: string; out: string; verbose?: boolean }>();
      const name = displayName(dictFile);
      checkDistinct([{ flag: 'the dictionary', path: dictFile }], [{ flag: '--out', path: opts.out }]);
      const bytes = await readDictionaryBytes(dictFile);
      const { dict, notes: decodeNotes } = readDictionary(bytes, name);
      for (const n of decodeNotes) ui.warn(`${name}: ${n}`);
      for (const n of dict.notes ?? []) ui.warn(`${name}: ${n}`);
      const res = dictionaryToInstrument(dict, { file: dictFile, form: opts.form });
      for (const n of importNoteLines(res.entries, opts.verbose === true)) ui.info(n);
      const valid = validateInstrument(res.data, opts.out);
      if (!valid.ok) throw new InstrumentError(`${name} (imported)`, valid.problems);
      const inst = valid.instrument;
      const comment =
        ` Imported by rapport ${VERSION} from the REDCap data dictionary ${name}` +
        `${opts.form ? ` (form ${opts.form})` : ''}.\n Check the scales (suggested from matrix groups and calc fields), reverse-keyed items and missing codes.`;
      await writeFileAtomic(opts.out, instrumentYaml(res.data, comment));
      ui.info(
        `wrote ${outName(opts.out)}: instrument "${inst.id}" with ${plural(inst.items.length, 'item')}, ${plural(Object.keys(inst.response_sets).length, 'response set')}, ${plural(inst.scales.length, 'scale')}`,
      );
    });
}

export function buildExportRedcap(): Command {
  return new Command('export-redcap')
    .description('write an instrument as a REDCap data dictionary (CSV) for Project Setup > Data Dictionary upload')
    .argument('<instrument>', 'a built-in id or an instrument file (YAML or JSON)')
    .requiredOption('--out <file>', 'data dictionary CSV to write (- for standard output)')
    .option('--lang <code>', 'language of the texts (default: the instrument\'s first language)')
    .addHelpText(
      'after',
      `
One form named after the instrument id, a record_id field, one radio field per item (missing codes are
extra choices), and one calc field <scale>_score per scale using REDCap's mean(). REDCap's mean()
ignores blank answers and does not apply min_answered. Field Annotations carry @RAPPORT-... markers so
that import-redcap restores response sets, missing codes, reverse keying and scales exactly.`,
    )
    .action(async function (this: Command, ref: string) {
      const ui = makeUi(this);
      const opts = this.opts<{ out: string; lang?: string }>();
      checkDistinct([{ flag: 'the instrument', path: ref }], [{ flag: '--out', path: opts.out }]);
      const inst = loadInstrument(ref);
      if (opts.lang !== undefined && !inst.languages.includes(opts.lang)) {
        throw new UsageError(`--lang ${opts.lang}: instrument "${inst.id}" is available in ${inst.languages.join(', ')}; choose one of those.`);
      }
      const res = instrumentToDictionary(inst, { lang: opts.lang });
      for (const n of res.notes) ui.info(n);
      await writeFileAtomic(opts.out, dictionaryToCsv(res.rows));
      ui.info(
        `wrote ${outName(opts.out)}: REDCap data dictionary, form "${res.form}", ${res.rows.length - 1} fields (record_id, ${inst.items.length} items, ${inst.scales.length} score calcs)`,
      );
    });
}
