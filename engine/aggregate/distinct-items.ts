// Distinct measure: per group, each item with the minutes it was seen in, exact for every window a late event can
// still reach. An item keeps a bitmask of the last lateness + 1 minutes (bit i: the group's newest minute − i) and the
// latest minute before them, so the distinct count of any window ending within the lateness of the newest minute is
// exact whatever the arrival order. The set is capped at twice the threshold (crossing it is always seen exactly);
// past the cap the item seen least recently is forgotten.
import { NO_MINUTE } from './group-state.ts';
import type { GroupState } from './group-state.ts';
import type { WindowLayout } from './window-layout.ts';

export interface SeenMinutes {
  /** Bit i: seen at minute head − i, for i ≤ the allowed lateness (at most 30). */
  recent: number;
  /** Latest minute seen before those (NO_MINUTE if none). */
  older: number;
}

/** The item's latest minute at or before `e` (e within the lateness of the head), or NO_MINUTE. */
function latestAtOrBefore(seen: SeenMinutes, head: number, e: number): number {
  const bits = seen.recent >>> (head - e);
  if (bits === 0) return seen.older;
  return e - (31 - Math.clz32(bits & -bits));
}

function latest(seen: SeenMinutes, head: number): number {
  return latestAtOrBefore(seen, head, head);
}

/** Moves the group's newest minute to m: recent bits age, those past the lateness fold into `older`. */
function moveHead(state: GroupState, layout: WindowLayout, m: number): void {
  const items = state.items!;
  const L = layout.allowedLatenessMinutes;
  const shift = m - state.head;
  const keep = (2 ** (L + 1) - 1) >>> 0;
  // Items whose latest minute is older than any window a late event can still reach are dropped.
  const forgetBefore = m - L - layout.windowMinutes + 1;
  for (const [item, seen] of items) {
    if (seen.recent !== 0) {
      const dropped = shift > L ? seen.recent : seen.recent >>> (L + 1 - shift);
      if (dropped !== 0) seen.older = Math.max(seen.older, state.head - (31 - Math.clz32(dropped & -dropped)) - (shift > L ? 0 : L + 1 - shift));
      seen.recent = shift > L ? 0 : ((seen.recent << shift) & keep) >>> 0;
    }
    if (seen.recent === 0 && seen.older < forgetBefore) items.delete(item);
  }
  state.head = m;
}

export function addItem(state: GroupState, layout: WindowLayout, item: string, m: number): void {
  const items = state.items;
  if (items === undefined) return;
  if (state.head === NO_MINUTE) state.head = m;
  else if (m > state.head) moveHead(state, layout, m);
  const age = state.head - m;
  let seen = items.get(item);
  if (seen === undefined) {
    if (items.size >= layout.distinctCap) forgetLeastRecent(state);
    seen = { recent: 0, older: NO_MINUTE };
    items.set(item, seen);
  }
  if (age <= layout.allowedLatenessMinutes) seen.recent = (seen.recent | (1 << age)) >>> 0;
  else seen.older = Math.max(seen.older, m);
}

function forgetLeastRecent(state: GroupState): void {
  let oldest: string | undefined;
  let oldestMinute = Infinity;
  for (const [item, seen] of state.items!) {
    const minute = latest(seen, state.head);
    if (minute < oldestMinute) [oldest, oldestMinute] = [item, minute];
  }
  if (oldest !== undefined) state.items!.delete(oldest);
}

/** Distinct items in the window ending at minute e (e ≤ head: within the lateness of it; e > head: before it moves). */
export function distinctInWindow(state: GroupState, layout: WindowLayout, e: number): number {
  const items = state.items;
  if (items === undefined) return 0;
  const from = e - layout.windowMinutes + 1;
  const at = Math.min(e, state.head);
  let count = 0;
  for (const seen of items.values()) if (latestAtOrBefore(seen, state.head, at) >= from) count++;
  return count;
}
