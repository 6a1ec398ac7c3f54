// `tailwatch route ALERTS [--explain]`: which destinations each alert would get, and why.
import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import { loadConfigOrDefault } from '../config/load.ts';
import { InputError } from '../errors.ts';
import { readAlerts } from '../route/alert-input.ts';
import { routeAlert } from '../route/route-alert.ts';
import { isStdin } from '../pipeline/stdin-path.ts';

export interface RouteCommandOptions {
  alerts: string;
  explain: boolean;
  format: 'text' | 'json';
  config?: string | undefined;
}

export async function runRouteCommand(options: RouteCommandOptions): Promise<void> {
  const config = await loadConfigOrDefault(options.config, { checkSecrets: false });
  const source = isStdin(options.alerts) ? 'stdin' : options.alerts;
  const results = readAlerts(await readInput(options.alerts), source);
  let rejected = 0;
  for (const result of results) {
    if (!result.ok) {
      rejected += 1;
      process.stderr.write(`${result.message}\n`);
      continue;
    }
    const { alert } = result;
    const decision = routeAlert(alert, config);
    if (options.format === 'json') {
      process.stdout.write(`${JSON.stringify({ alertId: alert.alertId, ruleId: alert.ruleId, severity: alert.severity, ...decision })}\n`);
      continue;
    }
    const to = decision.destinations.length > 0 ? decision.destinations.join(', ') : '(nowhere)';
    process.stdout.write(`${alert.alertId} ${alert.ruleId} [${alert.severity}] → ${to}\n`);
    if (options.explain) for (const reason of decision.reasons) process.stdout.write(`  ${reason}\n`);
  }
  if (results.length === 0) throw new InputError(`${source}: no alert found`);
  if (rejected > 0) process.exitCode = 1;
}

async function readInput(path: string): Promise<string> {
  try {
    return isStdin(path) ? await text(process.stdin) : await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
}
