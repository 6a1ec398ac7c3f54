// The partition map of a running cluster, read from NATS: each partition's lease (owner, token, last renewal), its
// newest snapshot (sequence, age) and the ingest sequence it has reached; the live members; the delivery consumer.
import type { ClusterResources } from './resources.ts';
import type { LeaseValue } from './lease.ts';
import { loadSnapshot } from './snapshot-store.ts';

export interface PartitionStatus {
  partition: string;
  owner: string | null;
  token: number | null;
  leaseRenewedAgoSeconds: number | null;
  snapshotSeq: number | null;
  snapshotAgeSeconds: number | null;
  /** The last sequence published to the partition's ingest subject. */
  ingestSeq: number;
}

export interface ClusterStatus {
  members: string[];
  partitions: PartitionStatus[];
  delivery: { pending: number; awaitingAck: number; redelivered: number } | null;
  deadLetters: number;
}

export async function readClusterStatus(resources: ClusterResources, partitions: readonly string[], nowMs = Date.now()): Promise<ClusterStatus> {
  const { leases, names, connection, config } = resources;
  const members: string[] = [];
  for await (const key of await leases.keys(`${names.memberPrefix}>`)) members.push(key.slice(names.memberPrefix.length));
  const rows: PartitionStatus[] = [];
  for (const partition of partitions) {
    const entry = await leases.get(names.leaseKey(partition));
    const lease = entry === null || entry.operation !== 'PUT' ? undefined : (entry.json<LeaseValue>());
    const snapshot = await loadSnapshot(resources, partition);
    const last = await connection.jsm.streams.getMessage(config.streams.ingest, { last_by_subj: names.ingestSubject(partition) });
    rows.push({
      partition,
      owner: lease?.node ?? null,
      token: lease?.token ?? null,
      leaseRenewedAgoSeconds: lease === undefined ? null : Math.max(0, (nowMs - lease.renewedAtMs) / 1000),
      snapshotSeq: snapshot?.seq ?? null,
      snapshotAgeSeconds: snapshot === undefined ? null : Math.max(0, (nowMs - snapshot.takenAtMs) / 1000),
      ingestSeq: last?.seq ?? 0,
    });
  }
  const consumer = await connection.jsm.consumers.info(config.streams.alerts, names.deliveryConsumer).catch(() => undefined);
  const dead = await connection.jsm.streams.info(config.streams.deadLetters);
  return {
    members: members.sort(),
    partitions: rows,
    delivery: consumer === undefined ? null : { pending: consumer.num_pending, awaitingAck: consumer.num_ack_pending, redelivered: consumer.num_redelivered },
    deadLetters: dead.state.messages,
  };
}
