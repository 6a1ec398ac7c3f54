// Hot reload of a running `tailwatch run` while logs keep flowing: a new rule file starts alerting, a changed rule
// behaves the new way, a broken rule (syntax error, invalid metadata) leaves the previous version running and
// says why on /readyz and in tailwatch_config_reload_failures_total, and fixing it makes the evaluator ready again.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plantedStream } from '../../fixtures/e2e/planted-stream.ts';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';
import type { WebhookReceiver } from '../support/webhook-receiver.ts';
import { waitFor } from '../support/wait-for.ts';
import { hecBody, postHec } from './support/hec-client.ts';
import { postMarker as postAuditMarker } from './support/marker.ts';
import { getJson, scrape, valueOf } from './support/scrape.ts';
import { startTailwatch } from './support/tailwatch-process.ts';
import type { TailwatchProcess } from './support/tailwatch-process.ts';
import { ENGINE_INDEX_URL, HEC_TOKEN, WEBHOOK_SECRET, createWorkspace } from './support/workspace.ts';
import type { Workspace } from './support/workspace.ts';

const RULE_ID = 'E2e.Reload.Marker';
const RULE_FILE = 'e2e-reload-marker.ts';

/** The marker rule's source: `version` goes into its title, `severity` is written as given (may be invalid). */
function markerRule(version: string, severity = 'MEDIUM', body = ''): string {
  return `import { defineRule } from '${ENGINE_INDEX_URL}';
export default defineRule({
  id: '${RULE_ID}',
  logTypes: ['Tailscale.Audit'],
  severity: '${severity}',
  rule: (e) => e.event.action === 'E2E_MARK',
  dedup: (e) => e.event.actor?.id ?? '',
  title: (e) => '${version} ' + (e.event.actor?.id ?? ''),
  ${body}
});
`;
}

let markers = 0;
/** Posts one marker event (a distinct actor each time) and returns that actor's id. */
const postMarker = () => postAuditMarker(tailwatch.baseUrl, { action: 'E2E_MARK', prefix: 'Marker', n: ++markers, hourUtc: new Date(Date.UTC(2026, 7, 10, 11)) });

let receiver: WebhookReceiver;
let workspace: Workspace;
let tailwatch: TailwatchProcess;
let flowing = true;
let flow: Promise<number[]>;

/** Background logs posted in a loop for the whole test; resolves with every status code they got. */
async function keepLogsFlowing(): Promise<number[]> {
  const bodies = plantedStream().batches.map(hecBody);
  const statuses: number[] = [];
  for (let i = 0; flowing; i = (i + 1) % bodies.length) {
    statuses.push((await postHec(tailwatch.baseUrl, bodies[i] ?? '', { token: HEC_TOKEN })).status);
  }
  return statuses;
}

const reloads = (msg: string) => tailwatch.logs.filter((line) => line.msg === msg).length;
const markerAlert = (actor: string) => [...receiver.processed.values()].find((alert) => alert.ruleId === RULE_ID && alert.dedup === actor);

async function alertFor(actor: string): Promise<Record<string, unknown>> {
  await waitFor(() => markerAlert(actor) !== undefined, `the marker alert for ${actor}`);
  return markerAlert(actor) as Record<string, unknown>;
}

async function rewrite(source: string, outcome: 'rules and config reloaded' | 'reload failed; the previous rules and config keep running') {
  const before = reloads(outcome);
  await writeFile(join(workspace.rulesDir, RULE_FILE), source);
  await waitFor(() => reloads(outcome) > before, `"${outcome}"`);
}

beforeAll(async () => {
  receiver = await startWebhookReceiver({ secret: WEBHOOK_SECRET });
  workspace = await createWorkspace({ webhookUrl: receiver.url });
  tailwatch = await startTailwatch({ configPath: workspace.configPath, env: workspace.env });
  flow = keepLogsFlowing();
});

afterAll(async () => {
  flowing = false;
  await tailwatch?.kill();
  await receiver?.close();
  await workspace?.remove();
});

describe('hot reload while logs flow', () => {
  it('starts alerting when a rule file is added', async () => {
    const before = await postMarker();
    await rewrite(markerRule('v1'), 'rules and config reloaded');
    const after = await postMarker();
    expect(await alertFor(after)).toMatchObject({ title: `v1 ${after}`, severity: 'MEDIUM' });
    expect(markerAlert(before)).toBeUndefined();
  });

  it('applies a changed rule', async () => {
    await rewrite(markerRule('v2', 'HIGH'), 'rules and config reloaded');
    const actor = await postMarker();
    expect(await alertFor(actor)).toMatchObject({ title: `v2 ${actor}`, severity: 'HIGH' });
  });

  it('keeps the previous version running when the rule breaks, and says why', async () => {
    await rewrite(`${markerRule('v3')}\nexport const broken = ;\n`, 'reload failed; the previous rules and config keep running');
    const ready = await getJson(`${tailwatch.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(JSON.stringify(ready.body.failing)).toContain(RULE_FILE);
    const actor = await postMarker();
    expect(await alertFor(actor)).toMatchObject({ title: `v2 ${actor}` });

    await rewrite(markerRule('v3', 'SEVERE'), 'reload failed; the previous rules and config keep running');
    const invalid = await getJson(`${tailwatch.baseUrl}/readyz`);
    expect(JSON.stringify(invalid.body.failing)).toContain('severity');
    expect(valueOf((await scrape(tailwatch.baseUrl)).samples, 'tailwatch_config_reload_failures_total')).toBe(2);
  });

  it('is ready again once the rule is fixed', async () => {
    await rewrite(markerRule('v3'), 'rules and config reloaded');
    const ready = await getJson(`${tailwatch.baseUrl}/readyz`);
    expect(ready).toMatchObject({ status: 200, body: { status: 'ready' } });
    const actor = await postMarker();
    expect(await alertFor(actor)).toMatchObject({ title: `v3 ${actor}`, severity: 'MEDIUM' });
  });

  it('answered every background body with 200 throughout', async () => {
    flowing = false;
    const statuses = await flow;
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  });
});
