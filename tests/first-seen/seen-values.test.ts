// The stateful half of first-seen rules: horizon on event time, learning period per tailnet, the cap's LRU
// approximation (only ever an extra first sighting, never a missed one), and a JSON round trip.
import { describe, expect, it } from 'vitest';
import { SeenValues } from '../../engine/rules/first-seen/seen-values.ts';

const DAY = 86_400_000;
const T0 = Date.parse('2026-08-01T00:00:00Z');

describe('SeenValues', () => {
  it('fires on a value the first time and again only after the horizon has passed without it', () => {
    const seen = new SeenValues({ horizonDays: 10, learningDays: 0 });
    expect(seen.observe('t', 'a', T0, false)).toEqual({ kind: 'new', lastSeenMs: undefined });
    expect(seen.observe('t', 'a', T0 + 9 * DAY, false).kind).toBe('known');
    // Each sighting moves the last-seen time: 19 days after the first, 10 after the last.
    expect(seen.observe('t', 'a', T0 + 19 * DAY, false).kind).toBe('known');
    expect(seen.observe('t', 'a', T0 + 30 * DAY, false)).toEqual({ kind: 'new', lastSeenMs: T0 + 19 * DAY });
    // An older event (out of order) does not move the last sighting back.
    expect(seen.observe('t', 'a', T0 + 25 * DAY, false).kind).toBe('known');
    expect(seen.exportState().seen).toEqual([['a', T0 + 30 * DAY]]);
  });

  it('learns without firing for the learning period after the first value of each tailnet', () => {
    const seen = new SeenValues({ horizonDays: 30, learningDays: 7 });
    expect(seen.observe('t1', 'a', T0, false).kind).toBe('learned');
    expect(seen.observe('t1', 'b', T0 + 6 * DAY, false).kind).toBe('learned');
    expect(seen.observe('t2', 'c', T0 + 8 * DAY, false).kind).toBe('learned');
    expect(seen.observe('t1', 'd', T0 + 8 * DAY, false).kind).toBe('new');
    expect(seen.observe('t1', 'b', T0 + 9 * DAY, false).kind).toBe('known');
    // Learn-only sightings (replay --learn-from) never fire, learning period over or not.
    expect(seen.observe('t1', 'e', T0 + 9 * DAY, true).kind).toBe('learned');
    expect(seen.counts).toMatchObject({ observations: 6, firstSeen: 1, learned: 4 });
  });

  it('forgets expired values first and, at the cap, the least recently observed: they fire again, nothing is missed', () => {
    const seen = new SeenValues({ horizonDays: 1000, learningDays: 0, maxValues: 10 });
    for (let i = 0; i < 10; i++) seen.observe('t', `v${i}`, T0 + i * DAY, false);
    // Seen again 20 days later (more than 1/64 of the horizon): it moves to the back of the LRU order.
    seen.observe('t', 'v0', T0 + 20 * DAY, false);
    seen.observe('t', 'v10', T0 + 21 * DAY, false);
    expect(seen.size).toBe(10);
    expect(seen.counts.evicted).toBe(1);
    // v1 was the least recently observed: it is forgotten and fires again; v0 was observed again and is known.
    expect(seen.observe('t', 'v0', T0 + 22 * DAY, false).kind).toBe('known');
    expect(seen.observe('t', 'v1', T0 + 23 * DAY, false).kind).toBe('new');
    // Everything but the value seen now has expired 1100 days later.
    seen.observe('t', 'v11', T0 + 1100 * DAY, false);
    expect(seen.size).toBe(1);
    expect(seen.counts.expired).toBe(10);
  });

  it('continues after a JSON round trip exactly as without it', () => {
    const sightings = (values: SeenValues, from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => values.observe(`t${(from + i) % 2}`, `v${((from + i) * 7) % 13}`, T0 + (from + i) * DAY, false).kind);
    const window = { horizonDays: 3, learningDays: 2, maxValues: 10 };
    const uninterrupted = new SeenValues(window);
    const expected = sightings(uninterrupted, 0, 60);
    const first = new SeenValues(window);
    const before = sightings(first, 0, 25);
    const restored = new SeenValues(window);
    restored.importState(JSON.parse(JSON.stringify(first.exportState())));
    expect([...before, ...sightings(restored, 25, 60)]).toEqual(expected);
    expect(expected.filter((kind) => kind === 'new').length).toBeGreaterThan(5);
  });
});
