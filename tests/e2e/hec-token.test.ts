// The generated HEC token: printed only when the running config really reads the unset TAILWATCH_HEC_TOKEN,
// accepted by the receiver, and the same after a restart (kept in the dataDir, readable by the owner only).
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';
import type { WebhookReceiver } from '../support/webhook-receiver.ts';
import { postHec } from './support/hec-client.ts';
import { startTailwatch } from './support/tailwatch-process.ts';
import { HTTP_TOKEN, WEBHOOK_SECRET, createWorkspace } from './support/workspace.ts';
import type { Workspace } from './support/workspace.ts';

let receiver: WebhookReceiver;
let workspace: Workspace;

async function withTokens(tokens: { env: string }[]): Promise<void> {
  const config = JSON.parse(await readFile(workspace.configPath, 'utf8')) as { sources: Record<string, unknown>[] };
  config.sources = config.sources.map((source) => ({ ...source, tokens }));
  await writeFile(workspace.configPath, JSON.stringify(config));
}

const noticeOf = (lines: string[]) => lines.find((line) => line.includes('TAILWATCH_HEC_TOKEN is not set'));
const tokenIn = (notice: string | undefined) => /: (\S+)$/.exec(notice ?? '')?.[1];

beforeAll(async () => {
  receiver = await startWebhookReceiver({ secret: WEBHOOK_SECRET });
  workspace = await createWorkspace({ webhookUrl: receiver.url });
});

afterAll(async () => {
  await receiver?.close();
  await workspace?.remove();
});

describe('generated HEC token', () => {
  it('is not mentioned when the config reads another variable', async () => {
    await withTokens([{ env: 'OTHER_HEC_TOKEN' }]);
    const env = { E2E_WEBHOOK_SECRET: WEBHOOK_SECRET, TAILWATCH_HTTP_TOKEN: HTTP_TOKEN, OTHER_HEC_TOKEN: 'other-token-123' };
    const tailwatch = await startTailwatch({ configPath: workspace.configPath, env });
    try {
      expect(noticeOf(tailwatch.otherStderr)).toBeUndefined();
      expect((await postHec(tailwatch.baseUrl, '{"event":{}}', { token: 'other-token-123' })).status).not.toBe(401);
    } finally {
      await tailwatch.stop();
    }
  });

  it('is printed, accepted, and kept across a restart when the config reads the unset TAILWATCH_HEC_TOKEN', async () => {
    await withTokens([{ env: 'TAILWATCH_HEC_TOKEN' }]);
    const env = { E2E_WEBHOOK_SECRET: WEBHOOK_SECRET, TAILWATCH_HTTP_TOKEN: HTTP_TOKEN };
    const first = await startTailwatch({ configPath: workspace.configPath, env });
    const token = tokenIn(noticeOf(first.otherStderr));
    try {
      expect(token).toMatch(/^[\w-]{20,}$/);
      expect((await postHec(first.baseUrl, '{"event":{}}', { token })).status).not.toBe(401);
      expect((await postHec(first.baseUrl, '{"event":{}}', { token: 'wrong' })).status).toBe(401);
    } finally {
      await first.stop();
    }
    const file = join(workspace.dataDir, 'hec-token');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const second = await startTailwatch({ configPath: workspace.configPath, env });
    try {
      expect(tokenIn(noticeOf(second.otherStderr))).toBe(token);
      expect((await postHec(second.baseUrl, '{"event":{}}', { token })).status).not.toBe(401);
    } finally {
      await second.stop();
    }
  });
});
