// The one transaction helper: nests as savepoints, and a failure surfaces as itself (never as the failed ROLLBACK).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StorageFullError } from '../../engine/errors.ts';
import { openDatabase, transaction } from '../../engine/state/database.ts';

const tempDir = () => mkdtempSync(join(tmpdir(), 'tailwatch-tx-'));
const count = (db: ReturnType<typeof openDatabase>) => (db.prepare('SELECT COUNT(*) AS n FROM checkpoints').get() as { n: number }).n;
const insert = (db: ReturnType<typeof openDatabase>, key: string, value = 'v') =>
  db.prepare("INSERT INTO checkpoints (source, key, value) VALUES ('s', ?, ?)").run(key, value);

describe('transaction', () => {
  it('rolls back an inner failure alone when nested', () => {
    const db = openDatabase(tempDir());
    transaction(db, () => {
      insert(db, 'outer');
      expect(() =>
        transaction(db, () => {
          insert(db, 'inner');
          throw new Error('inner failed');
        }),
      ).toThrow('inner failed');
    });
    expect(db.prepare('SELECT key FROM checkpoints').all()).toEqual([{ key: 'outer' }]);
    db.close();
  });

  it('reports a full database as StorageFullError, not "cannot rollback", and keeps nothing of the batch', () => {
    const db = openDatabase(tempDir(), { maxDatabaseMiB: 0.25 });
    let caught: unknown;
    try {
      transaction(db, () => {
        for (let i = 0; i < 1000; i++) insert(db, `k${i}`, 'x'.repeat(1000));
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(StorageFullError);
    expect((caught as Error).message).toMatch(/database or disk is full/);
    expect(count(db)).toBe(0);
    expect(db.isTransaction).toBe(false);
    // Room again for a small write: the connection is usable.
    transaction(db, () => insert(db, 'small'));
    expect(count(db)).toBe(1);
    db.close();
  });
});
