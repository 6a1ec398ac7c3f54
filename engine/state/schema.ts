// Every durable table, in one place, as numbered migrations; `PRAGMA user_version` says which have run.
import type { DatabaseSync } from 'node:sqlite';

/**
 * Migration N (1-based) brings a database from user_version N-1 to N. Never edit one that has shipped: add the next.
 * The first uses IF NOT EXISTS because data directories from before versioning already hold these tables.
 */
const MIGRATIONS: readonly string[] = [
  `
  -- Accepted records, kept until a snapshot covers them (engine/pipeline/live/journal.ts).
  CREATE TABLE IF NOT EXISTS journal (
    id INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL, received_at INTEGER NOT NULL, records TEXT NOT NULL);
  -- The evaluator's state as one row, with the journal id it covers (snapshot.ts).
  CREATE TABLE IF NOT EXISTS snapshot (
    id INTEGER PRIMARY KEY CHECK (id = 1), journal_id INTEGER NOT NULL, taken_at INTEGER NOT NULL, state TEXT NOT NULL);
  -- Every alert created, by id, so re-evaluation after a crash sends none twice (alert-ledger.ts).
  CREATE TABLE IF NOT EXISTS alerts (
    alert_id TEXT PRIMARY KEY, rule_id TEXT NOT NULL, severity TEXT NOT NULL, created_at INTEGER NOT NULL, alert TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS alerts_created_at ON alerts (created_at);
  -- Rejected records with their position and reason (quarantine.ts).
  CREATE TABLE IF NOT EXISTS quarantine (
    id INTEGER PRIMARY KEY AUTOINCREMENT, received_at INTEGER NOT NULL, source TEXT NOT NULL, line INTEGER NOT NULL,
    byte_offset INTEGER NOT NULL, reason TEXT NOT NULL, message TEXT NOT NULL, raw TEXT NOT NULL);
  -- Source positions (engine/sources/checkpoints.ts).
  CREATE TABLE IF NOT EXISTS checkpoints (
    source TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (source, key)) WITHOUT ROWID;
  -- One row per (alert, destination): the pair is the identity, so enqueuing it twice is a no-op (engine/destinations/outbox.ts).
  CREATE TABLE IF NOT EXISTS outbox (
    alert_id TEXT NOT NULL, destination TEXT NOT NULL, alert TEXT NOT NULL, enqueued_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, last_error TEXT, PRIMARY KEY (alert_id, destination));
  CREATE INDEX IF NOT EXISTS outbox_due ON outbox (destination, next_attempt_at);
  CREATE TABLE IF NOT EXISTS dead_letters (
    alert_id TEXT NOT NULL, destination TEXT NOT NULL, alert TEXT NOT NULL, enqueued_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL, failed_at INTEGER NOT NULL, reason TEXT NOT NULL, error TEXT NOT NULL,
    status INTEGER, response_body TEXT, PRIMARY KEY (alert_id, destination));
  `,
  `
  -- The evaluator that owns this data directory (engine/state/evaluator-lock.ts).
  CREATE TABLE evaluator_lock (
    id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, host TEXT NOT NULL, started_at INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL);
  `,
  `
  -- Alert revisions: the ledger, the outbox and dead letters are keyed by (alert id, revision, ...).
  CREATE TABLE alerts_v3 (
    alert_id TEXT NOT NULL, revision INTEGER NOT NULL DEFAULT 1, rule_id TEXT NOT NULL, severity TEXT NOT NULL,
    created_at INTEGER NOT NULL, alert TEXT NOT NULL, PRIMARY KEY (alert_id, revision));
  INSERT INTO alerts_v3 (alert_id, rule_id, severity, created_at, alert) SELECT alert_id, rule_id, severity, created_at, alert FROM alerts;
  DROP TABLE alerts;
  ALTER TABLE alerts_v3 RENAME TO alerts;
  CREATE INDEX alerts_created_at ON alerts (created_at);
  CREATE TABLE outbox_v3 (
    alert_id TEXT NOT NULL, revision INTEGER NOT NULL DEFAULT 1, destination TEXT NOT NULL, alert TEXT NOT NULL,
    enqueued_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, last_error TEXT,
    PRIMARY KEY (alert_id, revision, destination));
  INSERT INTO outbox_v3 (alert_id, destination, alert, enqueued_at, attempts, next_attempt_at, last_error)
    SELECT alert_id, destination, alert, enqueued_at, attempts, next_attempt_at, last_error FROM outbox;
  DROP TABLE outbox;
  ALTER TABLE outbox_v3 RENAME TO outbox;
  CREATE INDEX outbox_due ON outbox (destination, next_attempt_at);
  CREATE TABLE dead_letters_v3 (
    alert_id TEXT NOT NULL, revision INTEGER NOT NULL DEFAULT 1, destination TEXT NOT NULL, alert TEXT NOT NULL,
    enqueued_at INTEGER NOT NULL, attempts INTEGER NOT NULL, failed_at INTEGER NOT NULL, reason TEXT NOT NULL,
    error TEXT NOT NULL, status INTEGER, response_body TEXT, PRIMARY KEY (alert_id, revision, destination));
  INSERT INTO dead_letters_v3 (alert_id, destination, alert, enqueued_at, attempts, failed_at, reason, error, status, response_body)
    SELECT alert_id, destination, alert, enqueued_at, attempts, failed_at, reason, error, status, response_body FROM dead_letters;
  DROP TABLE dead_letters;
  ALTER TABLE dead_letters_v3 RENAME TO dead_letters;
  -- The evaluator's state changed shape (aligned windows, watermarks per tailnet and log type): start it afresh.
  -- The journal after the snapshot is still evaluated, and the ledger keeps what was sent from being sent again.
  DELETE FROM snapshot;
  `,
  `
  -- The ledger is also the alert history (tailwatch alerts list): filter columns and their indexes.
  ALTER TABLE alerts ADD COLUMN tailnet TEXT NOT NULL DEFAULT 'default';
  ALTER TABLE alerts ADD COLUMN first_event_ms INTEGER NOT NULL DEFAULT 0;
  UPDATE alerts SET
    tailnet = coalesce(json_extract(alert, '$.tailnet'), 'default'),
    first_event_ms = coalesce(CAST(round((julianday(json_extract(alert, '$.firstEventTime')) - 2440587.5) * 86400000) AS INTEGER), 0);
  CREATE INDEX alerts_first_event ON alerts (first_event_ms);
  CREATE INDEX alerts_rule_first_event ON alerts (rule_id, first_event_ms);
  `,
  `
  -- Ad hoc suppressions (tailwatch suppress): one alert's rule, tailnet and dedup key, for event times in
  -- [from_ms, expires_at), with who made it and why (engine/suppressions/suppression-store.ts).
  CREATE TABLE suppressions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, alert_id TEXT NOT NULL, rule_id TEXT NOT NULL, tailnet TEXT NOT NULL,
    dedup TEXT NOT NULL, reason TEXT NOT NULL, created_by TEXT NOT NULL, created_at INTEGER NOT NULL,
    from_ms INTEGER NOT NULL, expires_at INTEGER NOT NULL);
  `,
  `
  -- The console (engine/console): triage state and its change log, a title column and keyset index for the alert list,
  -- and the per-minute traffic rollups the evaluator maintains (traffic-rollup.ts).
  CREATE TABLE alert_triage (
    alert_id TEXT PRIMARY KEY, status TEXT NOT NULL, assignee TEXT, updated_at INTEGER NOT NULL, updated_by TEXT NOT NULL) WITHOUT ROWID;
  CREATE INDEX alert_triage_status ON alert_triage (status);
  CREATE TABLE alert_triage_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT, alert_id TEXT NOT NULL, at INTEGER NOT NULL, who TEXT NOT NULL, change TEXT NOT NULL,
    old_value TEXT, new_value TEXT, note TEXT);
  CREATE INDEX alert_triage_log_alert ON alert_triage_log (alert_id, id);
  -- Virtual columns read from the alert JSON, stored only in the indexes over them: title search and the rules
  -- page's per-day activity and last errors scan an index instead of parsing 100k alert documents.
  ALTER TABLE alerts ADD COLUMN title TEXT GENERATED ALWAYS AS (json_extract(alert, '$.title')) VIRTUAL;
  ALTER TABLE alerts ADD COLUMN alert_type TEXT GENERATED ALWAYS AS (json_extract(alert, '$.type')) VIRTUAL;
  ALTER TABLE alerts ADD COLUMN event_count INTEGER GENERATED ALWAYS AS (json_extract(alert, '$.eventCount')) VIRTUAL;
  CREATE INDEX alerts_title ON alerts (title);
  CREATE INDEX alerts_rule_activity ON alerts (first_event_ms, rule_id, alert_type, event_count, revision);
  CREATE INDEX alerts_rule_errors ON alerts (alert_type, rule_id, created_at);
  CREATE INDEX alerts_keyset ON alerts (first_event_ms DESC, alert_id, revision DESC);
  CREATE INDEX alerts_severity_first_event ON alerts (severity, first_event_ms);
  CREATE INDEX alerts_tailnet_first_event ON alerts (tailnet, first_event_ms);
  CREATE TABLE traffic_totals (
    tailnet TEXT NOT NULL, minute INTEGER NOT NULL, kind TEXT NOT NULL, bytes INTEGER NOT NULL, packets INTEGER NOT NULL,
    PRIMARY KEY (tailnet, minute, kind)) WITHOUT ROWID;
  CREATE TABLE traffic_edges (
    tailnet TEXT NOT NULL, minute INTEGER NOT NULL, src TEXT NOT NULL, dst TEXT NOT NULL, port INTEGER NOT NULL,
    src_tags TEXT NOT NULL, dst_tags TEXT NOT NULL, bytes INTEGER NOT NULL, packets INTEGER NOT NULL,
    PRIMARY KEY (tailnet, minute, src, dst, port)) WITHOUT ROWID;
  `,
  `
  -- Signals (matches of signal rules) with their event, kept signals.retentionDays (engine/pipeline/live/signal-store.ts).
  CREATE TABLE signals (
    signal_id TEXT PRIMARY KEY, rule_id TEXT NOT NULL, severity TEXT NOT NULL, tailnet TEXT NOT NULL,
    event_ms INTEGER NOT NULL, recorded_at INTEGER NOT NULL, signal TEXT NOT NULL);
  CREATE INDEX signals_event ON signals (event_ms);
  CREATE INDEX signals_rule_event ON signals (rule_id, event_ms);
  CREATE INDEX signals_recorded_at ON signals (recorded_at);
  `,
  `
  -- The tailnet inventory (engine/inventory/): versions of nodes, users, keys and the policy, only the changes. A version
  -- became true at valid_from (event or API time, ms) and was learned at stream position learned_at (the tailnet's
  -- event-time position, ms); record is NULL for a deletion.
  CREATE TABLE inventory_versions (
    tailnet TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL, valid_from INTEGER NOT NULL, learned_at INTEGER NOT NULL,
    origin TEXT NOT NULL, record TEXT, PRIMARY KEY (tailnet, kind, id, valid_from, learned_at)) WITHOUT ROWID;
  -- Names, tailnet IPs and logins an id was ever known by; the version as of a time says whether it still is.
  CREATE TABLE inventory_aliases (
    tailnet TEXT NOT NULL, kind TEXT NOT NULL, alias TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (tailnet, kind, alias, id)) WITHOUT ROWID;
  `,
  `
  -- The console's alert page and rules page: the events that formed each alert (the first and latest few of its
  -- matches, engine/pipeline/live/alert-event-store.ts) and the matches per rule and day of event time
  -- (engine/console/rule-match-counts.ts), both pruned with the alert history.
  CREATE TABLE alert_events (
    alert_id TEXT NOT NULL, ordinal INTEGER NOT NULL, event_ms INTEGER NOT NULL, source TEXT NOT NULL, log_type TEXT NOT NULL,
    record TEXT NOT NULL, truncated INTEGER NOT NULL, recorded_at INTEGER NOT NULL, PRIMARY KEY (alert_id, ordinal));
  CREATE INDEX alert_events_recorded_at ON alert_events (recorded_at);
  CREATE TABLE rule_matches (
    rule_id TEXT NOT NULL, day INTEGER NOT NULL, matches INTEGER NOT NULL, PRIMARY KEY (rule_id, day)) WITHOUT ROWID;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Runs the migrations this database has not seen, each in its own transaction. */
export function migrate(db: DatabaseSync): void {
  for (;;) {
    const version = userVersion(db);
    if (version >= SCHEMA_VERSION) return;
    db.exec('BEGIN IMMEDIATE');
    try {
      // Another process may have migrated while this one waited for the write lock.
      const current = userVersion(db);
      if (current < SCHEMA_VERSION) db.exec(`${MIGRATIONS[current]}\nPRAGMA user_version = ${current + 1};`);
      db.exec('COMMIT');
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw error;
    }
  }
}

function userVersion(db: DatabaseSync): number {
  return Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
}
