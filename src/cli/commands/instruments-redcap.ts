// Placeholder for `instruments import-redcap` / `export-redcap`; replaced by the REDCap implementation.
import { Command } from 'commander';
import { UsageError } from '../../errors.js';

export function buildImportRedcap(): Command {
  return new Command('import-redcap').allowUnknownOption().allowExcessArguments().action(() => {
    throw new UsageError('import-redcap is not available in this build yet.');
  });
}
export function buildExportRedcap(): Command {
  return new Command('export-redcap').allowUnknownOption().allowExcessArguments().action(() => {
    throw new UsageError('export-redcap is not available in this build yet.');
  });
}
