// `tailwatch replay <paths...>`: backtest stored logs; NDJSON alerts or a table on stdout, a summary on stderr.
import type { CommandModule } from 'yargs';

import type { ReplayArgs } from './replay-command.ts';

/** --workers: a whole number from 1 to 64. */
function workerCount(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`--workers must be a whole number from 1 to 64, got ${String(value)}`);
  return n;
}

type ReplayFlags = Omit<ReplayArgs, 'learnFrom'> & { 'learn-from': string | undefined };

export const replayCommand: CommandModule<object, ReplayFlags> = {
  command: 'replay <paths..>',
  describe: 'Backtest rules on stored logs (files, or - for stdin; any framing, gzip/zstd/none, any delivery shape)',
  builder: (yargs) =>
    yargs
      .positional('paths', { type: 'string', array: true, demandOption: true, describe: 'Log files or directories (read recursively, in path order), or - for stdin' })
      .option('tailnet', { type: 'string', describe: 'The tailnet these logs belong to (alert ids and dedup are per tailnet; default "default")' })
      .option('inventory', { type: 'string', describe: 'Recorded inventory: a file from `tailwatch inventory export`, or a data directory (read only)' })
      .option('tailnet-map', { type: 'string', array: true, describe: "Tailnet by input path, GLOB=TAILNET (repeatable; first match wins), e.g. 'logs/acme/**=acme'" })
      .option('rules', { type: 'string', describe: 'Directory of rule files (default: the config’s rules.dir, else ./rules)' })
      .option('rule', { type: 'string', array: true, describe: 'Only rules whose id matches (repeatable; globs * ? as in test --filter)' })
      .option('from', { type: 'string', describe: 'Only events at or after this time (RFC 3339 or YYYY-MM-DD)' })
      .option('learn-from', { type: 'string', describe: 'First-seen rules learn from events at or after this time and before --from, without alerting on them' })
      .option('to', { type: 'string', describe: 'Only events before this time (RFC 3339 or YYYY-MM-DD)' })
      .option('format', { choices: ['json', 'text'] as const, describe: 'json: NDJSON, one alert per line (default when stdout is not a TTY)' })
      .option('rejects', { type: 'string', describe: 'Write every rejected record (position, reason, raw) to this NDJSON file' })
      .option('config', { type: 'string', describe: 'alerts.config.ts: rule options, and destinations for --deliver' })
      .option('signals', { type: 'boolean', default: false, describe: 'Also print signals (matches of signal rules) as they are recorded; json lines have type "SIGNAL"' })
      .option('workers', {
        type: 'number',
        describe: 'Worker threads, each evaluating a share of the rules (default: one per core for inputs over 16 MiB, else 1); the alerts are the same for any number',
        coerce: workerCount,
      })
      .option('deliver', { type: 'boolean', default: false, describe: 'Route the alerts through the config and deliver them' })
      .option('progress', { type: 'boolean', describe: 'Progress bar on stderr (default: when stderr is a TTY)' }),
  handler: async (argv) => {
    const { runReplayCommand } = await import('./replay-command.ts');
    await runReplayCommand({ ...argv, learnFrom: argv['learn-from'] });
  },
};
