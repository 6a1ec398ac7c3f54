// tailwatch send-test: send a sample alert to one destination to check its setup.
import type { CommandModule } from 'yargs';

interface SendTestArgs {
  destination: string;
  config: string | undefined;
}

export const sendTestCommand: CommandModule<object, SendTestArgs> = {
  command: 'send-test',
  describe: 'Send a sample alert to one destination (directly, no retries) and print its answer',
  builder: (yargs) =>
    yargs
      .option('destination', { type: 'string', demandOption: true, describe: 'destination name from the config' })
      .option('config', { type: 'string', describe: 'config file (default ./alerts.config.ts, else built-in defaults)' }),
  handler: async (argv) => {
    const { runSendTestCommand } = await import('./send-test-command.ts');
    await runSendTestCommand(argv);
  },
};
