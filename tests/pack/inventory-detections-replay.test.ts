// The inventory detections through the real `tailwatch replay`: a planted stream of webhook, audit and flow records
// over a recorded inventory (a device and user poll from before the stream). The stream teaches the inventory as it
// goes (who added a node, a user's creation, a deletion), each rule alerts exactly where it should, and live
// evaluation of the same stream over the same inventory raises the same alerts.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../engine/alerts/alert.ts';
import { accepted } from '../../engine/decode/results.ts';
import { listPending } from '../../engine/destinations/outbox-admin.ts';
import { importVersions } from '../../engine/inventory/export-file.ts';
import { InventoryStore } from '../../engine/inventory/store.ts';
import type { InventoryVersion } from '../../engine/inventory/store.ts';
import { openDatabase } from '../../engine/state/database.ts';
import { startPipeline } from '../support/live-pipeline.ts';
import { runCli } from '../support/run-cli.ts';
import { webhookEvent } from '../support/tailscale-webhook-sender.ts';

const RULES = ['Tailscale.Node.Self.Approved', 'Tailscale.Admin.Role.New.User', 'Tailscale.Node.Traffic.After.Deletion'];
const at = (minute: number) => new Date(Date.parse('2026-08-10T09:00:00Z') + minute * 60_000).toISOString();

/** What a poll at 08:00 stored: web-1 and old-1 (100.64.0.9), and carol, a user of long standing. */
const polled = (kind: 'node' | 'user', record: { id: string } & Record<string, unknown>): InventoryVersion =>
  ({ tailnet: 'acme', kind, id: record.id, validFrom: Date.parse('2026-08-10T08:00:00Z'), learnedAt: 1, origin: 'poll', record });
const POLL = [
  polled('node', { id: 'nWeb1CNTRL', name: 'web-1.example.ts.net', user: 'alice@example.com', addresses: ['100.64.0.7'], authorized: true }),
  polled('node', { id: 'nOld1CNTRL', name: 'old-1.example.ts.net', user: 'bob@example.com', tags: ['tag:ci'], addresses: ['100.64.0.9'], authorized: true }),
  polled('user', { id: 'uCarol1CNTRL', loginName: 'carol@example.com', role: 'member', created: '2025-11-02T08:00:00Z' }),
];

const needsApproval = (minute: number, node: string, actor: string) =>
  webhookEvent('nodeNeedsApproval', at(minute), { nodeID: node, deviceName: node.slice(1, -5).toLowerCase(), managedBy: actor, actor, url: 'https://login.tailscale.com/admin/machines' }, 'acme.com');
const audit = (minute: number, actor: string, target: Record<string, unknown>, action: string, extra: Record<string, unknown> = {}) => ({
  eventTime: at(minute),
  eventGroupID: `eg${minute}${target['id'] as string}`,
  origin: 'ADMIN_CONSOLE',
  actor: { id: `u${actor.split('@')[0] ?? ''}CNTRL`, type: 'USER', loginName: actor },
  target,
  action,
  ...extra,
});
const grant = (minute: number, id: string, login: string) => audit(minute, 'alice@example.com', { id, name: login, type: 'USER', property: 'USER_ROLE' }, 'UPDATE', { old: 'member', new: 'admin' });
/** Old-1 calling web-1's port 443, logged by `nodeId`, in the five seconds from `minute`. */
const flow = (minute: number, nodeId: string) => ({
  logged: at(minute + 0.1), nodeId, start: at(minute), end: at(minute + 5 / 60),
  virtualTraffic: [{ proto: 6, src: '100.64.0.9:50000', dst: '100.64.0.7:443', txBytes: 1200, rxBytes: 800 }],
});

const STREAM = [
  needsApproval(0, 'nLaptop7CNTRL', 'mallory@example.com'),
  needsApproval(1, 'nKiosk1CNTRL', 'bob@example.com'),
  webhookEvent('nodeApproved', at(4), { nodeID: 'nLaptop7CNTRL', deviceName: 'laptop7', actor: 'mallory@example.com' }, 'acme.com'), // self-approval
  audit(5, 'alice@example.com', { id: 'nKiosk1CNTRL', name: 'kiosk1.example.ts.net', type: 'NODE' }, 'APPROVE'), // by another admin
  webhookEvent('userCreated', at(6), { user: 'eve@example.com' }, 'acme.com'),
  flow(10, 'nOld1CNTRL'), // before the deletion
  webhookEvent('nodeDeleted', at(15), { nodeID: 'nOld1CNTRL', deviceName: 'old-1' }, 'acme.com'),
  flow(20, 'nOld1CNTRL'), // the deleted node still logs
  flow(21, 'nWeb1CNTRL'), // and web-1 still talks to its IP: the same alert
  grant(30, 'uEve1CNTRL', 'eve@example.com'), // created 24 minutes before
  grant(31, 'uCarol1CNTRL', 'carol@example.com'), // a user of months
];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tailwatch-inventory-detections-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ndjson = (records: unknown[]) => records.map((record) => JSON.stringify(record)).join('\n') + '\n';

async function replay(withInventory: boolean): Promise<Alert[]> {
  const logs = join(dir, 'stream.ndjson');
  const inventory = join(dir, 'inventory.ndjson');
  await writeFile(logs, ndjson(STREAM));
  await writeFile(inventory, ndjson(POLL));
  const args = ['replay', logs, '--tailnet', 'acme', '--rules', resolve('rules'), ...RULES.flatMap((rule) => ['--rule', rule]), '--format', 'json'];
  const result = await runCli(withInventory ? [...args, '--inventory', inventory] : args);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Alert);
}

describe('inventory detections in replay', () => {
  it('alert on the self-approval, the new user made admin and the deleted node’s traffic, and nothing else', async () => {
    const alerts = await replay(true);
    expect(alerts.map((a) => `${a.ruleId} ${a.dedup}`).sort()).toEqual([
      'Tailscale.Admin.Role.New.User eve@example.com',
      'Tailscale.Node.Self.Approved nLaptop7CNTRL',
      'Tailscale.Node.Traffic.After.Deletion nOld1CNTRL',
    ]);
    const byRule = new Map(alerts.map((a) => [a.ruleId, a]));
    expect(byRule.get('Tailscale.Node.Self.Approved')?.title).toBe('Tailscale node laptop7 approved by mallory@example.com, who added it');
    expect(byRule.get('Tailscale.Admin.Role.New.User')?.title).toBe('Tailscale admin role granted to eve@example.com, created 0 h 24 min before, by alice@example.com');
    const deleted = byRule.get('Tailscale.Node.Traffic.After.Deletion');
    expect(deleted?.title).toBe('Tailscale node old-1.example.ts.net (bob@example.com; tag:ci), deleted at 2026-08-10T09:15:00.000Z, still logs traffic');
    expect(deleted?.eventCount).toBe(2);
  });

  it('need the recorded inventory: replay without --inventory keeps none, and they stay quiet', async () => {
    expect(await replay(false)).toEqual([]);
  });

  it('raise in live evaluation, one record a batch, the alerts replay raises', async () => {
    const dataDir = join(dir, 'data');
    const db = openDatabase(dataDir);
    const store = new InventoryStore(db);
    importVersions(store, POLL);
    // The evaluation worker keeps the inventory tracker, on the same data directory.
    const pipeline = await startPipeline({ dataDir, db, ruleIds: RULES, route: () => ['archive'], tailnetOf: () => 'acme' });
    try {
      for (const [line, record] of STREAM.entries()) {
        await pipeline.handle({ source: 'live', records: [accepted(record, { source: 'live', line: line + 1, offset: 0 })], checkpoints: [], receivedAtMs: Date.parse(at(40)) });
      }
      const summary = (alerts: readonly Alert[]) => alerts.map((a) => `${a.alertId} ${a.firstEventTime} ${a.title}`).sort();
      const live = listPending(db).map((row) => row.alert);
      expect(live).toHaveLength(RULES.length);
      expect(summary(live)).toEqual(summary(await replay(true)));
    } finally {
      await pipeline.close();
      db.close();
    }
  });
});
