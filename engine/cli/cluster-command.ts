// `tailwatch cluster status`: reads the partition map from NATS and prints it (text table or JSON).
import { existsSync } from 'node:fs';
import { bindResources } from '../cluster/resources.ts';
import { ClusterConnection } from '../cluster/connection.ts';
import { readClusterStatus, type ClusterStatus } from '../cluster/cluster-status.ts';
import { partitionsOf } from '../cluster/partitions.ts';
import { DEFAULT_CONFIG_FILE } from '../config/defaults.ts';
import { loadConfigOrDefault } from '../config/load.ts';
import { ConfigError } from '../errors.ts';
import { sourceTailnets } from '../sources/create-sources.ts';

export interface ClusterStatusOptions {
  format: 'text' | 'json';
  config?: string | undefined;
}

export async function runClusterStatus(options: ClusterStatusOptions): Promise<void> {
  const file = options.config ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  const config = await loadConfigOrDefault(file, { checkSecrets: false });
  if (config.cluster === undefined) throw new ConfigError(`${file ?? 'the default config'} has no \`cluster\` key: this is a single-process deployment`);
  const partitions = partitionsOf(config.cluster, sourceTailnets(config.sources));
  const connection = await ClusterConnection.open(config.cluster, process.env);
  try {
    const status = await readClusterStatus(await bindResources(connection, config.cluster), partitions);
    process.stdout.write(options.format === 'json' ? `${JSON.stringify(status, null, 2)}\n` : statusText(status));
  } finally {
    await connection.close();
  }
}

function statusText(status: ClusterStatus): string {
  const seconds = (value: number | null) => (value === null ? '-' : `${value.toFixed(1)} s ago`);
  const rows = status.partitions.map((p) => [p.partition, p.owner ?? '(none)', String(p.token ?? '-'), seconds(p.leaseRenewedAgoSeconds), String(p.snapshotSeq ?? '-'), seconds(p.snapshotAgeSeconds), String(p.ingestSeq)]);
  const header = ['PARTITION', 'OWNER', 'TOKEN', 'RENEWED', 'SNAPSHOT SEQ', 'SNAPSHOT', 'INGEST SEQ'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  const delivery = status.delivery === null ? 'no delivery consumer yet' : `${status.delivery.pending} pending, ${status.delivery.awaitingAck} awaiting ack, ${status.delivery.redelivered} redelivered`;
  return [
    `members (${status.members.length}): ${status.members.join(', ') || 'none'}`,
    line(header),
    ...rows.map(line),
    `delivery: ${delivery}; dead letters: ${status.deadLetters}`,
    '',
  ].join('\n');
}
