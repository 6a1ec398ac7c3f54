// The data directory lock: one holder at a time, named when refused; a dead or silent holder is taken over.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError } from '../../engine/errors.ts';
import { openDatabase, type Database } from '../../engine/state/database.ts';
import { acquireEvaluatorLock, assertNoRunningEvaluator, heartbeat, holderOf, releaseEvaluatorLock } from '../../engine/state/evaluator-lock.ts';

const opened: Database[] = [];
const children: ReturnType<typeof spawn>[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function dataDir(): { dir: string; db: Database } {
  const dir = mkdtempSync(join(tmpdir(), 'tailwatch-lock-'));
  const db = openDatabase(dir);
  opened.push(db);
  return { dir, db };
}

/** Writes the lock row as another process would. */
function holdAs(db: Database, pid: number, heartbeatAt: number): void {
  db.prepare('INSERT OR REPLACE INTO evaluator_lock (id, pid, host, started_at, heartbeat_at) VALUES (1, ?, ?, ?, ?)').run(pid, hostname(), heartbeatAt, heartbeatAt);
}

/** A process that is alive until the test ends. */
function livePid(): number {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(child);
  return child.pid as number;
}

/** The PID of a process that has exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

describe('evaluator lock', () => {
  it('refuses a second holder, naming the live holder’s PID', () => {
    const { dir, db } = dataDir();
    const pid = livePid();
    holdAs(db, pid, Date.now());
    let caught: unknown;
    try {
      acquireEvaluatorLock(db, dir);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DataDirLockedError);
    expect((caught as DataDirLockedError).message).toContain(`PID ${pid}`);
    expect((caught as DataDirLockedError).message).toContain(dir);
    expect(holderOf(dir)?.pid).toBe(pid);
    expect(() => assertNoRunningEvaluator(dir, 'send-test')).toThrow(/^send-test: .*PID \d+/);
  });

  it('takes over the lock of a process that is gone (kill -9), even with a fresh heartbeat', () => {
    const { dir, db } = dataDir();
    holdAs(db, deadPid(), Date.now());
    expect(holderOf(dir)).toBeUndefined();
    expect(acquireEvaluatorLock(db, dir).pid).toBe(process.pid);
    expect(holderOf(dir)?.pid).toBe(process.pid);
  });

  it('takes over a live PID whose heartbeat stopped long ago (a reused PID, a hung holder)', () => {
    const { dir, db } = dataDir();
    holdAs(db, livePid(), Date.now() - 10 * 60_000);
    expect(acquireEvaluatorLock(db, dir).pid).toBe(process.pid);
  });

  it('heartbeats while held, reports a take-over, and releases only its own row', () => {
    const { dir, db } = dataDir();
    acquireEvaluatorLock(db, dir);
    expect(heartbeat(db)).toBe(true);
    const other = livePid();
    holdAs(db, other, Date.now());
    expect(heartbeat(db)).toBe(false);
    releaseEvaluatorLock(db);
    expect(holderOf(dir)?.pid).toBe(other);
  });

  it('says nobody holds a data directory that has no database yet, without creating one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tailwatch-lock-'));
    expect(holderOf(dir)).toBeUndefined();
    expect(spawnSync('ls', [dir], { encoding: 'utf8' }).stdout).toBe('');
  });
});
