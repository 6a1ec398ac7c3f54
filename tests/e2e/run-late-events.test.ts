// `tailwatch run` with events that arrive out of order over HEC (detection-correctness issue, §2): 2023 events
// posted after 2026 ones gave three one-event alerts; they are one late alert, revised once its window settles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait-for.ts';
import { startEvaluatorUnderTest, type EvaluatorUnderTest } from './support/evaluator-under-test.ts';
import { hecBody, postHec } from './support/hec-client.ts';
import { HEC_TOKEN } from './support/workspace.ts';

/** A Magic DNS disable by alice (Tailscale.Magic.DNS.Disabled fires; its dedup is the title). */
const disable = (eventTime: string, n: number) => ({
  eventTime,
  eventGroupID: `late-${n}`,
  origin: 'ADMIN_CONSOLE',
  actor: { id: 'uAlice', type: 'USER', loginName: 'alice@example.com' },
  target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'MAGIC_DNS' },
  action: 'DISABLE',
});
const unrelated = (eventTime: string) => ({ ...disable(eventTime, 0), eventGroupID: `move-${eventTime}`, action: 'UPDATE' });

let run: EvaluatorUnderTest;

beforeAll(async () => {
  run = await startEvaluatorUnderTest();
});

afterAll(async () => {
  await run?.close();
});

describe('tailwatch run with events from the past', () => {
  it('gathers 2023 events posted after 2026 ones into one late alert, and revises it once the watermark moves on', async () => {
    const post = async (records: Record<string, unknown>[]) =>
      expect((await postHec(run.tailwatch.baseUrl, hecBody(records), { token: HEC_TOKEN })).status).toBe(200);
    await post([disable('2026-08-10T10:00:00.000Z', 1)]);
    for (const [i, time] of ['2023-03-01T08:00:00.000Z', '2023-03-01T08:05:00.000Z', '2023-03-01T08:10:00.000Z'].entries()) {
      await post([disable(time, 10 + i)]);
    }
    await waitFor(() => run.receiver.alerts().length >= 2, 'the 2026 alert and the late 2023 alert');
    const first = [...run.receiver.processed.values()];
    const late = first.filter((alert) => alert.late === true);
    expect(late).toHaveLength(1);
    expect(late[0]).toMatchObject({ revision: 1, windowStart: '2023-03-01T08:00:00.000Z' });

    // The watermark moves on by more than the lateness: the late window settles with all three events.
    await post([unrelated('2026-08-10T10:30:00.000Z')]);
    await waitFor(() => [...run.receiver.processed.values()].some((alert) => alert.late === true && alert.revision === 2), 'the late alert revised');
    const all = [...run.receiver.processed.values()];
    const revised = all.find((alert) => alert.late === true && alert.revision === 2);
    expect(revised).toMatchObject({ alertId: late[0]?.alertId, eventCount: 3, firstEventTime: '2023-03-01T08:00:00.000Z', lastEventTime: '2023-03-01T08:10:00.000Z' });
    expect(new Set(all.filter((alert) => alert.late === true).map((alert) => alert.alertId)).size).toBe(1);
  });
});
