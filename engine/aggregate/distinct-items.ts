// Distinct measure: a capped exact set of item → last minute seen. The cap is twice the threshold, so a
// window with `atLeast` distinct items is always seen exactly; beyond the cap the oldest items are forgotten.
import type { GroupState } from './group-state.ts';
import type { WindowLayout } from './window-layout.ts';

export function addItem(state: GroupState, layout: WindowLayout, item: string, m: number): void {
  const items = state.items;
  if (items === undefined) return;
  if (m > state.head) state.head = m;
  const seen = items.get(item);
  if (seen !== undefined) {
    if (m <= seen) return;
    items.delete(item); // re-inserted below: map order stays roughly oldest-first
  } else if (items.size >= layout.distinctCap) {
    evictOne(items, state.head - layout.windowMinutes);
  }
  items.set(item, m);
}

function evictOne(items: Map<string, number>, expiredBefore: number): void {
  let oldest: string | undefined;
  for (const [item, seen] of items) {
    if (seen <= expiredBefore) {
      items.delete(item);
      return;
    }
    oldest ??= item;
  }
  if (oldest !== undefined) items.delete(oldest);
}

/** Distinct items seen in the window ending at the group's head; expired items are dropped on the way. */
export function distinctInWindow(state: GroupState, layout: WindowLayout): number {
  const items = state.items;
  if (items === undefined) return 0;
  const expiredBefore = state.head - layout.windowMinutes;
  let count = 0;
  for (const [item, seen] of items) {
    if (seen <= expiredBefore) items.delete(item);
    else count++;
  }
  return count;
}
