// Property tests of the event-time semantics (docs/rules.md, "Alert windows"): within the allowed lateness, any
// arrival order and any split into files give identical final forms; beyond it, alerts stay inside their windows and
// ids stay unique. fast-check prints the seed and the shrunk counterexample of any failure.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../engine/alerts/alert.ts';
import { defineAggregateRule } from '../../engine/rules/aggregate/define-aggregate-rule.ts';
import { Evaluator } from '../../engine/rules/evaluator.ts';
import { defineRule } from '../../engine/rules/event/define-rule.ts';
import type { LoadedRule } from '../../engine/rules/load-rules.ts';
import { DEFAULT_PARSE_SETTINGS, parseRecord } from '../../engine/schemas/parse.ts';
import type { TailscaleEvent } from '../../engine/schemas/log-types.ts';

const T0 = Date.parse('2026-04-01T00:00:00.000Z');
const MIN = 60_000;
const LATENESS_MIN = 10;

/** A generated match: an audit event by `actor` at `minute` (+ seconds), `tag` in its text; `delay` orders arrival. */
interface Generated {
  actor: number;
  minute: number;
  second: number;
  tag: number;
  delay: number;
}

const generated = (maxMinute: number, maxDelay: number) =>
  fc.record({
    actor: fc.integer({ min: 0, max: 2 }),
    minute: fc.integer({ min: 0, max: maxMinute }),
    second: fc.integer({ min: 0, max: 2 }),
    tag: fc.integer({ min: 0, max: 3 }),
    delay: fc.integer({ min: 0, max: maxDelay }),
  });

function event(g: Generated): { event: TailscaleEvent; timeMs: number } {
  const time = new Date(T0 + g.minute * MIN + g.second * 1000).toISOString();
  const parsed = parseRecord(
    {
      eventTime: time,
      eventGroupID: `g-${g.tag}`,
      origin: 'ADMIN_CONSOLE',
      actor: { id: `u${g.actor}`, type: 'USER', loginName: `user${g.actor}@example.com` },
      target: { id: 'example.com', type: 'TAILNET', property: 'MAGIC_DNS' },
      action: 'DISABLE',
    },
    { ...DEFAULT_PARSE_SETTINGS, sourceId: 'property', sourceLabel: 'property' },
  );
  if (!parsed.ok) throw new Error(parsed.message);
  return { event: parsed.event, timeMs: parsed.eventTimeMs };
}

function perEventRule(threshold: number): LoadedRule {
  const rule = defineRule({
    id: 'Test.Disable',
    logTypes: ['Tailscale.Audit'],
    severity: 'HIGH',
    dedupPeriodMinutes: 30,
    threshold,
    rule: (e) => e.event.action === 'DISABLE',
    dedup: (e) => e.event.actor.id,
    title: (e) => `${e.event.actor.loginName ?? '?'} disabled it (${e.event.eventGroupID ?? ''} at ${e.p_event_time})`,
    alertContext: (e) => ({ group: e.event.eventGroupID ?? null }),
  });
  return { rule, options: {}, file: '' };
}

const burstRule: LoadedRule = {
  rule: defineAggregateRule({
    id: 'Test.Disable.Burst',
    logTypes: ['Tailscale.Audit'],
    severity: 'MEDIUM',
    dedupPeriodMinutes: 60,
    aggregate: { measure: 'count', windowMinutes: 5, atLeast: 3 },
    contributions: (e, _o, emit) => emit(e.event.actor.id, 1, e.event.eventGroupID ?? '?'),
    title: (c) => `${c.value} disables by ${c.group}`,
  }),
  options: {},
  file: '',
};

const distinctRule: LoadedRule = {
  rule: defineAggregateRule({
    id: 'Test.Distinct.Groups',
    logTypes: ['Tailscale.Audit'],
    severity: 'MEDIUM',
    dedupPeriodMinutes: 30,
    aggregate: { measure: 'distinct', windowMinutes: 4, atLeast: 3 },
    // The item: the event's group and second (up to twelve distinct values per actor).
    contributions: (e, _o, emit) => emit(e.event.actor.id, 1, `${e.event.eventGroupID ?? '?'}@${e.p_event_time.slice(17, 19)}`),
    title: (c) => `${c.value} groups by ${c.group}`,
  }),
  options: {},
  file: '',
};

/** Evaluates events in the given order; returns the final forms and every revision emitted. */
function evaluate(rules: LoadedRule[], events: Generated[]): { final: Alert[]; emitted: Alert[] } {
  const evaluator = new Evaluator(rules, { allowedLatenessMinutes: LATENESS_MIN });
  const final: Alert[] = [];
  const emitted: Alert[] = [];
  for (const g of events) {
    const { event: e, timeMs } = event(g);
    const changes = evaluator.process(e, timeMs);
    emitted.push(...changes.created, ...changes.revised);
    final.push(...changes.closed);
  }
  const flushed = evaluator.flush();
  emitted.push(...flushed.revised);
  final.push(...flushed.closed);
  return { final, emitted };
}

/** Arrival order: by event time plus a delay of at most the lateness, so no event is more than that behind. */
const arrival = (events: Generated[]) => [...events].sort((a, b) => a.minute * 60 + a.second + a.delay * 60 - (b.minute * 60 + b.second + b.delay * 60));
const inTimeOrder = (events: Generated[]) => [...events].sort((a, b) => a.minute * 60 + a.second - (b.minute * 60 + b.second));

/** The final form: everything but the revision number (which counts versions emitted, so depends on arrival). */
function finalForms(alerts: Alert[]): Omit<Alert, 'revision'>[] {
  return alerts.map(({ revision: _revision, ...rest }) => rest).sort((a, b) => (a.alertId < b.alertId ? -1 : a.alertId > b.alertId ? 1 : 0));
}

describe('final forms within the allowed lateness', () => {
  it.each([1, 2, 3])('per-event rule, threshold %i: any arrival order gives the same alerts, ids, counts, times and titles', (threshold) => {
    fc.assert(
      fc.property(fc.array(generated(180, LATENESS_MIN), { minLength: 1, maxLength: 40 }), (events) => {
        const expected = finalForms(evaluate([perEventRule(threshold)], inTimeOrder(events)).final);
        expect(finalForms(evaluate([perEventRule(threshold)], arrival(events)).final)).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it.each([
    ['count', burstRule],
    ['distinct', distinctRule],
  ] as const)('aggregate rule (%s): any arrival order gives the same alerts, ids, counts, times, values and titles', (_measure, rule) => {
    let withAlerts = 0;
    fc.assert(
      fc.property(fc.array(generated(20, LATENESS_MIN), { minLength: 1, maxLength: 60 }), (events) => {
        // Top contributors are a bounded summary that may include contributions after the window: not compared.
        const comparable = (alerts: Alert[]) =>
          finalForms(alerts).map((a) => ({ ...a, alertContext: { ...a.alertContext, topContributors: undefined } }));
        const expected = comparable(evaluate([rule], inTimeOrder(events)).final);
        if (expected.length > 0) withAlerts += 1;
        expect(comparable(evaluate([rule], arrival(events)).final)).toEqual(expected);
      }),
      { numRuns: 150 },
    );
    // The generated streams do cross the threshold, often enough for the property to say something.
    expect(withAlerts).toBeGreaterThan(15);
  });

  it('a split into files read in path order gives the same alerts as the whole stream', () => {
    fc.assert(
      fc.property(fc.array(generated(180, LATENESS_MIN), { minLength: 2, maxLength: 40 }), fc.array(fc.nat(), { maxLength: 4 }), (events, cuts) => {
        const stream = arrival(events);
        const points = [...new Set(cuts.map((c) => c % stream.length))].sort((a, b) => a - b);
        const files = [...points, stream.length].map((end, i) => stream.slice(i === 0 ? 0 : points[i - 1], end));
        const named = files.map((records, i) => ({ name: `part-${String(i).padStart(3, '0')}.ndjson`, records }));
        const inPathOrder = [...named].reverse().sort((a, b) => (a.name < b.name ? -1 : 1)).flatMap((file) => file.records);
        const rules = [perEventRule(2), burstRule];
        expect(evaluate(rules, inPathOrder).final).toEqual(evaluate(rules, stream).final);
      }),
      { numRuns: 100 },
    );
  });
});

describe('beyond the allowed lateness', () => {
  it('alerts stay inside their windows and two different alerts never share an id', () => {
    fc.assert(
      fc.property(fc.array(generated(600, 0), { minLength: 1, maxLength: 50 }), fc.array(fc.nat(), { minLength: 50, maxLength: 50 }), (events, keys) => {
        // Any order at all: shuffled by random keys.
        const shuffled = events.map((e, i) => ({ e, k: keys[i] ?? 0 })).sort((a, b) => a.k - b.k).map(({ e }) => e);
        const { final, emitted } = evaluate([perEventRule(2), burstRule], shuffled);
        for (const alert of [...final, ...emitted]) {
          expect(alert.firstEventTime >= alert.windowStart, JSON.stringify(alert)).toBe(true);
          expect(alert.lastEventTime < alert.windowEnd, JSON.stringify(alert)).toBe(true);
        }
        const identity = new Map<string, string>();
        for (const alert of emitted) {
          const who = `${alert.ruleId}|${alert.dedup}|${alert.windowStart}|${alert.late === true}`;
          expect(identity.get(alert.alertId) ?? who).toBe(who);
          identity.set(alert.alertId, who);
        }
        expect(new Set(final.map((a) => a.alertId)).size).toBe(final.length);
      }),
      { numRuns: 200 },
    );
  });
});
