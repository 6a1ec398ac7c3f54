// Replay with the exported inventory gives the same alerts as live evaluation of a planted stream: live polls the
// API stand-in mid-stream and learns a webhook's nodeKeyExpired; a flow before the poll, one after it, one after the
// webhook and a late one (event time before the webhook) are judged as live judged them, also by `tailwatch replay`.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accepted } from '../../engine/decode/results.ts';
import { listPending } from '../../engine/destinations/outbox-admin.ts';
import { loadRecordedInventory, writeInventoryFile } from '../../engine/inventory/export-file.ts';
import { resolveInputs } from '../../engine/pipeline/read-inputs.ts';
import { runReplay } from '../../engine/pipeline/replay.ts';
import { DEFAULT_PARSE_SETTINGS } from '../../engine/schemas/parse.ts';
import { loadRules } from '../../engine/rules/load-rules.ts';
import type { Alert } from '../../engine/alerts/alert.ts';
import { alertSummary, liveInventory, STAND_IN_TOKEN } from '../support/live-inventory.ts';
import { runCli } from '../support/run-cli.ts';
import { startTailscaleApiStandIn } from '../support/tailscale-api-stand-in.ts';
import type { TailscaleApiStandIn } from '../support/tailscale-api-stand-in.ts';
import { webhookEvent } from '../support/tailscale-webhook-sender.ts';

const RULE = 'Tailscale.Node.Traffic.After.Expiry';
const flow = (minute: number, nodeId = 'nWeb1CNTRL') => {
  const at = (seconds: number) => new Date(Date.parse('2026-08-10T09:00:00Z') + minute * 60_000 + seconds * 1000).toISOString();
  return { logged: at(5), nodeId, start: at(0), end: at(5), virtualTraffic: [{ proto: 6, src: '100.64.0.7:443', dst: '100.64.0.9:50000', txBytes: 10 }] };
};
const DEVICE = { nodeId: 'nWeb1CNTRL', name: 'web-1.example.ts.net', hostname: 'web-1', user: 'alice@example.com', tags: ['tag:web'], created: '2026-08-01T00:00:00Z', authorized: true, expires: '2027-01-01T00:00:00Z', keyExpiryDisabled: false };
const OTHER = { ...DEVICE, nodeId: 'nDb1CNTRL', name: 'db-1.example.ts.net', hostname: 'db-1', authorized: false };

/** The stream, in batches; `poll` marks where live polled the inventory. */
const STREAM: (unknown[] | 'poll')[] = [
  [flow(0, 'nDb1CNTRL')], // before the poll: db-1 is not yet known to be unapproved
  'poll',
  [flow(1, 'nDb1CNTRL'), flow(1)], // db-1 now known unapproved; web-1 fine
  [webhookEvent('nodeKeyExpired', '2026-08-10T09:02:00Z', { nodeID: 'nWeb1CNTRL', deviceName: 'web-1.example.ts.net' })],
  [flow(3), flow(0.5)], // web-1 expired since 09:02; the late flow of 09:00:30 is from before that
];

let dir: string;
let standIn: TailscaleApiStandIn;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tailwatch-inventory-replay-'));
  standIn = await startTailscaleApiStandIn({ tokens: { [STAND_IN_TOKEN]: ['all:read'] } });
  standIn.setInventory({ devices: [DEVICE, OTHER], users: [], keys: [], policy: {} });
});
afterEach(async () => {
  await standIn.close();
  await rm(dir, { recursive: true, force: true });
});

describe('replay with recorded inventory', () => {
  it('gives the same alerts as live evaluation', async () => {
    const rules = await loadRules('rules', { only: [RULE] });
    const dataDir = join(dir, 'data');
    const { db, store, pipeline, poller, close } = await liveInventory({ dataDir, ruleIds: [RULE], standInUrl: standIn.url, tailnet: 'acme', now: () => Date.parse('2026-08-10T10:00:00Z'), tailnetOf: () => 'acme' });
    const lines: string[] = [];
    for (const batch of STREAM) {
      if (batch === 'poll') {
        await poller.poll(AbortSignal.timeout(5000));
        continue;
      }
      const records = batch.map((value, i) => accepted(value, { source: 'live', line: i + 1, offset: 0 }));
      await pipeline.handle({ source: 'live', records, checkpoints: [], receivedAtMs: Date.parse('2026-08-10T09:10:00Z') });
      lines.push(...batch.map((value) => JSON.stringify(value)));
    }
    const live = listPending(db).map((row) => row.alert);
    const exported = join(dir, 'inventory.ndjson');
    writeInventoryFile(store, exported);
    await close();

    // Two alerts: db-1 after the poll taught it was unapproved, web-1 after its key expired; the others not.
    expect(live.map((a) => a.title).sort()).toEqual([
      'Tailscale node db-1.example.ts.net (alice@example.com; tag:web) sends traffic but is not approved',
      'Tailscale node web-1.example.ts.net (alice@example.com; tag:web) sends traffic but has an expired node key',
    ]);
    const logs = join(dir, 'stream.ndjson');
    await writeFile(logs, `${lines.join('\n')}\n`);
    const replayed = async (inventory: string) => {
      const alerts: Alert[] = [];
      await runReplay({ inputs: await resolveInputs([logs]), rules, parse: { ...DEFAULT_PARSE_SETTINGS, tailnet: 'acme' }, inventory: loadRecordedInventory(inventory).tracker, onAlert: (a) => alerts.push(a) });
      return alerts;
    };
    expect(alertSummary(await replayed(exported))).toEqual(alertSummary(live));
    expect(alertSummary(await replayed(dataDir))).toEqual(alertSummary(live));

    // The CLI, the same: `tailwatch replay --inventory FILE --tailnet acme`.
    const cli = await runCli(['replay', logs, '--inventory', exported, '--tailnet', 'acme', '--rules', resolve('rules'), '--rule', RULE, '--format', 'json']);
    expect(cli.code, cli.stderr).toBe(0);
    expect(alertSummary(cli.stdout.trim().split('\n').map((line) => JSON.parse(line) as Alert))).toEqual(alertSummary(live));
  });
});
