/**
 * Process-level handlers of the CLI: Ctrl-C, SIGTERM and SIGHUP end the run with exit 130 after removing
 * pending temporary files and calling the handlers commands registered with `onInterrupt` (`run`
 * prints its resume hint); a closed stdout pipe ends quietly. Its own module so that commands can
 * register handlers without importing the CLI entry point (which imports the commands).
 */
import { EXIT } from '../errors.js';
import { removePendingTemps } from '../io/atomic.js';
import { removeCreatedFolders } from '../io/folder.js';
import { noteWriteError } from '../io/stdout.js';

let interruptHandlers: (() => void)[] = [];
/** Commands that need their own cleanup on Ctrl-C/SIGTERM register it here (e.g. `run` prints the resume hint). */
export function onInterrupt(fn: () => void): () => void {
  interruptHandlers.push(fn);
  return () => {
    interruptHandlers = interruptHandlers.filter((f) => f !== fn);
  };
}

/** Install the handlers (once, from main). */
export function installProcessHandlers(): void {
  // A closed pipe (`rapport score x.csv | head`) ends quietly.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') {
      removePendingTemps();
      process.exitCode = process.exitCode ?? EXIT.OK;
      // Nothing more can be written; end without a stack trace.
      process.exit();
    }
    // Anything else (a full disk, /dev/full, an I/O error) is recorded and ends the run with 73 (main.ts).
    noteWriteError(1, e);
  });
  const onSignal = (sig: NodeJS.Signals) => {
    removePendingTemps();
    removeCreatedFolders();
    for (const fn of [...interruptHandlers]) {
      try {
        fn();
      } catch {
        /* best effort */
      }
    }
    if (interruptHandlers.length === 0 && sig === 'SIGINT') process.stderr.write('\nrapport: interrupted; no output file was written.\n');
    // Exit 130 (interrupted) for Ctrl-C, SIGTERM and SIGHUP alike: one code in the documented table.
    process.exit(EXIT.INTERRUPTED);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
}

