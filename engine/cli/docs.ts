// `tailwatch docs [--check]`: generates the catalog (docs/rules.md) of the effective rule set, or checks it is current.
import type { CommandModule } from 'yargs';

interface DocsArgs {
  rules: string | undefined;
  config: string | undefined;
  out: string;
  check: boolean;
}

export const docsCommand: CommandModule<object, DocsArgs> = {
  command: 'docs',
  describe: 'Generate the rule catalog from rule metadata (--check: fail when it is stale)',
  builder: (yargs) =>
    yargs
      .option('rules', { type: 'string', describe: 'Directory of rule files (default: the config’s rules.dir, else ./rules)' })
      .option('config', { type: 'string', describe: 'alerts.config.ts: rules directory, selected pack rules, overrides (default ./alerts.config.ts)' })
      .option('out', { type: 'string', default: './docs/rules.md', describe: 'Catalog file' })
      .option('check', { type: 'boolean', default: false, describe: 'Only compare; exit 1 when the file is stale or missing' }),
  handler: async (argv) => {
    const { syncRuleCatalog } = await import('./docs-command.ts');
    const current = await syncRuleCatalog({ rulesDir: argv.rules, config: argv.config, outFile: argv.out, check: argv.check });
    if (!argv.check) {
      process.stdout.write(`wrote ${argv.out}\n`);
    } else if (!current) {
      process.stderr.write(`tailwatch: ${argv.out} is stale: run \`npx tailwatch docs\` and commit the result\n`);
      process.exitCode = 1;
    }
  },
};
