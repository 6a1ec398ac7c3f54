import { describe, expect, it } from 'vitest';
import { windowLayout } from '../../engine/aggregate/window-layout.ts';
import { RuleLoadError } from '../../engine/errors.ts';
import type { Crossing } from '../../engine/aggregate/types.ts';
import { Aggregator } from '../../engine/aggregate/aggregator.ts';
import type { AggregatorSnapshot } from '../../engine/aggregate/aggregator.ts';
import { aggregator, at, fakeEvent, feed, GiB, summary } from './helpers.ts';
import type { Part } from './helpers.ts';

describe('sum over a sliding window', () => {
  const window = { measure: 'sum', windowMinutes: 15, atLeast: 10 * GiB } as const;

  it('fires on a burst that a fixed 15-minute boundary would split', () => {
    const agg = aggregator(window);
    // Minutes 14 and 15 fall into different tumbling windows [0,15) and [15,30); each half is below 10 GiB.
    const crossings = feed(agg, [
      [at(14), [['100.64.0.9', 6 * GiB, 'node-a:443']]],
      [at(15, 30), [['100.64.0.9', 5 * GiB, 'node-b:443']]],
    ]);
    expect(crossings).toHaveLength(1);
    expect(crossings[0]).toMatchObject({
      group: '100.64.0.9',
      measure: 'sum',
      value: 11 * GiB,
      threshold: 10 * GiB,
      windowMinutes: 15,
      windowStart: new Date(at(1)).toISOString(),
      windowEnd: new Date(at(16)).toISOString(),
      topContributors: [
        { contributor: 'node-a:443', amount: 6 * GiB },
        { contributor: 'node-b:443', amount: 5 * GiB },
      ],
    });
  });

  it('does not add amounts further apart than the window', () => {
    const crossings = feed(aggregator(window), [
      [at(0), [['100.64.0.9', 6 * GiB, 'a']]],
      [at(15), [['100.64.0.9', 5 * GiB, 'a']]],
    ]);
    expect(crossings).toEqual([]);
  });

  it('keeps groups apart', () => {
    const crossings = feed(aggregator(window), [
      [at(1), [['100.64.0.1', 6 * GiB, 'a'], ['100.64.0.2', 6 * GiB, 'a']]],
      [at(2), [['100.64.0.2', 6 * GiB, 'a']]],
    ]);
    expect(crossings.map((c) => c.group)).toEqual(['100.64.0.2']);
  });

  it('adds several contributions of one event before checking, and fires once', () => {
    const crossings = feed(aggregator(window), [[at(3), [['g', 4 * GiB, 'a'], ['g', 4 * GiB, 'b'], ['g', 4 * GiB, 'c']]]]);
    expect(crossings).toHaveLength(1);
    expect(crossings[0]?.value).toBe(12 * GiB);
  });

  it('reports every window that crosses, once: sustained volume crosses at every minute', () => {
    const events: [number, [string, number, string][]][] = [];
    for (let minute = 0; minute < 60; minute++) events.push([at(minute), [['g', 1 * GiB, 'a']]]);
    const crossings = feed(aggregator(window), events);
    // 1 GiB a minute reaches 10 GiB in the window ending at minute 9, and stays there.
    expect(crossings.map((c) => c.windowEnd)).toEqual(Array.from({ length: 51 }, (_, i) => new Date(at(10 + i)).toISOString()));
  });
});

describe('late events', () => {
  const window = { measure: 'sum', windowMinutes: 15, atLeast: 10 } as const;

  it('counts an event behind the watermark within the allowed lateness, in its own minute', () => {
    const agg = aggregator(window);
    const crossings = feed(agg, [
      [at(30), [['g', 6, 'a']]],
      [at(50), [['other', 1, 'a']]],
      [at(41), [['g', 6, 'late']]],
    ]);
    // The window ending at minute 41 holds 30..41 → 12; windows after the watermark do not exist yet.
    expect(crossings).toHaveLength(1);
    expect(crossings[0]).toMatchObject({ group: 'g', value: 12, windowEnd: new Date(at(42)).toISOString() });
    expect(agg.counts.lateEvents).toBe(0);
  });

  it('drops and counts events older than the allowed lateness', () => {
    const agg = aggregator(window);
    const crossings = feed(agg, [
      [at(30), [['g', 6, 'a']]],
      [at(45), [['other', 1, 'a']]],
      [at(34), [['g', 6, 'too late']]],
    ]);
    expect(crossings).toEqual([]);
    expect(agg.counts.lateEvents).toBe(1);
  });

  it('a late event completes a later window that already holds volume', () => {
    const crossings = feed(aggregator(window), [
      [at(20), [['g', 8, 'a']]],
      [at(12), [['g', 3, 'late']]],
    ]);
    expect(crossings).toHaveLength(1);
    expect(crossings[0]).toMatchObject({ value: 11, windowEnd: new Date(at(21)).toISOString() });
  });
});

describe('baseline', () => {
  const window = { measure: 'sum', windowMinutes: 15, atLeast: 1000, baseline: { factor: 5, hours: 4 } } as const;

  /** 4 hours of steady traffic: 100 a minute = 1500 per 15-minute window, above the floor. */
  function history(): [number, [string, number, string][]][] {
    const events: [number, [string, number, string][]][] = [];
    for (let minute = 0; minute < 240; minute++) events.push([at(minute), [['g', 100, 'steady']]]);
    return events;
  }
  const afterWarmUp = (crossings: Crossing[]) => crossings.filter((c) => c.windowEnd > new Date(at(100)).toISOString());

  it('only has the floor until the group has a whole hour of history', () => {
    const crossings = feed(aggregator(window), history());
    expect(crossings[0]).toMatchObject({ value: 1000, threshold: 1000, baseline: 0, windowEnd: new Date(at(10)).toISOString() });
    expect(afterWarmUp(crossings)).toEqual([]);
  });

  it('does not fire below factor × the trailing average, although far above the floor', () => {
    const crossings = feed(aggregator(window), [...history(), [at(240), [['g', 5000, 'burst']]]]);
    expect(afterWarmUp(crossings)).toEqual([]);
  });

  it('fires above factor × the trailing average and reports the baseline', () => {
    const crossings = afterWarmUp(feed(aggregator(window), [...history(), [at(240), [['g', 7000, 'burst']]]]));
    expect(crossings).toHaveLength(1);
    expect(crossings[0]).toMatchObject({ group: 'g', value: 8400, threshold: 7500, baseline: 1500 });
    expect(crossings[0]?.topContributors[0]).toEqual({ contributor: 'burst', amount: 7000 });
  });

  it('never goes below the floor for a group without history', () => {
    const crossings = feed(aggregator(window), [[at(0), [['new', 999, 'a']]], [at(1), [['new', 1, 'a']]]]);
    expect(crossings).toHaveLength(1);
    expect(crossings[0]).toMatchObject({ value: 1000, threshold: 1000, baseline: 0 });
  });
});

describe('count and distinct', () => {
  it('count adds one per contribution whatever the amount', () => {
    const crossings = feed(aggregator({ measure: 'count', windowMinutes: 10, atLeast: 3 }), [
      [at(0), [['actor', 0, 'x'], ['actor', 500, 'y']]],
      [at(9), [['actor', 0, 'z']]],
    ]);
    expect(crossings).toHaveLength(1);
    expect(crossings[0]?.value).toBe(3);
  });

  it('distinct counts different items once, within the window', () => {
    const window = { measure: 'distinct', windowMinutes: 10, atLeast: 10 } as const;
    const repeated = feed(aggregator(window), Array.from({ length: 30 }, (_, i) => [at(i % 9), [['src', 1, `100.64.0.${i % 9}`]]]));
    expect(repeated).toEqual([]);
    const spread = feed(aggregator(window), Array.from({ length: 12 }, (_, i) => [at(i * 2), [['src', 1, `100.64.0.${i}`]]]));
    expect(spread).toEqual([]);
    const fanout = feed(aggregator(window), Array.from({ length: 12 }, (_, i) => [at(i % 9, i), [['src', 1, `100.64.0.${i}`]]]));
    // Items 9–11 arrive late, in minutes 0–2: every window that comes to hold ten distinct items crosses, once, at ten.
    expect(fanout.map((c) => [c.windowEnd, c.value]).sort()).toEqual([7, 8, 9].map((m) => [new Date(at(m)).toISOString(), 10]));
    expect(fanout[0]).toMatchObject({ group: 'src', measure: 'distinct', threshold: 10 });
  });

  it('distinct counts the item, not the contributor, when an item is given', () => {
    const crossings = feed(aggregator({ measure: 'distinct', windowMinutes: 5, atLeast: 3 }), [
      [at(0), [['src', 1, '100.64.0.1', '100.64.0.1:22'], ['src', 1, '100.64.0.1', '100.64.0.1:23'], ['src', 1, '100.64.0.1', '100.64.0.1:24']]],
    ]);
    expect(crossings[0]).toMatchObject({ value: 3, topContributors: [{ contributor: '100.64.0.1', amount: 3 }] });
  });

  it('keeps memory per group bounded while still seeing the threshold exactly', () => {
    const agg = aggregator({ measure: 'distinct', windowMinutes: 5, atLeast: 50 });
    const crossings = feed(agg, [[at(0), Array.from({ length: 10_000 }, (_, i): [string, number, string] => ['scanner', 1, `port-${i}`])]]);
    expect(crossings).toHaveLength(1);
    expect(crossings[0]?.value).toBe(agg.layout.distinctCap);
    expect(crossings[0]?.topContributors).toHaveLength(5);
  });
});

describe('bounded state', () => {
  it('caps live groups with an LRU and counts evictions', () => {
    const agg = aggregator({ measure: 'sum', windowMinutes: 5, atLeast: 10, maxGroups: 2 });
    const crossings = feed(agg, [
      [at(0), [['a', 6, 'x'], ['b', 6, 'x']]],
      [at(1), [['c', 6, 'x']]],
      [at(2), [['a', 6, 'x'], ['c', 6, 'x']]],
    ]);
    // a was evicted by c, so its first 6 are forgotten; c reaches 12.
    expect(crossings.map((c) => c.group)).toEqual(['c']);
    expect(agg.liveGroups).toBe(2);
    expect(agg.counts.evictedGroups).toBe(2);
  });

  it('evicts the least recently touched tenth of a full cap at once, in the same order after a snapshot', () => {
    const window = { measure: 'sum', windowMinutes: 5, atLeast: 1000, maxGroups: 20 } as const;
    const fill: [number, Part[]][] = [];
    for (let i = 0; i < 20; i++) fill.push([at(0, i), [[`g${i}`, 1, 'x']]]);
    fill.push([at(1), [['g0', 1, 'x']]], [at(1, 1), [['g1', 1, 'x']]]);
    const live = (agg: Aggregator) => agg.exportState().groups.map((g) => g.group);

    const uninterrupted = aggregator(window);
    feed(uninterrupted, [...fill, [at(2), [['new', 1, 'x']]]]);
    // 18 are kept and the new one added: g2 and g3 were touched least recently; g0 and g1 were touched again.
    expect(live(uninterrupted)).toEqual([...Array.from({ length: 16 }, (_, i) => `g${i + 4}`), 'g0', 'g1', 'new']);
    expect(uninterrupted.counts.evictedGroups).toBe(2);

    const first = aggregator(window);
    feed(first, fill);
    const restored = aggregator(window);
    restored.importState(JSON.parse(JSON.stringify(first.exportState())) as AggregatorSnapshot);
    feed(restored, [[at(2), [['new', 1, 'x']]]]);
    expect(live(restored)).toEqual(live(uninterrupted));
  });

  it('ranks top contributors from a fixed-size summary', () => {
    const parts: [string, number, string][] = [];
    for (let i = 0; i < 200; i++) parts.push(['g', 1, `noise-${i}`]);
    parts.push(['g', 500, 'big'], ['g', 300, 'second']);
    const crossings = feed(aggregator({ measure: 'sum', windowMinutes: 5, atLeast: 900 }), [[at(0), parts]]);
    expect(crossings[0]?.topContributors.slice(0, 2).map((c) => c.contributor)).toEqual(['big', 'second']);
    expect(crossings[0]?.topContributors).toHaveLength(5);
  });

  it('ignores amounts that are not finite numbers ≥ 0, and counts them', () => {
    const agg = aggregator({ measure: 'sum', windowMinutes: 5, atLeast: 10 });
    const crossings = feed(agg, [[at(0), [['g', Number.NaN, 'x'], ['g', -5, 'x'], ['g', Infinity, 'x'], ['g', 10, 'x']]]]);
    expect(crossings[0]?.value).toBe(10);
    expect(agg.counts.invalidAmounts).toBe(3);
  });
});

describe('determinism', () => {
  it('gives the same crossings for the same input, however it is fed', () => {
    const events: [number, [string, number, string][]][] = [];
    for (let i = 0; i < 500; i++) events.push([at(Math.floor(i / 7), i % 60), [[`g${i % 13}`, (i * 7919) % 1000, `c${i % 17}`]]]);
    const window = { measure: 'sum', windowMinutes: 15, atLeast: 3000 } as const;
    const once = summary(feed(aggregator(window), events));
    const split = aggregator(window);
    const inParts = summary([...feed(split, events.slice(0, 123)), ...feed(split, events.slice(123))]);
    expect(once.length).toBeGreaterThan(3);
    expect(inParts).toEqual(once);
  });
});

describe('equal consecutive contributions (several connections between the same endpoints)', () => {
  const consecutive: Part[] = [
    ['g', 10, 'a', 'i1'], ['g', 10, 'a', 'i1'], ['g', 10, 'a', 'i1'], ['g', 20, 'b', 'i2'], ['g', 20, 'b', 'i2'], ['h', 5, 'a', 'i1'], ['g', 10, 'a', 'i3'],
  ];
  // The same contributions with no two equal neighbours: each one is applied on its own.
  const interleaved: Part[] = [
    ['g', 10, 'a', 'i1'], ['g', 20, 'b', 'i2'], ['g', 10, 'a', 'i1'], ['h', 5, 'a', 'i1'], ['g', 20, 'b', 'i2'], ['g', 10, 'a', 'i1'], ['g', 10, 'a', 'i3'],
  ];
  const windows = [
    { measure: 'sum', windowMinutes: 5, atLeast: 80 },
    { measure: 'count', windowMinutes: 5, atLeast: 6 },
    { measure: 'distinct', windowMinutes: 5, atLeast: 3 },
  ] as const;

  it.each(windows)('give the same crossing as when applied one by one ($measure)', (window) => {
    const merged = aggregator(window);
    const separate = aggregator(window);
    const crossings = summary(feed(merged, [[at(2), consecutive]]));
    expect(crossings).toHaveLength(1);
    expect(crossings[0]?.group).toBe('g');
    expect(crossings).toEqual(summary(feed(separate, [[at(2), interleaved]])));
    expect(merged.counts.contributions).toBe(7);
  });

  it('are still applied when the rule throws after emitting them', () => {
    const layout = aggregator({ measure: 'sum', windowMinutes: 5, atLeast: 30 }).layout;
    const throwing = new Aggregator(layout, (_event, _options, emit) => {
      emit('g', 10, 'a');
      emit('g', 10, 'a');
      throw new Error('rule bug');
    }, {});
    expect(() => throwing.process(fakeEvent(at(0), []), at(0), -Infinity, at(0), { crossings: [], settled: [] })).toThrow('rule bug');
    const groups = throwing.exportState().groups;
    expect(groups).toHaveLength(1);
    // Both contributions are in the minute's bucket and in the contributor's entry.
    expect(groups[0]).toMatchObject({ group: 'g', contributors: [['a', 20, 0, expect.any(Number) as unknown]] });
    expect(groups[0]?.cells.filter((cell) => cell !== 0)).toEqual([20]);
  });
});

describe('window validation', () => {
  it('rejects an invalid window with the rule id and the problem', () => {
    expect(() => windowLayout('My.Rule', { measure: 'sum', windowMinutes: 0, atLeast: 1 }, 10)).toThrow(RuleLoadError);
    expect(() => windowLayout('My.Rule', { measure: 'sum', windowMinutes: 0, atLeast: 1 }, 10)).toThrow(/My\.Rule: invalid aggregate window[\s\S]*windowMinutes/);
    expect(() => windowLayout('My.Rule', { measure: 'distinct', windowMinutes: 5, atLeast: 1, baseline: { factor: 2, hours: 1 } }, 10)).toThrow(
      /baseline needs a sum or count/,
    );
  });
});
