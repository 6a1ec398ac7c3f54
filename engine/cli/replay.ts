// `tailwatch replay <paths...>`: backtest stored logs; NDJSON alerts or a table on stdout, a summary on stderr.
import type { CommandModule } from 'yargs';

import type { ReplayArgs } from './replay-command.ts';

type ReplayFlags = Omit<ReplayArgs, 'learnFrom'> & { 'learn-from': string | undefined };

export const replayCommand: CommandModule<object, ReplayFlags> = {
  command: 'replay <paths..>',
  describe: 'Backtest rules on stored logs (files, or - for stdin; any framing, gzip/zstd/none, any delivery shape)',
  builder: (yargs) =>
    yargs
      .positional('paths', { type: 'string', array: true, demandOption: true, describe: 'Log files or directories (read recursively, in path order), or - for stdin' })
      .option('tailnet', { type: 'string', describe: 'The tailnet these logs belong to (alert ids and dedup are per tailnet; default "default")' })
      .option('rules', { type: 'string', describe: 'Directory of rule files (default: the config’s rules.dir, else ./rules)' })
      .option('rule', { type: 'string', array: true, describe: 'Only rules whose id matches (repeatable; globs * ? as in test --filter)' })
      .option('from', { type: 'string', describe: 'Only events at or after this time (RFC 3339 or YYYY-MM-DD)' })
      .option('learn-from', { type: 'string', describe: 'First-seen rules learn from events at or after this time and before --from, without alerting on them' })
      .option('to', { type: 'string', describe: 'Only events before this time (RFC 3339 or YYYY-MM-DD)' })
      .option('format', { choices: ['json', 'text'] as const, describe: 'json: NDJSON, one alert per line (default when stdout is not a TTY)' })
      .option('rejects', { type: 'string', describe: 'Write every rejected record (position, reason, raw) to this NDJSON file' })
      .option('config', { type: 'string', describe: 'alerts.config.ts: rule options, and destinations for --deliver' })
      .option('deliver', { type: 'boolean', default: false, describe: 'Route the alerts through the config and deliver them' })
      .option('progress', { type: 'boolean', describe: 'Progress bar on stderr (default: when stderr is a TTY)' }),
  handler: async (argv) => {
    const { runReplayCommand } = await import('./replay-command.ts');
    await runReplayCommand({ ...argv, learnFrom: argv['learn-from'] });
  },
};
