import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

const root = resolve(import.meta.dirname, '../..');
let receiver: WebhookReceiver;
beforeEach(async () => {
  receiver = await startWebhookReceiver({ secret: 'whsec-replay' });
});
afterEach(() => receiver.close());

describe('tailwatch replay --deliver', () => {
  it('routes a backtest\'s alerts through the config to real destinations', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tailwatch-replay-deliver-'));
    const config = join(dir, 'alerts.config.json');
    writeFileSync(config, JSON.stringify({
      dataDir: './data',
      rules: { dir: join(root, 'rules') },
      destinations: {
        soar: { kind: 'webhook', url: receiver.url, secret: { env: 'HOOK_SECRET' } },
        archive: { kind: 'file', path: './alerts.ndjson' },
      },
      routes: [{ match: { minSeverity: 'HIGH' }, to: ['soar', 'archive'] }],
      defaultRoute: ['archive'],
    }));
    const logs = join(root, 'fixtures/corpus/s3-export-audit.ndjson');
    const result = await runCli(['replay', logs, '--rule', 'Tailscale.LogStream.Endpoint.Deleted', '--format', 'json', '--deliver', '--config', config], {
      env: { HOOK_SECRET: 'whsec-replay' },
    });
    expect(result.code).toBe(0);
    const alerts = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { alertId: string; revision: number });
    expect(alerts.length).toBeGreaterThan(0);
    expect(result.stderr).toContain(`delivered: ${alerts.length * 2}, dead-lettered: 0, still pending: 0`);
    expect([...receiver.processed.keys()].sort()).toEqual(alerts.map((a) => `${a.alertId}:${a.revision}`).sort());
    expect(receiver.requests.every((r) => r.signatureValid)).toBe(true);
    const archived = readFileSync(join(dir, 'alerts.ndjson'), 'utf8').trim().split('\n').map((line) => JSON.parse(line).alertId);
    expect(archived.sort()).toEqual(alerts.map((a) => a.alertId).sort());
  });
});
