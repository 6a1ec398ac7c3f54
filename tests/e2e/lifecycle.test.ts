// `tailwatch run` starting and stopping: a failed start-up exits non-zero and starts nothing; one evaluator per data
// directory (the others name its PID, read-only commands keep working); a second stop signal exits at once.
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { enqueue } from '../../engine/destinations/outbox.ts';
import { openDatabase } from '../../engine/state/database.ts';
import { makeAlerts } from '../support/make-alert.ts';
import { runCli, startCli } from '../support/run-cli.ts';
import { waitFor } from '../support/wait-for.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { startTailwatch, type TailwatchProcess } from './support/tailwatch-process.ts';
import { WEBHOOK_SECRET, createWorkspace, type Workspace } from './support/workspace.ts';

let receiver: WebhookReceiver;
const workspaces: Workspace[] = [];
beforeAll(async () => {
  receiver = await startWebhookReceiver({ secret: WEBHOOK_SECRET });
});
afterAll(async () => {
  await receiver.close();
  for (const workspace of workspaces) await workspace.remove();
});

async function workspace(options: { listen?: string } = {}): Promise<Workspace> {
  const created = await createWorkspace({ webhookUrl: receiver.url, ...options });
  workspaces.push(created);
  return created;
}

/** One alert waiting in the outbox: a deliverer started by mistake would send it. */
function seedOutbox(dataDir: string): void {
  const db = openDatabase(dataDir);
  enqueue(db, makeAlerts(1)[0]!, ['soar']);
  db.close();
}

const run = (ws: Workspace) => runCli(['run', '--config', ws.configPath], { env: ws.env });
const noStack = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at /);

describe('tailwatch run: a failed start-up exits non-zero and starts nothing', () => {
  it('names the address when the HEC port is taken, and delivers nothing', async () => {
    const taken = createServer();
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const { port } = taken.address() as AddressInfo;
    try {
      const ws = await workspace({ listen: `127.0.0.1:${port}` });
      seedOutbox(ws.dataDir);
      const before = receiver.requests.length;
      const result = await run(ws);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`cannot listen on 127.0.0.1:${port} (EADDRINUSE): another process uses this port`);
      noStack(result.stderr);
      expect(receiver.requests.length).toBe(before);
    } finally {
      taken.close();
    }
  });

  it('names the path when the data directory cannot be opened', async () => {
    const ws = await workspace();
    const blocker = join(ws.dir, 'not-a-directory');
    await writeFile(blocker, 'a file where the data directory should be');
    const config = { ...JSON.parse(await readFile(ws.configPath, 'utf8')), dataDir: join(blocker, 'data') };
    await writeFile(ws.configPath, JSON.stringify(config));
    const result = await run(ws);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot open the database ${join(blocker, 'data', 'tailwatch.sqlite')}`);
    expect(result.stderr).toContain('[STATE]');
    noStack(result.stderr);
  });

  it('names the rule file whose module never finishes loading (even when it keeps a timer alive)', async () => {
    const ws = await workspace();
    seedOutbox(ws.dataDir);
    await writeFile(join(ws.rulesDir, 'hangs-at-load.ts'), 'await new Promise(() => setInterval(() => {}, 60_000));\nexport default {};\n');
    const before = receiver.requests.length;
    const result = await run(ws);
    expect(result.code).toBe(1);
    // The evaluation worker's watchdog stops the load at rules.loadBudgetMs.
    expect(result.stderr).toMatch(/hangs-at-load\.ts: loading took longer than 1000 ms \(rules\.loadBudgetMs\)/);
    expect(result.stderr).toContain('[RULE_LOAD]');
    expect(receiver.requests.length).toBe(before);
  });
});

describe('tailwatch run: one evaluator per data directory', () => {
  let ws: Workspace;
  let first: TailwatchProcess;
  beforeAll(async () => {
    ws = await workspace();
    first = await startTailwatch({ configPath: ws.configPath, env: ws.env });
  });
  afterAll(async () => {
    await first.stop();
  });

  it('a second run exits non-zero, naming the PID of the first', async () => {
    const result = await run(ws);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`in use by tailwatch run (PID ${first.child.pid}`);
    expect(result.stderr).toContain('[LOCKED]');
  });

  it('read-only commands keep working beside it', async () => {
    const list = await runCli(['alerts', 'deliveries', '--config', ws.configPath], { env: ws.env });
    expect((await runCli(['alerts', 'list', '--config', ws.configPath], { env: ws.env })).code).toBe(0);
    expect(list).toMatchObject({ code: 0, stdout: expect.stringContaining('0 pending deliveries') });
    const quarantine = await runCli(['quarantine', '--config', ws.configPath], { env: ws.env });
    expect(quarantine.code).toBe(0);
  });

  it('commands that would deliver refuse, or hand the work to it', async () => {
    const retry = await runCli(['alerts', 'retry', '--deliver', '5', '--config', ws.configPath], { env: ws.env });
    expect(retry.code).toBe(0);
    expect(retry.stdout).toContain(`tailwatch run (PID ${first.child.pid}) is running on ${ws.dataDir} and delivers them`);
    const input = join(ws.dir, 'empty.ndjson');
    await writeFile(input, '');
    for (const args of [['replay', input, '--deliver'], ['send-test', '--destination', 'soar']]) {
      const result = await runCli([...args, '--config', ws.configPath], { env: ws.env });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`${args[0] === 'replay' ? 'replay --deliver' : 'send-test'}: the data directory ${ws.dataDir} is in use by tailwatch run (PID ${first.child.pid}`);
    }
  });
});

describe('tailwatch run: stopping', () => {
  let tailwatch: TailwatchProcess | undefined;
  afterEach(async () => {
    await tailwatch?.kill();
  });

  it('exits at once on a second SIGTERM while the first waits for a delivery', async () => {
    const ws = await workspace();
    seedOutbox(ws.dataDir);
    const held = receiver.holdNext();
    tailwatch = await startTailwatch({ configPath: ws.configPath, env: ws.env });
    await held;
    tailwatch.child.kill('SIGTERM');
    await tailwatch.waitForLog('stopping');
    tailwatch.child.kill('SIGTERM');
    expect(await tailwatch.exited).toEqual({ code: 143, signal: null });
    expect(tailwatch.logs.map((line) => line.msg)).toContain('second stop signal: exiting now');
  });

  it('exits on SIGTERM during a start-up that hangs, and on a second one at once', async () => {
    const ws = await workspace();
    await writeFile(join(ws.rulesDir, 'hangs-at-load.ts'), 'await new Promise(() => setInterval(() => {}, 60_000));\nexport default {};\n');
    const { child, done } = startCli(['run', '--config', ws.configPath], { env: ws.env });
    await waitFor(() => existsSync(join(ws.dataDir, 'tailwatch.sqlite')), 'the database to be opened');
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.kill('SIGTERM');
    await waitFor(() => stderr.includes('"stop requested"'), 'the stop request to be logged');
    child.kill('SIGTERM');
    expect(await done).toMatchObject({ code: 143, signal: null });
  });
});
