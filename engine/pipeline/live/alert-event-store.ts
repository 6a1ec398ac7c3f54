// The events that formed each alert (engine/alerts/alert-events.ts), kept in SQLite beside the alert history and
// pruned with it: written in the transaction of the batch that matched them, at most the first and latest few per alert.
import type { StatementSync } from 'node:sqlite';
import { keeps, LATEST_EVENTS, FIRST_EVENTS, type AlertEvent } from '../../alerts/alert-events.ts';
import type { Database } from '../../state/database.ts';

/** One kept event as the console shows it. */
export interface StoredAlertEvent {
  ordinal: number;
  eventTime: string;
  source: string;
  logType: string;
  /** The record (parsed), or its cut JSON text when it was longer than the bound. */
  record: unknown;
  truncated: boolean;
}

export class AlertEventStore {
  readonly #insert: StatementSync;
  readonly #dropMiddle: StatementSync;
  readonly #prune: StatementSync;

  constructor(db: Database) {
    this.#insert = db.prepare(`INSERT OR IGNORE INTO alert_events (alert_id, ordinal, event_ms, source, log_type, record, truncated, recorded_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    this.#dropMiddle = db.prepare('DELETE FROM alert_events WHERE alert_id = ? AND ordinal > ? AND ordinal <= ?');
    this.#prune = db.prepare('DELETE FROM alert_events WHERE recorded_at < ?');
  }

  /** Call inside the batch's transaction: a replayed batch writes the same rows again, which changes nothing. */
  add(events: readonly AlertEvent[], nowMs: number): void {
    if (events.length === 0) return;
    const newest = new Map<string, number>();
    for (const event of events) newest.set(event.alertId, Math.max(newest.get(event.alertId) ?? 0, event.ordinal));
    for (const event of events) {
      if (!keeps(event.ordinal, newest.get(event.alertId)!)) continue;
      this.#insert.run(event.alertId, event.ordinal, event.eventTimeMs, event.source, event.logType, event.record, event.truncated ? 1 : 0, nowMs);
    }
    // What earlier batches kept as the latest and is no longer among them.
    for (const [alertId, ordinal] of newest) if (ordinal - LATEST_EVENTS > FIRST_EVENTS) this.#dropMiddle.run(alertId, FIRST_EVENTS, ordinal - LATEST_EVENTS);
  }

  /** Drops events recorded before the cut-off (the alert history's retention, as AlertLedger.prune). */
  prune(beforeMs: number): void {
    this.#prune.run(beforeMs);
  }
}

export function storedAlertEvents(db: Database, alertId: string): StoredAlertEvent[] {
  const rows = db.prepare('SELECT ordinal, event_ms, source, log_type, record, truncated FROM alert_events WHERE alert_id = ? ORDER BY ordinal').all(alertId) as {
    ordinal: number; event_ms: number; source: string; log_type: string; record: string; truncated: number;
  }[];
  return rows.map((row) => ({
    ordinal: row.ordinal,
    eventTime: new Date(row.event_ms).toISOString(),
    source: row.source,
    logType: row.log_type,
    record: row.truncated === 1 ? row.record : (JSON.parse(row.record) as unknown),
    truncated: row.truncated === 1,
  }));
}
