// `tailwatch init [dir]`: a new detections repository that uses tailwatch as a dependency (see init-files.ts).
import type { CommandModule } from 'yargs';

interface InitArgs {
  dir: string;
}

export const initCommand: CommandModule<object, InitArgs> = {
  command: 'init [dir]',
  describe: 'Scaffold a detections repository: package.json, tsconfig, an example rule and its tests, alerts.config.ts, CI',
  builder: (yargs) => yargs.positional('dir', { type: 'string', default: '.', describe: 'Where (created if missing); never overwrites a file' }),
  handler: async (argv) => {
    const { runInitCommand } = await import('./init-command.ts');
    await runInitCommand(argv.dir, process.stdout);
  },
};
