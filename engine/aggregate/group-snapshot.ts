// A group as plain JSON data (for `run` snapshots) and back; a restored group is exactly the saved one. Snapshots
// written before groups kept their contributors in lists (format 1) are converted on restore.
import { itemEntries, restoreItem } from './distinct-items.ts';
import type { GroupStore } from './group-store.ts';
import { cellValues, restoreCells } from './sliding-sum.ts';
import { contributorEntries, restoreContributor } from './top-contributors.ts';
import { layoutKey } from './window-layout.ts';
import type { WindowLayout } from './window-layout.ts';

export interface GroupSnapshot {
  tailnet: string;
  group: string;
  head: number;
  firstMinute: number;
  crossedAt: number;
  crossedMask: number;
  /** The minute ring, then the hour buckets (WindowLayout.cells). */
  cells: number[];
  /** [contributor, amount, previous-epoch amount, epoch], in the order they took their entries. */
  contributors: [string, number, number, number][];
  /** distinct measures: item, recent-minutes bitmask, latest older minute. */
  items?: [string, number, number][];
}

export function snapshotGroup(store: GroupStore, layout: WindowLayout, tailnet: string, group: string, slot: number): GroupSnapshot {
  const state = store.at(slot);
  const snapshot: GroupSnapshot = {
    tailnet,
    group,
    head: state.head,
    firstMinute: state.firstMinute,
    crossedAt: state.crossedAt,
    crossedMask: state.crossedMask,
    cells: layout.measure === 'distinct' ? [] : cellValues(state, layout),
    contributors: contributorEntries(store.contributors, store.at(slot)),
  };
  if (layout.measure === 'distinct') snapshot.items = itemEntries(store.items, store.at(slot));
  return snapshot;
}

/** Adds the saved group to the store (its key must not be live) and returns its slot. */
export function restoreGroup(store: GroupStore, layout: WindowLayout, snapshot: GroupSnapshot): number {
  const slot = store.add(snapshot.tailnet, snapshot.group, () => {});
  const state = store.at(slot);
  state.head = snapshot.head;
  state.firstMinute = snapshot.firstMinute;
  state.crossedAt = snapshot.crossedAt;
  state.crossedMask = snapshot.crossedMask;
  if (layout.measure !== 'distinct') restoreCells(store, state, layout, snapshot.cells);
  for (const entry of snapshot.contributors) restoreContributor(store.contributors, store.at(slot), entry);
  for (const [item, recent, older] of snapshot.items ?? []) restoreItem(store.items, store.at(slot), item, recent, older);
  return slot;
}

/** A format-1 group: its cells were [window value | ring | hours | amounts | previous amounts | epochs]. */
export interface GroupSnapshotV1 extends Omit<GroupSnapshot, 'contributors'> {
  contributors: (string | null)[];
}

interface LayoutV1 extends WindowLayout {
  summarySlots: number;
  amountOffset: number;
  previousOffset: number;
  epochOffset: number;
}

/** Format-1 groups in the current format, or undefined when they were taken with another window or lateness. */
export function groupsFromV1(savedLayout: string, groups: GroupSnapshotV1[], layout: WindowLayout): GroupSnapshot[] | undefined {
  const old = parsedLayout(savedLayout);
  if (old === undefined || !Array.isArray(groups) || layoutKey(old) !== layoutKey(layout) || old.ringMinutes !== layout.ringMinutes || old.hourSlots !== layout.hourSlots) return undefined;
  return groups.map((group) => {
    const contributors: [string, number, number, number][] = [];
    group.contributors.forEach((contributor, i) => {
      if (contributor !== null) contributors.push([contributor, group.cells[old.amountOffset + i]!, group.cells[old.previousOffset + i]!, group.cells[old.epochOffset + i]!]);
    });
    // The ring and hour buckets were stored right after the window value.
    const cells = group.cells.slice(old.ringOffset, old.ringOffset + layout.cells);
    return { ...group, cells, contributors };
  });
}

function parsedLayout(saved: string): LayoutV1 | undefined {
  try {
    const layout = JSON.parse(saved) as unknown;
    return typeof layout === 'object' && layout !== null ? (layout as LayoutV1) : undefined;
  } catch {
    return undefined;
  }
}
