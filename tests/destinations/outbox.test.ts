import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Deliverer } from '../../engine/destinations/deliverer.ts';
import { listDeadLetters, listPending, retryDeadLetters } from '../../engine/destinations/outbox-admin.ts';
import { enqueue, markDead, nextDue, pendingCount } from '../../engine/destinations/outbox.ts';
import { openDatabase, transaction, type Database } from '../../engine/state/database.ts';
import { createLogger } from '../../engine/telemetry/logger.ts';
import { makeAlert } from '../support/make-alert.ts';

const policy = { retryBaseSeconds: 1, retryMaxSeconds: 10, maxAttempts: 5, maxAgeMinutes: 60, pollSeconds: 1, unhealthyAfterMinutes: 15 };
let dir: string;
let db: Database;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tailwatch-outbox-'));
  db = openDatabase(dir);
});
afterEach(() => db.close());

describe('outbox', () => {
  it('enqueues one row per destination, and the same (alert, destination) pair only once', () => {
    expect(enqueue(db, makeAlert(), ['slack', 'soar'], 1000)).toBe(2);
    expect(enqueue(db, makeAlert(), ['slack', 'soar', 'archive'], 2000)).toBe(1);
    expect(listPending(db).map((r) => [r.destination, r.enqueuedAt, r.attempts])).toEqual([
      ['slack', 1000, 0],
      ['soar', 1000, 0],
      ['archive', 2000, 0],
    ]);
    expect(listPending(db)[0]?.alert).toEqual(makeAlert());
  });

  it('runs inside the caller\'s transaction: a rollback leaves nothing behind', () => {
    expect(() => transaction(db, () => {
      enqueue(db, makeAlert(), ['slack']);
      throw new Error('checkpoint write failed');
    })).toThrow('checkpoint write failed');
    expect(pendingCount(db)).toBe(0);
  });

  it('survives a reopen of the database', () => {
    enqueue(db, makeAlert(), ['slack']);
    db.close();
    db = openDatabase(dir);
    expect(listPending(db).map((r) => r.alertId)).toEqual([makeAlert().alertId]);
  });

  it('does not resurrect a dead-lettered pair on re-enqueue, but `retry` moves it back with a fresh budget', () => {
    enqueue(db, makeAlert(), ['slack', 'soar'], 1000);
    const row = nextDue(db, 'slack', 1000);
    if (!row) throw new Error('no row');
    markDead(db, row, 4, { reason: 'permanent', error: 'HTTP 404: no_service', status: 404, responseBody: 'no_service' }, 5000);
    expect(enqueue(db, makeAlert(), ['slack'], 6000)).toBe(0);
    expect(listDeadLetters(db)).toMatchObject([{ destination: 'slack', attempts: 4, failedAt: 5000, reason: 'permanent', status: 404 }]);
    expect(retryDeadLetters(db, { destination: 'soar' }, 7000)).toBe(0);
    expect(retryDeadLetters(db, { destination: 'slack' }, 7000)).toBe(1);
    expect(listDeadLetters(db)).toEqual([]);
    expect(listPending(db, { destination: 'slack' })).toMatchObject([{ attempts: 0, nextAttemptAt: 7000, enqueuedAt: 7000 }]);
  });

  it('leaves rows of other destinations alone, and drains only its own', async () => {
    enqueue(db, makeAlert(), ['elsewhere']);
    const deliverer = new Deliverer({ db, destinations: new Map(), policy });
    expect(await deliverer.check()).toEqual(new Map());
    expect(await deliverer.drain({ timeoutMs: 10_000 })).toBe(0);
    await deliverer.stop({ timeoutMs: 100 });
    expect(listPending(db).map((r) => r.destination)).toEqual(['elsewhere']);
    expect(listDeadLetters(db)).toEqual([]);
  });

  it('dead-letters rows whose destination left the config when asked to (tailwatch run)', async () => {
    enqueue(db, makeAlert(), ['removed']);
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => lines.push(JSON.parse(line)) } });
    const deliverer = new Deliverer({ db, destinations: new Map(), policy, logger, deadLetterUnknownDestinations: true });
    deliverer.start();
    await deliverer.stop({ timeoutMs: 100 });
    expect(listDeadLetters(db)).toMatchObject([{ destination: 'removed', reason: 'unknown_destination', error: 'destination removed is not in the config' }]);
    expect(pendingCount(db)).toBe(0);
    expect(lines).toMatchObject([{ level: 'warn', msg: 'alerts dead-lettered', count: 1, reason: 'unknown_destination' }]);
  });
});
