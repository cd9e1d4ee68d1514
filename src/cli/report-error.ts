/** Maps any error to one clear message on stderr and an exit code from the documented table. */
import { visible } from '../util/terminal.js';
import { CommanderError } from 'commander';
import { chalkStderr } from 'chalk';
import { ERROR_CODES, EXIT, type ErrorCode, RapportError } from '../errors.js';
import { VERSION } from '../version.js';

const BUG_URL = 'https://github.com/rapport-survey/rapport/issues';

/** With --debug: the error code (docs/errors.md) and its exit code, on a line of their own. */
function codeLine(code: ErrorCode): string {
  return `rapport: error code ${code} (exit ${ERROR_CODES[code].exit}; see docs/errors.md)\n`;
}

/** Print a RapportError (one clear message) or an unexpected error (a bug) and return the exit code. */
export function reportError(err: unknown, debug: boolean, stderr: NodeJS.WritableStream = process.stderr): number {
  if (err instanceof CommanderError) {
    // commander already printed its message; help and version are successes.
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.OK;
    if (err.code === 'commander.executeSubCommandAsync') return EXIT.INTERNAL;
    if (debug) stderr.write(codeLine('USAGE'));
    return EXIT.USAGE;
  }
  if (err instanceof RapportError) {
    stderr.write(chalkStderr.red(`rapport: ${visible(err.message, { lines: true })}`) + '\n');
    if (debug) stderr.write(codeLine(err.code));
    if (debug && err.stack) stderr.write(err.stack + '\n');
    return err.exitCode;
  }
  const e = err as Error & { name?: string };
  if (e?.name === 'ExitPromptError' || e?.name === 'AbortPromptError') {
    stderr.write('rapport: interrupted.\n');
    return EXIT.INTERRUPTED;
  }
  stderr.write(
    chalkStderr.red(`rapport: internal error: ${visible(e?.message ?? String(err), { lines: true })}.`) +
      `\nThis is a bug. Please report it at ${BUG_URL} with the command you ran and rapport ${VERSION} (node ${process.version})` +
      (debug ? '.\n' : '; run again with --debug to include the stack trace.\n'),
  );
  if (debug) stderr.write(codeLine('INTERNAL'));
  if (debug && e?.stack) stderr.write(e.stack + '\n');
  return EXIT.INTERNAL;
}

