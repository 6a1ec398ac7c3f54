// A send whose outcome the database refuses to record (a full disk) is not sent again: the lane backs off, reports
// the error, and records the outcome once it can.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDestination } from '../../engine/destinations/create.ts';
import { Deliverer } from '../../engine/destinations/deliverer.ts';
import { listPending } from '../../engine/destinations/outbox-admin.ts';
import { enqueue } from '../../engine/destinations/outbox.ts';
import { openDatabase, type Database } from '../../engine/state/database.ts';
import { makeAlerts } from '../support/make-alert.ts';
import { virtualClock } from '../support/virtual-clock.ts';
import { waitFor } from '../support/wait-for.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

let db: Database | undefined;
let receiver: WebhookReceiver | undefined;
afterEach(async () => {
  db?.close();
  await receiver?.close();
});

describe('Deliverer when the outcome cannot be recorded', () => {
  it('backs off and reports, never re-sends, and records the delivery once the database accepts it', async () => {
    receiver = await startWebhookReceiver({ secret: 's' });
    db = openDatabase(mkdtempSync(join(tmpdir(), 'tailwatch-unrecorded-')));
    const [alert] = makeAlerts(1);
    const clock = virtualClock();
    enqueue(db, alert!, ['soar'], clock.now());
    // The failure SQLite gives on a full disk, raised for real by SQLite on this connection only.
    db.exec("CREATE TEMP TRIGGER outbox_full BEFORE DELETE ON main.outbox BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END");
    const errors: string[] = [];
    const delivered: string[] = [];
    const deliverer = new Deliverer({
      db,
      destinations: new Map([['soar', createDestination('soar', { kind: 'webhook', url: receiver.url, secret: { env: 'S' }, timeoutSeconds: 5 }, { S: 's' })]]),
      policy: { retryBaseSeconds: 1, retryMaxSeconds: 30, maxAttempts: 10, maxAgeMinutes: 60, pollSeconds: 1, unhealthyAfterMinutes: 15 },
      clock,
      random: () => 0.5,
      observer: { onError: (_name, error) => errors.push(String(error)), onDelivery: (event) => delivered.push(event.outcome) },
    });
    deliverer.start();
    await waitFor(() => errors.length >= 5, 'five failed attempts to record');
    expect(receiver.requests.length).toBe(1);
    expect(errors[0]).toContain('database or disk is full');
    expect(errors[0]).toContain('not sent again');

    db.exec('DROP TRIGGER outbox_full');
    await waitFor(() => delivered.length === 1, 'the delivery to be recorded');
    await deliverer.stop({ timeoutMs: 100 });
    expect(delivered).toEqual(['delivered']);
    expect(receiver.requests.length).toBe(1);
    expect(listPending(db)).toEqual([]);
  });
});
