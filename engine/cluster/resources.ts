// The streams and buckets of a cluster, created on first use with the configured replicas (only features
// nats-server 2.9 has: bucket-level TTL, no per-key TTL or markers), and bound when they exist.
import { DiscardPolicy, RetentionPolicy, StorageType, type StreamConfig } from '@nats-io/jetstream';
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { Objm, type ObjectStore } from '@nats-io/obj';
import type { ClusterConfig } from './cluster-config.ts';
import type { ClusterConnection } from './connection.ts';
import { clusterNames, type ClusterNames } from './names.ts';

export interface ClusterResources {
  connection: ClusterConnection;
  config: ClusterConfig;
  names: ClusterNames;
  /** Leases (`lease.<partition>`) and live members (`member.<node>`); entries lapse after leaseTtlSeconds. */
  leases: KV;
  snapshots: ObjectStore;
}

const NS_PER_SECOND = 1e9;
const DAY_SECONDS = 86_400;

export async function openResources(connection: ClusterConnection, config: ClusterConfig): Promise<ClusterResources> {
  const { streams, replicas } = config;
  const base = { retention: RetentionPolicy.Limits, storage: StorageType.File, num_replicas: replicas, discard: DiscardPolicy.Old };
  await ensureStream(connection, { ...base, name: streams.ingest, subjects: [`${streams.ingest}.>`], max_age: config.ingestRetentionHours * 3600 * NS_PER_SECOND, duplicate_window: 2 * 60 * NS_PER_SECOND });
  await ensureStream(connection, { ...base, name: streams.alerts, subjects: [`${streams.alerts}.>`], max_age: 30 * DAY_SECONDS * NS_PER_SECOND, duplicate_window: config.duplicateWindowSeconds * NS_PER_SECOND });
  await ensureStream(connection, { ...base, name: streams.deadLetters, subjects: [`${streams.deadLetters}.>`], max_age: 90 * DAY_SECONDS * NS_PER_SECOND, duplicate_window: config.duplicateWindowSeconds * NS_PER_SECOND });
  const leases = await new Kvm(connection.js).create(config.buckets.leases, { history: 1, ttl: config.leaseTtlSeconds * 1000, replicas });
  const snapshots = await new Objm(connection.js).create(config.buckets.snapshots, { replicas });
  return { connection, config, names: clusterNames(config), leases, snapshots };
}

/** The existing streams and buckets, created by no one here (for `tailwatch cluster status`). */
export async function bindResources(connection: ClusterConnection, config: ClusterConfig): Promise<ClusterResources> {
  const leases = await new Kvm(connection.js).open(config.buckets.leases);
  const snapshots = await new Objm(connection.js).open(config.buckets.snapshots);
  return { connection, config, names: clusterNames(config), leases, snapshots };
}

async function ensureStream(connection: ClusterConnection, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  try {
    await connection.jsm.streams.info(config.name);
  } catch (error) {
    if (!(error instanceof JetStreamApiError) || error.code !== JetStreamApiCodes.StreamNotFound) throw error;
    await connection.jsm.streams.add(config);
  }
}
