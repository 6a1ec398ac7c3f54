// `tailwatch run`: the long-lived evaluator (sources → rules → alerts → outbox → destinations), until SIGTERM/SIGINT.
import type { CommandModule } from 'yargs';

export interface RunArgs {
  config: string | undefined;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run',
  describe: 'Run the evaluator: receive logs, evaluate every rule, deliver alerts (stops cleanly on SIGTERM/SIGINT)',
  builder: (yargs) =>
    yargs.option('config', { type: 'string', describe: 'Config file (default ./alerts.config.ts, else embedded defaults)' }),
  handler: async (argv) => {
    const { runEvaluator } = await import('../pipeline/live/run-evaluator.ts');
    await runEvaluator({ configPath: argv.config, stopSignals: ['SIGTERM', 'SIGINT'], exit: (code) => process.exit(code) });
  },
};
