// A real nats-server (Debian's 2.9 package) for the cluster tests: JetStream on, bound to 127.0.0.1 on a free port,
// its store in a temp dir; stop and start again on the same port and store (a broker outage), or kill it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../e2e/support/workspace.ts';

export const NATS_SERVER_BIN = process.env.NATS_SERVER ?? (existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server');

export interface NatsServer {
  url: string;
  port: number;
  /** Stops it (SIGTERM) and waits for the exit; `start()` brings it back on the same port and store. */
  stop: () => Promise<void>;
  start: () => Promise<void>;
  /** Stops it for good and removes its store. */
  close: () => Promise<void>;
}

export async function startNatsServer(options: { token?: string } = {}): Promise<NatsServer> {
  const storeDir = await mkdtemp(join(tmpdir(), 'tailwatch-nats-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const start = async () => {
    const args = ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir, ...(options.token === undefined ? [] : ['--auth', options.token])];
    const started = spawn(NATS_SERVER_BIN, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    started.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child = started;
    exited = new Promise((resolve) => started.on('close', () => resolve()));
    await waitForPort(port, () => (started.exitCode !== null ? `nats-server exited: ${stderr}` : undefined));
  };
  const stop = async () => {
    child?.kill('SIGTERM');
    await exited;
    child = undefined;
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    stop,
    start,
    close: async () => {
      await stop();
      await rm(storeDir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number, failed: () => string | undefined): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const problem = failed();
    if (problem !== undefined) throw new Error(problem);
    const open = await new Promise<boolean>((resolve) => {
      const socket = tcpConnect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nats-server did not listen on ${port}`);
}
