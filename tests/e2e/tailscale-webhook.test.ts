// A real `tailwatch run` with a tailscale-webhook source on 127.0.0.1: signed posts are journaled and reach the rules;
// unsigned, forged, expired and replayed posts get 401; a bad event is quarantined and the rest kept; killed with
// SIGKILL right after a 200 and restarted, it delivers every alert once (recovery re-evaluates the journal).
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeNeedsApproval, postWebhook, signedPost, webhookEvent } from '../support/tailscale-webhook-sender.ts';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';
import type { WebhookReceiver } from '../support/webhook-receiver.ts';
import { waitFor } from '../support/wait-for.ts';
import { quarantined } from './support/quarantine.ts';
import { scrape, valueOf } from './support/scrape.ts';
import { startTailwatch } from './support/tailwatch-process.ts';
import type { TailwatchProcess } from './support/tailwatch-process.ts';
import { ROOT, WEBHOOK_SECRET, createWorkspace, freePort } from './support/workspace.ts';
import type { Workspace } from './support/workspace.ts';

const TAILSCALE_SECRET = 'tskey-webhook-e2e';
const RULE = `${ROOT}/fixtures/e2e/rules/e2e-webhook-node-needs-approval.ts`;
const recently = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000).toISOString();

let receiver: WebhookReceiver;
let workspace: Workspace;
let webhookUrl: string;
let tailwatch: TailwatchProcess | undefined;

beforeAll(async () => {
  receiver = await startWebhookReceiver({ secret: WEBHOOK_SECRET });
  workspace = await createWorkspace({ webhookUrl: receiver.url, extraRules: [RULE] });
  const listen = `127.0.0.1:${await freePort()}`;
  const config = JSON.parse(await readFile(workspace.configPath, 'utf8')) as { sources: unknown[] };
  config.sources.push({ kind: 'tailscale-webhook', tailnet: 'corp', listen, secret: { env: 'TAILSCALE_WEBHOOK_SECRET' } });
  await writeFile(workspace.configPath, JSON.stringify(config));
  webhookUrl = `http://${listen}/tailscale/webhook`;
});

afterAll(async () => {
  await tailwatch?.kill();
  await receiver?.close();
  await workspace?.remove();
});

const start = async () =>
  (tailwatch = await startTailwatch({ configPath: workspace.configPath, env: { ...workspace.env, TAILSCALE_WEBHOOK_SECRET: TAILSCALE_SECRET } }));
const delivered = () => [...receiver.processed.values()].map((alert) => `${String(alert.ruleId)} | ${String(alert.dedup)}`).sort();
const alertIds = () => [...receiver.processed.values()].map((alert) => String(alert.alertId));

describe('tailwatch run: tailscale-webhook source', () => {
  it('journals signed events, quarantines a bad one, and the rules see the rest', async () => {
    const live = await start();
    const post = signedPost(TAILSCALE_SECRET, [
      nodeNeedsApproval(recently(20), 'laptop'),
      webhookEvent('nodeCreated', 'not a time'),
      nodeNeedsApproval(recently(10), 'server'),
      webhookEvent('userCreated', recently(5), { user: 'bob@example.com' }),
    ]);
    expect(await postWebhook(webhookUrl, post)).toMatchObject({ status: 200, body: { accepted: 3, rejected: 1 } });
    await waitFor(() => receiver.processed.size >= 2, 'the two webhook alerts');
    expect(delivered()).toEqual(['E2e.Webhook.Node.Needs.Approval | laptop', 'E2e.Webhook.Node.Needs.Approval | server']);
    expect([...receiver.processed.values()][0]).toMatchObject({ title: expect.stringMatching(/^Node \w+ needs approval in example\.com$/) });
    const { samples } = await scrape(live.baseUrl);
    expect(valueOf(samples, 'tailwatch_records_rejected_total', { source: 'tailscale-webhook', reason: 'invalid_time' })).toBe(1);
  }, 60_000);

  it('answers 401 to unsigned, forged, expired and replayed posts and journals none of them', async () => {
    const events = [nodeNeedsApproval(recently(1), 'intruder')];
    const good = signedPost(TAILSCALE_SECRET, events);
    const unsigned = { body: good.body, headers: { 'Content-Type': 'application/json' } };
    const forged = signedPost('guessed-secret', events);
    const expired = signedPost(TAILSCALE_SECRET, events, Math.floor(Date.now() / 1000) - 600);
    for (const post of [unsigned, forged, expired]) expect((await postWebhook(webhookUrl, post)).status).toBe(401);
    const replayed = signedPost(TAILSCALE_SECRET, [nodeNeedsApproval(recently(3), 'kiosk')]);
    expect((await postWebhook(webhookUrl, replayed)).status).toBe(200);
    expect((await postWebhook(webhookUrl, replayed)).status).toBe(401);
    await waitFor(() => receiver.processed.size >= 3, 'the kiosk alert');
    expect(delivered()).not.toContain('E2e.Webhook.Node.Needs.Approval | intruder');
  }, 60_000);

  it('killed with SIGKILL right after a 200 and restarted: every alert once, no gap', async () => {
    // The alert destination is down: the printer alert cannot have been delivered before the kill.
    await receiver.down();
    const post = signedPost(TAILSCALE_SECRET, [nodeNeedsApproval(recently(2), 'printer')]);
    expect((await postWebhook(webhookUrl, post)).status).toBe(200);
    expect(await tailwatch?.kill()).toEqual({ code: null, signal: 'SIGKILL' });
    await start();
    await receiver.up();
    expect((await postWebhook(webhookUrl, signedPost(TAILSCALE_SECRET, [nodeNeedsApproval(recently(1), 'camera')]))).status).toBe(200);
    await waitFor(() => receiver.processed.size >= 5, 'the alerts of the posts around the kill');
    expect(delivered()).toEqual([
      'E2e.Webhook.Node.Needs.Approval | camera', 'E2e.Webhook.Node.Needs.Approval | kiosk', 'E2e.Webhook.Node.Needs.Approval | laptop',
      'E2e.Webhook.Node.Needs.Approval | printer', 'E2e.Webhook.Node.Needs.Approval | server',
    ]);
    expect(new Set(alertIds()).size).toBe(5);
    expect([...receiver.arrivals.values()].every((n) => n === 1)).toBe(true);
  }, 60_000);

  it('lists the bad event with `tailwatch quarantine`, naming the request it came in', async () => {
    expect(await tailwatch?.stop()).toEqual({ code: 0, signal: null });
    const entries = await quarantined(workspace.configPath, 'invalid_time');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ reason: 'invalid_time', message: expect.stringContaining('Tailscale.Webhook record has an invalid timestamp') });
    expect(JSON.stringify(entries[0])).toContain('tailscale-webhook:0[1]');
  });
});
