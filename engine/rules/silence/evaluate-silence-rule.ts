// The silence kind's two halves. reportersOf is pure in event and options (it may run in a worker thread); the rule
// set applies its reports to the rule's Reporters in input order, and silenceMatch turns a silence found into a
// match (or nothing, when the rule's own test says it does not count) with the shared alert-field builder.
import type { AlertMatch } from '../../alerts/alert-match.ts';
import type { Inventory } from '../../inventory/inventory.ts';
import type { TailscaleEvent } from '../../schemas/log-types.ts';
import { msToRfc3339 } from '../../schemas/time.ts';
import { alertFields } from '../base/alert-fields.ts';
import type { AlertDefaults } from '../base/alert-fields.ts';
import { expectBoolean, ruleErrorMatch, ruleMatch } from '../base/match-checks.ts';
import { enterRule, leaveCall } from '../base/rule-calls.ts';
import type { CompiledSilenceRule } from './compiled-silence-rule.ts';
import type { FoundSilence } from './reporters.ts';
import type { Silence } from './types.ts';

export const MS_PER_MINUTE = 60_000;
const NONE: readonly string[] = Object.freeze([]);

/** reporter() on the event, checked: who it shows reporting, or a RULE_ERROR match when it throws or returns the wrong shape. */
export function reportersOf(rule: CompiledSilenceRule, event: TailscaleEvent, eventTimeMs: number): readonly string[] | AlertMatch {
  enterRule(rule.id);
  try {
    const returned: unknown = rule.reporter(event, rule.options);
    if (returned === undefined) return NONE;
    const reporters: readonly unknown[] = Array.isArray(returned) ? returned : [returned];
    if (!reporters.every((reporter) => typeof reporter === 'string')) throw new TypeError('reporter() returned something else than a string, an array of strings or undefined');
    return (reporters as string[]).filter((reporter) => reporter !== '');
  } catch (error) {
    return ruleErrorMatch(rule, event, eventTimeMs, 'reporter', error);
  } finally {
    leaveCall();
  }
}

/** When the silence has lasted silenceMinutes from the end of the last minute reported in: the match's time. */
export function silenceEndMs(rule: CompiledSilenceRule, found: FoundSilence): number {
  return (found.lastMinute + 1 + rule.window.silenceMinutes) * MS_PER_MINUTE;
}

/** What the rule's functions get for a silence found, with the inventory as of its end. */
export function silenceOf(rule: CompiledSilenceRule, found: FoundSilence, inventory: Inventory | undefined): Silence {
  const { silenceMinutes, windows, windowMinutes } = rule.window;
  return {
    tailnet: found.tailnet,
    reporter: found.reporter,
    logTypes: rule.logTypes,
    silentSince: msToRfc3339((found.lastMinute + 1) * MS_PER_MINUTE),
    silentAt: msToRfc3339(silenceEndMs(rule, found)),
    silenceMinutes,
    reportingWindows: found.reportingWindows,
    windows,
    windowMinutes,
    inventory,
  };
}

/** The silence as a match at its end's time; null when the rule's test says it does not count (a RULE_ERROR match when a function throws). */
export function silenceMatch(rule: CompiledSilenceRule, silence: Silence): AlertMatch | null {
  const eventTimeMs = Date.parse(silence.silentAt);
  const state = { stage: 'rule' };
  enterRule(rule.id);
  try {
    if (rule.rule !== undefined && !expectBoolean(rule.rule(silence, rule.options), 'rule')) return null;
    return ruleMatch(rule, eventTimeMs, silence.tailnet, alertFields(rule, silence, SILENCE_ALERTS, state));
  } catch (error) {
    const subject = { p_tailnet: silence.tailnet, p_log_type: silence.logTypes[0]!, p_event_time: silence.silentAt };
    return ruleErrorMatch(rule, subject, eventTimeMs, state.stage, error);
  } finally {
    leaveCall();
  }
}

/** The dedup string is the reporter; the standard context says who went silent, since when, and how regular it was. */
const SILENCE_ALERTS: AlertDefaults<Silence> = {
  logTypes: (silence) => [...silence.logTypes],
  dedup: (_rule, silence) => silence.reporter,
  context: (silence) => ({
    tailnet: silence.tailnet,
    reporter: silence.reporter,
    silentSince: silence.silentSince,
    silenceMinutes: silence.silenceMinutes,
    reportingWindows: silence.reportingWindows,
    windows: silence.windows,
    windowMinutes: silence.windowMinutes,
  }),
};
