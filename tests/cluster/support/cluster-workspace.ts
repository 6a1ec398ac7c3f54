// Cluster nodes for the e2e tests: one e2e workspace (rules, webhook destination) and, per node, a config with its
// own data directory, HEC address and node name, all pointing at the same NATS server and stream names.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createWorkspace, freePort, type Workspace, type WorkspaceOptions } from '../../e2e/support/workspace.ts';

export interface NodeFiles {
  configPath: string;
  /** The HEC base URL of the first tailnet's receiver. */
  baseUrl: string;
  /** One HEC receiver per tailnet, by tailnet. */
  baseUrls: Record<string, string>;
}

export interface ClusterWorkspace extends Workspace {
  /** The config file of node `name` (written on first use): one HEC receiver per tailnet (default: one, "default"). */
  node: (name: string, tailnets?: readonly string[]) => Promise<NodeFiles>;
}

export interface ClusterWorkspaceOptions extends WorkspaceOptions {
  natsUrl: string;
  /** Stream and bucket names get this suffix, so tests on one server never meet. */
  suffix: string;
  /** Extra keys of `cluster` (partitions, TTLs). */
  cluster?: Record<string, unknown>;
}

export async function createClusterWorkspace(options: ClusterWorkspaceOptions): Promise<ClusterWorkspace> {
  const workspace = await createWorkspace(options);
  const base = JSON.parse(await readFile(workspace.configPath, 'utf8')) as Record<string, unknown>;
  const nodes = new Map<string, NodeFiles>();
  const { suffix } = options;
  const node = async (name: string, tailnets: readonly string[] = ['default']) => {
    const known = nodes.get(name);
    if (known !== undefined) return known;
    const [hec] = base.sources as Record<string, unknown>[];
    const baseUrls: Record<string, string> = {};
    const sources = [];
    for (const tailnet of tailnets) {
      const listen = `127.0.0.1:${await freePort()}`;
      baseUrls[tailnet] = `http://${listen}`;
      sources.push({ ...hec, name: `hec-${sources.length + 1}`, listen, tailnet });
    }
    const config = {
      ...base,
      dataDir: join(workspace.dir, `data-${name}`),
      sources,
      cluster: {
        servers: [options.natsUrl],
        node: name,
        streams: { ingest: `IN_${suffix}`, alerts: `AL_${suffix}`, deadLetters: `DL_${suffix}` },
        buckets: { leases: `leases-${suffix}`, snapshots: `snaps-${suffix}` },
        leaseTtlSeconds: 3,
        snapshotIntervalSeconds: 1,
        ackWaitSeconds: 5,
        ...options.cluster,
      },
    };
    const configPath = join(workspace.dir, `node-${name}.json`);
    await writeFile(configPath, JSON.stringify(config, null, 2));
    const entry = { configPath, baseUrl: baseUrls[tailnets[0]!]!, baseUrls };
    nodes.set(name, entry);
    return entry;
  };
  return { ...workspace, node };
}
