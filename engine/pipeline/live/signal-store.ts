// Signals recorded by `tailwatch run`, with their event, by id (a journal replay after a crash records none twice),
// kept `signals.retentionDays`; `tailwatch signals` lists them newest first with the alert history's filters.
import type { StatementSync } from 'node:sqlite';
import type { Signal } from '../../alerts/signal.ts';
import type { Database } from '../../state/database.ts';
import { historyQuery, limitedRows } from './history-filter.ts';
import type { HistoryFilter } from './history-filter.ts';

export const DEFAULT_SIGNAL_RETENTION_DAYS = 7;

export class SignalStore {
  readonly #insert: StatementSync;
  readonly #prune: StatementSync;

  constructor(db: Database) {
    this.#insert = db.prepare(`INSERT OR IGNORE INTO signals (signal_id, rule_id, severity, tailnet, event_ms, recorded_at, signal)
      VALUES (?, ?, ?, ?, ?, ?, ?)`);
    this.#prune = db.prepare('DELETE FROM signals WHERE recorded_at < ?');
  }

  /** Call inside the batch's transaction; true when the signal is new. */
  add(signal: Signal, nowMs: number): boolean {
    const { signalId, ruleId, severity, tailnet, eventTime } = signal;
    return this.#insert.run(signalId, ruleId, severity, tailnet, Date.parse(eventTime), nowMs, JSON.stringify(signal)).changes === 1;
  }

  /** Drops signals recorded before the cut-off. */
  prune(beforeMs: number): void {
    this.#prune.run(beforeMs);
  }
}

export function signalHistory(db: Database, filter: HistoryFilter): Generator<Signal> {
  const query = historyQuery(filter, 's', 'event_ms');
  const sql = query.clauses.length === 0 ? '' : ` WHERE ${query.clauses.join(' AND ')}`;
  const rows = db
    .prepare(`SELECT s.rule_id, s.signal AS json FROM signals s${sql} ORDER BY s.event_ms DESC, s.signal_id`)
    .iterate(...query.params) as Iterable<{ rule_id: string; json: string }>;
  return limitedRows<Signal>(rows, query, filter.limit);
}
