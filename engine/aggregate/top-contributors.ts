// Heavy hitters per group: up to a fixed number of entries, each with the amount of the current window-length epoch
// and of the one before, so a contributor's amount covers the window (and at most one window before it).
// When the entries are full, a new contributor replaces the smallest one; heavy hitters are never the smallest.
import type { EntryLists } from './entry-lists.ts';
import type { Group } from './group-store.ts';
import type { TopContributor } from './types.ts';
import type { WindowLayout } from './window-layout.ts';

// An entry's numbers: floats [amount, previous-epoch amount], int [epoch].
const AMOUNT = 0;
const PREVIOUS = 1;

/** Credits `amount` to `contributor` at minute m. */
export function addContribution(lists: EntryLists, state: Group, layout: WindowLayout, contributor: string, amount: number, m: number): void {
  const epoch = Math.floor(m / layout.windowMinutes);
  const count = state.contributorCount;
  let list = lists.open(state.contributors);
  // A contributor holds at most one entry; most contributions are from one already there.
  for (let i = 0; i < count; i++) {
    if (list.keys[list.at + i] === contributor) {
      credit(list.floats, (list.at + i) * 2, list.ints, list.at + i, epoch, amount);
      return;
    }
  }
  let victim = count;
  if (count < lists.cap) {
    state.contributors = lists.reserve(state.contributors, count);
    state.contributorCount = count + 1;
    list = lists.open(state.contributors);
  } else {
    const headEpoch = Math.floor(state.head / layout.windowMinutes);
    let victimAmount = Infinity;
    for (let i = 0; i < count; i++) {
      const live = liveAmount(list.floats, (list.at + i) * 2, list.ints[list.at + i]!, headEpoch);
      if (live < victimAmount) {
        victim = i;
        victimAmount = live;
      }
    }
  }
  const at = list.at + victim;
  list.keys[at] = lists.intern(contributor);
  list.floats[at * 2 + AMOUNT] = amount;
  list.floats[at * 2 + PREVIOUS] = 0;
  list.ints[at] = epoch;
}

function credit(floats: Float64Array, f: number, ints: Int32Array, i: number, epoch: number, amount: number): void {
  const slotEpoch = ints[i]!;
  if (epoch === slotEpoch) {
    floats[f + AMOUNT] = floats[f + AMOUNT]! + amount;
  } else if (epoch > slotEpoch) {
    floats[f + PREVIOUS] = epoch === slotEpoch + 1 ? floats[f + AMOUNT]! : 0;
    floats[f + AMOUNT] = amount;
    ints[i] = epoch;
  } else if (epoch === slotEpoch - 1) {
    floats[f + PREVIOUS] = floats[f + PREVIOUS]! + amount; // a late contribution to the previous epoch
  }
}

/** Amount of an entry as seen from the window whose last minute is in epoch `endEpoch` (0 once it is older). */
function liveAmount(floats: Float64Array, f: number, slotEpoch: number, endEpoch: number): number {
  if (slotEpoch >= endEpoch) return floats[f + AMOUNT]! + floats[f + PREVIOUS]!;
  if (slotEpoch === endEpoch - 1) return floats[f + AMOUNT]!;
  return 0;
}

/** Contributors with an amount in the window ending at minute e, largest first. */
export function topContributors(lists: EntryLists, state: Group, layout: WindowLayout, e: number): TopContributor[] {
  const top: TopContributor[] = [];
  const endEpoch = Math.floor(e / layout.windowMinutes);
  const list = lists.open(state.contributors);
  for (let i = 0; i < state.contributorCount; i++) {
    const at = list.at + i;
    const amount = liveAmount(list.floats, at * 2, list.ints[at]!, endEpoch);
    if (amount > 0) top.push({ contributor: list.keys[at]!, amount });
  }
  top.sort((a, b) => b.amount - a.amount || (a.contributor < b.contributor ? -1 : 1));
  return top.slice(0, layout.topContributors);
}

/** The group's entries as [contributor, amount, previous-epoch amount, epoch] (snapshots). */
export function contributorEntries(lists: EntryLists, state: Group): [string, number, number, number][] {
  const list = lists.open(state.contributors);
  const entries: [string, number, number, number][] = [];
  for (let i = 0; i < state.contributorCount; i++) {
    const at = list.at + i;
    entries.push([list.keys[at]!, list.floats[at * 2 + AMOUNT]!, list.floats[at * 2 + PREVIOUS]!, list.ints[at]!]);
  }
  return entries;
}

/** Appends a restored entry (in the saved order, at most the cap). */
export function restoreContributor(lists: EntryLists, state: Group, [contributor, amount, previous, epoch]: [string, number, number, number]): void {
  const i = state.contributorCount;
  if (i >= lists.cap) return;
  state.contributors = lists.reserve(state.contributors, i);
  state.contributorCount = i + 1;
  const list = lists.open(state.contributors);
  const at = list.at + i;
  list.keys[at] = contributor;
  list.floats[at * 2 + AMOUNT] = amount;
  list.floats[at * 2 + PREVIOUS] = previous;
  list.ints[at] = epoch;
}
