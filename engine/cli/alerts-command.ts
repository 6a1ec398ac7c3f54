// `tailwatch alerts`: the alert history; pending or dead-lettered deliveries; dead letters back for another try.
import { loadConfigOrDefault } from '../config/load.ts';
import { openDatabase } from '../state/database.ts';
import { holderOf } from '../state/evaluator-lock.ts';
import { createDeliverer } from '../destinations/create-deliverer.ts';
import { listDeadLetters, listPending, retryDeadLetters, type OutboxFilter } from '../destinations/outbox-admin.ts';
import { alertHistory } from '../pipeline/live/alert-history.ts';
import type { Severity } from '../rules/base/severity.ts';
import { alertTableHeader, alertTableRow } from './alert-table.ts';
import { timeRange } from './time-range.ts';

/** Alerts shown by `list` when no --limit is given. */
const HISTORY_LIMIT = 100;

export interface AlertsCommandOptions extends OutboxFilter {
  action: 'list' | 'deliveries' | 'retry';
  rule?: string | undefined;
  minSeverity?: Severity | undefined;
  tailnet?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  revisions?: boolean | undefined;
  dead: boolean;
  format: 'text' | 'json';
  /** retry: also deliver now (when no `tailwatch run` is doing it), waiting at most this long. */
  deliverSeconds?: number | undefined;
  config?: string | undefined;
}

export async function runAlertsCommand(options: AlertsCommandOptions): Promise<void> {
  const delivering = options.action === 'retry' && options.deliverSeconds !== undefined;
  const config = await loadConfigOrDefault(options.config, { checkSecrets: delivering ? 'destinations' : false });
  const db = openDatabase(config.dataDir);
  try {
    if (options.action === 'list') return printHistory(db, options);
    if (options.action === 'deliveries') return options.dead ? printDead(db, options) : printPending(db, options);
    const moved = retryDeadLetters(db, options);
    process.stdout.write(`${moved} dead-lettered deliver${moved === 1 ? 'y' : 'ies'} moved back to the outbox\n`);
    if (options.deliverSeconds === undefined) return;
    // A running evaluator delivers them itself; a second deliverer would send the same rows twice.
    const holder = holderOf(config.dataDir);
    if (holder !== undefined) return void process.stdout.write(`tailwatch run (PID ${holder.pid}) is running on ${config.dataDir} and delivers them\n`);
    const deliverer = createDeliverer(db, config, {
      observer: { onDelivery: (e) => process.stdout.write(`${e.outcome} ${e.alertId} → ${e.destination}${e.error ? `: ${e.error}` : ''}\n`) },
    });
    const pending = await deliverer.drain({ timeoutMs: options.deliverSeconds * 1000 });
    await deliverer.stop({ timeoutMs: 5000 });
    process.stdout.write(`${pending} still pending\n`);
    if (pending > 0) process.exitCode = 1;
  } finally {
    db.close();
  }
}

function printHistory(db: ReturnType<typeof openDatabase>, options: AlertsCommandOptions): void {
  const alerts = alertHistory(db, {
    rule: options.rule,
    minSeverity: options.minSeverity,
    tailnet: options.tailnet,
    ...timeRange(options),
    revisions: options.revisions,
    limit: options.limit ?? HISTORY_LIMIT,
  });
  if (options.format === 'json') {
    for (const alert of alerts) process.stdout.write(`${JSON.stringify(alert)}\n`);
    return;
  }
  process.stdout.write(`${alertTableHeader()}\n`);
  for (const alert of alerts) process.stdout.write(`${alertTableRow(alert)}  (revision ${alert.revision}${alert.late ? ', late' : ''}, ${alert.alertId})\n`);
}

function printPending(db: ReturnType<typeof openDatabase>, options: AlertsCommandOptions): void {
  const rows = listPending(db, options);
  if (options.format === 'json') {
    for (const r of rows) process.stdout.write(`${JSON.stringify({ status: 'pending', alertId: r.alertId, destination: r.destination, attempts: r.attempts, nextAttemptAt: iso(r.nextAttemptAt), enqueuedAt: iso(r.enqueuedAt), lastError: r.lastError, ruleId: r.alert.ruleId, severity: r.alert.severity, title: r.alert.title })}\n`);
    return;
  }
  process.stdout.write(`${rows.length} pending deliver${rows.length === 1 ? 'y' : 'ies'}\n`);
  for (const r of rows) {
    process.stdout.write(`${r.alertId} → ${r.destination}  attempts ${r.attempts}  next ${iso(r.nextAttemptAt)}  ${r.alert.severity} ${r.alert.ruleId}\n`);
    if (r.lastError !== null) process.stdout.write(`  last error: ${r.lastError}\n`);
  }
}

function printDead(db: ReturnType<typeof openDatabase>, options: AlertsCommandOptions): void {
  const rows = listDeadLetters(db, options);
  if (options.format === 'json') {
    for (const r of rows) process.stdout.write(`${JSON.stringify({ status: 'dead', alertId: r.alertId, destination: r.destination, attempts: r.attempts, failedAt: iso(r.failedAt), enqueuedAt: iso(r.enqueuedAt), reason: r.reason, error: r.error, httpStatus: r.status, responseBody: r.responseBody, ruleId: r.alert.ruleId, severity: r.alert.severity, title: r.alert.title })}\n`);
    return;
  }
  process.stdout.write(`${rows.length} dead-lettered deliver${rows.length === 1 ? 'y' : 'ies'} (retry: tailwatch alerts retry)\n`);
  for (const r of rows) {
    process.stdout.write(`${r.alertId} → ${r.destination}  ${r.reason} after ${r.attempts} attempt${r.attempts === 1 ? '' : 's'}  at ${iso(r.failedAt)}  ${r.alert.severity} ${r.alert.ruleId}\n`);
    process.stdout.write(`  error: ${r.error}\n`);
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
