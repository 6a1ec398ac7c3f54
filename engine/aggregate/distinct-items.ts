// Distinct measure: a capped exact set of item → last minute seen. The cap is twice the threshold, so a
// window with `atLeast` distinct items is always seen exactly; beyond the cap the oldest items are forgotten.
// Map order is last-update order, and expired items are pruned whenever the window slides, so the first entry
// is the one to evict.
import type { GroupState } from './group-state.ts';
import type { WindowLayout } from './window-layout.ts';

export function addItem(state: GroupState, layout: WindowLayout, item: string, m: number): void {
  const items = state.items;
  if (items === undefined) return;
  if (m > state.head) state.head = m;
  // Too late for the window ending at the head: it can never count.
  if (m <= state.head - layout.windowMinutes) return;
  const seen = items.get(item);
  if (seen !== undefined) {
    if (m <= seen) return;
    items.delete(item);
  } else if (items.size >= layout.distinctCap) {
    for (const oldest of items.keys()) {
      items.delete(oldest);
      break;
    }
  }
  items.set(item, m);
}

/** Distinct items seen in the window ending at the group's head; expired items are dropped when the window moved. */
export function distinctInWindow(state: GroupState, layout: WindowLayout): number {
  const items = state.items;
  if (items === undefined) return 0;
  if (state.prunedAt !== state.head) {
    state.prunedAt = state.head;
    const expiredBefore = state.head - layout.windowMinutes;
    for (const [item, seen] of items) if (seen <= expiredBefore) items.delete(item);
  }
  return items.size;
}
