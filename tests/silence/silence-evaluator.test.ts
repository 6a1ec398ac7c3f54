// Silence rules through the real Evaluator: a regular reporter's silence fires from the passage of event time (the
// flow-log watermark), once every report that could end it has had its lateness; arrival disorder within the
// lateness changes nothing; late reports are counted and dropped; snapshots carry the reporters; the inventory is
// read as of the silence's end.
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../engine/alerts/alert.ts';
import { memoryInventory } from '../../engine/inventory/memory.ts';
import { Evaluator } from '../../engine/rules/evaluator.ts';
import type { EvaluatorOptions } from '../../engine/rules/evaluator.ts';
import type { LoadedRule } from '../../engine/rules/load-rules.ts';
import { defineSilenceRule } from '../../engine/rules/silence/define-silence-rule.ts';
import type { AnySilenceRule } from '../../engine/rules/silence/silence-rule-shape.ts';
import { SilenceRuleShape } from '../../engine/rules/silence/silence-rule-shape.ts';
import type { TailscaleEvent } from '../../engine/schemas/log-types.ts';
import { parsed, T0_MS } from '../rules/events.ts';

const RULE_ID = 'Test.Flow.Silent';
const silent = defineSilenceRule({
  id: RULE_ID,
  logTypes: ['Tailscale.Network'],
  severity: 'MEDIUM',
  silence: { silenceMinutes: 15, windowMinutes: 10, windows: 3, minReportingWindows: 3 },
  reporter: (e) => (e.event.nodeId === 'nBroken' ? (42 as never) : e.event.nodeId),
  title: (s) => `${s.reporter} silent since ${s.silentSince}`,
}) as unknown as AnySilenceRule;
const loaded = (rule: AnySilenceRule = silent): LoadedRule => ({ rule, options: {}, file: '' });

/** A flow record of `nodeId` ending at T0 + `minute`. */
const flow = (nodeId: string, minute: number): TailscaleEvent => {
  const end = T0_MS + minute * 60_000;
  return parsed({ nodeId, start: new Date(end - 5000).toISOString(), end: new Date(end).toISOString(), virtualTraffic: [{ proto: 6, src: '100.64.0.1:1', dst: '100.64.0.2:2', txBytes: 1 }] });
};
const every5 = (nodeId: string, from: number, to: number) => Array.from({ length: Math.floor((to - from) / 5) + 1 }, (_, i) => flow(nodeId, from + i * 5));
const inTimeOrder = (...lists: TailscaleEvent[][]) => lists.flat().sort((a, b) => Date.parse(a.p_event_time) - Date.parse(b.p_event_time));
const at = (minute: number) => new Date(T0_MS + minute * 60_000).toISOString();

// web reports 0–30, is silent until 70 (a silence from 31 to 46), reports 70–100, and stops (a second one, at 116);
// db keeps the tailnet's flow-log watermark moving until 140.
const STREAM = inTimeOrder(every5('nWeb', 0, 30), every5('nWeb', 70, 100), every5('nDb', 0, 140));

interface Run {
  created: Alert[];
  closed: Alert[];
}

function run(evaluator: Evaluator, events: readonly TailscaleEvent[], flush = true): Run {
  const out: Run = { created: [], closed: [] };
  for (const event of events) {
    const changes = evaluator.process(event);
    out.created.push(...changes.created);
    out.closed.push(...changes.closed);
  }
  if (flush) {
    const flushed = evaluator.flush();
    out.created.push(...flushed.created);
    out.closed.push(...flushed.closed);
  }
  return out;
}

const finalForms = (alerts: readonly Alert[]) => alerts.map((a) => `${a.alertId} ${a.eventCount} ${a.firstEventTime} ${a.lastEventTime} ${a.title}`).sort();

describe('silence rules in the evaluator', () => {
  it('is a valid rule of its kind', () => {
    expect(SilenceRuleShape.safeParse(silent).success).toBe(true);
  });

  it('fires on the watermark, not on an event of the reporter, once the silence is past the allowed lateness', () => {
    const evaluator = new Evaluator([loaded()]);
    // The silence ends at 46; with 10 minutes of lateness it is decided once the watermark is past 56.
    const before = STREAM.filter((event) => Date.parse(event.p_event_time) <= T0_MS + 55 * 60_000);
    expect(run(evaluator, before, false).created).toEqual([]);
    const [alert, ...others] = run(evaluator, [flow('nDb', 60)], false).created;
    expect(others).toEqual([]);
    expect(alert).toMatchObject({ ruleId: RULE_ID, dedup: 'nWeb', title: `nWeb silent since ${at(31)}`, firstEventTime: at(46), logTypes: ['Tailscale.Network'] });
    expect(alert?.alertContext).toEqual({ tailnet: 'default', reporter: 'nWeb', silentSince: at(31), silenceMinutes: 15, reportingWindows: 3, windows: 3, windowMinutes: 10 });
  });

  it('finds every silence of a regular reporter, a closed one and the last, and none of one that never settled into a rhythm', () => {
    const result = run(new Evaluator([loaded()]), [...STREAM]);
    expect(result.created.map((alert) => `${alert.firstEventTime} ${alert.title}`)).toEqual([`${at(46)} nWeb silent since ${at(31)}`, `${at(116)} nWeb silent since ${at(101)}`]);
    // The second is found from the watermark too, before the end of the stream.
    expect(run(new Evaluator([loaded()]), STREAM, false).created).toHaveLength(2);
    // A reporter with one window of history is not "normally reporting".
    expect(run(new Evaluator([loaded()]), inTimeOrder(every5('nWeb', 0, 5), every5('nDb', 0, 60))).closed).toEqual([]);
  });

  it('gives the same alerts for any arrival order within the allowed lateness', () => {
    const expected = finalForms(run(new Evaluator([loaded()]), STREAM).closed);
    // Each 8-minute batch arrives newest first (disorder of at most 8 minutes, below the 10 allowed).
    const batches = new Map<number, TailscaleEvent[]>();
    for (const event of STREAM) {
      const batch = Math.floor((Date.parse(event.p_event_time) - T0_MS) / (8 * 60_000));
      batches.set(batch, [...(batches.get(batch) ?? []), event]);
    }
    const shuffled = [...batches.values()].flatMap((batch) => [...batch].reverse());
    expect(shuffled).not.toEqual(STREAM);
    const evaluator = new Evaluator([loaded()]);
    expect(finalForms(run(evaluator, shuffled).closed)).toEqual(expected);
    expect(evaluator.stats().silences[RULE_ID]?.lateReports).toBe(0);
  });

  it('finds a silence that a report ended, whether that report arrives before or after the watermark passes the silence', () => {
    // web is silent from 31 to 47: longer than 15 minutes. Its report of 47 comes in order, or 9 minutes late.
    const base = inTimeOrder(every5('nWeb', 0, 30), every5('nDb', 0, 56));
    const inOrder = inTimeOrder(base, [flow('nWeb', 47)], every5('nDb', 60, 70));
    const late = [...base, flow('nWeb', 47), ...every5('nDb', 60, 70)];
    const found = (events: TailscaleEvent[]) => run(new Evaluator([loaded()]), events, false).created.map((a) => `${a.alertId} ${a.firstEventTime}`);
    expect(found(inOrder)).toEqual([expect.stringContaining(at(46))]);
    expect(found(late)).toEqual(found(inOrder));
  });

  it('drops a report whose minute has settled, counts it, and keeps the silence it came too late for', () => {
    const evaluator = new Evaluator([loaded()]);
    const { created } = run(evaluator, [...inTimeOrder(every5('nWeb', 0, 30), every5('nDb', 0, 60)), flow('nWeb', 40)]);
    expect(created.map((alert) => alert.firstEventTime)).toEqual([at(46)]);
    expect(evaluator.stats().silences[RULE_ID]).toMatchObject({ lateReports: 1, silences: 1 });
  });

  it('continues from a JSON snapshot as if never stopped', () => {
    const all = run(new Evaluator([loaded()]), STREAM);
    for (const cut of [10, 20, 33]) {
      const first = new Evaluator([loaded()]);
      const before = run(first, STREAM.slice(0, cut), false);
      const restored = new Evaluator([loaded()]);
      restored.restoreState(JSON.parse(JSON.stringify(first.exportState())));
      const after = run(restored, STREAM.slice(cut));
      expect(finalForms([...before.closed, ...after.closed]), `cut at ${cut}`).toEqual(finalForms(all.closed));
      expect([...before.created, ...after.created].map((a) => a.alertId)).toEqual(all.created.map((a) => a.alertId));
    }
  });

  it('keeps its reporters over a hot reload while the rule is unchanged', () => {
    const evaluator = new Evaluator([loaded()]);
    run(evaluator, STREAM.slice(0, 20), false);
    evaluator.setRules([loaded()]);
    expect(evaluator.stats().silences[RULE_ID]?.reporters).toBe(2);
    evaluator.setRules([loaded({ ...silent })]);
    expect(evaluator.stats().silences[RULE_ID]?.reporters).toBe(0);
  });

  it('reads the inventory as of the silence\'s end, through the rule\'s own test', () => {
    const online = defineSilenceRule({
      ...(silent as unknown as Parameters<typeof defineSilenceRule>[0]),
      rule: (s) => s.inventory?.node(s.reporter)?.online === true,
    }) as unknown as AnySilenceRule;
    const alertsWith = (versions: [validFromMinute: number, isOnline: boolean][]): string[] => {
      const inventory = memoryInventory();
      for (const [minute, isOnline] of versions) {
        inventory.store.apply({ tailnet: 'default', kind: 'node', id: 'nWeb', validFrom: T0_MS + minute * 60_000, learnedAt: 0, origin: 'poll', record: { id: 'nWeb', online: isOnline } });
      }
      const options: EvaluatorOptions = { inventory: inventory.tracker };
      return run(new Evaluator([loaded(online)], options), inTimeOrder(every5('nWeb', 0, 30), every5('nDb', 0, 60))).created.map((a) => a.firstEventTime);
    };
    expect(alertsWith([[0, true]])).toEqual([at(46)]);
    // Offline from 40: at 46 the inventory says offline, though it was online when the node last reported.
    expect(alertsWith([[0, true], [40, false]])).toEqual([]);
    // Back online at 45: online at 46.
    expect(alertsWith([[0, true], [40, false], [45, true]])).toEqual([at(46)]);
    expect(alertsWith([])).toEqual([]);
  });

  it('turns a reporter() of the wrong shape into a RULE_ERROR alert, and refuses a bad window or a signal', () => {
    const [alert] = run(new Evaluator([loaded()]), [flow('nBroken', 0)]).created;
    expect(alert).toMatchObject({ type: 'RULE_ERROR', ruleId: RULE_ID, alertContext: { function: 'reporter' } });
    expect(() => new Evaluator([loaded({ ...silent, silence: { silenceMinutes: 15, windowMinutes: 10, windows: 3, minReportingWindows: 4 } })])).toThrow(/minReportingWindows must be at most windows/);
    expect(() => new Evaluator([loaded({ ...silent, signal: true })])).toThrow(/cannot be a signal/);
  });
});
