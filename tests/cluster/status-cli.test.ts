// `tailwatch cluster status` against a real nats-server that needs a token (auth by `{ env }`): the partition map
// with owners, tokens and snapshots; a wrong token is a clear error that never prints the token.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lease } from '../../engine/cluster/lease.ts';
import type { ClusterResources } from '../../engine/cluster/resources.ts';
import { saveSnapshot } from '../../engine/cluster/snapshot-store.ts';
import { runCli } from '../support/run-cli.ts';
import { startNatsServer, type NatsServer } from './support/nats-server.ts';
import { openTestResources } from './support/resources.ts';

const TOKEN = 'nats-token-for-tests-42';
let nats: NatsServer;
let resources: ClusterResources;
let dir: string;
let configPath: string;

beforeAll(async () => {
  nats = await startNatsServer({ token: TOKEN });
  resources = await openTestResources(nats.url, 'status', { auth: { token: { env: 'NATS_TOKEN' } }, node: 'n1', leaseTtlSeconds: 60 }, { NATS_TOKEN: TOKEN });
  dir = await mkdtemp(join(tmpdir(), 'tailwatch-cluster-status-'));
  configPath = join(dir, 'alerts.config.json');
  await writeFile(configPath, JSON.stringify({
    dataDir: join(dir, 'data'),
    destinations: { out: { kind: 'stdout' } },
    defaultRoute: ['out'],
    cluster: { ...resources.config, partitions: ['alpha', 'beta'] },
  }));
}, 30_000);
afterAll(async () => {
  await resources?.connection.close();
  await nats?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('tailwatch cluster status', () => {
  it('prints who holds each partition, its token and its snapshot', async () => {
    const lease = await Lease.tryAcquire(resources, 'alpha', 'n1');
    await saveSnapshot(resources, { partition: 'alpha', seq: 0, token: lease!.token, node: 'n1', takenAtMs: Date.now(), state: { watermarks: [], alerts: { windows: [] }, aggregates: {} } as never });
    await resources.leases.put(resources.names.memberKey('n1'), '{}');

    const json = await runCli(['cluster', 'status', '--format', 'json', '--config', configPath], { env: { NATS_TOKEN: TOKEN } });
    expect(json.code, json.stderr).toBe(0);
    const status = JSON.parse(json.stdout) as { members: string[]; partitions: Record<string, unknown>[]; deadLetters: number };
    expect(status.members).toEqual(['n1']);
    expect(status.partitions).toMatchObject([
      { partition: 'alpha', owner: 'n1', token: lease!.token, snapshotSeq: 0 },
      { partition: 'beta', owner: null, token: null, snapshotSeq: null },
    ]);
    expect(status.deadLetters).toBe(0);

    const text = await runCli(['cluster', 'status', '--config', configPath], { env: { NATS_TOKEN: TOKEN } });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^members \(1\): n1$/m);
    expect(text.stdout).toMatch(new RegExp(`^alpha +n1 +${lease!.token} `, 'm'));
    expect(text.stdout).toMatch(/^beta +\(none\) +-/m);
  });

  it('names the servers when the token is wrong, and never prints it', async () => {
    const result = await runCli(['cluster', 'status', '--config', configPath], { env: { NATS_TOKEN: 'wrong-token-value' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot connect to NATS at ${nats.url}`);
    expect(result.stderr).not.toContain('wrong-token-value');
  });

  it('says so when the config has no cluster key', async () => {
    const single = join(dir, 'single.json');
    await writeFile(single, JSON.stringify({ dataDir: join(dir, 'data'), destinations: {}, defaultRoute: [] }));
    const result = await runCli(['cluster', 'status', '--config', single]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('has no `cluster` key');
  });
});
