/**
 * `rapport instruments import-sav <file.sav> --out <instrument.yaml> [--verbose]`: an instrument
 * skeleton from an SPSS file's variable and value labels. Thin shell: read (src/ingest), convert
 * (src/instrument/sav-import.ts), validate, write atomically.
 */
import * as path from 'node:path';
import { Command } from 'commander';
import { InstrumentError } from '../../errors.js';
import { writeFileAtomic } from '../../io/atomic.js';
import { displayName } from '../../io/input.js';
import { checkDistinct } from '../../io/output-target.js';
import { readSavFile } from '../../ingest/binary-input.js';
import { savToInstrument } from '../../instrument/sav-import.js';
import { validateInstrument } from '../../instrument/validate.js';
import { plural } from '../../util/format.js';
import { VERSION } from '../../version.js';
import { importNoteLines, instrumentYaml } from './instruments-redcap.js';
import { makeUi } from '../ui.js';

export function buildImportSav(): Command {
  return new Command('import-sav')
    .description('turn the variable and value labels of an SPSS .sav file into an instrument file')
    .argument('<file.sav>', 'an SPSS system file (from SPSS, PSPP, R haven, or a Qualtrics or REDCap SPSS export; - for standard input)')
    .option('--verbose', 'list every skipped or changed variable (default: more than 3 of one kind are summarised)')
    .requiredOption('--out <file>', 'instrument file to write (YAML; - for standard output)')
    .addHelpText(
      'after',
      `
A numeric variable with value labels becomes an item: its labelled values are the options, its
user-missing values (and "Don't know", "Refused" ... labels at either end) the missing codes; the
variable label is the item text. Identical option lists share one response set. Variables named
<stem>_1, <stem>_2, ... with one response set become a suggested scale (mean). Strings and numbers
without value labels are skipped with a note. Check the scales and mark reverse-keyed items.`,
    )
    .action(async function (this: Command, file: string) {
      const ui = makeUi(this);
      const opts = this.opts<{ out: string; verbose?: boolean }>();
      const name = displayName(file);
      checkDistinct([{ flag: 'the .sav file', path: file }], [{ flag: '--out', path: opts.out }]);
      const sav = await readSavFile(file);
      const base = file === '-' ? 'spss-import' : path.basename(file).replace(/\.z?sav$/i, '');
      const res = savToInstrument(sav.variables, base);
      for (const n of importNoteLines(res.entries, opts.verbose === true)) ui.info(n);
      const valid = validateInstrument(res.data, opts.out);
      if (!valid.ok) throw new InstrumentError(`${name} (imported)`, valid.problems);
      const inst = valid.instrument;
      const comment = ` Imported by rapport ${VERSION} from the SPSS file ${name}.\n Check the scales (suggested from variable names), reverse-keyed items and missing codes.`;
      await writeFileAtomic(opts.out, instrumentYaml(res.data, comment));
      ui.info(`wrote ${opts.out === '-' ? '<stdout>' : opts.out}: instrument "${inst.id}" with ${plural(inst.items.length, 'item')}, ${plural(Object.keys(inst.response_sets).length, 'response set')}, ${plural(inst.scales.length, 'scale')}`);
    });
}
