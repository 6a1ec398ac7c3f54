// The work behind `tailwatch signals`: read the signal store of the config's data directory.
import { loadConfigOrDefault } from '../config/load.ts';
import { signalHistory } from '../pipeline/live/signal-store.ts';
import type { Severity } from '../rules/base/severity.ts';
import { openDatabase } from '../state/database.ts';
import { alertTableHeader, signalTableRow } from './alert-table.ts';
import { timeRange } from './time-range.ts';

/** Signals shown when no --limit is given. */
const SIGNALS_LIMIT = 100;

export interface SignalsCommandOptions {
  rule?: string | undefined;
  minSeverity?: Severity | undefined;
  tailnet?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit?: number | undefined;
  format: 'text' | 'json';
  config?: string | undefined;
}

export async function runSignalsCommand(options: SignalsCommandOptions): Promise<void> {
  const config = await loadConfigOrDefault(options.config, { checkSecrets: false });
  const db = openDatabase(config.dataDir);
  try {
    const signals = signalHistory(db, {
      rule: options.rule,
      minSeverity: options.minSeverity,
      tailnet: options.tailnet,
      ...timeRange(options),
      limit: options.limit ?? SIGNALS_LIMIT,
    });
    if (options.format === 'json') {
      for (const signal of signals) process.stdout.write(`${JSON.stringify(signal)}\n`);
      return;
    }
    process.stdout.write(`${alertTableHeader()}\n`);
    for (const signal of signals) process.stdout.write(`${signalTableRow(signal)}  (${signal.signalId})\n`);
  } finally {
    db.close();
  }
}
