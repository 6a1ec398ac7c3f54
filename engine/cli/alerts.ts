// `tailwatch alerts`: the alert history (`list`), the delivery queue (`deliveries`, `--dead`), and `retry` of dead letters.
import type { CommandModule } from 'yargs';
import { SEVERITIES } from '../rules/base/severity.ts';
import type { Severity } from '../rules/base/severity.ts';

interface AlertsArgs {
  action: 'list' | 'deliveries' | 'retry' | undefined;
  dead: boolean;
  format: 'text' | 'json';
  'alert-id': string | undefined;
  destination: string | undefined;
  rule: string | undefined;
  'min-severity': Severity | undefined;
  tailnet: string | undefined;
  from: string | undefined;
  to: string | undefined;
  revisions: boolean;
  limit: number | undefined;
  deliver: number | undefined;
  config: string | undefined;
}

export const alertsCommand: CommandModule<object, AlertsArgs> = {
  command: 'alerts [action]',
  describe: 'List past alerts (list, the default), the delivery queue (deliveries, --dead), or retry dead letters',
  builder: (yargs) =>
    yargs
      .positional('action', { choices: ['list', 'deliveries', 'retry'] as const, describe: 'default: list (deliveries with --dead)' })
      .option('rule', { type: 'string', describe: 'list: only this rule id or glob (* ?)' })
      .option('min-severity', { choices: SEVERITIES, describe: 'list: only alerts of this severity or higher' })
      .option('tailnet', { type: 'string', describe: 'list: only this tailnet' })
      .option('from', { type: 'string', describe: 'list: first event at or after this time (RFC 3339 or YYYY-MM-DD)' })
      .option('to', { type: 'string', describe: 'list: first event before this time' })
      .option('revisions', { type: 'boolean', default: false, describe: 'list: every revision, not only the latest of each alert' })
      .option('dead', { type: 'boolean', default: false, describe: 'deliveries: dead-lettered deliveries instead of pending ones' })
      .option('alert-id', { type: 'string', describe: 'deliveries, retry: only this alert' })
      .option('destination', { type: 'string', describe: 'deliveries, retry: only this destination' })
      .option('limit', { type: 'number', describe: 'at most this many rows (list: default 100)' })
      .option('deliver', { type: 'number', describe: 'retry: deliver now, waiting at most this many seconds (when tailwatch run is not running)' })
      .option('format', { choices: ['text', 'json'] as const, default: 'text' as const })
      .option('config', { type: 'string', describe: 'config file (default ./alerts.config.ts, else built-in defaults)' }),
  handler: async (argv) => {
    const { runAlertsCommand } = await import('./alerts-command.ts');
    await runAlertsCommand({
      action: argv.action ?? (argv.dead ? 'deliveries' : 'list'),
      dead: argv.dead,
      format: argv.format,
      alertId: argv['alert-id'],
      destination: argv.destination,
      rule: argv.rule,
      minSeverity: argv['min-severity'],
      tailnet: argv.tailnet,
      from: argv.from,
      to: argv.to,
      revisions: argv.revisions,
      limit: argv.limit,
      deliverSeconds: argv.deliver,
      config: argv.config,
    });
  },
};
