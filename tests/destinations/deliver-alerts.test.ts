import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../../engine/config/load.ts';
import { deliverAlerts } from '../../engine/destinations/deliver-alerts.ts';
import { listDeadLetters } from '../../engine/destinations/outbox-admin.ts';
import { openDatabase } from '../../engine/state/database.ts';
import { makeAlert } from '../support/make-alert.ts';
import { startSlackStandIn, type SlackStandIn } from '../support/slack-stand-in.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

let slack: SlackStandIn;
let receiver: WebhookReceiver;
beforeEach(async () => {
  slack = await startSlackStandIn();
  receiver = await startWebhookReceiver({ secret: 'whsec' });
});
afterEach(async () => {
  await slack.close();
  await receiver.close();
});

describe('deliverAlerts (replay --deliver)', () => {
  it('routes a batch through the config, delivers it and reports the outcome; a permanent failure is dead-lettered', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tailwatch-deliver-'));
    const env = { SLACK: slack.url, SECRET: 'whsec' };
    const config = validateConfig(
      {
        dataDir: './data',
        destinations: {
          slack: { kind: 'slack', url: { env: 'SLACK' } },
          soar: { kind: 'webhook', url: receiver.url, secret: { env: 'SECRET' } },
          archive: { kind: 'file', path: './alerts.ndjson' },
        },
        routes: [{ match: { minSeverity: 'HIGH' }, to: ['slack', 'soar'] }],
        defaultRoute: ['archive'],
        delivery: { pollSeconds: 0.05 },
      },
      dir,
      'test',
      { env },
    );
    const alerts = [makeAlert({ alertId: 'high' }), makeAlert({ alertId: 'low', severity: 'LOW' }), makeAlert({ alertId: 'muted', destinations: [] })];
    const summary = await deliverAlerts(config, alerts, { env });
    expect(summary).toEqual({ alerts: 3, enqueued: 3, outcomes: { delivered: 3, retry: 0, dead_letter: 0 }, pending: 0 });
    expect(slack.accepted).toHaveLength(1);
    expect([...receiver.processed.keys()]).toEqual(['high:1']);
    expect(JSON.parse(readFileSync(join(dir, 'alerts.ndjson'), 'utf8'))).toMatchObject({ alertId: 'low' });

    slack.answerNext({ status: 404, body: 'no_service' });
    const again = await deliverAlerts(config, [makeAlert({ alertId: 'new' })], { env });
    expect(again.outcomes).toEqual({ delivered: 1, retry: 0, dead_letter: 1 });
    const db = openDatabase(config.dataDir);
    expect(listDeadLetters(db).map((d) => [d.alertId, d.destination, d.error])).toEqual([['new', 'slack', 'HTTP 404: no_service']]);
    db.close();
  });
});
