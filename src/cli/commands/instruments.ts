/** `rapport instruments list|show|validate|import-redcap|export-redcap|import-sav` */
import { Command } from 'commander';
import { EXIT, InstrumentError, RapportError, UsageError } from '../../errors.js';
import { builtinIds, loadInstrument } from '../../instrument/load.js';
import { describeInstrument, instrumentSummary, instrumentToJson } from '../../instrument/describe.js';
import { checkPairs } from '../../instrument/pairs.js';
import type { Instrument } from '../../instrument/types.js';
import { makeUi } from '../ui.js';
import { buildExportRedcap, buildImportRedcap } from './instruments-redcap.js';
import { buildImportSav } from './instruments-sav.js';
import { reportError } from '../report-error.js';

function checkLang(langs: string[], lang: string | undefined, id: string): void {
  if (lang !== undefined && !langs.includes(lang)) {
    throw new UsageError(`--lang ${lang}: instrument "${id}" is available in ${langs.join(', ')}; choose one of those.`);
  }
}

export function build(): Command {
  const cmd = new Command('instruments').description('list, show, validate, import and export instruments');

  cmd
    .command('list')
    .description('list the built-in instruments')
    .option('--json', 'print JSON')
    .action(function (this: Command) {
      const ui = makeUi(this);
      const opts = this.opts<{ json?: boolean }>();
      const rows = builtinIds().map((id) => instrumentSummary(loadInstrument(id)));
      if (opts.json) {
        ui.out(JSON.stringify(rows, null, 2) + '\n');
        return;
      }
      const w = Math.max(...rows.map((r) => r.id.length));
      for (const r of rows) {
        ui.out(`${r.id.padEnd(w)}  v${r.version}  ${String(r.items).padStart(2)} items  ${String(r.scales.length).padStart(2)} scales  [${r.languages.join(', ')}]  ${r.title}\n`);
      }
    });

  cmd
    .command('show')
    .description('show an instrument: items, response sets, scales and scoring rules')
    .argument('<instrument>', 'a built-in id or an instrument file (YAML or JSON)')
    .option('--lang <code>', 'language of the texts')
    .option('--json', 'print the parsed instrument as JSON')
    .action(function (this: Command, ref: string) {
      const ui = makeUi(this);
      const opts = this.opts<{ json?: boolean; lang?: string }>();
      const inst = loadInstrument(ref);
      checkLang(inst.languages, opts.lang, inst.id);
      if (opts.json) ui.out(JSON.stringify(instrumentToJson(inst, opts.lang), null, 2) + '\n');
      else ui.out(describeInstrument(inst, opts.lang ?? inst.languages[0]));
    });

  cmd
    .command('validate')
    .description('check instrument files and list every problem (exit 65 if any is invalid); items paired across the files (pair:) must have the same options')
    .argument('<file...>', 'instrument files (YAML or JSON)')
    .option('--json', 'print the result as JSON')
    .action(function (this: Command, files: string[]) {
      const ui = makeUi(this);
      const opts = this.opts<{ json?: boolean }>();
      const results: { file: string; ok: boolean; id?: string; version?: string; problems?: { path: string; message: string }[]; error?: string; exit: number }[] = [];
      const loaded: [string, Instrument][] = [];
      for (const f of files) {
        try {
          const inst = loadInstrument(f);
          loaded.push([f, inst]);
          results.push({ file: f, ok: true, id: inst.id, version: inst.version, exit: 0 });
          if (!opts.json) ui.info(`ok: ${f} (${inst.id} ${inst.version}: ${inst.items.length} items, ${inst.scales.length} scales)`);
        } catch (err) {
          if (!(err instanceof RapportError)) throw err;
          const problems = (err as { problems?: { path: string; message: string }[] }).problems;
          results.push({ file: f, ok: false, problems, error: err.message, exit: err.exitCode });
          if (!opts.json) reportError(err, false);
        }
      }
      // Paired items across files: the same options (e.g. a patient and a clinician form).
      loaded.forEach(([fa, a], i) => loaded.slice(i + 1).forEach(([fb, b]) => {
        const problems = checkPairs(a, b).problems;
        if (problems.length === 0) return;
        const r = results.find((x) => x.file === fb)!;
        Object.assign(r, { ok: false, exit: EXIT.DATA, problems: [...(r.problems ?? []), ...problems] });
        if (!opts.json) reportError(new InstrumentError(fb, problems.map((p) => ({ path: p.path, message: `${p.message}; it pairs with ${fa}` }))), false);
      }));
      if (opts.json) ui.out(JSON.stringify({ valid: results.every((r) => r.ok), files: results.map(({ exit, ...r }) => r) }, null, 2) + '\n');
      const codes = results.map((r) => r.exit);
      if (codes.includes(EXIT.NO_INPUT)) process.exitCode = EXIT.NO_INPUT;
      else if (codes.some((c) => c !== 0)) process.exitCode = EXIT.DATA;
    });

  cmd.addCommand(buildImportRedcap());
  cmd.addCommand(buildExportRedcap());
  cmd.addCommand(buildImportSav());
  return cmd;
}
