// `tailwatch inventory export <file>` / `import <file>`: the data directory's tailnet inventory as NDJSON versions,
// so a backtest (`replay --inventory FILE`) sees what live evaluation saw.
import type { Argv, CommandModule } from 'yargs';

interface InventoryArgs {
  action: 'export' | 'import';
  file: string;
  config: string | undefined;
}

export const inventoryCommand: CommandModule<object, InventoryArgs> = {
  command: 'inventory <action> <file>',
  describe: 'Export the tailnet inventory (every version, NDJSON) to a file, or import one into the data directory',
  builder: (yargs) =>
    (yargs as Argv)
      .positional('action', { choices: ['export', 'import'] as const, demandOption: true, describe: 'export: data directory → file; import: file → data directory' })
      .positional('file', { type: 'string', demandOption: true, describe: 'The NDJSON file' })
      .option('config', { type: 'string', describe: 'Config file whose dataDir to use (default ./alerts.config.ts)' }) as Argv<InventoryArgs>,
  handler: async (argv) => {
    const { loadConfigOrDefault } = await import('../config/load.ts');
    const { openDatabase } = await import('../state/database.ts');
    const { assertNoRunningEvaluator } = await import('../state/evaluator-lock.ts');
    const { InventoryStore } = await import('../inventory/store.ts');
    const { importVersions, readInventoryFile, writeInventoryFile } = await import('../inventory/export-file.ts');
    const config = await loadConfigOrDefault(argv.config, { checkSecrets: false });
    if (argv.action === 'import') assertNoRunningEvaluator(config.dataDir, 'inventory import');
    const versions = argv.action === 'import' ? readInventoryFile(argv.file) : undefined;
    const db = openDatabase(config.dataDir);
    try {
      const store = new InventoryStore(db);
      const count = versions === undefined ? writeInventoryFile(store, argv.file) : importVersions(store, versions);
      process.stderr.write(`${argv.action === 'export' ? 'exported' : 'imported'} ${count} inventory versions\n`);
    } finally {
      db.close();
    }
  },
};
