import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AggregatorSnapshot } from '../../engine/aggregate/aggregator.ts';
import type { AggregateWindow, Crossing } from '../../engine/aggregate/types.ts';
import { aggregator, at, feed, processOne, summary } from './helpers.ts';
import type { Part } from './helpers.ts';

/** Written by the aggregator before groups kept their contributors in lists (format 1), at the event `split`. */
interface V1Fixture {
  events: [number, Part[]][];
  aggregators: Record<string, { window: AggregateWindow; split: number; crossingsBefore: number; snapshot: AggregatorSnapshot }>;
}

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'v1-snapshots.json'), 'utf8')) as V1Fixture;

/** Crossings and what the later events settle, after the first `from` events (fed to `agg` already, or restored). */
function continueFrom(agg: ReturnType<typeof aggregator>, events: [number, Part[]][], from: number): Record<'crossings' | 'settled', ReturnType<typeof summary>> {
  const crossings: Crossing[] = [];
  const settled: Crossing[] = [];
  for (const [timeMs, parts] of events.slice(from)) crossings.push(...processOne(agg, timeMs, parts, settled));
  agg.settleAll(settled);
  return { crossings: summary(crossings), settled: summary(settled) };
}

describe('aggregator snapshots of the previous format', () => {
  for (const [name, { window, split, crossingsBefore, snapshot }] of Object.entries(fixture.aggregators)) {
    it(`restore a ${name} rule's windows, contributors and pending crossings, and continue as without the restart`, () => {
      expect(snapshot.format).toBeUndefined();
      const uninterrupted = aggregator(window);
      expect(feed(uninterrupted, fixture.events.slice(0, split))).toHaveLength(crossingsBefore);
      const expected = continueFrom(uninterrupted, fixture.events, split);
      expect(expected.crossings.length + expected.settled.length).toBeGreaterThan(0);

      const restored = aggregator(window);
      restored.importState(snapshot);
      expect(restored.liveGroups).toBe(snapshot.groups.length);
      // The helpers' clock starts over with a new aggregator: give it the clock of the events before the split.
      processOne(restored, Math.max(...fixture.events.slice(0, split).map(([timeMs]) => timeMs)), []);
      expect(continueFrom(restored, fixture.events, split)).toEqual(expected);
      expect(restored.exportState().format).toBe(2);
    });
  }

  it('start empty when unreadable', () => {
    const { window, snapshot } = fixture.aggregators.count!;
    const agg = aggregator(window);
    agg.importState({ ...snapshot, layout: 'not json' });
    expect(agg.liveGroups).toBe(0);
    agg.importState({ ...snapshot, format: 99 });
    expect(agg.liveGroups).toBe(0);
  });

  it('start empty when taken with another window', () => {
    const { window, snapshot } = fixture.aggregators.count!;
    const other = aggregator({ ...window, windowMinutes: (window.windowMinutes ?? 5) + 1 });
    other.importState(snapshot);
    expect(other.liveGroups).toBe(0);
  });
});

describe('one-minute groups', () => {
  const window: AggregateWindow = { measure: 'sum', windowMinutes: 15, atLeast: 100, baseline: { factor: 2, hours: 1 } };

  it('keep their sums through a snapshot and when a second minute comes', () => {
    // Hour-long history for the baseline, then groups seen in one minute only, then more minutes for some of them.
    const history: [number, Part[]][] = [];
    for (let m = 0; m < 90; m += 5) history.push([at(m), [['busy', 10, 'a']]]);
    const oneMinute: [number, Part[]][] = [[at(95), [['busy', 30, 'a'], ['quiet', 60, 'b'], ['quiet', 50, 'c'], ['late', 70, 'd']]]];
    const later: [number, Part[]][] = [
      [at(97), [['quiet', 5, 'b'], ['busy', 200, 'e']]],
      [at(94), [['late', 40, 'd']]],
      [at(99), [['fresh', 120, 'f']]],
    ];
    const uninterrupted = aggregator(window);
    const expected = summary(feed(uninterrupted, [...history, ...oneMinute, ...later]));
    expect([...new Set(expected.map((c) => c.group))].sort()).toEqual(['busy', 'fresh', 'late', 'quiet']);

    const first = aggregator(window);
    const before = summary(feed(first, [...history, ...oneMinute]));
    const saved = JSON.parse(JSON.stringify(first.exportState())) as AggregatorSnapshot;
    // Saved like any group: the minute's bucket in the ring and its hour's bucket.
    expect(saved.groups.find((g) => g.group === 'quiet')?.cells.filter((cell) => cell !== 0)).toEqual([110, 110]);
    const restored = aggregator(window);
    restored.importState(saved);
    processOne(restored, at(95), []);
    expect([...before, ...summary(feed(restored, later))]).toEqual(expected);
  });
});
