// SIGTERM at any point of start-up is a graceful stop: the handler is installed before the first port opens,
// so a signal sent the moment the process says it listens (or runs) never meets Node's default handler.
import { afterEach, describe, expect, it } from 'vitest';
import { startTailwatch } from './support/tailwatch-process.ts';
import { createWorkspace } from './support/workspace.ts';
import type { Workspace } from './support/workspace.ts';

let workspace: Workspace | undefined;
afterEach(async () => {
  await workspace?.remove();
});

describe('tailwatch run stopped during start-up', () => {
  it.each(['listening', 'tailwatch is running'])('exits 0 when SIGTERM arrives as it logs "%s"', async (msg) => {
    workspace = await createWorkspace({ webhookUrl: 'http://127.0.0.1:9/never-called' });
    let signalled = false;
    const tailwatch = await startTailwatch({
      configPath: workspace.configPath,
      env: workspace.env,
      onLog: (line, child) => {
        if (line.msg !== msg || signalled) return;
        signalled = true;
        child.kill('SIGTERM');
      },
    });
    expect(await tailwatch.exited).toEqual({ code: 0, signal: null });
    expect(signalled).toBe(true);
    expect(tailwatch.logs.map((line) => line.msg)).toEqual(expect.arrayContaining(['stopping', 'stopped']));
  });
});
