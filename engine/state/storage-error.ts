// SQLite failures a user can act on, turned into errors that say so (the raw ones say "[INTERNAL]").
import { StorageFullError } from '../errors.ts';

/** SQLITE_FULL: the disk, or the maxDatabaseMiB bound (PRAGMA max_page_count), has no room. */
const SQLITE_FULL = 13;

function isStorageFull(error: unknown): boolean {
  return error instanceof StorageFullError || (error as { errcode?: unknown } | null)?.errcode === SQLITE_FULL;
}

/** The error itself, or a StorageFullError carrying it as the cause. */
export function storageError(error: unknown): unknown {
  if (error instanceof StorageFullError || !isStorageFull(error)) return error;
  return new StorageFullError(`the database is full: ${(error as Error).message}`, { cause: error });
}
