// Distinct measure: per group, each item with the minutes it was seen in, exact for every window a late event can
// still reach. An item keeps a bitmask of the last lateness + 1 minutes (bit i: the group's newest minute − i) and the
// latest minute before them, so the distinct count of any window ending within the lateness of the newest minute is
// exact whatever the arrival order. The set is capped at twice the threshold (crossing it is always seen exactly);
// past the cap the item seen least recently is forgotten. Items are kept in the order they were first seen.
import type { EntryLists, ListCursor } from './entry-lists.ts';
import { NO_MINUTE } from './group-store.ts';
import type { Group } from './group-store.ts';
import type { WindowLayout } from './window-layout.ts';

// An entry's ints: [bit i: seen at minute head − i, for i ≤ the allowed lateness (at most 30); latest minute seen before those].
const RECENT = 0;
const OLDER = 1;

/** The item's latest minute at or before `e` (e within the lateness of the head), or NO_MINUTE. */
function latestAtOrBefore(list: ListCursor, i: number, head: number, e: number): number {
  const bits = list.ints[(list.at + i) * 2 + RECENT]! >>> (head - e);
  if (bits === 0) return list.ints[(list.at + i) * 2 + OLDER]!;
  return e - (31 - Math.clz32(bits & -bits));
}

/** Moves the group's newest minute to m: recent bits age, those past the lateness fold into `older`. */
function moveHead(list: ListCursor, state: Group, layout: WindowLayout, m: number): void {
  const L = layout.allowedLatenessMinutes;
  const shift = m - state.head;
  const keep = (2 ** (L + 1) - 1) >>> 0;
  // Items whose latest minute is older than any window a late event can still reach are dropped.
  const forgetBefore = m - L - layout.windowMinutes + 1;
  const { keys, ints, at } = list;
  const count = state.itemCount;
  let kept = 0;
  for (let i = 0; i < count; i++) {
    let recent = ints[(at + i) * 2 + RECENT]!;
    let older = ints[(at + i) * 2 + OLDER]!;
    if (recent !== 0) {
      const dropped = shift > L ? recent : recent >>> (L + 1 - shift);
      if (dropped !== 0) older = Math.max(older, state.head - (31 - Math.clz32(dropped & -dropped)) - (shift > L ? 0 : L + 1 - shift));
      recent = shift > L ? 0 : ((recent << shift) & keep) >>> 0;
    }
    if (recent === 0 && older < forgetBefore) continue;
    keys[at + kept] = keys[at + i];
    ints[(at + kept) * 2 + RECENT] = recent;
    ints[(at + kept) * 2 + OLDER] = older;
    kept += 1;
  }
  keys.fill(undefined, at + kept, at + count);
  state.itemCount = kept;
  state.head = m;
}

export function addItem(lists: EntryLists, state: Group, layout: WindowLayout, item: string, m: number): void {
  let list = lists.open(state.items);
  if (state.head === NO_MINUTE) state.head = m;
  else if (m > state.head) moveHead(list, state, layout, m);
  const age = state.head - m;
  const count = state.itemCount;
  let i = 0;
  while (i < count && list.keys[list.at + i] !== item) i++;
  if (i === count) {
    if (count >= lists.cap) forgetLeastRecent(list, state);
    i = state.itemCount;
    state.items = lists.reserve(state.items, i);
    state.itemCount = i + 1;
    list = lists.open(state.items);
    list.keys[list.at + i] = lists.intern(item);
    list.ints[(list.at + i) * 2 + RECENT] = 0;
    list.ints[(list.at + i) * 2 + OLDER] = NO_MINUTE;
  }
  const cell = (list.at + i) * 2;
  if (age <= layout.allowedLatenessMinutes) list.ints[cell + RECENT] = (list.ints[cell + RECENT]! | (1 << age)) >>> 0;
  else list.ints[cell + OLDER] = Math.max(list.ints[cell + OLDER]!, m);
}

/** Forgets the first of the items seen least recently; the others keep their order. */
function forgetLeastRecent(list: ListCursor, state: Group): void {
  const count = state.itemCount;
  let oldest = -1;
  let oldestMinute = Infinity;
  for (let i = 0; i < count; i++) {
    const minute = latestAtOrBefore(list, i, state.head, state.head);
    if (minute < oldestMinute) [oldest, oldestMinute] = [i, minute];
  }
  if (oldest === -1) return;
  const { keys, ints, at } = list;
  for (let i = oldest; i < count - 1; i++) {
    keys[at + i] = keys[at + i + 1];
    ints[(at + i) * 2 + RECENT] = ints[(at + i + 1) * 2 + RECENT]!;
    ints[(at + i) * 2 + OLDER] = ints[(at + i + 1) * 2 + OLDER]!;
  }
  keys[at + count - 1] = undefined;
  state.itemCount = count - 1;
}

/** Distinct items in the window ending at minute e (e ≤ head: within the lateness of it; e > head: before it moves). */
export function distinctInWindow(lists: EntryLists, state: Group, layout: WindowLayout, e: number): number {
  const list = lists.open(state.items);
  const from = e - layout.windowMinutes + 1;
  const at = Math.min(e, state.head);
  let count = 0;
  for (let i = 0; i < state.itemCount; i++) if (latestAtOrBefore(list, i, state.head, at) >= from) count++;
  return count;
}

/** The group's items as [item, recent-minutes bitmask, latest older minute] (snapshots). */
export function itemEntries(lists: EntryLists, state: Group): [string, number, number][] {
  const list = lists.open(state.items);
  const entries: [string, number, number][] = [];
  for (let i = 0; i < state.itemCount; i++) {
    entries.push([list.keys[list.at + i]!, list.ints[(list.at + i) * 2 + RECENT]! >>> 0, list.ints[(list.at + i) * 2 + OLDER]!]);
  }
  return entries;
}

/** Appends a restored item (in the saved order, at most the cap). */
export function restoreItem(lists: EntryLists, state: Group, item: string, recent: number, older: number): void {
  const i = state.itemCount;
  if (i >= lists.cap) return;
  state.items = lists.reserve(state.items, i);
  state.itemCount = i + 1;
  const list = lists.open(state.items);
  list.keys[list.at + i] = item;
  list.ints[(list.at + i) * 2 + RECENT] = recent;
  list.ints[(list.at + i) * 2 + OLDER] = older;
}
