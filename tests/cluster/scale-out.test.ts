// Scale-out on a real nats-server: two tailnets (two partitions) and two evaluators. The first node takes both; when
// the second joins, the first hands one over, so each evaluates one. Killing one (-9) mid-stream moves its
// partition to the other, and each tailnet's alerts are exactly those of a local replay of that tailnet.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../engine/alerts/alert.ts';
import { hecBody, postUntilAccepted } from '../e2e/support/hec-client.ts';
import { getJson, scrape, valueOf } from '../e2e/support/scrape.ts';
import { HEC_TOKEN, WEBHOOK_SECRET } from '../e2e/support/workspace.ts';
import { runCli } from '../support/run-cli.ts';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';
import { waitFor } from '../support/wait-for.ts';
import { startClusterNode, type ClusterNodeProcess } from './support/cluster-node.ts';
import { createClusterWorkspace } from './support/cluster-workspace.ts';
import { THRESHOLD_RULE, cleanupsPerTest, natsPerFile, stream } from './support/lifecycle.ts';

const TAILNETS = ['alpha.example.com', 'beta@example'];
const bodies = stream.batches.map(hecBody);

const nats = natsPerFile();
const cleanup = cleanupsPerTest();

async function replayIds(dir: string, rulesDir: string, tailnet: string): Promise<string[]> {
  const file = join(dir, 'stream.ndjson');
  await writeFile(file, stream.batches.flat().map((record) => JSON.stringify(record)).join('\n') + '\n');
  const result = await runCli(['replay', '--format', 'json', '--rules', rulesDir, '--tailnet', tailnet, file]);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.split('\n').filter((line) => line !== '').map((line) => (JSON.parse(line) as Alert).alertId).sort();
}

describe('cluster scale-out: two tailnets, two evaluators', () => {
  it('spreads the partitions one per evaluator and moves one when its evaluator is killed', async () => {
    const receiver = await startWebhookReceiver({ secret: WEBHOOK_SECRET });
    cleanup(() => receiver.close());
    const workspace = await createClusterWorkspace({
      webhookUrl: receiver.url, extraRules: [THRESHOLD_RULE], natsUrl: nats().url, suffix: 'scale', cluster: { partitions: TAILNETS },
    });
    cleanup(() => workspace.remove());
    const expected = Object.fromEntries(await Promise.all(TAILNETS.map(async (tailnet) => [tailnet, await replayIds(workspace.dir, workspace.rulesDir, tailnet)] as const)));
    expect(expected[TAILNETS[0]!]).not.toEqual(expected[TAILNETS[1]!]);

    const a = await startClusterNode(workspace, 'a', TAILNETS);
    cleanup(() => a.process.kill());
    await waitFor(() => a.holds().length === 2, 'the only node takes both partitions', 20_000);
    const b = await startClusterNode(workspace, 'b', TAILNETS);
    cleanup(() => b.process.kill());
    await waitFor(() => a.holds().length === 1 && b.holds().length === 1, 'one partition each after the second node joined', 30_000);
    expect([...a.holds(), ...b.holds()].sort()).toEqual([...TAILNETS].sort());
    // Operations: /readyz names the partitions held and the live evaluators; the lease gauge says the same.
    const ready = await getJson(`${a.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    const check = (ready.body.checks as { name: string; detail?: string }[]).find((c) => c.name === 'cluster');
    expect(check?.detail).toContain(`partitions held: ${a.holds()[0]}; live evaluators: 2`);
    const { samples } = await scrape(a.baseUrl);
    expect(valueOf(samples, 'tailwatch_cluster_lease_held', { partition: a.holds()[0]! })).toBe(1);
    expect(valueOf(samples, 'tailwatch_cluster_lease_held', { partition: b.holds()[0]! })).toBe(0);

    let alive: ClusterNodeProcess[] = [a, b];
    const sent = TAILNETS.map(() => 0);
    const senders = TAILNETS.map(async (tailnet, t) => {
      for (const [i, body] of bodies.entries()) {
        await postUntilAccepted(() => alive[i % alive.length]!.baseUrls[tailnet]!, body, HEC_TOKEN);
        sent[t]! += 1;
      }
    });
    await waitFor(() => sent.every((n) => n >= bodies.length / 2), 'half of each stream acknowledged', 60_000);
    const moved = b.holds()[0]!;
    expect(await b.process.kill()).toEqual({ code: null, signal: 'SIGKILL' });
    alive = [a];
    await waitFor(() => a.holds().length === 2, `the survivor takes ${moved} over`, 30_000);
    await Promise.all(senders);
    const total = expected[TAILNETS[0]!]!.length + expected[TAILNETS[1]!]!.length;
    await waitFor(() => receiver.alerts().length >= total, `${total} distinct alerts at the webhook`, 60_000);

    const after = (await scrape(a.baseUrl)).samples;
    for (const tailnet of TAILNETS) expect(valueOf(after, 'tailwatch_cluster_lease_held', { partition: tailnet })).toBe(1);
    expect(valueOf(after, 'tailwatch_cluster_snapshot_age_seconds', { partition: moved })).toBeGreaterThanOrEqual(0);
    expect(valueOf(after, 'tailwatch_cluster_consumer_lag', { partition: moved })).toBeGreaterThanOrEqual(0);
    for (const tailnet of TAILNETS) {
      const delivered = receiver.alerts().filter((alert) => alert.tailnet === tailnet).map((alert) => String(alert.alertId)).sort();
      expect(delivered, tailnet).toEqual(expected[tailnet]);
    }
    expect(await a.process.stop()).toEqual({ code: 0, signal: null });
  }, 180_000);
});
