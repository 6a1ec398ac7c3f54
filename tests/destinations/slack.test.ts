import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../../engine/config/load.ts';
import { createDeliverer } from '../../engine/destinations/create-deliverer.ts';
import type { DeliveryEvent } from '../../engine/destinations/deliverer.ts';
import { listDeadLetters } from '../../engine/destinations/outbox-admin.ts';
import { enqueue } from '../../engine/destinations/outbox.ts';
import { createSlackDestination } from '../../engine/destinations/slack.ts';
import { openDatabase, type Database } from '../../engine/state/database.ts';
import { makeAlert } from '../support/make-alert.ts';
import { startSlackStandIn, type SlackStandIn } from '../support/slack-stand-in.ts';
import { waitFor } from '../support/wait-for.ts';

let slack: SlackStandIn;
let db: Database;
beforeEach(async () => {
  slack = await startSlackStandIn();
  db = openDatabase(mkdtempSync(join(tmpdir(), 'tailwatch-slack-')));
});
afterEach(async () => {
  db.close();
  await slack.close();
});

function config(url: string, retryMaxSeconds = 0.05) {
  return validateConfig(
    {
      destinations: { slack: { kind: 'slack', url: { env: 'SLACK_URL' }, timeoutSeconds: 5 } },
      defaultRoute: ['slack'],
      delivery: { retryBaseSeconds: 0.01, retryMaxSeconds, pollSeconds: 0.05 },
    },
    '/tmp',
    'test',
    { env: { SLACK_URL: url } },
  );
}

describe('Slack stand-in', () => {
  it('rejects invalid Block Kit the way Slack does', async () => {
    const post = (body: unknown) => fetch(slack.url, { method: 'POST', body: JSON.stringify(body) }).then(async (r) => [r.status, await r.text()]);
    expect(await post({ text: 'x', blocks: [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }] })).toEqual([400, 'invalid_blocks']);
    expect(await post({ blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }] })).toEqual([400, 'invalid_blocks']);
    expect(await post({ blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) })).toEqual([400, 'invalid_blocks']);
    expect(await post({})).toEqual([400, 'no_text']);
    expect(await fetch(slack.url, { method: 'POST', body: '{' }).then((r) => r.status)).toBe(400);
    expect(await fetch(`${slack.origin}/services/T/B/wrong`, { method: 'POST', body: '{}' }).then((r) => r.status)).toBe(404);
  });
});

describe('Slack destination', () => {
  it('delivers a message Slack accepts', async () => {
    const destination = createSlackDestination({ kind: 'slack', url: { env: 'U' }, timeoutSeconds: 5 }, { name: 'slack', env: { U: slack.url } });
    const result = await destination.send({ alert: makeAlert(), enqueuedAt: Date.now(), attempt: 1 });
    expect(result).toEqual({ ok: true, status: 200 });
    expect(slack.accepted).toHaveLength(1);
  });

  it('classifies no_service as permanent and 5xx as retryable, without exposing the URL', async () => {
    const wrong = createSlackDestination({ kind: 'slack', url: { env: 'U' }, timeoutSeconds: 5 }, { name: 'slack', env: { U: `${slack.origin}/services/T/B/secret-token-xyz` } });
    expect(await wrong.send({ alert: makeAlert(), enqueuedAt: 0, attempt: 1 })).toMatchObject({ ok: false, retryable: false, status: 404, error: 'HTTP 404: no_service' });
    slack.answerNext({ status: 500, body: 'rollup_error' });
    const right = createSlackDestination({ kind: 'slack', url: { env: 'U' }, timeoutSeconds: 5 }, { name: 'slack', env: { U: slack.url } });
    expect(await right.send({ alert: makeAlert(), enqueuedAt: 0, attempt: 1 })).toMatchObject({ ok: false, retryable: true, status: 500 });
    await slack.close();
    const refused = await wrong.send({ alert: makeAlert(), enqueuedAt: 0, attempt: 1 });
    expect(refused).toMatchObject({ ok: false, retryable: true, error: expect.stringMatching(/^connection failed/) });
    expect(JSON.stringify(refused)).not.toContain('secret-token-xyz');
    slack = await startSlackStandIn();
  });

  it('honours 429 Retry-After: the next attempt is not made before the instant Slack asked for', async () => {
    slack.answerNext({ status: 429, body: 'rate_limited', headers: { 'Retry-After': '1' } });
    const events: DeliveryEvent[] = [];
    // Retry-After is honoured up to retryMaxSeconds.
    const deliverer = createDeliverer(db, config(slack.url, 2), { env: { SLACK_URL: slack.url }, observer: { onDelivery: (e) => events.push(e) } });
    enqueue(db, makeAlert(), ['slack']);
    deliverer.start();
    await waitFor(() => events.some((e) => e.outcome === 'delivered'), 'delivery');
    await deliverer.stop({ timeoutMs: 1000 });
    expect(events.map((e) => [e.outcome, e.status])).toEqual([['retry', 429], ['delivered', 200]]);
    const [limited, accepted] = slack.requests;
    expect(limited?.status).toBe(429);
    expect(accepted?.status).toBe(200);
    expect(events[0]?.nextAttemptAt).toBeGreaterThanOrEqual(limited?.at as number);
    expect(accepted?.at).toBeGreaterThanOrEqual(events[0]?.nextAttemptAt as number);
    expect((accepted?.at as number) - (limited?.at as number)).toBeGreaterThanOrEqual(1000);
  });

  it('dead-letters a permanent 404 at once, with the response body', async () => {
    const wrongUrl = `${slack.origin}/services/T/B/revoked`;
    const deliverer = createDeliverer(db, config(wrongUrl), { env: { SLACK_URL: wrongUrl } });
    enqueue(db, makeAlert(), ['slack']);
    deliverer.start();
    await waitFor(() => listDeadLetters(db).length === 1, 'dead letter');
    await deliverer.stop({ timeoutMs: 1000 });
    expect(slack.requests).toHaveLength(1);
    expect(listDeadLetters(db)[0]).toMatchObject({ reason: 'permanent', attempts: 1, status: 404, responseBody: 'no_service', error: 'HTTP 404: no_service' });
    expect(deliverer.pendingCount()).toBe(0);
  });
});
