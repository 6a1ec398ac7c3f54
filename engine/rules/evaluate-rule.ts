// One rule on one event, with Panther's semantics: filters, rule(), then title/dedup/severity/context of a match.
// Anything the rule throws (or returns of the wrong type) becomes a RULE_ERROR match instead.
import type { AlertFields, AlertMatch } from '../alerts/alert-tracker.ts';
import type { LogType, TailscaleEvent } from '../schemas/log-types.ts';
import type { CompiledRule, EventFn } from './compiled-rule.ts';
import { resolveSeverity, SEVERITIES } from './severity.ts';
import type { SeverityResult } from './severity.ts';

export const MAX_TITLE_CHARS = 1000;
export const MAX_DEDUP_CHARS = 1000;
/** Panther's limit on the serialised alert context (200 KB). */
export const MAX_ALERT_CONTEXT_CHARS = 200 * 1024;

const SEVERITY_RESULTS: ReadonlySet<unknown> = new Set<SeverityResult>([...SEVERITIES, 'DEFAULT', 'UPGRADE', 'DOWNGRADE']);

/** The rule function being run, named in RULE_ERROR alerts. */
type Stage = 'include' | 'exclude' | 'rule' | 'title' | 'dedup' | 'dynamicSeverity' | 'alertContext' | 'description' | 'runbook' | 'reference' | 'destinations';

/** Returns null when the rule does not match; a RULE or RULE_ERROR match otherwise. */
export function evaluateRule(rule: CompiledRule, event: TailscaleEvent, eventTimeMs: number): AlertMatch | null {
  let stage: Stage = 'include';
  try {
    if (rule.include !== undefined && !expectBoolean(rule.include(event, rule.options), stage)) return null;
    stage = 'exclude';
    if (rule.exclude !== undefined && expectBoolean(rule.exclude(event, rule.options), stage)) return null;
    stage = 'rule';
    if (!expectBoolean(rule.rule(event, rule.options), stage)) return null;
  } catch (error) {
    return errorMatch(rule, event, eventTimeMs, stage, error);
  }
  const state = { stage: 'title' as Stage };
  try {
    return { eventTimeMs, dedupPeriodMinutes: rule.dedupPeriodMinutes, threshold: rule.threshold, alert: matchFields(rule, event, state) };
  } catch (error) {
    return errorMatch(rule, event, eventTimeMs, state.stage, error);
  }
}

/** Runs the rule's alert functions on a matching event; `state.stage` names the one running if it throws. */
function matchFields(rule: CompiledRule, event: TailscaleEvent, state: { stage: Stage }): AlertFields {
  const { options } = rule;
  const customTitle = rule.title === undefined ? '' : expectString(rule.title(event, options), 'title');
  const title = cut(customTitle || rule.displayName || rule.id, MAX_TITLE_CHARS);
  state.stage = 'dedup';
  const customDedup = rule.dedup === undefined ? '' : expectString(rule.dedup(event, options), 'dedup');
  const dedup = cut(customDedup || (customTitle ? title : `defaultDedupString:${rule.id}`), MAX_DEDUP_CHARS);
  state.stage = 'dynamicSeverity';
  const severity = rule.dynamicSeverity === undefined ? rule.severity : resolveSeverity(rule.severity, expectSeverity(rule.dynamicSeverity(event, options)));
  state.stage = 'alertContext';
  const alertContext = rule.alertContext === undefined ? {} : boundedContext(rule.alertContext(event, options));
  const fields: AlertFields = {
    type: 'RULE',
    ruleId: rule.id,
    severity,
    title,
    dedup,
    logTypes: [event.p_log_type as LogType],
    alertContext,
    tags: [...rule.tags],
    reports: { ...rule.reports },
  };
  state.stage = 'description';
  if (rule.description !== undefined) fields.description = text(rule.description, event, options, 'description');
  state.stage = 'runbook';
  if (rule.runbook !== undefined) fields.runbook = text(rule.runbook, event, options, 'runbook');
  state.stage = 'reference';
  if (rule.reference !== undefined) fields.reference = text(rule.reference, event, options, 'reference');
  state.stage = 'destinations';
  const destinations = chosenDestinations(rule.destinations, event, options);
  if (destinations !== undefined) fields.destinations = destinations;
  return fields;
}

function errorMatch(rule: CompiledRule, event: TailscaleEvent, eventTimeMs: number, stage: Stage, error: unknown): AlertMatch {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return {
    eventTimeMs,
    dedupPeriodMinutes: rule.dedupPeriodMinutes,
    threshold: 1,
    alert: {
      type: 'RULE_ERROR',
      ruleId: rule.id,
      severity: rule.severity,
      title: cut(`Error in rule ${rule.id}: ${message}`, MAX_TITLE_CHARS),
      dedup: cut(`${name}:${message}`, MAX_DEDUP_CHARS),
      logTypes: [event.p_log_type as LogType],
      alertContext: { function: stage, p_row_id: event.p_row_id },
      tags: [...rule.tags],
      reports: { ...rule.reports },
      error: { name, message },
    },
  };
}

function cut(value: string, maxChars: number): string {
  return value.length > maxChars ? value.slice(0, maxChars) : value;
}

function expectBoolean(value: unknown, stage: Stage): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${stage}() returned ${describe(value)}, expected a boolean`);
  return value;
}

function expectString(value: unknown, stage: Stage): string {
  if (typeof value !== 'string') throw new TypeError(`${stage}() returned ${describe(value)}, expected a string`);
  return value;
}

function expectSeverity(value: unknown): SeverityResult {
  if (!SEVERITY_RESULTS.has(value)) {
    throw new TypeError(`dynamicSeverity() returned ${describe(value)}, expected one of ${[...SEVERITY_RESULTS].join(', ')}`);
  }
  return value as SeverityResult;
}

function text(value: string | EventFn<string>, event: TailscaleEvent, options: Record<string, unknown>, stage: Stage): string {
  return typeof value === 'string' ? value : expectString(value(event, options), stage);
}

function chosenDestinations(
  value: CompiledRule['destinations'],
  event: TailscaleEvent,
  options: Record<string, unknown>,
): string[] | undefined {
  if (value === undefined) return undefined;
  const chosen: unknown = typeof value === 'function' ? value(event, options) : value;
  if (chosen === 'DEFAULT') return undefined;
  if (!Array.isArray(chosen) || !chosen.every((name) => typeof name === 'string')) {
    throw new TypeError(`destinations() returned ${describe(chosen)}, expected an array of destination names or 'DEFAULT'`);
  }
  return [...(chosen as string[])];
}

/** A plain object, copied as JSON (so alert state stays plain data); past the size limit only an `_error` remains. */
function boundedContext(value: unknown): Record<string, unknown> {
  if (!isPlainObject(value)) throw new TypeError(`alertContext() returned ${describe(value)}, expected a plain object`);
  const serialised = JSON.stringify(value);
  if (serialised.length > MAX_ALERT_CONTEXT_CHARS) {
    return { _error: `alert_context size is [${serialised.length}] characters, bigger than maximum of [${MAX_ALERT_CONTEXT_CHARS}] characters` };
  }
  return JSON.parse(serialised) as Record<string, unknown>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `a ${value.constructor?.name ?? 'null-prototype'} object`;
  if (typeof value === 'string') return `string ${JSON.stringify(value.slice(0, 80))}`;
  if (typeof value === 'function') return 'a function';
  return `${typeof value} ${String(value)}`;
}
