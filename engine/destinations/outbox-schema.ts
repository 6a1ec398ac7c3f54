// The durable delivery tables, in the shared SQLite database (engine/state/database.ts).
import type { Database } from '../state/database.ts';

// One row per (alert, revision, destination): that is the identity, so enqueuing it twice is a no-op.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS outbox (
  alert_id TEXT NOT NULL,
  revision INTEGER NOT NULL DEFAULT 1,
  destination TEXT NOT NULL,
  alert TEXT NOT NULL,
  enqueued_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  PRIMARY KEY (alert_id, revision, destination)
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (destination, next_attempt_at);
CREATE TABLE IF NOT EXISTS dead_letters (
  alert_id TEXT NOT NULL,
  revision INTEGER NOT NULL DEFAULT 1,
  destination TEXT NOT NULL,
  alert TEXT NOT NULL,
  enqueued_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  failed_at INTEGER NOT NULL,
  reason TEXT NOT NULL,
  error TEXT NOT NULL,
  status INTEGER,
  response_body TEXT,
  PRIMARY KEY (alert_id, revision, destination)
);`;

const ready = new WeakSet<Database>();

/**
 * Creates the tables if needed; true when they are known to persist. Inside a transaction the creation
 * could still be rolled back, so it is not remembered (call this once at start-up, outside one).
 */
export function ensureOutboxSchema(db: Database): boolean {
  if (ready.has(db)) return true;
  db.exec(SCHEMA);
  if (db.isTransaction) return false;
  ready.add(db);
  return true;
}
