// Inspecting and repairing the outbox: list pending and dead-lettered deliveries, retry dead letters.
import type { Alert } from '../alerts/alert.ts';
import { transaction, type Database } from '../state/database.ts';
import { toRow, type DeadLetterReason, type OutboxRow } from './outbox.ts';

export interface DeadLetter {
  alertId: string;
  revision: number;
  destination: string;
  alert: Alert;
  enqueuedAt: number;
  attempts: number;
  failedAt: number;
  reason: DeadLetterReason;
  error: string;
  status: number | null;
  responseBody: string | null;
}

export interface OutboxFilter {
  alertId?: string | undefined;
  destination?: string | undefined;
  limit?: number | undefined;
}

export function listPending(db: Database, filter: OutboxFilter = {}): OutboxRow[] {
  const { where, params } = whereOf(filter);
  return db.prepare(`SELECT * FROM outbox${where} ORDER BY next_attempt_at, alert_id, revision${limitOf(filter)}`).all(...params).map(toRow);
}

export function listDeadLetters(db: Database, filter: OutboxFilter = {}): DeadLetter[] {
  const { where, params } = whereOf(filter);
  return db.prepare(`SELECT * FROM dead_letters${where} ORDER BY failed_at, alert_id, revision${limitOf(filter)}`).all(...params).map((row) => ({
    ...toRow({ ...row, next_attempt_at: 0, last_error: row.error }),
    failedAt: Number(row.failed_at),
    reason: String(row.reason) as DeadLetterReason,
    error: String(row.error),
    status: row.status === null ? null : Number(row.status),
    responseBody: row.response_body === null ? null : String(row.response_body),
  }));
}

/** Rows pending for these destinations. */
export function pendingFor(db: Database, destinations: readonly string[]): number {
  if (destinations.length === 0) return 0;
  const placeholders = destinations.map(() => '?').join(', ');
  return Number(db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE destination IN (${placeholders})`).get(...destinations)?.n ?? 0);
}

/** Moves matching dead letters back into the outbox with a fresh retry budget; returns how many. */
export function retryDeadLetters(db: Database, filter: OutboxFilter, nowMs: number = Date.now()): number {
  const { where, params } = whereOf(filter);
  return transaction(db, () => {
    const moved = db.prepare(`INSERT OR IGNORE INTO outbox (alert_id, revision, destination, alert, enqueued_at, next_attempt_at)
      SELECT alert_id, revision, destination, alert, ?, ? FROM dead_letters${where}`).run(nowMs, nowMs, ...params);
    db.prepare(`DELETE FROM dead_letters${where}`).run(...params);
    return Number(moved.changes);
  });
}

/** Rows whose destination is no longer configured can never be sent: make them visible and retryable. */
export function deadLetterUnknownDestinations(db: Database, known: readonly string[], nowMs: number = Date.now()): number {
  const placeholders = known.map(() => '?').join(', ');
  const where = known.length > 0 ? ` WHERE destination NOT IN (${placeholders})` : '';
  return transaction(db, () => {
    const moved = db.prepare(`INSERT OR REPLACE INTO dead_letters
      (alert_id, revision, destination, alert, enqueued_at, attempts, failed_at, reason, error, status, response_body)
      SELECT alert_id, revision, destination, alert, enqueued_at, attempts, ?, 'unknown_destination',
        'destination ' || destination || ' is not in the config', NULL, NULL FROM outbox${where}`).run(nowMs, ...known);
    db.prepare(`DELETE FROM outbox${where}`).run(...known);
    return Number(moved.changes);
  });
}

function whereOf(filter: OutboxFilter): { where: string; params: string[] } {
  const clauses: string[] = [];
  const params: string[] = [];
  if (filter.alertId !== undefined) {
    clauses.push('alert_id = ?');
    params.push(filter.alertId);
  }
  if (filter.destination !== undefined) {
    clauses.push('destination = ?');
    params.push(filter.destination);
  }
  return { where: clauses.length > 0 ? ` WHERE ${clauses.join(' AND ')}` : '', params };
}

function limitOf(filter: OutboxFilter): string {
  return filter.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(filter.limit))}`;
}
