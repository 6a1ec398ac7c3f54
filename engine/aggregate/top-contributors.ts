// Heavy hitters per group: a fixed number of slots, each with the amount of the current window-length epoch and
// of the one before, so a contributor's amount covers the window (and at most one window before it).
// When the slots are full, a new contributor replaces the smallest one; heavy hitters are never the smallest.
import type { GroupState } from './group-state.ts';
import type { TopContributor } from './types.ts';
import type { WindowLayout } from './window-layout.ts';

/** Credits `amount` to `contributor` at minute m. */
export function addContribution(state: GroupState, layout: WindowLayout, contributor: string, amount: number, m: number): void {
  const { cells, keys, keyBase, base } = state;
  const { summarySlots, windowMinutes } = layout;
  const epoch = Math.floor(m / windowMinutes);
  // A contributor holds at most one slot; most contributions are from one already there.
  for (let i = 0; i < summarySlots; i++) {
    if (keys[keyBase + i] === contributor) {
      credit(cells, base + layout.amountOffset + i, base + layout.previousOffset + i, base + layout.epochOffset + i, epoch, amount);
      return;
    }
  }
  const amountOffset = base + layout.amountOffset;
  const previousOffset = base + layout.previousOffset;
  const epochOffset = base + layout.epochOffset;
  const headEpoch = Math.floor(state.head / windowMinutes);
  let victim = 0;
  let victimAmount = Infinity;
  for (let i = 0; i < summarySlots; i++) {
    const live = keys[keyBase + i] === undefined ? -1 : liveAmount(cells, amountOffset + i, previousOffset + i, cells[epochOffset + i] ?? 0, headEpoch);
    if (live < victimAmount) {
      victim = i;
      victimAmount = live;
    }
  }
  keys[keyBase + victim] = contributor;
  cells[amountOffset + victim] = amount;
  cells[previousOffset + victim] = 0;
  cells[epochOffset + victim] = epoch;
}

function credit(cells: Float64Array, current: number, previous: number, epochCell: number, epoch: number, amount: number): void {
  const slotEpoch = cells[epochCell] ?? 0;
  if (epoch === slotEpoch) {
    cells[current] = (cells[current] ?? 0) + amount;
  } else if (epoch > slotEpoch) {
    cells[previous] = epoch === slotEpoch + 1 ? (cells[current] ?? 0) : 0;
    cells[current] = amount;
    cells[epochCell] = epoch;
  } else if (epoch === slotEpoch - 1) {
    cells[previous] = (cells[previous] ?? 0) + amount; // a late contribution to the previous epoch
  }
}

/** Amount of a slot as seen from the window whose last minute is in epoch `endEpoch` (0 once it is older). */
function liveAmount(cells: Float64Array, current: number, previous: number, slotEpoch: number, endEpoch: number): number {
  if (slotEpoch >= endEpoch) return (cells[current] ?? 0) + (cells[previous] ?? 0);
  if (slotEpoch === endEpoch - 1) return cells[current] ?? 0;
  return 0;
}

/** Contributors with an amount in the window ending at minute e, largest first. */
export function topContributors(state: GroupState, layout: WindowLayout, e: number): TopContributor[] {
  const top: TopContributor[] = [];
  const { cells, base } = state;
  const endEpoch = Math.floor(e / layout.windowMinutes);
  for (let i = 0; i < layout.summarySlots; i++) {
    const contributor = state.keys[state.keyBase + i];
    if (contributor === undefined) continue;
    const amount = liveAmount(cells, base + layout.amountOffset + i, base + layout.previousOffset + i, cells[base + layout.epochOffset + i] ?? 0, endEpoch);
    if (amount > 0) top.push({ contributor, amount });
  }
  top.sort((a, b) => b.amount - a.amount || (a.contributor < b.contributor ? -1 : 1));
  return top.slice(0, layout.topContributors);
}
