// Atomic writes that also nest inside a caller's open transaction (SQLite SAVEPOINT).
import type { Database } from '../state/database.ts';

export function atomically<T>(db: Database, fn: () => T): T {
  db.exec('SAVEPOINT tailwatch_outbox');
  try {
    const result = fn();
    db.exec('RELEASE tailwatch_outbox');
    return result;
  } catch (error) {
    db.exec('ROLLBACK TO tailwatch_outbox; RELEASE tailwatch_outbox');
    throw error;
  }
}
