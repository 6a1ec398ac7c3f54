// A group as plain JSON data (for `run` snapshots) and back; a restored group is exactly the saved one.
import type { GroupPool } from './group-pool.ts';
import type { GroupState } from './group-state.ts';
import type { WindowLayout } from './window-layout.ts';

export interface GroupSnapshot {
  tailnet: string;
  group: string;
  head: number;
  firstMinute: number;
  crossedAt: number;
  crossedMask: number;
  cells: number[];
  contributors: (string | null)[];
  /** distinct measures: item, recent-minutes bitmask, latest older minute. */
  items?: [string, number, number][];
}

export function snapshotGroup(state: GroupState, layout: WindowLayout): GroupSnapshot {
  const snapshot: GroupSnapshot = {
    tailnet: state.tailnet,
    group: state.group,
    head: state.head,
    firstMinute: state.firstMinute,
    crossedAt: state.crossedAt,
    crossedMask: state.crossedMask,
    cells: Array.from(state.cells.subarray(state.base, state.base + layout.cells)),
    contributors: state.keys.slice(state.keyBase, state.keyBase + layout.summarySlots).map((key) => key ?? null),
  };
  if (state.items !== undefined) snapshot.items = [...state.items].map(([item, seen]) => [item, seen.recent, seen.older]);
  return snapshot;
}

export function restoreGroup(pool: GroupPool, layout: WindowLayout, snapshot: GroupSnapshot): GroupState {
  const state = pool.create(snapshot.tailnet, snapshot.group);
  state.head = snapshot.head;
  state.firstMinute = snapshot.firstMinute;
  state.crossedAt = snapshot.crossedAt;
  state.crossedMask = snapshot.crossedMask;
  state.cells.set(snapshot.cells.slice(0, layout.cells), state.base);
  snapshot.contributors.slice(0, layout.summarySlots).forEach((key, i) => (state.keys[state.keyBase + i] = key ?? undefined));
  for (const [item, recent, older] of snapshot.items ?? []) state.items?.set(item, { recent, older });
  return state;
}
