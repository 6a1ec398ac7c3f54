// tailwatch alerts: pending and dead-lettered deliveries; `retry` moves dead letters back into the outbox.
import type { CommandModule } from 'yargs';

interface AlertsArgs {
  action: 'list' | 'retry';
  dead: boolean;
  format: 'text' | 'json';
  'alert-id': string | undefined;
  destination: string | undefined;
  limit: number | undefined;
  deliver: number | undefined;
  config: string | undefined;
}

export const alertsCommand: CommandModule<object, AlertsArgs> = {
  command: 'alerts [action]',
  describe: 'List pending (or --dead) deliveries, or retry dead letters',
  builder: (yargs) =>
    yargs
      .positional('action', { choices: ['list', 'retry'] as const, default: 'list' as const })
      .option('dead', { type: 'boolean', default: false, describe: 'list: dead-lettered deliveries instead of pending ones' })
      .option('alert-id', { type: 'string', describe: 'only this alert' })
      .option('destination', { type: 'string', describe: 'only this destination' })
      .option('limit', { type: 'number', describe: 'list: at most this many rows' })
      .option('deliver', { type: 'number', describe: 'retry: deliver now, waiting at most this many seconds (when tailwatch run is not running)' })
      .option('format', { choices: ['text', 'json'] as const, default: 'text' as const })
      .option('config', { type: 'string', describe: 'config file (default ./alerts.config.ts, else built-in defaults)' }),
  handler: async (argv) => {
    const { runAlertsCommand } = await import('./alerts-command.ts');
    await runAlertsCommand({
      action: argv.action,
      dead: argv.dead,
      format: argv.format,
      alertId: argv['alert-id'],
      destination: argv.destination,
      limit: argv.limit,
      deliverSeconds: argv.deliver,
      config: argv.config,
    });
  },
};
