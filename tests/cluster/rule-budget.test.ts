// A rule that never returns cannot hang a cluster node: its partitions' evaluators run in the node's watched
// evaluation worker, so the watchdog stops the rule, the partitions are taken again from their snapshots by a new
// worker without it, and every other rule's alerts are still published and delivered.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hecBody, postUntilAccepted } from '../e2e/support/hec-client.ts';
import { replayAlerts } from '../e2e/support/replay.ts';
import { getJson, scrape, valueOf } from '../e2e/support/scrape.ts';
import { ENGINE_INDEX_URL, HEC_TOKEN, WEBHOOK_SECRET } from '../e2e/support/workspace.ts';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';
import { waitFor } from '../support/wait-for.ts';
import { startClusterNode } from './support/cluster-node.ts';
import { createClusterWorkspace } from './support/cluster-workspace.ts';
import { THRESHOLD_RULE, cleanupsPerTest, natsPerFile, stream } from './support/lifecycle.ts';

const nats = natsPerFile();
const cleanup = cleanupsPerTest();

const LOOP_ID = 'E2e.Cluster.Loop';
const loopRule = `import { defineRule } from '${ENGINE_INDEX_URL}';
export default defineRule({
  id: '${LOOP_ID}',
  logTypes: ['Tailscale.Audit'],
  severity: 'LOW',
  rule: (e) => {
    if (e.event.action === 'E2E_LOOP') for (;;) {}
    return false;
  },
});
`;
const marker = {
  eventTime: '2026-08-10T11:30:00.000Z',
  eventGroupID: 'e2eClusterLoop',
  origin: 'CONFIG_API',
  actor: { id: 'kLoop1CNTRL', type: 'OAUTH_CLIENT', loginName: '', displayName: 'OAuth client' },
  target: { id: 'example.com', name: 'example.com', type: 'TAILNET' },
  action: 'E2E_LOOP',
};

describe('a cluster node with a rule that never returns', () => {
  it('stops the rule, says so on /readyz and in metrics, and delivers every other rule’s alerts', async () => {
    const receiver = await startWebhookReceiver({ secret: WEBHOOK_SECRET });
    cleanup(() => receiver.close());
    const workspace = await createClusterWorkspace({ webhookUrl: receiver.url, extraRules: [THRESHOLD_RULE], natsUrl: nats().url, suffix: 'budget' });
    cleanup(() => workspace.remove());
    // The marker goes in after the first batch, live and in the replay that says what to expect (without the rule).
    const [firstBatch = [], ...otherBatches] = stream.batches;
    const records = [...firstBatch, marker, ...otherBatches.flat()];
    const expected = (await replayAlerts(workspace.dir, workspace.rulesDir, records)).map((alert) => alert.alertId).sort();
    await writeFile(join(workspace.rulesDir, 'e2e-cluster-loop.ts'), loopRule);

    const node = await startClusterNode(workspace, 'a');
    cleanup(() => node.process.kill());
    const [first, ...rest] = stream.batches.map(hecBody);
    await postUntilAccepted(() => node.baseUrl, first ?? '', HEC_TOKEN);
    await postUntilAccepted(() => node.baseUrl, hecBody([marker]), HEC_TOKEN);
    for (const body of rest) await postUntilAccepted(() => node.baseUrl, body, HEC_TOKEN);

    await node.process.waitForLog('rule stopped: a call ran longer than its time budget; it stays off on this node until its file changes or tailwatch restarts', (line) => line.rule === LOOP_ID, 60_000);
    await waitFor(() => receiver.alerts().length >= expected.length, `${expected.length} distinct alerts at the webhook`, 60_000);
    expect(receiver.alerts().map((alert) => String(alert.alertId)).sort()).toEqual(expected);
    expect(valueOf((await scrape(node.baseUrl)).samples, 'tailwatch_rule_timeouts_total', { rule_id: LOOP_ID })).toBe(1);
    const ready = await getJson(`${node.baseUrl}/readyz`);
    expect(JSON.stringify(ready.body.failing)).toContain(`${LOOP_ID} (a call ran longer than 1000 ms)`);
    expect(await node.process.stop()).toEqual({ code: 0, signal: null });
  }, 120_000);
});
