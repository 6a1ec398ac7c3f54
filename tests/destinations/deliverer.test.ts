import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDestination } from '../../engine/destinations/create.ts';
import { Deliverer, type DeliveryEvent } from '../../engine/destinations/deliverer.ts';
import { listDeadLetters, listPending } from '../../engine/destinations/outbox-admin.ts';
import { enqueue } from '../../engine/destinations/outbox.ts';
import { openDatabase, type Database } from '../../engine/state/database.ts';
import { createLogger } from '../../engine/telemetry/logger.ts';
import { makeAlerts } from '../support/make-alert.ts';
import { virtualClock } from '../support/virtual-clock.ts';
import { waitFor } from '../support/wait-for.ts';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';

const policy = { retryBaseSeconds: 1, retryMaxSeconds: 10, maxAttempts: 1000, maxAgeMinutes: 60, pollSeconds: 1, unhealthyAfterMinutes: 15 };
let dir: string;
let db: Database;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tailwatch-deliverer-'));
  db = openDatabase(dir);
});
afterEach(() => db.close());

describe('Deliverer', () => {
  it('holds the excess over a rate limit in the outbox and delivers it later, dropping nothing', async () => {
    const path = join(dir, 'alerts.ndjson');
    const events: DeliveryEvent[] = [];
    const clock = virtualClock();
    const deliverer = new Deliverer({
      db,
      destinations: new Map([['archive', createDestination('archive', { kind: 'file', path })]]),
      rateLimitsPerMinute: new Map([['archive', 2]]),
      policy,
      clock,
      observer: { onDelivery: (e) => events.push(e) },
    });
    for (const alert of makeAlerts(5)) enqueue(db, alert, ['archive'], clock.now());
    expect(await deliverer.check()).toEqual(new Map([['archive', { ok: true }]]));
    deliverer.start();
    await waitFor(() => events.length === 5, 'five deliveries');
    await deliverer.stop({ timeoutMs: 100 });
    const times = events.map((e) => e.at);
    for (const t of times) expect(times.filter((u) => u > t - 60_000 && u <= t).length).toBeLessThanOrEqual(2);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect((times[4] as number) - (times[0] as number)).toBeGreaterThanOrEqual(120_000);
    expect(readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l).alertId)).toEqual(makeAlerts(5).map((a) => a.alertId));
  });

  it('dead-letters a delivery still failing after the maximum age', async () => {
    const receiver = await startWebhookReceiver({ secret: 's' });
    const url = receiver.url;
    await receiver.close();
    const events: DeliveryEvent[] = [];
    const clock = virtualClock();
    const deliverer = new Deliverer({
      db,
      destinations: new Map([['soar', createDestination('soar', { kind: 'webhook', url, timeoutSeconds: 5 })]]),
      policy: { ...policy, maxAgeMinutes: 1 },
      clock,
      random: () => 0.5,
      observer: { onDelivery: (e) => events.push(e) },
    });
    enqueue(db, makeAlerts(1)[0]!, ['soar'], clock.now());
    deliverer.start();
    await waitFor(() => events.some((e) => e.outcome === 'dead_letter'), 'dead letter');
    await deliverer.stop({ timeoutMs: 100 });
    const delays = events.filter((e) => e.outcome === 'retry').map((e) => (e.nextAttemptAt as number) - e.at);
    expect(delays.slice(0, 5)).toEqual([750, 1500, 3000, 6000, 7500]);
    expect(listDeadLetters(db)).toMatchObject([{ reason: 'max_age', error: expect.stringMatching(/^still failing after 1 minutes: connection failed/) }]);
  });

  it('on stop, aborts a send that does not finish in time and keeps its row pending, attempt not counted', async () => {
    const receiver = await startWebhookReceiver({ secret: 's' });
    const held = receiver.holdNext();
    const deliverer = new Deliverer({
      db,
      destinations: new Map([['soar', createDestination('soar', { kind: 'webhook', url: receiver.url, timeoutSeconds: 60 })]]),
      policy,
    });
    enqueue(db, makeAlerts(1)[0]!, ['soar']);
    deliverer.start();
    await held;
    await deliverer.stop({ timeoutMs: 50 });
    await receiver.close();
    expect(listPending(db)).toMatchObject([{ alertId: 'alert-000', attempts: 0, lastError: null }]);
  });

  it('takes a new destination set live: an added destination gets a lane, a removed one drains then ends', async () => {
    const events: DeliveryEvent[] = [];
    const file = (name: string) => createDestination(name, { kind: 'file', path: join(dir, `${name}.ndjson`) });
    const deliverer = new Deliverer({ db, destinations: new Map([['old', file('old')]]), policy, observer: { onDelivery: (e) => events.push(e) } });
    deliverer.start();
    const [first, second] = makeAlerts(2);
    enqueue(db, first!, ['old', 'added']);
    deliverer.setDestinations({ destinations: new Map([['added', file('added')]]) });
    deliverer.wake();
    await waitFor(() => events.length === 2, 'both deliveries');
    expect(events.map((e) => [e.destination, e.outcome]).sort()).toEqual([['added', 'delivered'], ['old', 'delivered']]);
    // The removed destination's lane has ended: its next row waits for a config that has it again.
    enqueue(db, second!, ['old']);
    expect(await deliverer.drain({ timeoutMs: 0 })).toBe(0);
    expect(listPending(db, {}).map((row) => row.destination)).toEqual(['old']);
    deliverer.setDestinations({ destinations: new Map([['added', file('added')], ['old', file('old')]]) });
    await waitFor(() => events.length === 3, 'the re-added destination delivering');
    await deliverer.stop({ timeoutMs: 100 });
    expect(listPending(db, {})).toEqual([]);
  });

  it('caps Retry-After at retryMaxSeconds, fails health while a destination keeps failing, and logs each dead letter once', async () => {
    const receiver = await startWebhookReceiver({ secret: 's' });
    receiver.answerNext(...Array.from({ length: 50 }, () => ({ status: 429, body: 'slow down', headers: { 'Retry-After': '3600' } })));
    const events: DeliveryEvent[] = [];
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => lines.push(JSON.parse(line)) } });
    const clock = virtualClock();
    let healthAtDeadLetter: unknown;
    const deliverer: Deliverer = new Deliverer({
      db,
      destinations: new Map([['soar', createDestination('soar', { kind: 'webhook', url: receiver.url, secret: { env: 'HOOK_SECRET' }, timeoutSeconds: 5 }, { HOOK_SECRET: 's' })]]),
      policy: { ...policy, maxAgeMinutes: 1, unhealthyAfterMinutes: 0.5 },
      clock,
      logger,
      observer: {
        onDelivery: (e) => {
          events.push(e);
          // Read at that virtual instant: the idle lane moves virtual time on quickly afterwards.
          if (e.outcome === 'dead_letter') healthAtDeadLetter = deliverer.health();
        },
      },
    });
    expect(deliverer.health()).toEqual({ ok: true });
    enqueue(db, makeAlerts(1)[0]!, ['soar'], clock.now());
    deliverer.start();
    await waitFor(() => events.some((e) => e.outcome === 'dead_letter'), 'dead letter');
    await deliverer.stop({ timeoutMs: 100 });
    await receiver.close();
    const delays = events.filter((e) => e.outcome === 'retry').map((e) => (e.nextAttemptAt as number) - e.at);
    expect(delays.length).toBeGreaterThan(3);
    expect(delays.every((delay) => delay === policy.retryMaxSeconds * 1000)).toBe(true);
    expect(listDeadLetters(db)).toMatchObject([{ reason: 'max_age' }]);
    expect(healthAtDeadLetter).toEqual({ ok: false, detail: expect.stringMatching(/^soar: no delivery for 1 minutes, failing/) });
    expect(lines.filter((line) => line.msg === 'alert dead-lettered')).toEqual([
      expect.objectContaining({ level: 'warn', destination: 'soar', alertId: 'alert-000', reason: 'max_age' }),
    ]);
  });
});
