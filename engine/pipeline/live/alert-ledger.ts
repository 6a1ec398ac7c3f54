// Every alert revision the evaluator has emitted, by id and revision: re-evaluation after a crash finds them here and
// sends none twice, and `tailwatch alerts list` reads them as the alert history (alert-history.ts).
import type { StatementSync } from 'node:sqlite';
import type { Alert } from '../../alerts/alert.ts';
import type { Database } from '../../state/database.ts';

export class AlertLedger {
  readonly #insert: StatementSync;
  readonly #prune: StatementSync;

  constructor(db: Database) {
    this.#insert = db.prepare(`INSERT OR IGNORE INTO alerts (alert_id, revision, rule_id, severity, tailnet, first_event_ms, created_at, alert)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    this.#prune = db.prepare('DELETE FROM alerts WHERE created_at < ?');
  }

  /** True when the revision is new (call inside the transaction that enqueues its deliveries). */
  add(alert: Alert, nowMs: number): boolean {
    const firstMs = Date.parse(alert.firstEventTime);
    return this.#insert.run(alert.alertId, alert.revision, alert.ruleId, alert.severity, alert.tailnet, firstMs, nowMs, JSON.stringify(alert)).changes === 1;
  }

  /** Drops revisions recorded before the cut-off (the history's retention; far longer than any journal replay). */
  prune(beforeMs: number): void {
    this.#prune.run(beforeMs);
  }
}
