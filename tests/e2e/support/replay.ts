// The backtest side of "replay = live": the real `tailwatch replay --format json` over the same records.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Alert } from '../../../engine/alerts/alert.ts';
import { runCli } from '../../support/run-cli.ts';

export async function replayAlerts(dir: string, rulesDir: string, records: readonly Record<string, unknown>[]): Promise<Alert[]> {
  const file = join(dir, 'stream.ndjson');
  await writeFile(file, records.map((record) => JSON.stringify(record)).join('\n') + '\n');
  const result = await runCli(['replay', '--format', 'json', '--rules', rulesDir, file]);
  if (result.code !== 0) throw new Error(`tailwatch replay failed (${result.code}): ${result.stderr}`);
  return result.stdout.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Alert);
}
