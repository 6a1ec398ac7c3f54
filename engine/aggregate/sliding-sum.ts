// Sliding-window sums over one-minute buckets, and the hourly history the baseline averages (sum/count measures).
import { NO_MINUTE } from './group-state.ts';
import type { GroupState } from './group-state.ts';
import type { WindowLayout } from './window-layout.ts';

/** Moves the group's head to minute m (> head): buckets falling out of the ring are cleared, the window slides. */
export function advance(state: GroupState, layout: WindowLayout, m: number): void {
  const { cells, head } = state;
  const { ringMinutes: R, windowMinutes: W, hourOffset, hourSlots: H } = layout;
  if (m - head >= W) {
    state.windowValue = 0;
  } else {
    for (let x = head - W + 1; x <= m - W; x++) state.windowValue -= cells[x % R] ?? 0;
  }
  if (m - head >= R) {
    cells.fill(0, 0, R);
  } else {
    for (let x = head + 1; x <= m; x++) cells[x % R] = 0;
  }
  if (H > 0) {
    const fromHour = Math.floor(head / 60);
    const toHour = Math.floor(m / 60);
    if (toHour - fromHour >= H) cells.fill(0, hourOffset, hourOffset + H);
    else for (let h = fromHour + 1; h <= toHour; h++) cells[hourOffset + (h % H)] = 0;
  }
  state.head = m;
}

/** Adds an amount at minute m, which is within the ring (the aggregator drops anything later than that). */
export function addAmount(state: GroupState, layout: WindowLayout, m: number, amount: number): void {
  if (m > state.head) advance(state, layout, m);
  if (m < state.firstMinute || state.firstMinute === NO_MINUTE) state.firstMinute = m;
  const { cells } = state;
  cells[m % layout.ringMinutes] = (cells[m % layout.ringMinutes] ?? 0) + amount;
  if (m > state.head - layout.windowMinutes) state.windowValue += amount;
  if (layout.hourSlots > 0) {
    const slot = layout.hourOffset + (Math.floor(m / 60) % layout.hourSlots);
    cells[slot] = (cells[slot] ?? 0) + amount;
  }
}

/** Sum of the window whose last minute is e (e within [head - lateness, head]). */
export function windowSumEndingAt(state: GroupState, layout: WindowLayout, e: number): number {
  if (e === state.head) return state.windowValue;
  let sum = 0;
  for (let x = e - layout.windowMinutes + 1; x <= e; x++) sum += state.cells[x % layout.ringMinutes] ?? 0;
  return sum;
}

/**
 * The group's average per window length over the baseline hours before the hour the window ending at e starts in,
 * counting only time since the group was first seen (0 until it has a whole hour of history: the floor rules).
 */
export function baselineAt(state: GroupState, layout: WindowLayout, e: number): number {
  const { hourOffset, hourSlots: H, baselineHours: N, windowMinutes: W } = layout;
  const startHour = Math.floor((e - W + 1) / 60);
  const fromMinute = Math.max(state.firstMinute, (startHour - N) * 60);
  const observedMinutes = startHour * 60 - fromMinute;
  if (observedMinutes <= 0) return 0;
  let total = 0;
  for (let h = Math.floor(fromMinute / 60); h < startHour; h++) total += state.cells[hourOffset + (h % H)] ?? 0;
  return (total * W) / observedMinutes;
}
