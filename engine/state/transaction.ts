// The one transaction helper: all of fn's writes land together or not at all; nested calls become savepoints.
import type { DatabaseSync } from 'node:sqlite';
import { storageError } from './storage-error.ts';

let savepoints = 0;

/**
 * Runs fn in a transaction (BEGIN IMMEDIATE), or in a savepoint when the caller already holds one. A failure
 * is rethrown as it happened (SQLITE_FULL as StorageFullError): when SQLite already rolled back by itself, the
 * failed ROLLBACK is not allowed to replace the real error.
 */
export function transaction<T>(db: DatabaseSync, fn: () => T): T {
  if (db.isTransaction) return inSavepoint(db, fn);
  try {
    db.exec('BEGIN IMMEDIATE');
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw storageError(error);
  }
}

function inSavepoint<T>(db: DatabaseSync, fn: () => T): T {
  const name = `tailwatch_${++savepoints}`;
  db.exec(`SAVEPOINT ${name}`);
  try {
    const result = fn();
    db.exec(`RELEASE ${name}`);
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
    throw storageError(error);
  }
}
