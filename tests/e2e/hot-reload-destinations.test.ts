// Hot reload of destinations in a running `tailwatch run`: a reload is applied whole. A destination added with a
// route to it gets a delivery lane at once; a reload that also changes what cannot change live (sources) is refused
// whole, with the reason on /readyz and in the log; a removed destination's lane drains what it still had.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';
import type { WebhookReceiver } from '../support/webhook-receiver.ts';
import { waitFor } from '../support/wait-for.ts';
import { postMarker as postAuditMarker } from './support/marker.ts';
import { getJson, scrape, valueOf } from './support/scrape.ts';
import { startTailwatch } from './support/tailwatch-process.ts';
import type { TailwatchProcess } from './support/tailwatch-process.ts';
import { ENGINE_INDEX_URL, WEBHOOK_SECRET, createWorkspace } from './support/workspace.ts';
import type { Workspace } from './support/workspace.ts';

const RULE_ID = 'E2e.Reload.Destination';

const markerRule = `import { defineRule } from '${ENGINE_INDEX_URL}';
export default defineRule({
  id: '${RULE_ID}',
  logTypes: ['Tailscale.Audit'],
  severity: 'MEDIUM',
  rule: (e) => e.event.action === 'E2E_DEST_MARK',
  dedup: (e) => e.event.actor?.id ?? '',
  title: (e) => 'marker ' + (e.event.actor?.id ?? ''),
});
`;

let soar: WebhookReceiver;
let second: WebhookReceiver;
let workspace: Workspace;
let tailwatch: TailwatchProcess;
let original: Record<string, unknown>;
let markers = 0;

const postMarker = () => postAuditMarker(tailwatch.baseUrl, { action: 'E2E_DEST_MARK', prefix: 'Dest', n: ++markers, hourUtc: new Date(Date.UTC(2026, 7, 11, 9)) });

const received = (receiver: WebhookReceiver, actor: string) =>
  [...receiver.processed.values()].some((alert) => alert.ruleId === RULE_ID && alert.dedup === actor);
const logged = (msg: string) => tailwatch.logs.filter((line) => line.msg === msg).length;

/** Writes the config and waits for the reload's outcome. */
async function reloadWith(config: Record<string, unknown>, outcome: 'rules and config reloaded' | 'reload failed; the previous rules and config keep running') {
  const before = logged(outcome);
  await writeFile(workspace.configPath, JSON.stringify(config, null, 2));
  await waitFor(() => logged(outcome) > before, `"${outcome}"`);
}

const withSecond = () => ({
  ...original,
  destinations: { ...(original.destinations as object), second: { kind: 'webhook', url: second.url, secret: { env: 'E2E_WEBHOOK_SECRET' }, timeoutSeconds: 5 } },
  routes: [{ match: { ruleIds: [RULE_ID] }, to: ['second'] }],
});

beforeAll(async () => {
  soar = await startWebhookReceiver({ secret: WEBHOOK_SECRET });
  second = await startWebhookReceiver({ secret: WEBHOOK_SECRET });
  workspace = await createWorkspace({ webhookUrl: soar.url });
  await writeFile(join(workspace.rulesDir, 'e2e-reload-destination.ts'), markerRule);
  original = JSON.parse(await readFile(workspace.configPath, 'utf8')) as Record<string, unknown>;
  tailwatch = await startTailwatch({ configPath: workspace.configPath, env: workspace.env });
});

afterAll(async () => {
  await tailwatch?.kill();
  await soar?.close();
  await second?.close();
  await workspace?.remove();
});

describe('hot reload of destinations', () => {
  it('gives a destination added by a reload its own delivery lane', async () => {
    await reloadWith(withSecond(), 'rules and config reloaded');
    const actor = await postMarker();
    await waitFor(() => received(second, actor), 'the alert at the added destination');
    expect(received(soar, actor)).toBe(false);
  });

  it('refuses a reload whole when part of it needs a restart, and says why', async () => {
    const sources = (original.sources as Record<string, unknown>[]).map((source) => ({ ...source, maxBodyBytes: 2 ** 20 }));
    await reloadWith({ ...original, sources }, 'reload failed; the previous rules and config keep running');
    const ready = await getJson(`${tailwatch.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(JSON.stringify(ready.body.failing)).toMatch(/sources.*restart/);
    const failure = tailwatch.logs.findLast((line) => line.msg === 'reload failed; the previous rules and config keep running');
    expect(String(failure?.error)).toMatch(/sources.*restart/);
    // Nothing of the refused reload was applied: the route to `second` still holds.
    const actor = await postMarker();
    await waitFor(() => received(second, actor), 'the alert still routed to second');
    expect(valueOf((await scrape(tailwatch.baseUrl)).samples, 'tailwatch_config_reload_failures_total')).toBe(1);
  });

  it('lets a removed destination drain what it still had', async () => {
    await second.down();
    const actor = await postMarker();
    const retries = () => scrape(tailwatch.baseUrl).then(({ samples }) => valueOf(samples, 'tailwatch_deliveries_total', { destination: 'second', outcome: 'retry' }) ?? 0);
    const before = await retries();
    for (let i = 0; i < 200 && (await retries()) <= before; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    await reloadWith(original, 'rules and config reloaded');
    expect((await getJson(`${tailwatch.baseUrl}/readyz`)).status).toBe(200);
    await second.up();
    await waitFor(() => received(second, actor), 'the pending alert delivered by the removed destination');
    // New alerts follow the new config.
    const after = await postMarker();
    await waitFor(() => received(soar, after), 'the next alert at soar');
    expect(received(second, after)).toBe(false);
  });

  it('refuses a reload whose new destination cannot be built (a missing secret), keeping the old routes', async () => {
    const third = { kind: 'webhook', url: second.url, secret: { env: 'E2E_UNSET_SECRET' }, timeoutSeconds: 5 };
    const config = { ...original, destinations: { ...(original.destinations as object), third }, routes: [{ match: { ruleIds: [RULE_ID] }, to: ['third'] }] };
    await reloadWith(config, 'reload failed; the previous rules and config keep running');
    expect(JSON.stringify((await getJson(`${tailwatch.baseUrl}/readyz`)).body.failing)).toContain('E2E_UNSET_SECRET');
    const actor = await postMarker();
    await waitFor(() => received(soar, actor), 'the alert at soar under the previous routes');
    await reloadWith(original, 'rules and config reloaded');
  });
});
