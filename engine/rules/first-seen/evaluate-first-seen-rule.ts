// The first-seen kind's two halves. observeValues is pure in event and options (it may run in a worker thread);
// the rule set applies its observations to the rule's seen values in input order, and firstSeenMatch turns a
// first sighting into a match with the shared alert-field builder.
import type { AlertMatch } from '../../alerts/alert-match.ts';
import type { LogType, TailscaleEvent } from '../../schemas/log-types.ts';
import { msToRfc3339 } from '../../schemas/time.ts';
import { alertFields } from '../base/alert-fields.ts';
import type { AlertDefaults } from '../base/alert-fields.ts';
import { ruleErrorMatch, ruleMatch } from '../base/match-checks.ts';
import type { CompiledFirstSeenRule } from './compiled-first-seen-rule.ts';
import type { FirstSeen } from './types.ts';

/** One group and value an event showed, with the key it is remembered by (unique per tailnet, group and value). */
export interface Observation {
  group: string;
  value: readonly string[];
  key: string;
}

const NONE: readonly Observation[] = Object.freeze([]);

/** value() on the event, checked: its observations, or a RULE_ERROR match when it throws or returns the wrong shape. */
export function observeValues(rule: CompiledFirstSeenRule, event: TailscaleEvent, eventTimeMs: number): readonly Observation[] | AlertMatch {
  try {
    const returned: unknown = rule.value(event, rule.options);
    if (returned === undefined) return NONE;
    const items: readonly unknown[] = Array.isArray(returned) ? returned : [returned];
    return items.length === 0 ? NONE : items.map((item) => observation(event.p_tailnet, item));
  } catch (error) {
    return ruleErrorMatch(rule, event, eventTimeMs, 'value', error);
  }
}

function observation(tailnet: string, item: unknown): Observation {
  const { group, value } = (typeof item === 'object' && item !== null ? item : {}) as { group?: unknown; value?: unknown };
  const tuple: unknown[] = Array.isArray(value) ? value : [value];
  if (typeof group !== 'string' || tuple.length === 0 || !tuple.every((part) => typeof part === 'string')) {
    throw new TypeError('value() returned something else than { group: string, value: string | string[] } (or an array of them, or undefined)');
  }
  const strings = tuple as string[];
  return { group, value: strings, key: `${tailnet}\0${group}\0${strings.length === 1 ? strings[0] : JSON.stringify(strings)}` };
}

/** A first sighting as a match at its event's time (a RULE_ERROR match when an alert function throws). */
export function firstSeenMatch(rule: CompiledFirstSeenRule, seen: FirstSeen, eventTimeMs: number): AlertMatch {
  const state = { stage: 'title' };
  try {
    return ruleMatch(rule, eventTimeMs, seen.tailnet, alertFields(rule, seen, FIRST_SEEN_ALERTS, state));
  } catch (error) {
    return ruleErrorMatch(rule, seen.event, eventTimeMs, state.stage, error);
  }
}

export function firstSeenOf(rule: CompiledFirstSeenRule, event: TailscaleEvent, observed: Observation, lastSeenMs: number | undefined): FirstSeen {
  return {
    tailnet: event.p_tailnet,
    group: observed.group,
    value: observed.value,
    lastSeen: lastSeenMs === undefined ? undefined : msToRfc3339(lastSeenMs),
    horizonDays: rule.window.horizonDays,
    event,
  };
}

/** The dedup string is the group and the value; the standard context says what was seen, where and when before. */
const FIRST_SEEN_ALERTS: AlertDefaults<FirstSeen> = {
  logType: (seen) => seen.event.p_log_type as LogType,
  dedup: (_rule, seen) => `${seen.group}: ${seen.value.join(' ')}`,
  context: (seen) => {
    const context: Record<string, unknown> = { tailnet: seen.tailnet, group: seen.group, value: [...seen.value], horizonDays: seen.horizonDays };
    if (seen.lastSeen !== undefined) context.lastSeen = seen.lastSeen;
    return context;
  },
};
