// One SQLite file per data directory holds every durable table (alert state, outbox, checkpoints, the lock).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { StateError, StorageFullError } from '../errors.ts';
import { migrate } from './schema.ts';
import { storageError } from './storage-error.ts';

export type Database = DatabaseSync;

export const DATABASE_FILE = 'tailwatch.sqlite';

export interface OpenOptions {
  /** The file may not grow past this (PRAGMA max_page_count); writes beyond it fail as StorageFullError. */
  maxDatabaseMiB?: number | undefined;
}

/** Opens (creating when needed) the data directory's database, with every table of the current schema. */
export function openDatabase(dataDir: string, options: OpenOptions = {}): Database {
  const file = join(dataDir, DATABASE_FILE);
  let db: DatabaseSync | undefined;
  try {
    mkdirSync(dataDir, { recursive: true });
    db = new DatabaseSync(file);
    // WAL + synchronous=FULL: a committed transaction survives kill -9 and power loss. After a checkpoint the WAL
    // file is cut back to 64 MiB, so a burst does not leave it large.
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000; PRAGMA journal_size_limit = 67108864;');
    if (options.maxDatabaseMiB !== undefined) limitSize(db, options.maxDatabaseMiB);
    migrate(db);
    return db;
  } catch (error) {
    db?.close();
    const cause = storageError(error);
    if (cause instanceof StorageFullError) throw cause;
    const reason = (error as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new StateError(
      `cannot open the database ${file} (${reason}): make the data directory writable by this user, or point dataDir in the config elsewhere`,
      { cause: error },
    );
  }
}

function limitSize(db: DatabaseSync, maxDatabaseMiB: number): void {
  const { page_size: pageSize } = db.prepare('PRAGMA page_size').get() as { page_size: number };
  db.exec(`PRAGMA max_page_count = ${Math.max(1, Math.floor((maxDatabaseMiB * 2 ** 20) / pageSize))}`);
}

// Also here because callers have always imported it beside openDatabase.
export { transaction } from './transaction.ts';
