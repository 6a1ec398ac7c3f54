// The `cluster` key of alerts.config.ts: NATS JetStream mode (absent = the single-process default).
import { z } from 'zod';
import { SecretRef } from '../config/secret.ts';
import { TailnetName } from '../sources/source-config.ts';

const StreamName = z.string().regex(/^[A-Za-z0-9_-]+$/, 'a JetStream stream name: letters, digits, _ and - only');
const BucketName = z.string().regex(/^[A-Za-z0-9_-]+$/, 'a bucket name: letters, digits, _ and - only');

/** What a cluster node does; every node does all three unless told otherwise. */
export const ClusterRole = z.enum(['ingest', 'evaluate', 'deliver']);
export type ClusterRole = z.infer<typeof ClusterRole>;

export const ClusterConfig = z
  .strictObject({
    /** NATS server URLs, e.g. `nats://nats-1:4222` (any of them; the client learns the rest of the cluster). */
    servers: z.array(z.string().min(1)).min(1),
    /** This node's name in leases and `tailwatch cluster status` (default: host name and process id). */
    node: z.string().regex(/^[A-Za-z0-9_-]+$/, 'a node name: letters, digits, _ and - only').optional(),
    roles: z.array(ClusterRole).min(1).default(['ingest', 'evaluate', 'deliver']),
    /** A NATS credentials file (JWT + nkey seed), or a token from the environment. */
    auth: z.union([z.strictObject({ credsFile: z.string().min(1) }), z.strictObject({ token: SecretRef })]).optional(),
    tls: z
      .strictObject({
        caFile: z.string().min(1).optional(),
        certFile: z.string().min(1).optional(),
        keyFile: z.string().min(1).optional(),
        /** TLS before the NATS INFO line (servers configured with `handshake_first`). */
        handshakeFirst: z.boolean().default(false),
      })
      .optional(),
    streams: z
      .strictObject({
        ingest: StreamName.default('TAILWATCH_INGEST'),
        alerts: StreamName.default('TAILWATCH_ALERTS'),
        deadLetters: StreamName.default('TAILWATCH_DEAD_LETTERS'),
      })
      .prefault({}),
    buckets: z
      .strictObject({ leases: BucketName.default('tailwatch-leases'), snapshots: BucketName.default('tailwatch-snapshots') })
      .prefault({}),
    /** The tailnets evaluated, one partition each (default: the tailnets of the configured sources). */
    partitions: z.array(TailnetName.unwrap()).min(1).optional(),
    /** Stream and bucket replicas when tailwatch creates them (3 on a three-server NATS cluster). */
    replicas: z.int().min(1).max(5).default(1),
    /** A lease not renewed for this long lapses and a standby takes the partition (renewed every third of it). */
    leaseTtlSeconds: z.number().min(1).default(10),
    /** How often an evaluator snapshots a partition's state to the Object Store. */
    snapshotIntervalSeconds: z.number().positive().default(30),
    /**
     * The alerts stream's de-duplication window: a re-evaluation after a failover re-publishes what came after the last
     * snapshot, so it must cover the snapshot interval plus the lease TTL (plus the longest broker outage to ride out).
     */
    duplicateWindowSeconds: z.number().positive().default(600),
    /** How long the ingest stream keeps records (a snapshot older than this cannot be resumed from). */
    ingestRetentionHours: z.number().positive().default(7 * 24),
    /** A publish not acknowledged by JetStream within this is answered 503 to the sender. */
    publishTimeoutSeconds: z.number().positive().default(5),
    /** Retry-After sent while NATS is unreachable. */
    retryAfterSeconds: z.int().positive().default(5),
    /** A delivery worker re-reads its outbox for settled alerts this often (and extends their ack wait). */
    ackWaitSeconds: z.number().min(1).default(30),
  })
  .refine((cluster) => cluster.duplicateWindowSeconds >= cluster.snapshotIntervalSeconds + cluster.leaseTtlSeconds, {
    message: 'duplicateWindowSeconds must cover snapshotIntervalSeconds + leaseTtlSeconds, or a failover could publish an alert twice',
    path: ['duplicateWindowSeconds'],
  });
export type ClusterConfig = z.output<typeof ClusterConfig>;
