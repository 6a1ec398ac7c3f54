// tailwatch route: show where alerts would be delivered (--explain: and why).
import type { CommandModule } from 'yargs';

interface RouteArgs {
  alerts: string;
  explain: boolean;
  format: 'text' | 'json';
  config: string | undefined;
}

export const routeCommand: CommandModule<object, RouteArgs> = {
  command: 'route [alerts]',
  describe: 'Show which destinations alerts would be delivered to (from a JSON alert, an array or NDJSON; - for stdin)',
  builder: (yargs) =>
    yargs
      .positional('alerts', { type: 'string', default: '-', describe: 'alert file (replay --format json output works); - or nothing for stdin' })
      .option('explain', { type: 'boolean', default: false, describe: 'print every routing decision' })
      .option('format', { choices: ['text', 'json'] as const, default: 'text' as const })
      .option('config', { type: 'string', describe: 'config file (default ./alerts.config.ts, else built-in defaults)' }),
  handler: async (argv) => {
    const { runRouteCommand } = await import('./route-command.ts');
    // yargs-parser turns a lone "-" into "".
    await runRouteCommand({ ...argv, alerts: argv.alerts === '' ? '-' : argv.alerts });
  },
};
