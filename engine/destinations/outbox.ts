// The durable outbox: every routed alert is written here before any attempt, and leaves only on
// success or into dead_letters. Every function is synchronous so it can run inside a caller's transaction.
import type { StatementSync } from 'node:sqlite';
import type { Alert } from '../alerts/alert.ts';
import { transaction, type Database } from '../state/database.ts';

export interface OutboxRow {
  alertId: string;
  revision: number;
  destination: string;
  alert: Alert;
  enqueuedAt: number;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
}

export type DeadLetterReason = 'permanent' | 'max_attempts' | 'max_age' | 'unknown_destination';

export interface Failure {
  reason: DeadLetterReason;
  error: string;
  status?: number | undefined;
  responseBody?: string | undefined;
}

interface Statements {
  enqueue: StatementSync;
  nextDue: StatementSync;
  earliest: StatementSync;
  remove: StatementSync;
  retryLater: StatementSync;
  deadLetter: StatementSync;
  pending: StatementSync;
}

const cache = new WeakMap<Database, Statements>();

function statements(db: Database): Statements {
  const cached = cache.get(db);
  if (cached !== undefined) return cached;
  const s: Statements = {
    // Skips pairs already dead-lettered, so a crash-replay does not resurrect them (`alerts retry` does that).
    enqueue: db.prepare(`INSERT OR IGNORE INTO outbox (alert_id, revision, destination, alert, enqueued_at, next_attempt_at)
      SELECT ?1, ?5, ?2, ?3, ?4, ?4
      WHERE NOT EXISTS (SELECT 1 FROM dead_letters WHERE alert_id = ?1 AND revision = ?5 AND destination = ?2)`),
    nextDue: db.prepare(`SELECT * FROM outbox WHERE destination = ? AND next_attempt_at <= ?
      ORDER BY next_attempt_at, enqueued_at, alert_id, revision LIMIT 1`),
    earliest: db.prepare('SELECT MIN(next_attempt_at) AS at FROM outbox WHERE destination = ?'),
    remove: db.prepare('DELETE FROM outbox WHERE alert_id = ? AND revision = ? AND destination = ?'),
    retryLater: db.prepare('UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE alert_id = ? AND revision = ? AND destination = ?'),
    deadLetter: db.prepare(`INSERT OR REPLACE INTO dead_letters
      (alert_id, revision, destination, alert, enqueued_at, attempts, failed_at, reason, error, status, response_body)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    pending: db.prepare('SELECT COUNT(*) AS n FROM outbox'),
  };
  cache.set(db, s);
  return s;
}

/** Adds one row per destination (INSERTs only; call it inside the transaction that produced the alert). */
export function enqueue(db: Database, alert: Alert, destinations: readonly string[], nowMs: number = Date.now()): number {
  if (destinations.length === 0) return 0;
  const s = statements(db);
  const json = JSON.stringify(alert);
  let added = 0;
  for (const destination of destinations) added += Number(s.enqueue.run(alert.alertId, destination, json, nowMs, alert.revision).changes);
  return added;
}

export function nextDue(db: Database, destination: string, nowMs: number): OutboxRow | undefined {
  const row = statements(db).nextDue.get(destination, nowMs);
  return row === undefined ? undefined : toRow(row);
}

/** When the destination's next row becomes due, or undefined when it has none. */
export function earliestDue(db: Database, destination: string): number | undefined {
  const at = statements(db).earliest.get(destination)?.at;
  return typeof at === 'number' ? at : undefined;
}

export function markDelivered(db: Database, row: OutboxRow): void {
  statements(db).remove.run(row.alertId, row.revision, row.destination);
}

export function markRetry(db: Database, row: OutboxRow, attempts: number, nextAttemptAt: number, error: string): void {
  statements(db).retryLater.run(attempts, nextAttemptAt, error, row.alertId, row.revision, row.destination);
}

export function markDead(db: Database, row: OutboxRow, attempts: number, failure: Failure, nowMs: number): void {
  const s = statements(db);
  transaction(db, () => {
    s.deadLetter.run(row.alertId, row.revision, row.destination, JSON.stringify(row.alert), row.enqueuedAt, attempts, nowMs,
      failure.reason, failure.error, failure.status ?? null, failure.responseBody ?? null);
    s.remove.run(row.alertId, row.revision, row.destination);
  });
}

export function pendingCount(db: Database): number {
  return Number(statements(db).pending.get()?.n ?? 0);
}

export function toRow(row: Record<string, unknown>): OutboxRow {
  return {
    alertId: String(row.alert_id),
    revision: Number(row.revision ?? 1),
    destination: String(row.destination),
    alert: JSON.parse(String(row.alert)) as Alert,
    enqueuedAt: Number(row.enqueued_at),
    attempts: Number(row.attempts),
    nextAttemptAt: Number(row.next_attempt_at),
    lastError: row.last_error === null || row.last_error === undefined ? null : String(row.last_error),
  };
}
