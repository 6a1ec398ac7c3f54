// The cluster's streams and buckets on a test nats-server, under names of their own (one suffix per test).
import { ClusterConfig } from '../../../engine/cluster/cluster-config.ts';
import { ClusterConnection } from '../../../engine/cluster/connection.ts';
import { openResources, type ClusterResources } from '../../../engine/cluster/resources.ts';

export function testClusterConfig(natsUrl: string, suffix: string, extra: Record<string, unknown> = {}): ClusterConfig {
  return ClusterConfig.parse({
    servers: [natsUrl],
    streams: { ingest: `IN_${suffix}`, alerts: `AL_${suffix}`, deadLetters: `DL_${suffix}` },
    buckets: { leases: `leases-${suffix}`, snapshots: `snaps-${suffix}` },
    leaseTtlSeconds: 2,
    snapshotIntervalSeconds: 1,
    ...extra,
  });
}

export async function openTestResources(natsUrl: string, suffix: string, extra: Record<string, unknown> = {}, env: Record<string, string> = {}): Promise<ClusterResources> {
  const config = testClusterConfig(natsUrl, suffix, extra);
  return openResources(await ClusterConnection.open(config, env), config);
}
