// A group as plain JSON data (for `run` snapshots) and back; a restored group is exactly the saved one.
import type { GroupPool } from './group-pool.ts';
import type { GroupState } from './group-state.ts';
import type { WindowLayout } from './window-layout.ts';

export interface GroupSnapshot {
  key: string;
  head: number;
  firstMinute: number;
  lastFiredEnd: number;
  cells: number[];
  contributors: (string | null)[];
  /** distinct measures: item → last minute seen, oldest update first. */
  items?: [string, number][];
}

export function snapshotGroup(state: GroupState, layout: WindowLayout): GroupSnapshot {
  const snapshot: GroupSnapshot = {
    key: state.key,
    head: state.head,
    firstMinute: state.firstMinute,
    lastFiredEnd: state.lastFiredEnd,
    cells: Array.from(state.cells.subarray(state.base, state.base + layout.cells)),
    contributors: state.keys.slice(state.keyBase, state.keyBase + layout.summarySlots).map((key) => key ?? null),
  };
  if (state.items !== undefined) snapshot.items = [...state.items];
  return snapshot;
}

export function restoreGroup(pool: GroupPool, layout: WindowLayout, snapshot: GroupSnapshot): GroupState {
  const state = pool.create(snapshot.key);
  state.head = snapshot.head;
  state.firstMinute = snapshot.firstMinute;
  state.lastFiredEnd = snapshot.lastFiredEnd;
  state.cells.set(snapshot.cells.slice(0, layout.cells), state.base);
  snapshot.contributors.slice(0, layout.summarySlots).forEach((key, i) => (state.keys[state.keyBase + i] = key ?? undefined));
  for (const [item, minute] of snapshot.items ?? []) state.items?.set(item, minute);
  return state;
}
