// A route whose `ruleIds` pattern matches no loaded rule (a typo) is not accepted silently: `tailwatch run` warns.
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';
import type { WebhookReceiver } from '../support/webhook-receiver.ts';
import { startTailwatch } from './support/tailwatch-process.ts';
import type { TailwatchProcess } from './support/tailwatch-process.ts';
import { WEBHOOK_SECRET, createWorkspace } from './support/workspace.ts';
import type { Workspace } from './support/workspace.ts';

let receiver: WebhookReceiver;
let workspace: Workspace;
let tailwatch: TailwatchProcess;

beforeAll(async () => {
  receiver = await startWebhookReceiver({ secret: WEBHOOK_SECRET });
  workspace = await createWorkspace({ webhookUrl: receiver.url });
  const config = JSON.parse(await readFile(workspace.configPath, 'utf8')) as Record<string, unknown>;
  config.routes = [
    { match: { ruleIds: ['Tailscale.Policy.*'] }, to: ['soar'] },
    { match: { ruleIds: ['Tailscale.Polcy.File.Updated', 'tailscale.magic.dns.disabled'] }, to: ['soar'] },
  ];
  await writeFile(workspace.configPath, JSON.stringify(config));
  tailwatch = await startTailwatch({ configPath: workspace.configPath, env: workspace.env });
});

afterAll(async () => {
  await tailwatch?.kill();
  await receiver?.close();
  await workspace?.remove();
});

describe('route ruleIds patterns', () => {
  it('warns, at start, about each pattern that matches no loaded rule', () => {
    const warnings = tailwatch.logs.filter((line) => line.msg === 'route pattern matches no rule').map((line) => line.problem);
    expect(warnings).toEqual(['routes[1].match.ruleIds: "Tailscale.Polcy.File.Updated" matches no loaded rule']);
  });
});
