// A paused evaluator (SIGSTOP past its lease TTL, like a long GC pause or a frozen VM) on a real nats-server.
// Alone, it takes its lapsed partition again when it wakes and evaluates everything. With a standby, the standby
// takes over while it sleeps, and when it wakes it stops (its lease is stale or fenced) instead of publishing over
// the new owner. Either way the alert ids are those of a local replay, each revision processed once.
import { describe, expect, it } from 'vitest';
import { hecBody, postUntilAccepted } from '../e2e/support/hec-client.ts';
import { replayAlerts } from '../e2e/support/replay.ts';
import { HEC_TOKEN, WEBHOOK_SECRET } from '../e2e/support/workspace.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { waitFor } from '../support/wait-for.ts';
import { startClusterNode, type ClusterNodeProcess } from './support/cluster-node.ts';
import { createClusterWorkspace, type ClusterWorkspace } from './support/cluster-workspace.ts';
import { THRESHOLD_RULE, cleanupsPerTest, natsPerFile, stream } from './support/lifecycle.ts';

const nats = natsPerFile();
const cleanup = cleanupsPerTest();
const bodies = stream.batches.map(hecBody);
/** Longer than the lease TTL of the test nodes (3 s). */
const PAUSE_MS = 5_000;

async function setUp(suffix: string): Promise<{ receiver: WebhookReceiver; workspace: ClusterWorkspace; replayIds: string[] }> {
  const receiver = await startWebhookReceiver({ secret: WEBHOOK_SECRET });
  cleanup(() => receiver.close());
  const workspace = await createClusterWorkspace({ webhookUrl: receiver.url, extraRules: [THRESHOLD_RULE], natsUrl: nats().url, suffix });
  cleanup(() => workspace.remove());
  const replayIds = (await replayAlerts(workspace.dir, workspace.rulesDir, stream.batches.flat())).map((alert) => alert.alertId).sort();
  return { receiver, workspace, replayIds };
}

async function post(node: () => ClusterNodeProcess, from: number, to: number): Promise<void> {
  for (const body of bodies.slice(from, to)) await postUntilAccepted(() => node().baseUrl, body, HEC_TOKEN);
}

function expectReplayIds(receiver: WebhookReceiver, replayIds: readonly string[]): void {
  expect(receiver.alerts().map((alert) => String(alert.alertId)).sort()).toEqual(replayIds);
  for (const [key, payload] of receiver.processed) expect(key).toBe(`${String(payload.alertId)}:${String(payload.revision)}`);
}

describe('an evaluator paused past its lease TTL', () => {
  it('alone: takes its partition again when it wakes and evaluates every record', async () => {
    const { receiver, workspace, replayIds } = await setUp('pause1');
    const node = await startClusterNode(workspace, 'a');
    cleanup(() => node.process.kill());
    await waitFor(() => node.holds().length === 1, 'the node holds the partition', 20_000);
    const half = Math.floor(bodies.length / 2);
    await post(() => node, 0, half);
    node.process.child.kill('SIGSTOP');
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    node.process.child.kill('SIGCONT');
    await post(() => node, half, bodies.length);
    await waitFor(() => receiver.alerts().length >= replayIds.length, `${replayIds.length} distinct alerts at the webhook`, 60_000);
    expectReplayIds(receiver, replayIds);
    expect(node.process.logs.filter((line) => line.msg === 'partition taken').length).toBeGreaterThanOrEqual(2);
    expect(await node.process.stop()).toEqual({ code: 0, signal: null });
  }, 120_000);

  it('with a standby: the standby takes over, and the woken old owner stops instead of publishing', async () => {
    const { receiver, workspace, replayIds } = await setUp('pause2');
    const nodes = await Promise.all([startClusterNode(workspace, 'a'), startClusterNode(workspace, 'b')]);
    for (const node of nodes) cleanup(() => node.process.kill());
    await waitFor(() => nodes.some((node) => node.holds().length === 1), 'one node holds the partition', 20_000);
    const old = nodes.find((node) => node.holds().length === 1)!;
    const standby = nodes.find((node) => node !== old)!;
    const half = Math.floor(bodies.length / 2);
    await post(() => old, 0, half);
    old.process.child.kill('SIGSTOP');
    await waitFor(() => standby.holds().length === 1, 'the standby takes the partition over', 30_000);
    await post(() => standby, half, bodies.length);
    old.process.child.kill('SIGCONT');
    await waitFor(() => receiver.alerts().length >= replayIds.length, `${replayIds.length} distinct alerts at the webhook`, 60_000);
    await waitFor(() => old.holds().length === 0, 'the old owner gives the partition up', 20_000);
    expectReplayIds(receiver, replayIds);
    expect(standby.holds()).toEqual(['default']);
    expect(await standby.process.stop()).toEqual({ code: 0, signal: null });
    expect(await old.process.stop()).toEqual({ code: 0, signal: null });
  }, 120_000);
});
