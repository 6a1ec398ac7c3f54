// `tailwatch quarantine`: the records `tailwatch run` rejected, newest first, with their source position and reason.
import type { CommandModule } from 'yargs';

interface QuarantineArgs {
  limit: number;
  reason: string | undefined;
  config: string | undefined;
}

export const quarantineCommand: CommandModule<object, QuarantineArgs> = {
  command: 'quarantine',
  describe: 'List records the evaluator rejected (NDJSON: position, reason, message, raw text), newest first',
  builder: (yargs) =>
    yargs
      .option('limit', { type: 'number', default: 100, describe: 'At most this many records' })
      .option('reason', { type: 'string', describe: 'Only this reject reason (e.g. invalid_json, schema_mismatch, invalid_time, time_out_of_range)' })
      .option('config', { type: 'string', describe: 'Config file whose dataDir to read (default ./alerts.config.ts)' }),
  handler: async (argv) => {
    const { loadConfigOrDefault } = await import('../config/load.ts');
    const { openDatabase } = await import('../state/database.ts');
    const { Quarantine } = await import('../pipeline/live/quarantine.ts');
    const config = await loadConfigOrDefault(argv.config, { checkSecrets: false });
    const db = openDatabase(config.dataDir);
    try {
      for (const entry of new Quarantine(db).list(argv.limit, argv.reason)) process.stdout.write(`${JSON.stringify(entry)}\n`);
    } finally {
      db.close();
    }
  },
};
