// A broker outage: the nats-server is stopped for 30 s while a sender streams HEC bodies, then started again on the
// same port and store. Meanwhile the receivers answer 503 with Retry-After (never 200), and afterwards every body
// that was acknowledged reaches evaluation: the alerts are those of a local replay of the whole stream.
import { describe, expect, it } from 'vitest';
import { hecBody, postHec } from '../e2e/support/hec-client.ts';
import { replayAlerts } from '../e2e/support/replay.ts';
import { HEC_TOKEN, WEBHOOK_SECRET } from '../e2e/support/workspace.ts';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';
import { waitFor } from '../support/wait-for.ts';
import { startClusterNode } from './support/cluster-node.ts';
import { createClusterWorkspace } from './support/cluster-workspace.ts';
import { THRESHOLD_RULE, cleanupsPerTest, natsPerFile, stream } from './support/lifecycle.ts';

const OUTAGE_MS = 30_000;
const bodies = stream.batches.map(hecBody);

const nats = natsPerFile();
const cleanup = cleanupsPerTest();

interface Answer {
  sentAt: number;
  status: number;
  retryAfter: string | undefined;
}

describe('cluster broker outage of 30 s', () => {
  it('answers 503 with Retry-After while NATS is down and loses nothing it acknowledged', async () => {
    const receiver = await startWebhookReceiver({ secret: WEBHOOK_SECRET });
    cleanup(() => receiver.close());
    const workspace = await createClusterWorkspace({ webhookUrl: receiver.url, extraRules: [THRESHOLD_RULE], natsUrl: nats().url, suffix: 'outage' });
    cleanup(() => workspace.remove());
    const replayIds = (await replayAlerts(workspace.dir, workspace.rulesDir, stream.batches.flat())).map((alert) => alert.alertId).sort();
    const node = await startClusterNode(workspace, 'a');
    cleanup(() => node.process.kill());

    const answers: Answer[] = [];
    let acknowledged = 0;
    const sender = (async () => {
      for (const body of bodies) {
        for (;;) {
          const sentAt = Date.now();
          const reply = await postHec(node.baseUrl, body, { token: HEC_TOKEN });
          const retryAfter = reply.headers['retry-after'];
          answers.push({ sentAt, status: reply.status, retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined });
          if (reply.status === 200) break;
          expect(reply.status, JSON.stringify(reply.body)).toBe(503);
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        acknowledged += 1;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    await waitFor(() => acknowledged >= 10, '10 bodies acknowledged', 30_000);
    await nats().stop();
    const downAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    const upAt = Date.now();
    await nats().start();
    await sender;
    await waitFor(() => receiver.alerts().length >= replayIds.length, `${replayIds.length} distinct alerts at the webhook`, 90_000);

    // Sent a second after the server went away and before it came back: the client knows it is down by then.
    const duringOutage = answers.filter((answer) => answer.sentAt > downAt + 1_000 && answer.sentAt < upAt);
    expect(duringOutage.length).toBeGreaterThan(10);
    expect(duringOutage.filter((answer) => answer.status === 200)).toEqual([]);
    expect(duringOutage.every((answer) => answer.status === 503 && Number(answer.retryAfter) >= 1)).toBe(true);
    expect(receiver.alerts().map((alert) => String(alert.alertId)).sort()).toEqual(replayIds);
    expect(await node.process.stop()).toEqual({ code: 0, signal: null });
  }, 180_000);
});
