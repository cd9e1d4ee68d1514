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
import { dictionaryToCsv, dictionaryToInstrument, instrumentToDictionary } from '../../instrument/redcap.js';
import { VERSION } from '../../version.js';
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

export function buildImportRedcap(): Command {
  return new Command('import-redcap')
    .description('turn a REDCap data dictionary (CSV) into an instrument file')
    .argument('<dictionary>', 'the data dictionary CSV from REDCap (download or API export; - for standard input)')
    .option('--form <name>', 'import only this form of the dictionary (default: all forms)')
    .requiredOption('--out <file>', 'instrument file to write (YAML; - for standard output)')
    .addHelpText(
      'after',
      `
radio, dropdown, yesno and truefalse fields become items (identical choice lists share one response
set); other field types are skipped with a note. A matrix group becomes a suggested scale (mean, at
least 50% answered); a calc field written by export-redcap (@RAPPORT-SCALE) restores its scale.`,
    )
    .action(async function (this: Command, dictFile: string) {
      const ui = makeUi(this);
      const opts = this.opts<{ form?: string; out: string }>();
      const name = displayName(dictFile);
      checkDistinct([{ flag: 'the dictionary', path: dictFile }], [{ flag: '--out', path: opts.out }]);
      const bytes = await readDictionaryBytes(dictFile);
      const { dict, notes: decodeNotes } = readDictionary(bytes, name);
      for (const n of decodeNotes) ui.warn(`${name}: ${n}`);
      const res = dictionaryToInstrument(dict, { file: dictFile, form: opts.form });
      for (const n of res.notes) ui.info(n);
      const valid = validateInstrument(res.data, opts.out);
      if (!valid.ok) throw new InstrumentError(`${name} (imported)`, valid.problems);
      const inst = valid.instrument;
      const comment =
        ` Imported by rapport ${VERSION} from the REDCap data dictionary ${name}` +
        `${opts.form ? ` (form ${opts.form})` : ''}.\n Check the scales (suggested from matrix groups and calc fields), reverse-keyed items and missing codes.`;
      await writeFileAtomic(opts.out, instrumentYaml(res.data, comment));
      ui.info(
        `wrote ${outName(opts.out)}: instrument "${inst.id}" with ${inst.items.length} items, ${Object.keys(inst.response_sets).length} response sets, ${inst.scales.length} scales`,
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
