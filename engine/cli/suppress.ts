// `tailwatch suppress <alertId>` and `tailwatch suppressions`: ad hoc suppressions in the state database, and the
// list of every suppression (config and ad hoc), active or expired.
import type { CommandModule } from 'yargs';

interface SuppressArgs {
  alertId: string;
  for: string;
  reason: string;
  by: string | undefined;
  config: string | undefined;
}

interface SuppressionsArgs {
  format: 'text' | 'json';
  config: string | undefined;
}

export const suppressCommand: CommandModule<object, SuppressArgs> = {
  command: 'suppress <alertId>',
  describe: "Silence an alert's rule, tailnet and dedup key for a while (stored in the state database; a running tailwatch applies it within a second)",
  builder: (yargs) =>
    yargs
      .positional('alertId', { type: 'string', demandOption: true, describe: 'An alert id from the history (tailwatch alerts list)' })
      .option('for', { type: 'string', demandOption: true, describe: 'How long, from now: 30m, 4h, 2d, 1w' })
      .option('reason', { type: 'string', demandOption: true, describe: 'Why (shown in the history and in tailwatch suppressions)' })
      .option('by', { type: 'string', describe: 'Who (default: the OS user)' })
      .option('config', { type: 'string', describe: 'config file (default ./alerts.config.ts, else built-in defaults)' }),
  handler: async (argv) => {
    const { runSuppressCommand } = await import('./suppress-command.ts');
    await runSuppressCommand(argv);
  },
};

export const suppressionsCommand: CommandModule<object, SuppressionsArgs> = {
  command: 'suppressions',
  describe: 'List every suppression (alerts.config.ts and ad hoc), active or expired by the wall clock',
  builder: (yargs) =>
    yargs
      .option('format', { choices: ['text', 'json'] as const, default: 'text' as const })
      .option('config', { type: 'string', describe: 'config file (default ./alerts.config.ts, else built-in defaults)' }),
  handler: async (argv) => {
    const { runSuppressionsCommand } = await import('./suppress-command.ts');
    await runSuppressionsCommand(argv);
  },
};
