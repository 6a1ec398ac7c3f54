// `tailwatch signals`: the signals `tailwatch run` recorded (matches of signal rules, with their events), newest first.
import type { CommandModule } from 'yargs';
import { SEVERITIES } from '../rules/base/severity.ts';
import type { Severity } from '../rules/base/severity.ts';

interface SignalsArgs {
  rule: string | undefined;
  'min-severity': Severity | undefined;
  tailnet: string | undefined;
  from: string | undefined;
  to: string | undefined;
  limit: number | undefined;
  format: 'text' | 'json';
  config: string | undefined;
}

export const signalsCommand: CommandModule<object, SignalsArgs> = {
  command: 'signals',
  describe: 'List recorded signals (matches of signal rules, kept signals.retentionDays with their events)',
  builder: (yargs) =>
    yargs
      .option('rule', { type: 'string', describe: 'only this rule id or glob (* ?)' })
      .option('min-severity', { choices: SEVERITIES, describe: 'only signals of this severity or higher' })
      .option('tailnet', { type: 'string', describe: 'only this tailnet' })
      .option('from', { type: 'string', describe: 'event at or after this time (RFC 3339 or YYYY-MM-DD)' })
      .option('to', { type: 'string', describe: 'event before this time' })
      .option('limit', { type: 'number', describe: 'at most this many rows (default 100)' })
      .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'json: NDJSON, one signal (with its event) per line' })
      .option('config', { type: 'string', describe: 'config file (default ./alerts.config.ts, else built-in defaults)' }),
  handler: async (argv) => {
    const { runSignalsCommand } = await import('./signals-command.ts');
    await runSignalsCommand({
      rule: argv.rule,
      minSeverity: argv['min-severity'],
      tailnet: argv.tailnet,
      from: argv.from,
      to: argv.to,
      limit: argv.limit,
      format: argv.format,
      config: argv.config,
    });
  },
};
