// Sliding-window sums over one-minute buckets, and the hourly history the baseline averages (sum/count measures).
// A group whose contributions all fell in one minute keeps just that minute's total; it gets its ring and hour
// buckets when a second minute comes, holding what they would have held all along, so every sum is the same.
import { NO_MINUTE } from './group-store.ts';
import type { Group, GroupStore } from './group-store.ts';
import type { WindowLayout } from './window-layout.ts';

/** Moves the group's head to minute m (> head): buckets falling out of the ring are cleared. */
function advance(state: Group, layout: WindowLayout, m: number): void {
  const { cells, base } = state;
  const head = state.head;
  const { ringMinutes: R, hourSlots: H } = layout;
  const ring = base + layout.ringOffset;
  if (m - head >= R) cells.fill(0, ring, ring + R);
  else for (let x = head + 1; x <= m; x++) cells[ring + (x % R)] = 0;
  if (H > 0) {
    const hours = base + layout.hourOffset;
    const fromHour = Math.floor(head / 60);
    const toHour = Math.floor(m / 60);
    if (toHour - fromHour >= H) cells.fill(0, hours, hours + H);
    else for (let h = fromHour + 1; h <= toHour; h++) cells[hours + (h % H)] = 0;
  }
  state.head = m;
}

/** Adds an amount at minute m, which is within the ring (the aggregator drops anything later than that). */
export function addAmount(store: GroupStore, state: Group, layout: WindowLayout, m: number, amount: number): void {
  if (state.firstMinute === NO_MINUTE || m < state.firstMinute) state.firstMinute = m;
  if (!state.hasCells) {
    if (state.head === NO_MINUTE || m === state.head) {
      state.head = m;
      state.oneMinuteAmount += amount;
      return;
    }
    spreadOneMinute(store, state, layout);
  }
  if (m > state.head) advance(state, layout, m);
  const { cells, base } = state;
  const bucket = base + layout.ringOffset + (m % layout.ringMinutes);
  cells[bucket] = (cells[bucket] ?? 0) + amount;
  if (layout.hourSlots > 0) {
    const hour = base + layout.hourOffset + (Math.floor(m / 60) % layout.hourSlots);
    cells[hour] = (cells[hour] ?? 0) + amount;
  }
}

/** Moves a one-minute group's amount into its new ring and hour buckets. */
function spreadOneMinute(store: GroupStore, state: Group, layout: WindowLayout): void {
  const amount = state.oneMinuteAmount;
  store.addCells(state);
  state.cells[state.base + layout.ringOffset + (state.head % layout.ringMinutes)] = amount;
  if (layout.hourSlots > 0) state.cells[state.base + layout.hourOffset + (Math.floor(state.head / 60) % layout.hourSlots)] = amount;
}

/** A one-minute group's amount if its minute is in [from, to], else 0 (the other buckets it would have are empty). */
function oneMinuteIn(state: Group, from: number, to: number): number {
  return state.head >= from && state.head <= to ? state.oneMinuteAmount : 0;
}

/** Sum of the window whose last minute is e (e within [head - lateness, head]). */
export function windowSumEndingAt(state: Group, layout: WindowLayout, e: number): number {
  if (!state.hasCells) return oneMinuteIn(state, e - layout.windowMinutes + 1, e);
  const { cells, base } = state;
  const ring = base + layout.ringOffset;
  let sum = 0;
  for (let x = e - layout.windowMinutes + 1; x <= e; x++) sum += cells[ring + (x % layout.ringMinutes)] ?? 0;
  return sum;
}

/** Sum of a window whose last minute e is after the head (before the head moves there): its minutes up to the head. */
export function windowSumBeyondHead(state: Group, layout: WindowLayout, e: number): number {
  if (!state.hasCells) return oneMinuteIn(state, e - layout.windowMinutes + 1, state.head);
  const ring = state.base + layout.ringOffset;
  let sum = 0;
  for (let x = e - layout.windowMinutes + 1; x <= state.head; x++) sum += state.cells[ring + (x % layout.ringMinutes)] ?? 0;
  return sum;
}

/**
 * The group's average per window length over the baseline hours before the window, counting only time since the
 * group was first seen (0 until it has a whole hour of history: the floor rules). Only settled hours count: those
 * that end at least the allowed lateness before the window starts, which no event the window can still receive
 * changes. So a window's threshold is fixed when it is first checked, and a window that crossed stays crossed.
 */
export function baselineAt(state: Group, layout: WindowLayout, e: number): number {
  const { hourSlots: H, baselineHours: N, windowMinutes: W } = layout;
  const hours = state.base + layout.hourOffset;
  const untilHour = Math.floor((e - W + 1 - layout.allowedLatenessMinutes) / 60);
  const fromMinute = Math.max(state.firstMinute, (untilHour - N) * 60);
  const observedMinutes = untilHour * 60 - fromMinute;
  if (observedMinutes <= 0) return 0;
  if (!state.hasCells) return (oneMinuteIn(state, Math.floor(fromMinute / 60) * 60, untilHour * 60 - 1) * W) / observedMinutes;
  let total = 0;
  for (let h = Math.floor(fromMinute / 60); h < untilHour; h++) total += state.cells[hours + (h % H)] ?? 0;
  return (total * W) / observedMinutes;
}

/** The ring and hour buckets (snapshots), as they would be for a one-minute group too. */
export function cellValues(state: Group, layout: WindowLayout): number[] {
  if (state.hasCells) return Array.from(state.cells.subarray(state.base, state.base + layout.cells));
  const cells = new Array<number>(layout.cells).fill(0);
  if (state.head === NO_MINUTE) return cells;
  cells[layout.ringOffset + (state.head % layout.ringMinutes)] = state.oneMinuteAmount;
  if (layout.hourSlots > 0) cells[layout.hourOffset + (Math.floor(state.head / 60) % layout.hourSlots)] = state.oneMinuteAmount;
  return cells;
}

/** Restores saved buckets: as a one-minute group when they hold only the head's minute, else into cells. */
export function restoreCells(store: GroupStore, state: Group, layout: WindowLayout, cells: readonly number[]): void {
  if (state.head !== NO_MINUTE) {
    state.oneMinuteAmount = cells[layout.ringOffset + (state.head % layout.ringMinutes)] ?? 0;
    if (cellValues(state, layout).every((value, i) => value === (cells[i] ?? 0))) return;
  }
  store.addCells(state);
  state.cells.set(cells.slice(0, layout.cells), state.base);
}
