// Crash safety of `tailwatch run`: a client streams an hour of logs with planted incidents (retrying each body
// until it gets a 200) while the evaluator is killed with SIGKILL at random points and restarted on the same
// data directory. Every expected alert reaches the webhook, each alert id is processed once by the receiver
// (which dedupes on Idempotency-Key), and the ids are exactly those `tailwatch replay` gives on the same stream.
import { afterEach, describe, expect, it } from 'vitest';
import { plantedStream } from '../../fixtures/e2e/planted-stream.ts';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';
import type { WebhookReceiver } from '../support/webhook-receiver.ts';
import { waitFor } from '../support/wait-for.ts';
import { startWebhookGate } from './support/webhook-gate.ts';
import type { WebhookGate } from './support/webhook-gate.ts';
import { hecBody, postUntilAccepted } from './support/hec-client.ts';
import { replayAlerts } from './support/replay.ts';
import { seededRandom } from './support/seeded-random.ts';
import { startTailwatch } from './support/tailwatch-process.ts';
import type { TailwatchProcess } from './support/tailwatch-process.ts';
import { HEC_TOKEN, ROOT, WEBHOOK_SECRET, createWorkspace, freePort } from './support/workspace.ts';
import type { Workspace } from './support/workspace.ts';

const SEED = Number(process.env.TAILWATCH_E2E_SEED ?? 20260810);
const ROUNDS = 5;
const THRESHOLD_RULE = `${ROOT}/fixtures/e2e/rules/e2e-nodes-removed-burst.ts`;

const stream = plantedStream();
const bodies = stream.batches.map(hecBody);
const expected = stream.expected.map((alert) => `${alert.ruleId} | ${alert.dedup}`).sort();

interface Round {
  kills: number;
  terms: number;
  cutBodies: number;
  rawDuplicates: number;
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** When to stop the evaluator: after this many acknowledged bodies (past the end: while alerts are being delivered). */
function stopSchedule(random: () => number): { afterBodies: number; signal: 'SIGKILL' | 'SIGTERM' }[] {
  const count = 1 + Math.floor(random() * 3);
  const points = Array.from({ length: count }, () => Math.floor(random() * (bodies.length + 6)));
  // One graceful stop in some rounds: recovery then starts from a snapshot plus the journal written after it.
  const gracefulAt = random() < 0.5 ? Math.floor(random() * count) : -1;
  return points.sort((a, b) => a - b).map((afterBodies, i) => ({ afterBodies, signal: i === gracefulAt ? 'SIGTERM' : 'SIGKILL' }));
}

async function runRound(random: () => number, workspace: Workspace, receiver: WebhookReceiver, gate: WebhookGate): Promise<Round> {
  const start = () => startTailwatch({ configPath: workspace.configPath, env: workspace.env });
  let tailwatch: TailwatchProcess = await start();
  cleanups.push(() => tailwatch.kill());
  const round: Round = { kills: 0, terms: 0, cutBodies: 0, rawDuplicates: 0 };
  let acknowledged = 0;
  const sender = (async () => {
    for (const body of bodies) {
      round.cutBodies += (await postUntilAccepted(() => tailwatch.baseUrl, body, HEC_TOKEN)).cut;
      acknowledged += 1;
    }
  })();
  // First crash: right after the receiver processed an alert, before tailwatch learns it was delivered.
  await gate.onNth(1 + Math.floor(random() * 3), () => tailwatch.kill());
  round.kills += 1;
  tailwatch = await start();
  for (const stop of stopSchedule(random)) {
    await waitFor(() => acknowledged >= Math.min(stop.afterBodies, bodies.length), `${stop.afterBodies} bodies acknowledged`, 60_000);
    await new Promise((resolve) => setTimeout(resolve, random() * 8));
    const exit = stop.signal === 'SIGKILL' ? await tailwatch.kill() : await tailwatch.stop();
    expect(exit).toEqual(stop.signal === 'SIGKILL' ? { code: null, signal: 'SIGKILL' } : { code: 0, signal: null });
    if (stop.signal === 'SIGKILL') round.kills += 1;
    else round.terms += 1;
    tailwatch = await start();
  }
  await sender;
  await waitFor(() => receiver.alerts().length >= expected.length, `${expected.length} distinct alerts at the webhook`, 60_000);
  expect(await tailwatch.stop()).toEqual({ code: 0, signal: null });
  round.rawDuplicates = [...receiver.arrivals.values()].reduce((sum, n) => sum + n, 0) - receiver.arrivals.size;
  return round;
}

describe('tailwatch run killed with SIGKILL while logs stream in', () => {
  it(`delivers every expected alert, once per id, as replay computes them (seed ${SEED}, ${ROUNDS} rounds)`, async () => {
    const random = seededRandom(SEED);
    const rounds: Round[] = [];
    let replayIds: string[] | undefined;
    for (let r = 0; r < ROUNDS; r++) {
      const receiver = await startWebhookReceiver({ secret: WEBHOOK_SECRET });
      cleanups.push(() => receiver.close());
      const gate = await startWebhookGate(receiver.url);
      cleanups.push(() => gate.close());
      const workspace = await createWorkspace({ webhookUrl: gate.url, listen: `127.0.0.1:${await freePort()}`, extraRules: [THRESHOLD_RULE] });
      cleanups.push(() => workspace.remove());
      replayIds ??= (await replayAlerts(workspace.dir, workspace.rulesDir, stream.batches.flat())).map((alert) => alert.alertId).sort();

      rounds.push(await runRound(random, workspace, receiver, gate));
      // Each alert is delivered as revision 1, and again as a later revision when its window settles with a new count.
      const delivered = receiver.alerts();
      expect(delivered.map((alert) => `${String(alert.ruleId)} | ${String(alert.dedup)}`).sort(), `round ${r}`).toEqual(expected);
      expect(delivered.map((alert) => String(alert.alertId)).sort(), `round ${r}: live ids = replay ids`).toEqual(replayIds);
      expect(receiver.requests.every((request) => request.signatureValid)).toBe(true);
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    }
    const total = (key: keyof Round) => rounds.reduce((sum, round) => sum + round[key], 0);
    console.log(
      `kill -9 recovery (seed ${SEED}): ${ROUNDS} rounds, ${total('kills')} SIGKILLs, ${total('terms')} SIGTERMs, ` +
        `${total('cutBodies')} HEC requests cut mid-flight and resent, ${total('rawDuplicates')} raw duplicate deliveries (deduped by Idempotency-Key)`,
    );
    expect(total('kills') + total('terms')).toBeGreaterThanOrEqual(ROUNDS * 2);
    // Each round's first kill fell between "processed" and "acknowledged": that alert arrived (at least) twice.
    expect(total('rawDuplicates')).toBeGreaterThanOrEqual(ROUNDS);
  }, 240_000);
});
