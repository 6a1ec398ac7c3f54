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
    expect(tables(db)).toEqual(['alerts', 'checkpoints', 'dead_letters', 'evaluator_lock', 'journal', 'outbox', 'quarantine', 'snapshot']);
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

  it('is the only place in engine/ that creates a table', () => {
    const files = readdirSync(ENGINE, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts'));
    const creators = files.filter((name) => /CREATE TABLE/i.test(readFileSync(join(ENGINE, name), 'utf8'))).map((name) => relative(ENGINE, join(ENGINE, name)));
    expect(creators).toEqual(['state/schema.ts']);
  });
});
