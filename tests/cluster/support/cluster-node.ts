// A `tailwatch run` cluster node as a child process, and which partitions it took (its "partition taken" log lines
// since its last hand-over).
import { startTailwatch, type TailwatchProcess } from '../../e2e/support/tailwatch-process.ts';
import type { ClusterWorkspace } from './cluster-workspace.ts';

export interface ClusterNodeProcess {
  name: string;
  baseUrl: string;
  baseUrls: Record<string, string>;
  process: TailwatchProcess;
  /** Partitions it took and has not handed over or lost since. */
  holds: () => string[];
}

export async function startClusterNode(workspace: ClusterWorkspace, name: string, tailnets?: readonly string[]): Promise<ClusterNodeProcess> {
  const { configPath, baseUrl, baseUrls } = await workspace.node(name, tailnets);
  const process = await startTailwatch({ configPath, env: workspace.env });
  const holds = () => {
    const held = new Set<string>();
    for (const line of process.logs) {
      if (line.msg === 'partition taken') held.add(String(line.partition));
      if (line.msg === 'partition handed over' || line.msg === 'partition lease lost; evaluation stopped here') held.delete(String(line.partition));
    }
    return [...held].sort();
  };
  return { name, baseUrl, baseUrls, process, holds };
}
