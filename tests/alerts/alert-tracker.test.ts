import { describe, expect, it } from 'vitest';
import type { Alert } from '../../engine/alerts/alert.ts';
import type { AlertChanges, AlertMatch } from '../../engine/alerts/alert-match.ts';
import { noChanges } from '../../engine/alerts/alert-match.ts';
import { AlertTracker } from '../../engine/alerts/alert-tracker.ts';
import { alertIdOf, windowKey } from '../../engine/alerts/alert-id.ts';
import { Watermarks } from '../../engine/alerts/watermarks.ts';
import { auditEvent } from '../rules/events.ts';

// 15:00 is an hour boundary: with a 60-minute dedup period, windows are [15:00, 16:00), [16:00, 17:00)...
const T0 = Date.parse('2026-06-03T15:00:00.000Z');
const MIN = 60_000;
const LATENESS = 10 * MIN;

function match(dedup: string, minutes: number, extra: Partial<AlertMatch> = {}, title = `title ${dedup}`): AlertMatch {
  return {
    eventTimeMs: T0 + minutes * MIN,
    tailnet: 'default',
    ruleLogTypes: ['Tailscale.Audit'],
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

/** Feeds matches in order, advancing the watermark after each like the evaluator does, then flushes. */
function run(matches: AlertMatch[], tracker = new AlertTracker({ allowedLatenessMs: LATENESS }), watermarks = new Watermarks()) {
  const steps: AlertChanges[] = [];
  for (const m of matches) {
    const changes = noChanges();
    tracker.record(m, watermarks, changes);
    if (watermarks.advance(m.tailnet, 'Tailscale.Audit', m.eventTimeMs)) tracker.closeDue(m.tailnet, watermarks, changes);
    steps.push(changes);
  }
  const flushed = noChanges();
  tracker.flush(flushed);
  const all = (pick: (c: AlertChanges) => Alert[]) => [...steps.flatMap(pick), ...pick(flushed)];
  return { steps, flushed, created: all((c) => c.created), revised: all((c) => c.revised), closed: all((c) => c.closed), tracker };
}

/** What the final form of an alert is made of (its revision number depends on arrival order). */
function finalForm(alert: Alert) {
  const { revision: _revision, ...rest } = alert;
  return rest;
}

describe('AlertTracker', () => {
  it('puts each match in its dedup period aligned to the epoch, and counts later matches into that alert', () => {
    const { created, closed, revised } = run([match('a', 5), match('a', 10), match('a', 59)]);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ revision: 1, eventCount: 1, windowStart: '2026-06-03T15:00:00.000Z', windowEnd: '2026-06-03T16:00:00.000Z' });
    expect(revised).toHaveLength(1);
    expect(closed).toEqual(revised);
    expect(closed[0]).toMatchObject({
      alertId: created[0]?.alertId,
      revision: 2,
      eventCount: 3,
      firstEventTime: '2026-06-03T15:05:00.000Z',
      lastEventTime: '2026-06-03T15:59:00.000Z',
    });
  });

  it('gives one alert for three matches five minutes apart, in any arrival order (issue: 1 alert in one order, 3 in another)', () => {
    const orders = [[0, 5, 10], [10, 5, 0], [5, 10, 0]];
    const finals = orders.map((order) => run(order.map((m) => match('a', 20 + m, {}, `at ${m}`))).closed.map(finalForm));
    for (const final of finals) {
      expect(final).toHaveLength(1);
      expect(final).toEqual(finals[0]);
    }
    expect(finals[0]?.[0]).toMatchObject({ eventCount: 3, title: 'at 0', alertContext: { at: 20 } });
  });

  it('takes title and context from the earliest match, ties broken by content, whatever arrived first', () => {
    const late = run([match('a', 30, {}, 'second'), match('a', 10, {}, 'first')]);
    expect(late.created[0]?.title).toBe('second');
    expect(late.closed[0]).toMatchObject({ title: 'first', eventCount: 2, revision: 2 });
    const tieA = run([match('a', 10, {}, 'b-title'), match('a', 10, {}, 'a-title')]);
    const tieB = run([match('a', 10, {}, 'a-title'), match('a', 10, {}, 'b-title')]);
    expect(tieA.closed.map(finalForm)).toEqual(tieB.closed.map(finalForm));
    expect(tieA.closed[0]?.title).toBe('a-title');
  });

  it('never lets a match join an alert outside its window: a 2026 alert never counts a 2023 event', () => {
    const y2026 = match('a', 0);
    const y2023 = { ...match('a', 0), eventTimeMs: Date.parse('2023-06-03T15:00:00.000Z') };
    const { closed } = run([y2026, y2023]);
    for (const alert of closed) {
      expect(Date.parse(alert.firstEventTime)).toBeGreaterThanOrEqual(Date.parse(alert.windowStart));
      expect(Date.parse(alert.lastEventTime)).toBeLessThan(Date.parse(alert.windowEnd));
    }
    expect(closed.find((a) => !a.late)).toMatchObject({ eventCount: 1, firstEventTime: '2026-06-03T15:00:00.000Z' });
  });

  it('sends matches that arrive after their window closed to a late window of their own, with its own id', () => {
    // Three 2023 matches after 2026 ones: one late alert holding all three (not three one-event alerts).
    const past = (minutes: number) => ({ ...match('a', 0), eventTimeMs: Date.parse('2023-01-01T10:00:00.000Z') + minutes * MIN });
    const { closed, created, tracker } = run([match('a', 0), match('a', 1), past(0), past(5), past(10)]);
    const late = closed.filter((a) => a.late);
    expect(late).toHaveLength(1);
    expect(late[0]).toMatchObject({ late: true, eventCount: 3, windowStart: '2023-01-01T10:00:00.000Z' });
    expect(new Set(created.map((a) => a.alertId)).size).toBe(created.length);
    expect(tracker.counts.lateMatches).toBe(3);
  });

  it('never gives two different alerts the same id, even when late matches come back for a closed window', () => {
    const back = (minutes: number) => match('a', minutes);
    // Window [15:00, 16:00) closes at 16:10; matches for it after that are late, in windows opened at different watermarks.
    const { created } = run([back(0), back(75), back(1), back(200), back(2), back(300), back(3)]);
    const byId = new Map<string, Alert>();
    for (const alert of created) {
      expect(byId.has(alert.alertId)).toBe(false);
      byId.set(alert.alertId, alert);
    }
    expect(created.filter((a) => a.late).map((a) => a.windowStart)).toEqual(['2026-06-03T15:00:00.000Z', '2026-06-03T15:00:00.000Z', '2026-06-03T15:00:00.000Z']);
  });

  it('keeps a window open for late matches until the watermark passes its end plus the lateness', () => {
    const { steps } = run([match('a', 0), match('b', 65), match('a', 59), match('b', 70)]);
    expect(steps[1]?.closed).toEqual([]);
    expect(steps[2]?.created).toEqual([]);
    expect(steps[3]?.closed.map((a) => [a.dedup, a.eventCount])).toEqual([['a', 2]]);
  });

  it('raises an alert for a threshold reached by matches that straddle a window boundary', () => {
    const t = { threshold: 3 };
    const { created } = run([match('a', 50, t), match('a', 58, t), match('a', 62, t)]);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ windowStart: '2026-06-03T16:00:00.000Z', eventCount: 1 });
    const spread = run([match('a', 0, t), match('a', 50, t), match('a', 110, t)]);
    expect(spread.created).toEqual([]);
  });

  it('decides a threshold from the set of matches, not their order (disorder within the lateness)', () => {
    const t = { threshold: 3 };
    const minutes = [50, 55, 65, 70, 130, 131, 132];
    const orders = [minutes, [55, 50, 70, 65, 132, 131, 130], [50, 65, 55, 70, 131, 130, 132]];
    const finals = orders.map((order) => run(order.map((m) => match('a', m, t))).closed.map(finalForm));
    // 15:00 has only two; 16:05 completes three within an hour with 15:50 and 15:55; 17:10-17:12 are three on their own.
    expect(finals[0]?.map((a) => a.windowStart)).toEqual(['2026-06-03T16:00:00.000Z', '2026-06-03T17:00:00.000Z']);
    for (const final of finals) expect(final).toEqual(finals[0]);
  });

  it('creates the alert on the threshold-th match and no alert for a window that never reaches it', () => {
    const t = { threshold: 3 };
    const { steps } = run([match('a', 0, t), match('a', 1, t), match('a', 2, t), match('a', 3, t)]);
    expect(steps.map((s) => s.created.length)).toEqual([0, 0, 1, 0]);
    expect(steps[2]?.created[0]?.eventCount).toBe(3);
    expect(run([match('b', 0, t), match('b', 61, t), match('b', 122, t)]).closed).toEqual([]);
  });

  it('keeps windows of different tailnets, dedup strings, rules and alert types apart, and hashes the tailnet into the id', () => {
    const error = match('a', 1);
    error.alert = { ...error.alert, type: 'RULE_ERROR' };
    const otherRule = match('a', 2);
    otherRule.alert = { ...otherRule.alert, ruleId: 'Other.Rule' };
    const otherTailnet = match('a', 3, { tailnet: 'corp.example' });
    const { created } = run([match('a', 0), match('b', 0), error, otherRule, otherTailnet]);
    expect(created).toHaveLength(5);
    expect(new Set(created.map((a) => a.alertId)).size).toBe(5);
    expect(created[0]?.alertId).toBe(alertIdOf(windowKey('default', 'RULE', 'Test.Rule', 'a'), T0));
    expect(created[4]).toMatchObject({ tailnet: 'corp.example', alertId: alertIdOf(windowKey('corp.example', 'RULE', 'Test.Rule', 'a'), T0) });
  });

  it('closes windows on the watermark of their own tailnet only', () => {
    const { steps } = run([match('a', 0, { tailnet: 'slow' }), match('b', 500, { tailnet: 'fast' })]);
    expect(steps[1]?.closed).toEqual([]);
  });

  it('closes the windows closest to closing at the cap; their later matches are late, never a second alert with their id', () => {
    const tracker = new AlertTracker({ allowedLatenessMs: LATENESS, maxWindows: 2 });
    const watermarks = new Watermarks();
    const changes = noChanges();
    for (const [dedup, minutes] of [['a', 0], ['b', 60], ['c', 120]] as const) tracker.record(match(dedup, minutes), watermarks, changes);
    expect(changes.closed.map((a) => a.dedup)).toEqual(['a']);
    tracker.record(match('a', 1), watermarks, changes);
    expect(changes.created.at(-1)).toMatchObject({ dedup: 'a', late: true });
    expect(new Set(changes.created.map((a) => a.alertId)).size).toBe(changes.created.length);
  });

  it('caps the windows of each rule apart: a rule past the cap never closes another rule’s windows early', () => {
    const tracker = new AlertTracker({ allowedLatenessMs: LATENESS, maxWindows: 2 });
    const watermarks = new Watermarks();
    const changes = noChanges();
    const other = (m: AlertMatch): AlertMatch => ({ ...m, alert: { ...m.alert, ruleId: 'Other.Rule' } });
    tracker.record(other(match('quiet', 0)), watermarks, changes);
    for (const [dedup, minutes] of [['a', 60], ['b', 120], ['c', 180], ['d', 240]] as const) tracker.record(match(dedup, minutes), watermarks, changes);
    expect(changes.closed.map((a) => `${a.ruleId}/${a.dedup}`)).toEqual(['Test.Rule/a', 'Test.Rule/b']);
    tracker.record(other(match('quiet', 1)), watermarks, changes);
    expect(changes.created.filter((a) => a.ruleId === 'Other.Rule').map((a) => a.late ?? false)).toEqual([false]);
    const restored = new AlertTracker({ allowedLatenessMs: LATENESS, maxWindows: 2 });
    restored.importState(JSON.parse(JSON.stringify(tracker.exportState())));
    const after = noChanges();
    restored.record(match('a', 61), watermarks, after);
    expect(after.created).toMatchObject([{ dedup: 'a', late: true }]);
  });

  it('resumes from exported state exactly where it left off', () => {
    const matches = [match('a', 0), match('b', 5), match('a', 20, {}, 'x'), match('a', 10, {}, 'y'), match('a', 70), match('b', 200)];
    const whole = run(matches);
    const first = new AlertTracker({ allowedLatenessMs: LATENESS });
    const watermarks = new Watermarks();
    const part = noChanges();
    for (const m of matches.slice(0, 3)) {
      first.record(m, watermarks, part);
      if (watermarks.advance('default', 'Tailscale.Audit', m.eventTimeMs)) first.closeDue('default', watermarks, part);
    }
    const saved = JSON.parse(JSON.stringify({ tracker: first.exportState(), watermarks: watermarks.entries() }));
    const resumed = new AlertTracker({ allowedLatenessMs: LATENESS });
    resumed.importState(saved.tracker);
    const restoredWatermarks = new Watermarks();
    restoredWatermarks.restore(saved.watermarks);
    const rest = run(matches.slice(3), resumed, restoredWatermarks);
    expect([...part.created, ...rest.created]).toEqual(whole.created);
    expect([...part.closed, ...rest.closed]).toEqual(whole.closed);
  });

  it('flushes open windows in close-time then key order', () => {
    const { flushed } = run([match('z', 0), match('b', 0), match('a', 30), match('c', 69)]);
    expect(flushed.closed.map((a) => a.dedup)).toEqual(['a', 'b', 'z', 'c']);
  });

  it("hands each alert the first and latest 5 of its matches' events, held by the window until its threshold is reached", () => {
    const tracker = new AlertTracker({ allowedLatenessMs: LATENESS });
    const watermarks = new Watermarks();
    const steps: AlertChanges[] = [];
    // 23 matches of one window with a threshold of 20; match n is at minute n (eventGroupID eg<n>).
    for (let n = 1; n <= 23; n++) {
      const changes = noChanges();
      tracker.record(match('a', n, { threshold: 20 }), watermarks, changes, auditEvent(n));
      steps.push(changes);
    }
    expect(steps.slice(0, 19).every((changes) => changes.events.length === 0)).toBe(true);
    const [alert] = steps[19]?.created ?? [];
    const ordinals = (changes: AlertChanges | undefined) => changes?.events.map((event) => [event.alertId, event.ordinal, JSON.parse(event.record).eventGroupID]);
    expect(ordinals(steps[19])).toEqual([1, 2, 3, 4, 5, 16, 17, 18, 19, 20].map((n) => [alert?.alertId, n, `eg${n}`]));
    expect(ordinals(steps[22])).toEqual([[alert?.alertId, 23, 'eg23']]);
    expect(steps[22]?.events[0]).toMatchObject({ eventTimeMs: T0 + 23 * MIN, source: 'test', logType: 'Tailscale.Audit', truncated: false });
  });
});
