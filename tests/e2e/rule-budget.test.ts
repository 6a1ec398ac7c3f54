// A rule that never returns cannot blind `tailwatch run`: the evaluation worker's watchdog stops the call after
// rules.timeBudgetMs, the rule is disabled (one RULE_ERROR alert, /readyz degraded, tailwatch_rule_timeouts_total),
// the batch is evaluated again without it, and HEC, health and the other rules keep working. A restart over the
// journal stops it again instead of crash-looping; a rule module that loops at its top level fails the hot reload;
// a changed file runs the rule again.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';
import type { WebhookReceiver } from '../support/webhook-receiver.ts';
import { waitFor } from '../support/wait-for.ts';
import { postMarker } from './support/marker.ts';
import { getJson, scrape, valueOf } from './support/scrape.ts';
import { startTailwatch } from './support/tailwatch-process.ts';
import type { TailwatchProcess } from './support/tailwatch-process.ts';
import { ENGINE_INDEX_URL, createWorkspace, freePort } from './support/workspace.ts';
import type { Workspace } from './support/workspace.ts';

const LOOP_ID = 'E2e.Loop.Forever';
const LOOP_FILE = 'e2e-loop-forever.ts';
const MARK_ID = 'E2e.Budget.Marker';
const BUDGET_MS = 300;
const HOUR = new Date(Date.UTC(2026, 7, 10, 11));

/** Alerts on E2E_LOOP; with `loops`, never returns on it. */
function loopRule(loops: boolean): string {
  return `import { defineRule } from '${ENGINE_INDEX_URL}';
export default defineRule({
  id: '${LOOP_ID}',
  logTypes: ['Tailscale.Audit'],
  severity: 'LOW',
  rule: (e) => {
    if (${loops} && e.event.action === 'E2E_LOOP') for (;;) {}
    return e.event.action === 'E2E_LOOP';
  },
  dedup: (e) => e.event.actor?.id ?? '',
});
`;
}

const markRule = `import { defineRule } from '${ENGINE_INDEX_URL}';
export default defineRule({
  id: '${MARK_ID}',
  logTypes: ['Tailscale.Audit'],
  severity: 'LOW',
  rule: (e) => e.event.action === 'E2E_MARK' || e.event.action === 'E2E_LOOP',
  dedup: (e) => e.event.actor?.id ?? '',
});
`;

let receiver: WebhookReceiver;
let workspace: Workspace;
let tailwatch: TailwatchProcess;
let listen: string;
let n = 0;

const post = (action: string) => postMarker(tailwatch.baseUrl, { action, prefix: 'Budget', n: ++n, hourUtc: HOUR });
const alerts = () => [...receiver.processed.values()] as { alertId: string; type: string; ruleId: string; dedup: string; title: string }[];
const timeouts = async () => valueOf((await scrape(tailwatch.baseUrl)).samples, 'tailwatch_rule_timeouts_total', { rule_id: LOOP_ID }) ?? 0;

async function start(): Promise<TailwatchProcess> {
  return startTailwatch({ configPath: workspace.configPath, env: workspace.env });
}

beforeAll(async () => {
  receiver = await startWebhookReceiver({ secret: 'e2e-webhook-secret' });
  listen = `127.0.0.1:${await freePort()}`;
  workspace = await createWorkspace({ webhookUrl: receiver.url, listen });
  const config = JSON.parse(await readFile(workspace.configPath, 'utf8')) as { rules: Record<string, unknown> };
  config.rules.timeBudgetMs = BUDGET_MS;
  await writeFile(workspace.configPath, JSON.stringify(config, null, 2));
  await writeFile(join(workspace.rulesDir, LOOP_FILE), loopRule(true));
  await writeFile(join(workspace.rulesDir, 'e2e-budget-marker.ts'), markRule);
  tailwatch = await start();
});

afterAll(async () => {
  await tailwatch?.kill();
  await receiver?.close();
  await workspace?.remove();
});

describe('tailwatch run with a rule that never returns', () => {
  let looped: string;

  it('stops the rule, says so once, and evaluates the batch with every other rule', async () => {
    looped = await post('E2E_LOOP');
    await waitFor(() => alerts().some((a) => a.type === 'RULE_ERROR' && a.ruleId === LOOP_ID), 'the RULE_ERROR alert');
    const error = alerts().find((a) => a.type === 'RULE_ERROR' && a.ruleId === LOOP_ID)!;
    expect(error.title).toContain(`ran longer than its time budget of ${BUDGET_MS} ms`);
    // The other rule matched the very event the looping rule was stopped on.
    await waitFor(() => alerts().some((a) => a.ruleId === MARK_ID && a.dedup === looped), 'the marker alert of the same event');
    expect(await timeouts()).toBe(1);
    const ready = await getJson(`${tailwatch.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(JSON.stringify(ready.body.failing)).toContain(`${LOOP_ID} (a call ran longer than ${BUDGET_MS} ms)`);
    expect((await getJson(`${tailwatch.baseUrl}/healthz`)).status).toBe(200);
  });

  it('keeps it off: the next looping event costs nothing, and other rules keep alerting', async () => {
    const again = await post('E2E_LOOP');
    const marked = await post('E2E_MARK');
    await waitFor(() => alerts().some((a) => a.ruleId === MARK_ID && a.dedup === marked), 'the next marker alert');
    expect(alerts().some((a) => a.ruleId === MARK_ID && a.dedup === again)).toBe(true);
    expect(await timeouts()).toBe(1);
    expect(alerts().filter((a) => a.type === 'RULE_ERROR')).toHaveLength(1);
  });

  it('comes back after a crash: recovery over the journal stops the rule again instead of looping', async () => {
    await tailwatch.kill();
    tailwatch = await start();
    expect(await timeouts()).toBe(1);
    // The RULE_ERROR alert recovery made again is the same alert: the ledger does not send it twice.
    expect(alerts().filter((a) => a.type === 'RULE_ERROR')).toHaveLength(1);
    const marked = await post('E2E_MARK');
    await waitFor(() => alerts().some((a) => a.ruleId === MARK_ID && a.dedup === marked), 'a marker alert after the restart');
  });

  it('fails the hot reload of a module that loops at its top level, and keeps the running rules', async () => {
    const failures = () => tailwatch.logs.filter((line) => line.msg === 'reload failed; the previous rules and config keep running').length;
    await writeFile(join(workspace.rulesDir, 'e2e-loop-at-load.ts'), `import { defineRule } from '${ENGINE_INDEX_URL}';\nfor (;;) {}\nexport default defineRule({ id: 'E2e.Loop.Load', logTypes: ['Tailscale.Audit'], severity: 'LOW', rule: () => false });\n`);
    await waitFor(() => failures() > 0, 'the failed reload');
    const ready = await getJson(`${tailwatch.baseUrl}/readyz`);
    expect(JSON.stringify(ready.body.failing)).toContain('e2e-loop-at-load.ts: loading took longer than');
    const marked = await post('E2E_MARK');
    await waitFor(() => alerts().some((a) => a.ruleId === MARK_ID && a.dedup === marked), 'a marker alert after the failed reload');
  });

  it('runs the rule again once its file changes', async () => {
    const reloads = () => tailwatch.logs.filter((line) => line.msg === 'rules and config reloaded').length;
    const before = reloads();
    await rm(join(workspace.rulesDir, 'e2e-loop-at-load.ts'));
    await writeFile(join(workspace.rulesDir, LOOP_FILE), loopRule(false));
    await waitFor(() => reloads() > before, 'the reload');
    expect((await getJson(`${tailwatch.baseUrl}/readyz`)).status).toBe(200);
    const fixed = await post('E2E_LOOP');
    await waitFor(() => alerts().some((a) => a.ruleId === LOOP_ID && a.type === 'RULE' && a.dedup === fixed), 'the fixed rule’s alert');
    expect(await tailwatch.stop()).toEqual({ code: 0, signal: null });
  });
});
