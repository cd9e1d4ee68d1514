/**
 * `rapport kiosk-pin <file>`: set the staff PIN that lets staff leave `rapport run --kiosk`. Asks for
 * the PIN twice at a terminal (nothing echoed), or reads one line from standard input in a script, and
 * writes a salted scrypt hash (never the PIN) atomically with mode 0600.
 *
 * Exit codes: 0 written; 2 no PIN, PINs differ, PIN too short; 73 the file cannot be written; 130 interrupted.
 */
import { Command } from 'commander';
import { password } from '@inquirer/prompts';
import { UsageError } from '../../errors.js';
import { writeFileAtomic } from '../../io/atomic.js';
import { checkNewPin, hashPin } from '../../survey/pin.js';
import { makeUi } from '../ui.js';

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of process.stdin as AsyncIterable<Buffer>) {
    chunks.push(c);
    size += c.length;
    if (size > 4096) break;
  }
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

async function askPin(): Promise<string> {
  if (!process.stdin.isTTY) return readStdinLine();
  const first = await password({ message: 'New staff PIN:', mask: '*', toggleMask: false }, { output: process.stderr });
  const problem = checkNewPin(first);
  if (problem) throw new UsageError(`${problem}; nothing was written.`, 'KIOSK_PIN_WEAK');
  const again = await password({ message: 'The same PIN again:', mask: '*', toggleMask: false }, { output: process.stderr });
  if (again !== first) throw new UsageError('the two PINs differ; nothing was written, so run rapport kiosk-pin again.', 'KIOSK_PIN_MISMATCH');
  return first;
}

export function build(): Command {
  return new Command('kiosk-pin')
    .description('set the staff PIN for rapport run --kiosk: a salted hash is written to <file> (mode 0600)')
    .argument('<file>', 'the PIN file to write (give it to run --kiosk --staff-pin-file)')
    .addHelpText('after', '\nAt a terminal the PIN is asked twice and not echoed; in a script, one line on standard input:\n  printf "%s\\n" "$PIN" | rapport kiosk-pin staff.pin')
    .action(async (file: string, _o: unknown, cmd: Command) => {
      const ui = makeUi(cmd);
      if (file === '-') throw new UsageError('kiosk-pin writes a file; name one, for example staff.pin.');
      const pin = await askPin();
      const problem = checkNewPin(pin);
      if (problem) throw new UsageError(`${problem}; nothing was written.`, 'KIOSK_PIN_WEAK');
      await writeFileAtomic(file, hashPin(pin), { mode: 0o600 });
      ui.info(`rapport: the staff PIN was written to ${file} (a salted hash, mode 0600); start the kiosk with --kiosk --staff-pin-file ${file}.`);
    });
}
