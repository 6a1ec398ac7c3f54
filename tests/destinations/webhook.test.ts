import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../../engine/config/load.ts';
import { createDeliverer } from '../../engine/destinations/create-deliverer.ts';
import type { DeliveryEvent } from '../../engine/destinations/deliverer.ts';
import { listDeadLetters } from '../../engine/destinations/outbox-admin.ts';
import { enqueue } from '../../engine/destinations/outbox.ts';
import { createWebhookDestination } from '../../engine/destinations/webhook.ts';
import { openDatabase, type Database } from '../../engine/state/database.ts';
import { makeAlert, makeAlerts } from '../support/make-alert.ts';
import { waitFor } from '../support/wait-for.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

const SECRET = 'whsec-test-secret';
let receiver: WebhookReceiver;
let db: Database;
beforeEach(async () => {
  receiver = await startWebhookReceiver({ secret: SECRET });
  db = openDatabase(mkdtempSync(join(tmpdir(), 'tailwatch-webhook-')));
});
afterEach(async () => {
  db.close();
  await receiver.close();
});

function setup(delivery: Record<string, number> = {}) {
  const env = { HOOK_SECRET: SECRET };
  const config = validateConfig(
    {
      destinations: { soar: { kind: 'webhook', url: receiver.url, secret: { env: 'HOOK_SECRET' }, timeoutSeconds: 2 } },
      defaultRoute: ['soar'],
      delivery: { retryBaseSeconds: 0.01, retryMaxSeconds: 0.1, pollSeconds: 0.05, ...delivery },
    },
    '/tmp',
    'test',
    { env },
  );
  const events: DeliveryEvent[] = [];
  const deliverer = createDeliverer(db, config, { env, observer: { onDelivery: (e) => events.push(e) } });
  return { deliverer, events };
}

describe('webhook destination', () => {
  it('sends the versioned payload, signed, with Idempotency-Key = alertId:revision and the configured headers', async () => {
    const destination = createWebhookDestination(
      { kind: 'webhook', url: receiver.url, secret: { env: 'S' }, headers: { 'X-Team': 'secops', Authorization: { env: 'TOKEN' } }, timeoutSeconds: 5 },
      { name: 'soar', env: { S: SECRET, TOKEN: 'Bearer abc' } },
    );
    const alert = makeAlert();
    expect(await destination.send({ alert, enqueuedAt: Date.parse('2026-06-03T16:00:00Z'), attempt: 1 })).toEqual({ ok: true, status: 200 });
    const [request] = receiver.requests;
    expect(request).toMatchObject({ signatureValid: true, idempotencyKey: `${alert.alertId}:1`, status: 200 });
    expect(request?.headers).toMatchObject({ 'x-team': 'secops', authorization: 'Bearer abc', 'content-type': 'application/json; charset=utf-8' });
    expect(receiver.processed.get(`${alert.alertId}:1`)).toEqual({
      version: 1,
      alertId: alert.alertId,
      revision: 1,
      type: 'RULE',
      ruleId: alert.ruleId,
      tailnet: 'default',
      severity: 'HIGH',
      title: alert.title,
      dedup: alert.dedup,
      eventCount: 3,
      firstEventTime: alert.firstEventTime,
      lastEventTime: alert.lastEventTime,
      windowStart: alert.windowStart,
      windowEnd: alert.windowEnd,
      late: false,
      logTypes: ['Tailscale.Audit'],
      alertContext: alert.alertContext,
      description: null,
      runbook: alert.runbook,
      reference: alert.reference,
      tags: alert.tags,
      reports: alert.reports,
      error: null,
      createdAt: '2026-06-03T16:00:00.000Z',
      triage: null,
    });
  });

  it('a receiver down for a while then up gets every alert, each idempotency key processed once', async () => {
    const alerts = makeAlerts(20);
    const { deliverer, events } = setup();
    await receiver.down();
    for (const alert of alerts) enqueue(db, alert, ['soar']);
    deliverer.start();
    await waitFor(() => events.filter((e) => e.outcome === 'retry').length >= 3, 'retries while the receiver is down');
    expect(events.every((e) => e.outcome === 'retry' && e.error?.startsWith('connection failed'))).toBe(true);
    await receiver.up();
    await waitFor(() => receiver.processed.size === 20, 'all alerts processed');
    await deliverer.stop({ timeoutMs: 1000 });
    expect([...receiver.processed.keys()].sort()).toEqual(alerts.map((a) => `${a.alertId}:1`));
    expect(receiver.requests.every((r) => r.signatureValid)).toBe(true);
    expect(events.filter((e) => e.outcome === 'delivered')).toHaveLength(20);
    expect(deliverer.pendingCount()).toBe(0);
    expect(listDeadLetters(db)).toEqual([]);
  });

  it('retries a 503 with the same idempotency key, which the receiver processes once', async () => {
    receiver.answerNext({ status: 503, body: 'busy' }, { status: 408, body: 'slow' });
    const { deliverer, events } = setup();
    enqueue(db, makeAlert(), ['soar']);
    deliverer.start();
    await waitFor(() => events.some((e) => e.outcome === 'delivered'), 'delivery');
    await deliverer.stop({ timeoutMs: 1000 });
    expect(events.map((e) => `${e.outcome}:${e.status}:${e.attempt}`)).toEqual(['retry:503:1', 'retry:408:2', 'delivered:200:3']);
    expect(receiver.arrivals.get(`${makeAlert().alertId}:1`)).toBe(3);
    expect(receiver.processed.size).toBe(1);
  });

  it('dead-letters a permanent 4xx at once with the response body, and a rejected signature too', async () => {
    receiver.answerNext({ status: 422, body: '{"error":"unknown severity"}' });
    const { deliverer } = setup();
    enqueue(db, makeAlert({ alertId: 'rejected' }), ['soar']);
    deliverer.start();
    await waitFor(() => listDeadLetters(db).length === 1, 'dead letter');
    await deliverer.stop({ timeoutMs: 1000 });
    expect(listDeadLetters(db)[0]).toMatchObject({ alertId: 'rejected', reason: 'permanent', attempts: 1, status: 422, responseBody: '{"error":"unknown severity"}' });

    const wrongSecret = createWebhookDestination({ kind: 'webhook', url: receiver.url, secret: { env: 'S' }, timeoutSeconds: 5 }, { name: 'soar', env: { S: 'not-the-secret' } });
    expect(await wrongSecret.send({ alert: makeAlert(), enqueuedAt: 0, attempt: 1 })).toMatchObject({ ok: false, retryable: false, status: 401 });
  });

  it('dead-letters after the retry budget', async () => {
    receiver.answerNext(...Array.from({ length: 3 }, () => ({ status: 500, body: 'boom' })));
    const { deliverer, events } = setup({ maxAttempts: 3 });
    enqueue(db, makeAlert(), ['soar']);
    deliverer.start();
    await waitFor(() => events.some((e) => e.outcome === 'dead_letter'), 'dead letter');
    await deliverer.stop({ timeoutMs: 1000 });
    expect(events.map((e) => e.outcome)).toEqual(['retry', 'retry', 'dead_letter']);
    expect(listDeadLetters(db)[0]).toMatchObject({ reason: 'max_attempts', attempts: 3, status: 500, error: 'HTTP 500: boom' });
  });
});
