// Subjects, KV keys and object names of the cluster: a tailnet becomes one token ([A-Za-z0-9_-] kept, the rest
// as =XX), valid both as a subject token and as a KV key, so `example.com` and `example_com` never collide.
import type { ClusterConfig } from './cluster-config.ts';

export function partitionToken(tailnet: string): string {
  return tailnet.replace(/[^A-Za-z0-9_-]/g, (char) => `=${char.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
}

export interface ClusterNames {
  ingestSubject: (tailnet: string) => string;
  alertSubject: (tailnet: string) => string;
  deadLetterSubject: (tailnet: string) => string;
  /** The durable consumer every delivery worker shares. */
  deliveryConsumer: string;
  leaseKey: (tailnet: string) => string;
  memberKey: (node: string) => string;
  memberPrefix: string;
  snapshotName: (tailnet: string, token: number) => string;
  snapshotPrefix: (tailnet: string) => string;
}

export function clusterNames(cluster: Pick<ClusterConfig, 'streams'>): ClusterNames {
  const { ingest, alerts, deadLetters } = cluster.streams;
  return {
    ingestSubject: (tailnet) => `${ingest}.${partitionToken(tailnet)}`,
    alertSubject: (tailnet) => `${alerts}.${partitionToken(tailnet)}`,
    deadLetterSubject: (tailnet) => `${deadLetters}.${partitionToken(tailnet)}`,
    deliveryConsumer: `${alerts}-delivery`,
    leaseKey: (tailnet) => `lease.${partitionToken(tailnet)}`,
    memberKey: (node) => `member.${node}`,
    memberPrefix: 'member.',
    // Zero-padded so names sort by token.
    snapshotName: (tailnet, token) => `${partitionToken(tailnet)}/${String(token).padStart(16, '0')}`,
    snapshotPrefix: (tailnet) => `${partitionToken(tailnet)}/`,
  };
}
