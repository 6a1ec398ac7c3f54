import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listPending } from '../../engine/destinations/outbox-admin.ts';
import { enqueue, markDead, nextDue } from '../../engine/destinations/outbox.ts';
import { openDatabase } from '../../engine/state/database.ts';
import { makeAlerts } from '../support/make-alert.ts';
import { runCli, startCli } from '../support/run-cli.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

const SECRET = 'whsec-cli';
const env = { HOOK_SECRET: SECRET };
let receiver: WebhookReceiver;
let dir: string;
let config: string;
beforeEach(async () => {
  receiver = await startWebhookReceiver({ secret: SECRET });
  dir = mkdtempSync(join(tmpdir(), 'tailwatch-alerts-cli-'));
  config = join(dir, 'alerts.config.json');
  writeFileSync(config, JSON.stringify({
    dataDir: './data',
    destinations: { soar: { kind: 'webhook', url: receiver.url, secret: { env: 'HOOK_SECRET' } } },
    defaultRoute: ['soar'],
    delivery: { retryBaseSeconds: 0.01, retryMaxSeconds: 0.1, pollSeconds: 0.05 },
  }));
});
afterEach(() => receiver.close());

function withDb<T>(fn: (db: ReturnType<typeof openDatabase>) => T): T {
  const db = openDatabase(join(dir, 'data'));
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

describe('tailwatch alerts', () => {
  it('lists pending and dead-lettered deliveries, retries dead letters and delivers them', async () => {
    withDb((db) => {
      for (const alert of makeAlerts(2)) enqueue(db, alert, ['soar'], Date.parse('2026-06-03T12:00:00Z'));
      const row = nextDue(db, 'soar', Date.now());
      if (row) markDead(db, row, 1, { reason: 'permanent', error: 'HTTP 404: gone', status: 404, responseBody: 'gone' }, Date.parse('2026-06-03T12:01:00Z'));
    });
    const pending = await runCli(['alerts', 'deliveries', '--format', 'json', '--config', config]);
    expect(pending.code).toBe(0);
    expect(JSON.parse(pending.stdout)).toMatchObject({ status: 'pending', alertId: 'alert-001', destination: 'soar', attempts: 0 });

    const dead = await runCli(['alerts', '--dead', '--config', config]);
    expect(dead.stdout).toBe([
      '1 dead-lettered delivery (retry: tailwatch alerts retry)',
      'alert-000 → soar  permanent after 1 attempt  at 2026-06-03T12:01:00.000Z  HIGH Tailscale.Magic.DNS.Disabled',
      '  error: HTTP 404: gone',
      '',
    ].join('\n'));

    const retried = await runCli(['alerts', 'retry', '--deliver', '30', '--config', config], { env });
    expect(retried.stderr).toBe('');
    expect(retried.code).toBe(0);
    expect(retried.stdout).toContain('1 dead-lettered delivery moved back to the outbox');
    expect(retried.stdout).toContain('delivered alert-000 → soar');
    expect(retried.stdout).toContain('delivered alert-001 → soar');
    expect(retried.stdout).toContain('0 still pending');
    expect([...receiver.processed.keys()].sort()).toEqual(['alert-000:1', 'alert-001:1']);
  });

  it('a restart in the middle of a backlog (kill -9) loses nothing; each key is processed once', async () => {
    const alerts = makeAlerts(30);
    withDb((db) => {
      for (const alert of alerts) enqueue(db, alert, ['soar']);
    });
    const held = receiver.holdNext(10);
    const first = startCli(['alerts', 'retry', '--deliver', '60', '--config', config], { env });
    await held;
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    expect(receiver.processed.size).toBe(10);
    expect(withDb((db) => listPending(db).length)).toBe(20);

    const second = await runCli(['alerts', 'retry', '--deliver', '60', '--config', config], { env });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('0 still pending');
    expect([...receiver.processed.keys()].sort()).toEqual(alerts.map((a) => `${a.alertId}:1`));
    expect([...receiver.arrivals.values()].every((n) => n === 1)).toBe(true);
    expect(receiver.requests.every((r) => r.signatureValid)).toBe(true);
  });

  it('retry without --deliver needs no secrets and only moves rows', async () => {
    const result = await runCli(['alerts', 'retry', '--config', config]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('0 dead-lettered deliveries moved back to the outbox\n');
  });
});
