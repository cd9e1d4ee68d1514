/** Messages on stderr for the shell layer: respects --quiet; data never goes here. */
import type { Command } from 'commander';
import { chalkStderr } from 'chalk';
import { writeFdLater } from '../io/stdout.js';

export interface Ui {
  quiet: boolean;
  debug: boolean;
  /** Informational line (summaries, progress notes): suppressed by --quiet. */
  info(msg: string): void;
  /** Warning line: suppressed by --quiet. */
  warn(msg: string): void;
  /** Write data to stdout. */
  out(text: string): void;
}

export function makeUi(cmd: Command, stderr: NodeJS.WritableStream = process.stderr, stdout: NodeJS.WritableStream = process.stdout): Ui {
  const o = cmd.optsWithGlobals() as { quiet?: boolean; debug?: boolean };
  const quiet = Boolean(o.quiet);
  return {
    quiet,
    debug: Boolean(o.debug),
    info: (m) => {
      if (!quiet) stderr.write(m.endsWith('\n') ? m : m + '\n');
    },
    warn: (m) => {
      if (!quiet) stderr.write(chalkStderr.yellow(`warning: ${m}`) + '\n');
    },
    out: (t) => {
      // Checked: a failed write to standard output is reported (73) when the command ends (src/cli/main.ts).
      if (stdout === process.stdout) writeFdLater(1, t);
      else stdout.write(t);
    },
  };
}

/** Parse a comma-separated option value into trimmed, non-empty parts. */
export function commaList(v: string): string[] {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
