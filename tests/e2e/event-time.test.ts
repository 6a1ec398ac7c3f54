// Event time in a real `tailwatch run`: records dated far ahead (`"time": 8000000000000`, an eventTime a year past its
// logged time) or before 2019 are quarantined as time_out_of_range, counted by reason, listed by
// `tailwatch quarantine --reason`, and never move the watermark: per-event and aggregate alerts sent right after
// them still fire, also after a restart from the snapshot. A late (but plausible) record does not reset state either.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';
import type { WebhookReceiver } from '../support/webhook-receiver.ts';
import { waitFor } from '../support/wait-for.ts';
import { postHec } from './support/hec-client.ts';
import { quarantined } from './support/quarantine.ts';
import { scrape, valueOf } from './support/scrape.ts';
import { startTailwatch } from './support/tailwatch-process.ts';
import type { TailwatchProcess } from './support/tailwatch-process.ts';
import { HEC_TOKEN, WEBHOOK_SECRET, createWorkspace } from './support/workspace.ts';
import type { Workspace } from './support/workspace.ts';

type Json = Record<string, unknown>;

// Live records are bounded by their receive time: the stream is dated two hours back from the test's start.
const BASE_MS = Math.floor(Date.now() / 60_000) * 60_000 - 2 * 3_600_000;
const at = (seconds: number) => new Date(BASE_MS + seconds * 1000).toISOString();

const user = (name: string) => ({ id: `u${name}CNTRL`, type: 'USER', loginName: `${name}@example.com`, displayName: name });
const magicDns = (seconds: number, name: string): Json => ({
  eventTime: at(seconds), origin: 'ADMIN_CONSOLE', action: 'DISABLE', actor: user(name),
  target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'MAGIC_DNS' },
});
const failedRequests = (fromSeconds: number, key: string): Json[] => Array.from({ length: 10 }, (_, i) => ({
  eventTime: at(fromSeconds + i), origin: 'CONFIG_API', action: 'FAILED_REQUEST', error: 'permission denied',
  actor: { id: key, type: 'API_KEY', loginName: '', displayName: 'API key' },
  target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'ACL' },
}));
const withoutOwnTime = ({ eventTime: _, ...record }: Json): Json => record;

/** HEC envelopes, each with its record's own time as `time` unless the envelope is given whole. */
const body = (...items: (Json | { envelope: Json })[]) =>
  items.map((item) => JSON.stringify('envelope' in item ? item.envelope : { time: Date.parse(String(item.eventTime)) / 1000, event: item })).join('');
/** The record: `"time": 8000000000000` (year ~255,000) and no time of its own. */
const poisoned = (name: string) => ({ envelope: { time: 8_000_000_000_000, event: withoutOwnTime(magicDns(0, name)) } });

let receiver: WebhookReceiver;
let workspace: Workspace;
let tailwatch: TailwatchProcess | undefined;

beforeAll(async () => {
  receiver = await startWebhookReceiver({ secret: WEBHOOK_SECRET });
  workspace = await createWorkspace({ webhookUrl: receiver.url });
});

afterAll(async () => {
  await tailwatch?.kill();
  await receiver?.close();
  await workspace?.remove();
});

const delivered = () => receiver.alerts().map((payload) => `${String(payload.ruleId)} | ${String(payload.dedup)}`).sort();
const start = async () => (tailwatch = await startTailwatch({ configPath: workspace.configPath, env: workspace.env }));

describe('tailwatch run: implausible event times', () => {
  it('quarantines far-ahead records; the alerts right after them fire', async () => {
    const live = await start();
    const farAhead = { ...magicDns(2, 'mallory'), eventTime: new Date(BASE_MS + 365 * 86_400_000).toISOString(), logged: at(2) };
    const first = await postHec(live.baseUrl, body(poisoned('mallory'), farAhead, magicDns(0, 'alice')), { token: HEC_TOKEN });
    expect(first.status).toBe(200);
    expect((await postHec(live.baseUrl, body(magicDns(60, 'bob'), ...failedRequests(120, 'kStolenCNTRL')), { token: HEC_TOKEN })).status).toBe(200);

    await waitFor(() => receiver.alerts().length >= 3, 'the per-event and aggregate alerts sent after the far-ahead records');
    expect(delivered()).toEqual([
      'Tailscale.Failed.Requests.Burst | kStolenCNTRL',
      'Tailscale.Magic.DNS.Disabled | Tailscale user [alice@example.com] disabled Magic DNS for [example.com] in your organization’s tenant.',
      'Tailscale.Magic.DNS.Disabled | Tailscale user [bob@example.com] disabled Magic DNS for [example.com] in your organization’s tenant.',
    ]);
    expect(first.body).toMatchObject({ code: 0, rejected: 2 });
    const { samples } = await scrape(live.baseUrl);
    expect(valueOf(samples, 'tailwatch_records_rejected_total', { source: 'hec', reason: 'time_out_of_range' })).toBe(2);
  }, 60_000);

  it('lists them with `tailwatch quarantine --reason time_out_of_range`', async () => {
    expect(await tailwatch?.stop()).toEqual({ code: 0, signal: null });
    const entries = await quarantined(workspace.configPath, 'time_out_of_range');
    expect(entries.map((entry) => entry.reason)).toEqual(['time_out_of_range', 'time_out_of_range']);
    expect(entries.map((entry) => entry.message)).toEqual([
      expect.stringContaining('ahead of logged'),
      expect.stringMatching(/: event time \+255479-.* \(time\) is more than 5 minutes ahead of the receive time/),
    ]);
  });

  it('after a restart from the snapshot, far-ahead, pre-2019 and late records leave alerts firing', async () => {
    const live = await start();
    const before2019 = { ...magicDns(0, 'oscar'), eventTime: '2018-06-01T00:00:00.000Z' };
    const late = { ...magicDns(0, 'dave'), eventTime: '2020-01-01T00:00:00.000Z', action: 'LOGOUT' };
    const reply = await postHec(live.baseUrl, body(poisoned('mallory'), before2019, late, magicDns(1800, 'carol')), { token: HEC_TOKEN });
    expect(reply.status).toBe(200);
    expect((await postHec(live.baseUrl, body(...failedRequests(1860, 'kOtherCNTRL')), { token: HEC_TOKEN })).status).toBe(200);

    await waitFor(() => receiver.alerts().length >= 5, 'the alerts sent after the restart');
    expect(delivered()).toEqual([
      'Tailscale.Failed.Requests.Burst | kOtherCNTRL',
      'Tailscale.Failed.Requests.Burst | kStolenCNTRL',
      'Tailscale.Magic.DNS.Disabled | Tailscale user [alice@example.com] disabled Magic DNS for [example.com] in your organization’s tenant.',
      'Tailscale.Magic.DNS.Disabled | Tailscale user [bob@example.com] disabled Magic DNS for [example.com] in your organization’s tenant.',
      'Tailscale.Magic.DNS.Disabled | Tailscale user [carol@example.com] disabled Magic DNS for [example.com] in your organization’s tenant.',
    ]);
    expect(reply.body).toMatchObject({ code: 0, rejected: 2 });
    const { samples } = await scrape(live.baseUrl);
    expect(valueOf(samples, 'tailwatch_records_rejected_total', { source: 'hec', reason: 'time_out_of_range' })).toBe(2);
  }, 60_000);
});
