/**
 * The command-line shell: builds the commander program from the command table, maps every error to
 * its exit code, and keeps stdout/stderr hygiene (EPIPE quiet, colour rules, no process.exit()).
 */
import { Command } from 'commander';
import chalk, { chalkStderr } from 'chalk';
import { EXIT } from '../errors.js';
import { removePendingTemps } from '../io/atomic.js';
import { removeCreatedFolders } from '../io/folder.js';
import { settle } from '../io/stdout.js';
import { installProcessHandlers } from './signals.js';
import { commands } from './commands/index.js';
import { reportError } from './report-error.js';

import { VERSION } from '../version.js';

const EXIT_CODES_HELP = `
Exit codes:
  0    success
  1    internal error (a bug: please report it)
  2    usage error (unknown command or option, bad option value, no terminal for run)
  65   invalid input data or instrument
  66   input file missing or unreadable
  73   output cannot be created
  130  interrupted (Ctrl-C)`;


/** Colour is off when the stream is not a TTY (chalk), with --no-color, or when NO_COLOR is set (chalk ignores it). */
export function configureColor(argv: string[], env: NodeJS.ProcessEnv = process.env): void {
  const noColorEnv = env.NO_COLOR !== undefined && env.NO_COLOR !== '' && env.FORCE_COLOR === undefined;
  if (noColorEnv || argv.includes('--no-color') || env.TERM === 'dumb') {
    chalk.level = 0;
    chalkStderr.level = 0;
  }
}

/** Options every command accepts; added to each command so its --help lists them. */
function addCommonOptions(cmd: Command): Command {
  return cmd
    .option('-q, --quiet', 'print no progress, summaries or warnings on stderr (errors still print)')
    .option('--debug', 'print error codes and stack traces')
    .option('--no-color', 'no colours (also when NO_COLOR is set or output is not a terminal)');
}

/** The first word of argv that is not an option: the command the user asked for, if any. */
function requestedCommand(argv: string[]): string | undefined {
  return argv.slice(2).find((a) => !a.startsWith('-'));
}

async function buildProgram(argv: string[]): Promise<Command> {
  const program = new Command('rapport');
  program
    .description('Physician–patient relationship surveys: administer, score, and report which relationship traits predict portal use.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError("(run 'rapport --help' or 'rapport <command> --help' for usage)")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
      outputError: (s, write) => write(chalkStderr.red(s.replace(/^error: /, 'rapport: '))),
    });
  addCommonOptions(program);
  // Load only the command asked for; all of them for top-level help or an unknown command.
  const wanted = requestedCommand(argv);
  const known = commands.some((c) => c.name === wanted);
  for (const c of commands) {
    if (known && c.name !== wanted) {
      program.command(c.name).description(`(run 'rapport ${c.name} --help')`);
      continue;
    }
    const cmd = (await c.load()).build();
    program.addCommand(cmd); // first, so that help hints name the full command path
    applyToTree(cmd);
  }
  return program;
}

/** Every (sub)command: common options, exit codes in help, throw instead of exiting. */
function applyToTree(cmd: Command): void {
  if (!cmd.options.some((o) => o.long === '--quiet')) addCommonOptions(cmd);
  checkMandatoryAfterUnknown(cmd);
  cmd.exitOverride();
  cmd.showHelpAfterError(`(run 'rapport ${fullName(cmd)} --help' for usage)`);
  cmd.addHelpText('after', EXIT_CODES_HELP);
  cmd.configureOutput({
    writeOut: (s) => process.stdout.write(s),
    writeErr: (s) => process.stderr.write(s),
    outputError: (s, write) => write(chalkStderr.red(s.replace(/^error: /, 'rapport: '))),
  });
  for (const sub of cmd.commands) applyToTree(sub);
}

/**
 * Commander checks mandatory options before unknown ones, so a typo (`--instrumnet x`) was reported as
 * "required option '-i, --instrument' not specified". Mandatory options are checked here instead, in a
 * hook that runs after the unknown-option check (which suggests the right spelling), with the same
 * message.
 */
function checkMandatoryAfterUnknown(cmd: Command): void {
  const mandatory = cmd.options.filter((o) => o.mandatory);
  if (mandatory.length === 0) return;
  for (const o of mandatory) o.makeOptionMandatory(false);
  cmd.hook('preAction', (_hooked, action) => {
    if (action !== cmd) return;
    for (const o of mandatory) {
      if (cmd.getOptionValue(o.attributeName()) === undefined) cmd.error(`error: required option '${o.flags}' not specified`, { code: 'commander.missingMandatoryOptionValue' });
    }
  });
}

function fullName(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c && c.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Entry point used by bin/rapport.js. */
export async function main(argv: string[]): Promise<void> {
  configureColor(argv);
  installProcessHandlers();
  const debug = argv.includes('--debug');
  try {
    const program = await buildProgram(argv);
    if (argv.length <= 2) {
      program.outputHelp();
      process.exitCode = EXIT.USAGE;
      return;
    }
    await program.parseAsync(argv);
    // Every write to standard output is checked: one that failed (a full disk) ends the run with 73.
    await settle(1);
    if (process.exitCode === undefined) process.exitCode = EXIT.OK;
  } catch (err) {
    // A failed run leaves nothing behind: temporary files not yet renamed, folders it created empty.
    removePendingTemps();
    removeCreatedFolders();
    process.exitCode = reportError(err, debug);
  }
}

