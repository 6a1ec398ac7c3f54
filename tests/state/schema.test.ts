// The state module is the one home of the schema: every table comes from its migrations, and nothing else creates one.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../engine/state/database.ts';
import { SCHEMA_VERSION } from '../../engine/state/schema.ts';

const ENGINE = resolve(import.meta.dirname, '../../engine');

function tables(db: DatabaseSync): string[] {
  return (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map(
    (row) => row.name,
  );
}

describe('state schema', () => {
  it('creates every table on open and records the schema version', () => {
    const db = openDatabase(mkdtempSync(join(tmpdir(), 'tailwatch-schema-')));
    expect(tables(db)).toEqual(['alert_events', 'alert_triage', 'alert_triage_log', 'alerts', 'checkpoints', 'dead_letters', 'evaluator_lock', 'inventory_aliases', 'inventory_versions', 'journal', 'outbox', 'quarantine', 'rule_matches', 'signals', 'snapshot', 'suppressions', 'traffic_edges', 'traffic_totals']);
    expect(db.prepare('PRAGMA user_version').get()).toEqual({ user_version: SCHEMA_VERSION });
    db.close();
  });

  it('migrates a data directory written before versioning, keeping its rows', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tailwatch-schema-'));
    const old = new DatabaseSync(join(dir, 'tailwatch.sqlite'));
    old.exec(`CREATE TABLE checkpoints (source TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (source, key)) WITHOUT ROWID;
      INSERT INTO checkpoints VALUES ('file', 'a.ndjson', '42');`);
    old.close();
    const db = openDatabase(dir);
    expect(db.prepare('SELECT value FROM checkpoints').all()).toEqual([{ value: '42' }]);
    expect(tables(db)).toContain('evaluator_lock');
    db.close();
  });

  it('migrates alerts, deliveries and dead letters of the release before revisions, into the history', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tailwatch-schema-'));
    const old = new DatabaseSync(join(dir, 'tailwatch.sqlite'));
    old.exec(`CREATE TABLE alerts (alert_id TEXT PRIMARY KEY, rule_id TEXT NOT NULL, severity TEXT NOT NULL, created_at INTEGER NOT NULL, alert TEXT NOT NULL);
      CREATE TABLE outbox (alert_id TEXT NOT NULL, destination TEXT NOT NULL, alert TEXT NOT NULL, enqueued_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, last_error TEXT, PRIMARY KEY (alert_id, destination));
      INSERT INTO alerts VALUES ('a1', 'R', 'HIGH', 5, '{"alertId":"a1","firstEventTime":"2026-06-03T10:00:00.000Z"}');
      INSERT INTO outbox VALUES ('a1', 'soar', '{}', 5, 0, 5, NULL);`);
    old.close();
    const db = openDatabase(dir);
    expect(db.prepare('SELECT alert_id, revision, tailnet, first_event_ms FROM alerts').all()).toEqual([
      { alert_id: 'a1', revision: 1, tailnet: 'default', first_event_ms: Date.parse('2026-06-03T10:00:00.000Z') },
    ]);
    expect(db.prepare('SELECT alert_id, revision, destination FROM outbox').all()).toEqual([{ alert_id: 'a1', revision: 1, destination: 'soar' }]);
    db.close();
  });

  it('is the only place in engine/ that creates a table', () => {
    const files = readdirSync(ENGINE, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts'));
    const creators = files.filter((name) => /CREATE TABLE/i.test(readFileSync(join(ENGINE, name), 'utf8'))).map((name) => relative(ENGINE, join(ENGINE, name)));
    expect(creators).toEqual(['state/schema.ts']);
  });
});
