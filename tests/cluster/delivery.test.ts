// Delivery workers on the alerts stream keep the outbox's semantics: a 429 with Retry-After is retried with the same
// Idempotency-Key, a permanent failure is dead-lettered into the dead-letter stream (once per alert revision and
// destination), and every alerts-stream message is acknowledged once its deliveries are settled.
import { describe, expect, it } from 'vitest';
import { hecBody, postUntilAccepted } from '../e2e/support/hec-client.ts';
import { HEC_TOKEN, WEBHOOK_SECRET } from '../e2e/support/workspace.ts';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';
import { startClusterNode } from './support/cluster-node.ts';
import { createClusterWorkspace } from './support/cluster-workspace.ts';
import { THRESHOLD_RULE, cleanupsPerTest, natsPerFile, stream } from './support/lifecycle.ts';
import { openTestResources } from './support/resources.ts';


const nats = natsPerFile();
const cleanup = cleanupsPerTest();

describe('cluster delivery workers', () => {
  it('retry after 429 with the same Idempotency-Key, dead-letter a 400 into its stream, and ack every message', async () => {
    const receiver = await startWebhookReceiver({ secret: WEBHOOK_SECRET });
    cleanup(() => receiver.close());
    receiver.answerNext({ status: 429, body: 'slow down', headers: { 'Retry-After': '1' } }, { status: 400, body: 'bad payload' });
    const workspace = await createClusterWorkspace({ webhookUrl: receiver.url, extraRules: [THRESHOLD_RULE], natsUrl: nats().url, suffix: 'deliver' });
    cleanup(() => workspace.remove());
    const node = await startClusterNode(workspace, 'a');
    cleanup(() => node.process.kill());
    for (const body of stream.batches.map(hecBody)) await postUntilAccepted(() => node.baseUrl, body, HEC_TOKEN);

    const resources = await openTestResources(nats().url, 'deliver');
    cleanup(() => resources.connection.close());
    const { jsm } = resources.connection;
    const settled = async () => {
      const info = await jsm.consumers.info(resources.config.streams.alerts, resources.names.deliveryConsumer);
      const alerts = await jsm.streams.info(resources.config.streams.alerts);
      return info.num_pending === 0 && info.num_ack_pending === 0 && info.delivered.stream_seq === alerts.state.last_seq && alerts.state.messages > 2;
    };
    const deadline = Date.now() + 60_000;
    while (!(await settled())) {
      if (Date.now() > deadline) throw new Error('timed out waiting for every alerts-stream message to be acknowledged');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    const [first, second] = receiver.requests;
    expect(first?.status).toBe(429);
    expect(second?.status).toBe(400);
    const retried = receiver.requests.filter((request) => request.idempotencyKey === first?.idempotencyKey);
    expect(retried.map((request) => request.status)).toEqual([429, 200]);

    const dead = await jsm.streams.getMessage(resources.config.streams.deadLetters, { seq: 1 });
    expect(dead?.json()).toMatchObject({ destination: 'soar', reason: 'permanent', status: 400 });
    expect(`${String(dead?.json<{ alertId: string }>().alertId)}:${String(dead?.json<{ revision: number }>().revision)}`).toBe(second?.idempotencyKey);
    expect((await jsm.streams.info(resources.config.streams.deadLetters)).state.messages).toBe(1);
  }, 120_000);
});
