// Bad input on the streams never stalls a cluster: a message on an ingest subject that no receiver wrote is skipped
// (with a warning naming its sequence) and the records after it are evaluated; a message on the alerts stream that
// is not an alert is dropped for good instead of being redelivered forever.
import { describe, expect, it } from 'vitest';
import { hecBody, postUntilAccepted } from '../e2e/support/hec-client.ts';
import { replayAlerts } from '../e2e/support/replay.ts';
import { HEC_TOKEN, WEBHOOK_SECRET } from '../e2e/support/workspace.ts';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';
import { waitFor } from '../support/wait-for.ts';
import { startClusterNode } from './support/cluster-node.ts';
import { createClusterWorkspace } from './support/cluster-workspace.ts';
import { THRESHOLD_RULE, cleanupsPerTest, natsPerFile, stream } from './support/lifecycle.ts';
import { openTestResources } from './support/resources.ts';


const nats = natsPerFile();
const cleanup = cleanupsPerTest();

describe('foreign messages on the cluster streams', () => {
  it('are skipped with a warning, and everything after them is evaluated and delivered', async () => {
    const receiver = await startWebhookReceiver({ secret: WEBHOOK_SECRET });
    cleanup(() => receiver.close());
    const workspace = await createClusterWorkspace({ webhookUrl: receiver.url, extraRules: [THRESHOLD_RULE], natsUrl: nats().url, suffix: 'poison' });
    cleanup(() => workspace.remove());
    const replayIds = (await replayAlerts(workspace.dir, workspace.rulesDir, stream.batches.flat())).map((alert) => alert.alertId).sort();
    const resources = await openTestResources(nats().url, 'poison');
    cleanup(() => resources.connection.close());
    const { js } = resources.connection;
    await js.publish(resources.names.ingestSubject('default'), 'not json');
    await js.publish(resources.names.ingestSubject('default'), JSON.stringify({ records: 'not an array' }));
    await js.publish(resources.names.alertSubject('default'), JSON.stringify({ hello: 'not an alert' }));

    const node = await startClusterNode(workspace, 'a');
    cleanup(() => node.process.kill());
    for (const body of stream.batches.map(hecBody)) await postUntilAccepted(() => node.baseUrl, body, HEC_TOKEN);
    await waitFor(() => receiver.alerts().length >= replayIds.length, `${replayIds.length} distinct alerts at the webhook`, 60_000);
    expect(receiver.alerts().map((alert) => String(alert.alertId)).sort()).toEqual(replayIds);

    const skipped = node.process.logs.filter((line) => line.msg === 'ingest message skipped: not a tailwatch record batch');
    expect(skipped.map((line) => line.seq)).toEqual([1, 2]);
    expect(String(skipped[0]?.problem)).toContain('not JSON');
    expect(node.process.logs.some((line) => line.msg === 'alerts-stream message dropped: not an alert' && line.seq === 1)).toBe(true);
    expect(await node.process.stop()).toEqual({ code: 0, signal: null });
  }, 120_000);
});
