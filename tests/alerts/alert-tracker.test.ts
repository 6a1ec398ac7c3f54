import { describe, expect, it } from 'vitest';
import type { AlertChanges, AlertMatch } from '../../engine/alerts/alert-tracker.ts';
import { AlertTracker } from '../../engine/alerts/alert-tracker.ts';
import { alertIdOf, windowKey } from '../../engine/alerts/alert-id.ts';
import { createMemoryStateStore } from '../../engine/alerts/memory-store.ts';

const T0 = Date.parse('2026-06-03T15:00:00.000Z');
const MIN = 60_000;

function match(dedup: string, minutes: number, extra: Partial<AlertMatch> = {}, title = `title ${dedup}`): AlertMatch {
  return {
    eventTimeMs: T0 + minutes * MIN,
    dedupPeriodMinutes: 60,
    threshold: 1,
    ...extra,
    alert: {
      type: 'RULE',
      ruleId: 'Test.Rule',
      severity: 'HIGH',
      title,
      dedup,
      logTypes: ['Tailscale.Audit'],
      alertContext: { at: minutes },
      tags: [],
      reports: {},
    },
  };
}

/** Feeds matches in order (advancing the watermark after each) like the evaluator does, then flushes. */
function run(matches: AlertMatch[], tracker = new AlertTracker(createMemoryStateStore())) {
  const steps: AlertChanges[] = [];
  for (const m of matches) {
    const changes: AlertChanges = { created: [], closed: [] };
    tracker.record(m, changes);
    if (tracker.advance(m.eventTimeMs)) tracker.closeDue(changes);
    steps.push(changes);
  }
  const flushed: AlertChanges = { created: [], closed: [] };
  tracker.flush(flushed);
  return { steps, flushed, created: steps.flatMap((s) => s.created), closed: [...steps.flatMap((s) => s.closed), ...flushed.closed] };
}

describe('AlertTracker', () => {
  it('creates one alert per dedup window and counts later matches into it', () => {
    const { created, closed } = run([match('a', 0), match('a', 10), match('a', 59)]);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ eventCount: 1, firstEventTime: '2026-06-03T15:00:00.000Z', lastEventTime: '2026-06-03T15:00:00.000Z' });
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({
      alertId: created[0]?.alertId,
      eventCount: 3,
      firstEventTime: '2026-06-03T15:00:00.000Z',
      lastEventTime: '2026-06-03T15:59:00.000Z',
    });
  });

  it('takes title and context from the match that created the alert', () => {
    const { closed } = run([match('a', 0, { threshold: 2 }, 'first'), match('a', 5, { threshold: 2 }, 'second'), match('a', 6, { threshold: 2 }, 'third')]);
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({ title: 'second', alertContext: { at: 5 }, eventCount: 3, firstEventTime: '2026-06-03T15:00:00.000Z' });
  });

  it('opens a new window (and closes the old one) for a match at or after the dedup period', () => {
    const { steps, created, closed } = run([match('a', 0), match('a', 60)]);
    expect(created).toHaveLength(2);
    expect(steps[1]?.closed.map((a) => a.eventCount)).toEqual([1]);
    expect(new Set(created.map((a) => a.alertId)).size).toBe(2);
    expect(closed).toHaveLength(2);
  });

  it('keeps windows of different dedup strings, rules and alert types apart', () => {
    const error = match('a', 1);
    error.alert = { ...error.alert, type: 'RULE_ERROR' };
    const otherRule = match('a', 2);
    otherRule.alert = { ...otherRule.alert, ruleId: 'Other.Rule' };
    const { created } = run([match('a', 0), match('b', 0), error, otherRule]);
    expect(created).toHaveLength(4);
    expect(new Set(created.map((a) => a.alertId)).size).toBe(4);
  });

  it('creates no alert for a window that never reaches the threshold', () => {
    const { created, closed } = run([match('a', 0, { threshold: 3 }), match('a', 30, { threshold: 3 }), match('a', 61, { threshold: 3 })]);
    expect(created).toEqual([]);
    expect(closed).toEqual([]);
  });

  it('creates the alert on the threshold-th match with the count so far', () => {
    const { steps } = run([match('a', 0, { threshold: 3 }), match('a', 1, { threshold: 3 }), match('a', 2, { threshold: 3 }), match('a', 3, { threshold: 3 })]);
    expect(steps.map((s) => s.created.length)).toEqual([0, 0, 1, 0]);
    expect(steps[2]?.created[0]?.eventCount).toBe(3);
  });

  it('closes a window when the watermark passes its end, even from an unrelated key', () => {
    const { steps, flushed } = run([match('a', 0), match('b', 30), match('b', 60)]);
    expect(steps[0]?.closed).toEqual([]);
    expect(steps[1]?.closed).toEqual([]);
    expect(steps[2]?.closed.map((a) => a.dedup)).toEqual(['a']);
    expect(flushed.closed.map((a) => a.dedup)).toEqual(['b']);
  });

  it('lets a late match join the open window and reports the earliest event time', () => {
    const { closed } = run([match('a', 10), match('a', 5)]);
    expect(closed[0]).toMatchObject({ eventCount: 2, firstEventTime: '2026-06-03T15:05:00.000Z', lastEventTime: '2026-06-03T15:10:00.000Z' });
  });

  it('does not change an alert already handed out as created', () => {
    const { created } = run([match('a', 0), match('a', 1)]);
    expect(created[0]?.eventCount).toBe(1);
  });

  it('derives the alert id from the window key and the event time that opened the window', () => {
    const { created } = run([match('a', 0)]);
    expect(created[0]?.alertId).toBe(alertIdOf(windowKey('RULE', 'Test.Rule', 'a'), T0));
    expect(created[0]?.alertId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('gives the same alerts for the same matches, whole or split across trackers sharing a store', () => {
    const matches = [match('a', 0), match('b', 5), match('a', 20), match('a', 70), match('b', 200)];
    const whole = run(matches);
    const store = createMemoryStateStore();
    const first = new AlertTracker(store);
    const part1: AlertChanges = { created: [], closed: [] };
    for (const m of matches.slice(0, 3)) {
      first.record(m, part1);
      if (first.advance(m.eventTimeMs)) first.closeDue(part1);
    }
    const resumed = run(matches.slice(3), new AlertTracker(store, { watermarkMs: first.watermarkMs }));
    expect([...part1.created, ...resumed.created]).toEqual(whole.created);
    expect([...part1.closed, ...resumed.closed]).toEqual(whole.closed);
  });

  it('closes the evicted window when the bounded store is full', () => {
    const tracker = new AlertTracker(createMemoryStateStore({ maxWindows: 2 }));
    const changes: AlertChanges = { created: [], closed: [] };
    for (const dedup of ['a', 'b', 'c']) tracker.record(match(dedup, 0), changes);
    expect(changes.created).toHaveLength(3);
    expect(changes.closed.map((a) => a.dedup)).toEqual(['a']);
    const flushed: AlertChanges = { created: [], closed: [] };
    tracker.flush(flushed);
    expect(flushed.closed.map((a) => a.dedup)).toEqual(['b', 'c']);
  });

  it('flushes open windows in end-time then key order', () => {
    const { flushed } = run([match('z', 0), match('b', 0), match('a', 30)]);
    expect(flushed.closed.map((a) => a.dedup)).toEqual(['b', 'z', 'a']);
  });

  it('keeps only plain JSON data in its store', () => {
    const store = createMemoryStateStore();
    const tracker = new AlertTracker(store);
    tracker.record(match('a', 0, { threshold: 2 }), { created: [], closed: [] });
    tracker.record(match('a', 1, { threshold: 2 }), { created: [], closed: [] });
    const [entry] = [...store.entries()];
    expect(JSON.parse(JSON.stringify(entry))).toEqual(entry);
    expect(entry?.[1]).toMatchObject({ ruleId: 'Test.Rule', matchCount: 2, threshold: 2, startMs: T0, endMs: T0 + 60 * MIN });
  });
});
