// Test helpers: synthetic events that carry their contributions, and an aggregator that reads them.
import { Aggregator } from '../../engine/aggregate/aggregator.ts';
import type { AggregateWindow, Crossing } from '../../engine/aggregate/types.ts';
import { windowLayout } from '../../engine/aggregate/window-layout.ts';
import type { TailscaleEvent } from '../../engine/schemas/log-types.ts';

/** [group, amount, contributor, item?] */
export type Part = [string, number, string, string?];

export const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
export const GiB = 2 ** 30;

export function at(minutes: number, seconds = 0): number {
  return T0 + minutes * 60_000 + seconds * 1000;
}

export function fakeEvent(timeMs: number, parts: Part[]): TailscaleEvent {
  return {
    p_log_type: 'Tailscale.Network',
    p_event_time: new Date(timeMs).toISOString(),
    p_row_id: `row-${timeMs}`,
    parts,
  } as unknown as TailscaleEvent;
}

export function aggregator(window: AggregateWindow): Aggregator {
  return new Aggregator(windowLayout('Test.Aggregate', window), (event, _options, emit) => {
    for (const [group, amount, contributor, item] of (event as unknown as { parts: Part[] }).parts) emit(group, amount, contributor, item);
  }, {});
}

/** Feeds [timeMs, parts] pairs in order; returns every crossing. */
export function feed(agg: Aggregator, events: [number, Part[]][]): Crossing[] {
  const crossings: Crossing[] = [];
  for (const [timeMs, parts] of events) crossings.push(...agg.process(fakeEvent(timeMs, parts), timeMs));
  return crossings;
}

/** Crossings without the event (for deep equality across runs). */
export function summary(crossings: Crossing[]): Omit<Crossing, 'event'>[] {
  return crossings.map(({ event: _event, ...rest }) => rest);
}
