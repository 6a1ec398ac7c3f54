// `tailwatch test`: runs every rule's inline tests; exit code 1 on any failure.
import type { CommandModule } from 'yargs';

interface TestArgs {
  rules: string;
  filter: string | undefined;
  format: 'text' | 'json';
  'min-tests': number;
  config: string | undefined;
}

export const testCommand: CommandModule<object, TestArgs> = {
  command: 'test',
  describe: "Run every rule's inline tests",
  builder: (yargs) =>
    yargs
      .option('rules', { type: 'string', default: './rules', describe: 'Directory of rule files' })
      .option('filter', { type: 'string', describe: 'Substring or glob (* ?) on rule id or test name' })
      .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Output format' })
      .option('min-tests', {
        type: 'number',
        default: 0,
        describe: 'Fail rules with fewer tests, or without both a positive and a negative test',
      })
      .option('config', { type: 'string', describe: 'alerts.config.ts whose rules.options override rule options' }),
  handler: async (argv) => {
    const { runTestCommand } = await import('./test-command.ts');
    const { reportFailed } = await import('../testing/test-report.ts');
    const report = await runTestCommand(
      { rules: argv.rules, filter: argv.filter, format: argv.format, minTests: argv['min-tests'], config: argv.config },
      process.stdout,
    );
    const nothingMatched = argv.filter !== undefined && report.summary.tests === 0;
    if (nothingMatched) process.stderr.write(`tailwatch: no test matched --filter ${argv.filter}\n`);
    if (reportFailed(report) || nothingMatched) process.exitCode = 1;
  },
};
