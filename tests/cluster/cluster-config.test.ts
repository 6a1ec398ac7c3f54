// The `cluster` key: defaults, what it refuses (a duplicate window shorter than a failover's reach, unknown keys),
// and a `tailwatch run` whose sources send a tailnet no partition evaluates.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Config } from '../../engine/config/schema.ts';
import { runCli } from '../support/run-cli.ts';

const base = { destinations: { out: { kind: 'stdout' } }, defaultRoute: ['out'] };

describe('config cluster', () => {
  it('is absent by default (the single process)', () => {
    expect(Config.parse(base).cluster).toBeUndefined();
  });

  it('fills in streams, buckets, roles and timings', () => {
    const { cluster } = Config.parse({ ...base, cluster: { servers: ['nats://127.0.0.1:4222'] } });
    expect(cluster).toMatchObject({
      roles: ['ingest', 'evaluate', 'deliver'],
      streams: { ingest: 'TAILWATCH_INGEST', alerts: 'TAILWATCH_ALERTS', deadLetters: 'TAILWATCH_DEAD_LETTERS' },
      buckets: { leases: 'tailwatch-leases', snapshots: 'tailwatch-snapshots' },
      leaseTtlSeconds: 10,
      snapshotIntervalSeconds: 30,
      duplicateWindowSeconds: 600,
      replicas: 1,
    });
  });

  it('refuses a duplicate window that does not cover the snapshot interval plus the lease TTL', () => {
    const result = Config.safeParse({ ...base, cluster: { servers: ['nats://x:4222'], snapshotIntervalSeconds: 60, leaseTtlSeconds: 10, duplicateWindowSeconds: 65 } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ['cluster', 'duplicateWindowSeconds'] });
  });

  it('refuses a literal token and unknown keys', () => {
    expect(Config.safeParse({ ...base, cluster: { servers: ['nats://x:4222'], auth: { token: 'literal' } } }).success).toBe(false);
    expect(Config.safeParse({ ...base, cluster: { servers: ['nats://x:4222'], leaseTTL: 5 } }).success).toBe(false);
  });

  it('stops `tailwatch run` when a source sends a tailnet that is not a partition', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tailwatch-cluster-config-'));
    try {
      const configPath = join(dir, 'alerts.config.json');
      await writeFile(configPath, JSON.stringify({
        ...base,
        dataDir: join(dir, 'data'),
        rules: { dir: join(dir, 'rules') },
        sources: [{ kind: 'hec', listen: '127.0.0.1:0', tailnet: 'gamma', tokens: [{ env: 'HEC_TOKEN' }] }],
        cluster: { servers: ['nats://127.0.0.1:1'], partitions: ['alpha'] },
      }));
      await mkdir(join(dir, 'rules'));
      const result = await runCli(['run', '--config', configPath], { env: { HEC_TOKEN: 'x'.repeat(24) } });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("cluster.partitions: the sources' tailnets gamma are not among the partitions (alpha)");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
