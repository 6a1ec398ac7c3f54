// Test helpers: synthetic events that carry their contributions, and an aggregator that reads them.
import type { AggregateRuleSet } from '../../engine/rules/aggregate/aggregate-rule-set.ts';
import { Aggregator } from '../../engine/aggregate/aggregator.ts';
import type { AggregatorOutput } from '../../engine/aggregate/aggregator.ts';
import type { AggregateWindow, Crossing } from '../../engine/aggregate/types.ts';
import { windowLayout } from '../../engine/aggregate/window-layout.ts';
import type { AlertMatch } from '../../engine/alerts/alert-match.ts';
import { Watermarks } from '../../engine/alerts/watermarks.ts';
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
    p_tailnet: 'default',
    p_source_id: 'test',
    parts,
  } as unknown as TailscaleEvent;
}

export const LATENESS_MINUTES = 10;
export const LATENESS_MS = LATENESS_MINUTES * 60_000;

export function aggregator(window: AggregateWindow): Aggregator {
  return new Aggregator(windowLayout('Test.Aggregate', window, LATENESS_MINUTES), (event, _options, emit) => {
    for (const [group, amount, contributor, item] of (event as unknown as { parts: Part[] }).parts) emit(group, amount, contributor, item);
  }, {});
}

/** The clock each aggregator has seen in these tests: the latest event time, as the evaluator's watermark would be. */
const clocks = new WeakMap<Aggregator, number>();

/** Feeds one event like the evaluator does; returns its crossings (and pushes what it settled onto `settled`). */
export function processOne(agg: Aggregator, timeMs: number, parts: Part[], settled: Crossing[] = []): Crossing[] {
  const clock = clocks.get(agg) ?? -Infinity;
  const output: AggregatorOutput = { crossings: [], settled };
  agg.process(fakeEvent(timeMs, parts), timeMs, clock, Math.max(clock, timeMs), output);
  clocks.set(agg, Math.max(clock, timeMs));
  return output.crossings;
}

/** Feeds [timeMs, parts] pairs in order; returns every crossing. */
export function feed(agg: Aggregator, events: [number, Part[]][]): Crossing[] {
  const crossings: Crossing[] = [];
  for (const [timeMs, parts] of events) crossings.push(...processOne(agg, timeMs, parts));
  return crossings;
}

/** Crossings without the event (for deep equality across runs). */
export function summary(crossings: Crossing[]): Omit<Crossing, 'event'>[] {
  return crossings.map(({ event: _event, ...rest }) => rest);
}

const setClocks = new WeakMap<AggregateRuleSet, Watermarks>();

/** Feeds events to a rule set like the evaluator does (watermark advanced after each); returns the crossing matches. */
export function evaluateSet(set: AggregateRuleSet, events: [number, Part[]][], revised: AlertMatch[] = []): AlertMatch[] {
  let watermarks = setClocks.get(set);
  if (watermarks === undefined) setClocks.set(set, (watermarks = new Watermarks()));
  const out: AlertMatch[] = [];
  for (const [timeMs, parts] of events) {
    set.evaluate(fakeEvent(timeMs, parts), timeMs, watermarks, out, revised);
    watermarks.advance('default', 'Tailscale.Network', timeMs);
  }
  return out;
}
