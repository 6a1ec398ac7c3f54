// A `tailwatch run` cluster node as a child process, and which partitions it took (its "partition taken" log lines
// since its last hand-over).
import { startTailwatch, type TailwatchProcess } from '../../e2e/support/tailwatch-process.ts';
import type { ClusterWorkspace } from './cluster-workspace.ts';

const GIVEN_UP = new Set([
  'partition handed over',
  'partition lease lost; evaluation stopped here',
  'partition evaluation failed; the partition is given up and taken again from its snapshot',
]);

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
      if (GIVEN_UP.has(line.msg)) held.delete(String(line.partition));
    }
    return [...held].sort();
  };
  return { name, baseUrl, baseUrls, process, holds };
}
