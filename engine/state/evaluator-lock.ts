// The data directory's owner: one `tailwatch run` at a time, recorded as a row taken under BEGIN IMMEDIATE
// (SQLite's write lock makes check-and-take atomic across processes; Node has no flock). The holder refreshes a
// heartbeat; a row whose PID is gone on this host, or whose heartbeat is old, is stale and may be taken over.
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { DataDirLockedError } from '../errors.ts';
import { DATABASE_FILE, type Database } from './database.ts';
import { transaction } from './transaction.ts';

/** How often the holder refreshes its heartbeat. */
export const HEARTBEAT_MS = 5_000;
/** A heartbeat older than this many intervals marks a holder that stopped without releasing (hung, or another host's crash). */
const STALE_AFTER_HEARTBEATS = 6;

export interface LockHolder {
  pid: number;
  host: string;
  startedAt: number;
  heartbeatAt: number;
}

/** Takes the lock for this process, taking over a stale one; throws DataDirLockedError naming a live holder. */
export function acquireEvaluatorLock(db: Database, dataDir: string, nowMs: number = Date.now()): LockHolder {
  return transaction(db, () => {
    const holder = readHolder(db);
    if (holder !== undefined && holder.pid !== process.pid && isLive(holder, nowMs)) throw lockedError(dataDir, holder, 'tailwatch run');
    const me: LockHolder = { pid: process.pid, host: hostname(), startedAt: nowMs, heartbeatAt: nowMs };
    db.prepare('INSERT OR REPLACE INTO evaluator_lock (id, pid, host, started_at, heartbeat_at) VALUES (1, ?, ?, ?, ?)').run(
      me.pid, me.host, me.startedAt, me.heartbeatAt,
    );
    return me;
  });
}

/** Refreshes the heartbeat; false when the row is no longer ours (another process took it over). */
export function heartbeat(db: Database, nowMs: number = Date.now()): boolean {
  return db.prepare('UPDATE evaluator_lock SET heartbeat_at = ? WHERE id = 1 AND pid = ? AND host = ?').run(nowMs, process.pid, hostname()).changes === 1;
}

export function releaseEvaluatorLock(db: Database): void {
  db.prepare('DELETE FROM evaluator_lock WHERE id = 1 AND pid = ? AND host = ?').run(process.pid, hostname());
}

/** The live `tailwatch run` holding this data directory, if any (reads only; creates nothing). */
export function holderOf(dataDir: string, nowMs: number = Date.now()): LockHolder | undefined {
  const file = join(dataDir, DATABASE_FILE);
  if (!existsSync(file)) return undefined;
  // Not readOnly: a WAL database whose -shm file is gone cannot be opened read-only.
  const db = new DatabaseSync(file);
  try {
    db.exec('PRAGMA busy_timeout = 5000');
    const exists = db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'evaluator_lock'").get();
    const holder = exists === undefined ? undefined : readHolder(db);
    return holder !== undefined && isLive(holder, nowMs) ? holder : undefined;
  } finally {
    db.close();
  }
}

/** Refuses a command that would deliver beside a running evaluator (the two would send the same rows). */
export function assertNoRunningEvaluator(dataDir: string, command: string): void {
  const holder = holderOf(dataDir);
  if (holder !== undefined) throw lockedError(dataDir, holder, command);
}

function lockedError(dataDir: string, holder: LockHolder, command: string): DataDirLockedError {
  const where = holder.host === hostname() ? `PID ${holder.pid}` : `PID ${holder.pid} on ${holder.host}`;
  return new DataDirLockedError(
    `${command}: the data directory ${dataDir} is in use by tailwatch run (${where}, since ${new Date(holder.startedAt).toISOString()}); ` +
      'stop that process first, or use another dataDir',
    holder.pid,
  );
}

function readHolder(db: DatabaseSync): LockHolder | undefined {
  const row = db.prepare('SELECT pid, host, started_at, heartbeat_at FROM evaluator_lock WHERE id = 1').get() as
    | { pid: number; host: string; started_at: number; heartbeat_at: number }
    | undefined;
  return row === undefined ? undefined : { pid: row.pid, host: row.host, startedAt: row.started_at, heartbeatAt: row.heartbeat_at };
}

function isLive(holder: LockHolder, nowMs: number): boolean {
  if (nowMs - holder.heartbeatAt > STALE_AFTER_HEARTBEATS * HEARTBEAT_MS) return false;
  return holder.host !== hostname() || processExists(holder.pid);
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
