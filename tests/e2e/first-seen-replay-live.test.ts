// First-seen rules give the same alerts in `tailwatch run` (over HEC, stopped with SIGTERM and killed with SIGKILL
// between batches) as in `tailwatch replay` on the same planted stream: what was learned survives both, so a learned
// actor or edge never fires after a restart and a new one fires once.
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait-for.ts';
import { hecBody, postUntilAccepted } from './support/hec-client.ts';
import { replayAlerts } from './support/replay.ts';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';
import { startTailwatch } from './support/tailwatch-process.ts';
import type { TailwatchProcess } from './support/tailwatch-process.ts';
import { HEC_TOKEN, WEBHOOK_SECRET, createWorkspace, freePort } from './support/workspace.ts';

const FIRST_SEEN_RULES = new Set(['Tailscale.Policy.New.Actor', 'Tailscale.Prod.Edge.First.Seen']);

const day = (d: number, minute = 0) => `2026-08-${String(d).padStart(2, '0')}T10:${String(minute).padStart(2, '0')}:00.000Z`;
const policyUpdate = (d: number, login: string) => ({
  eventTime: day(d),
  eventGroupID: `fs-${d}-${login}`,
  origin: 'ADMIN_CONSOLE',
  actor: { id: `u-${login}`, type: 'USER', loginName: login },
  target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'ACL' },
  action: 'UPDATE',
  old: '{"acls": []}',
  new: '{"acls": []}',
});
const node = (nodeId: string, ip: string, tags: string[]) => ({ nodeId, name: `${nodeId}.example.ts.net`, addresses: [ip], tags });
const WEB = node('nWeb', '100.64.2.1', ['tag:web']);
const CI = node('nCi', '100.64.3.1', ['tag:ci']);
const DB = node('nDb', '100.64.9.1', ['tag:prod']);
const flow = (d: number, from: ReturnType<typeof node>, port: number) => ({
  nodeId: from.nodeId,
  start: day(d, 1),
  end: day(d, 2),
  srcNode: from,
  dstNodes: [DB],
  virtualTraffic: [{ proto: 6, src: `${from.addresses[0]}:40000`, dst: `100.64.9.1:${port}`, txPkts: 3, txBytes: 300 }],
});

/** Batches in order; the evaluator is stopped after some of them (learning periods: 14 and 7 days). */
const batches: { records: Record<string, unknown>[]; then?: 'SIGTERM' | 'SIGKILL' }[] = [
  { records: [policyUpdate(1, 'alice@example.com'), flow(1, WEB, 443)], then: 'SIGTERM' },
  { records: [policyUpdate(3, 'bob@example.com'), flow(3, CI, 22)], then: 'SIGKILL' },
  { records: [policyUpdate(16, 'bob@example.com'), flow(16, CI, 22), policyUpdate(16, 'mallory@example.com')], then: 'SIGKILL' },
  { records: [flow(17, WEB, 443), flow(17, WEB, 5432), policyUpdate(17, 'mallory@example.com'), policyUpdate(18, 'alice@example.com')] },
];

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const summary = (alerts: readonly Record<string, unknown>[]) =>
  alerts.filter((alert) => FIRST_SEEN_RULES.has(String(alert.ruleId))).map((alert) => `${String(alert.ruleId)} | ${String(alert.dedup)} | ${String(alert.alertId)}`).sort();

describe('first-seen rules in replay and live', () => {
  it('fire on the same new values with the same ids, across SIGTERM and SIGKILL restarts', async () => {
    const receiver = await startWebhookReceiver({ secret: WEBHOOK_SECRET });
    cleanups.push(() => receiver.close());
    const workspace = await createWorkspace({ webhookUrl: receiver.url, listen: `127.0.0.1:${await freePort()}` });
    cleanups.push(() => workspace.remove());
    const replayed = summary(await replayAlerts(workspace.dir, workspace.rulesDir, batches.flatMap((batch) => batch.records)) as unknown as Record<string, unknown>[]);
    expect(replayed.map((line) => line.split(' | ').slice(0, 2).join(' | '))).toEqual([
      'Tailscale.Policy.New.Actor | policy file: mallory@example.com',
      'Tailscale.Prod.Edge.First.Seen | tag:web: tag:prod 5432',
    ]);

    const start = () => startTailwatch({ configPath: workspace.configPath, env: workspace.env });
    let tailwatch: TailwatchProcess = await start();
    cleanups.push(() => tailwatch.kill());
    for (const batch of batches) {
      await postUntilAccepted(() => tailwatch.baseUrl, hecBody(batch.records), HEC_TOKEN);
      if (batch.then === undefined) continue;
      await (batch.then === 'SIGKILL' ? tailwatch.kill() : tailwatch.stop());
      tailwatch = await start();
    }
    await waitFor(() => summary(receiver.alerts()).length >= replayed.length, 'the first-seen alerts at the webhook', 30_000);
    expect(await tailwatch.stop()).toEqual({ code: 0, signal: null });
    expect(summary(receiver.alerts())).toEqual(replayed);
  }, 90_000);
});
