// `tailwatch quarantine --reason R` as a user runs it after the evaluator stopped: its entries, one JSON object a line.
import { expect } from 'vitest';
import { runCli } from '../../support/run-cli.ts';

export async function quarantined(configPath: string, reason: string): Promise<Record<string, unknown>[]> {
  const result = await runCli(['quarantine', '--reason', reason, '--config', configPath]);
  expect(result.code).toBe(0);
  return result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}
