// Which partitions (tailnets) a cluster evaluates: the configured ones, else the tailnets of the sources.
import { ConfigError } from '../errors.ts';
import type { ClusterConfig } from './cluster-config.ts';

/** Every source's tailnet must be a partition, or its records would be published where nobody evaluates them. */
export function partitionsOf(cluster: Pick<ClusterConfig, 'partitions'>, sourceTailnets: ReadonlyMap<string, string>): string[] {
  const fromSources = [...new Set(sourceTailnets.values())].sort();
  const partitions = cluster.partitions ?? (fromSources.length > 0 ? fromSources : ['default']);
  const missing = fromSources.filter((tailnet) => !partitions.includes(tailnet));
  if (missing.length > 0) throw new ConfigError(`cluster.partitions: the sources' tailnets ${missing.join(', ')} are not among the partitions (${partitions.join(', ')})`);
  return partitions;
}
