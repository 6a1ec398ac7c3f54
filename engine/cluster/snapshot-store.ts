// A partition's evaluator state in the Object Store, with the ingest sequence it covers and the fencing token of the
// owner that wrote it. Each token writes under its own name, and the newest token wins: a paused old owner that
// writes late cannot overwrite a new owner's snapshot (its own older ones are removed by the new owner).
import type { EvaluatorState } from '../rules/evaluator.ts';
import type { ClusterResources } from './resources.ts';

export interface PartitionSnapshot {
  partition: string;
  /** Every ingest message of the partition up to this stream sequence is in `state`. */
  seq: number;
  token: number;
  node: string;
  takenAtMs: number;
  state: EvaluatorState;
}

export async function saveSnapshot(resources: ClusterResources, snapshot: PartitionSnapshot): Promise<void> {
  const name = resources.names.snapshotName(snapshot.partition, snapshot.token);
  await resources.snapshots.putBlob({ name }, new TextEncoder().encode(JSON.stringify(snapshot)));
}

/** The snapshot of the newest token, or undefined when the partition has none. */
export async function loadSnapshot(resources: ClusterResources, partition: string): Promise<PartitionSnapshot | undefined> {
  const names = await snapshotNames(resources, partition);
  const newest = names.at(-1);
  if (newest === undefined) return undefined;
  const bytes = await resources.snapshots.getBlob(newest);
  return bytes === null ? undefined : (JSON.parse(new TextDecoder().decode(bytes)) as PartitionSnapshot);
}

/** Removes the snapshots of tokens before this one (call once the owner of `token` has written its own). */
export async function removeOlderSnapshots(resources: ClusterResources, partition: string, token: number): Promise<void> {
  const keep = resources.names.snapshotName(partition, token);
  for (const name of await snapshotNames(resources, partition)) if (name < keep) await resources.snapshots.delete(name);
}

async function snapshotNames(resources: ClusterResources, partition: string): Promise<string[]> {
  const prefix = resources.names.snapshotPrefix(partition);
  return (await resources.snapshots.list()).filter((info) => !info.deleted && info.name.startsWith(prefix)).map((info) => info.name).sort();
}
