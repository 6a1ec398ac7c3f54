// The usual e2e set-up: a signed webhook receiver, a workspace whose config points at it (changed by `configure` if
// given), and a real `tailwatch run` on it; close() ends all three.
import { readFile, writeFile } from 'node:fs/promises';
import { startWebhookReceiver } from '../../support/webhook-receiver.ts';
import type { WebhookReceiver } from '../../support/webhook-receiver.ts';
import { startTailwatch } from './tailwatch-process.ts';
import type { TailwatchProcess } from './tailwatch-process.ts';
import { WEBHOOK_SECRET, createWorkspace } from './workspace.ts';
import type { Workspace, WorkspaceOptions } from './workspace.ts';

export interface EvaluatorUnderTest {
  receiver: WebhookReceiver;
  workspace: Workspace;
  tailwatch: TailwatchProcess;
  close(): Promise<void>;
}

export async function startEvaluatorUnderTest(
  options: { workspace?: Omit<WorkspaceOptions, 'webhookUrl'>; configure?: (config: Record<string, unknown>) => Record<string, unknown> } = {},
): Promise<EvaluatorUnderTest> {
  const receiver = await startWebhookReceiver({ secret: WEBHOOK_SECRET });
  const workspace = await createWorkspace({ ...options.workspace, webhookUrl: receiver.url });
  if (options.configure !== undefined) {
    const config = JSON.parse(await readFile(workspace.configPath, 'utf8')) as Record<string, unknown>;
    await writeFile(workspace.configPath, JSON.stringify(options.configure(config)));
  }
  const tailwatch = await startTailwatch({ configPath: workspace.configPath, env: workspace.env });
  return {
    receiver,
    workspace,
    tailwatch,
    close: async () => {
      await tailwatch.kill();
      await receiver.close();
      await workspace.remove();
    },
  };
}
