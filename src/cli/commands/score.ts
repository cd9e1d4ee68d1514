// Placeholder until the 'score' command lands; replaced by its implementation.
import { Command } from 'commander';
import { UsageError } from '../../errors.js';

export function build(): Command {
  return new Command('score').description('(not available yet)').allowUnknownOption().allowExcessArguments().action(() => {
    throw new UsageError("'rapport score' is not available in this build yet.");
  });
}
