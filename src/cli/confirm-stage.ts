import { CliError, UsageError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import type { FlagSpec } from './command-spec.js';
import { booleanFlag, type FlagValues, stringFlag } from './parse-flags.js';

export const yesFlag: FlagSpec = {
  type: 'boolean',
  description: 'with --stage: do it without asking (scripts); without --stage nothing is asked',
};

/**
 * A change to a deployed stage's tables is asked about first (`[y/N]` on a terminal); `--yes` answers for scripts.
 * Without a terminal and without `--yes` it is refused, never assumed. The local stack is never asked about.
 */
export async function confirmStageChange(io: CliIo, values: FlagValues, what: string): Promise<void> {
  const stage = stringFlag(values, 'stage');
  if (stage === undefined || booleanFlag(values, 'yes')) return;
  if (!io.confirm)
    throw new UsageError(`${what} in stage ${stage}: confirm with --yes (no terminal to ask on)`);
  if (!(await io.confirm(`${what} in stage ${stage}?`)))
    throw new CliError(`${what}: not confirmed, nothing changed`);
}
