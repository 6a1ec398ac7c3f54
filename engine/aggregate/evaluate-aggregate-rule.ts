// One aggregate rule on one event: contributions in, crossings out as alert matches (same machinery as per-event
// rules). A throwing contributions/title/... function becomes a RULE_ERROR match, like in per-event rules.
import type { AlertFields, AlertMatch } from '../alerts/alert-tracker.ts';
import { MAX_ALERT_CONTEXT_CHARS, MAX_DEDUP_CHARS, MAX_TITLE_CHARS } from '../rules/evaluate-rule.ts';
import { resolveSeverity, SEVERITIES } from '../rules/severity.ts';
import type { SeverityResult } from '../rules/severity.ts';
import type { LogType, TailscaleEvent } from '../schemas/log-types.ts';
import type { CompiledAggregateRule } from './compiled-aggregate-rule.ts';
import type { Crossing } from './types.ts';

type Stage = 'contributions' | 'title' | 'dedup' | 'dynamicSeverity' | 'alertContext' | 'destinations';

const SEVERITY_RESULTS: ReadonlySet<unknown> = new Set<SeverityResult>([...SEVERITIES, 'DEFAULT', 'UPGRADE', 'DOWNGRADE']);

/** Pushes one match per group that crossed its threshold on this event (usually none). */
export function evaluateAggregateRule(rule: CompiledAggregateRule, event: TailscaleEvent, eventTimeMs: number, out: AlertMatch[]): void {
  let crossings: readonly Crossing[];
  try {
    crossings = rule.aggregator.process(event, eventTimeMs);
  } catch (error) {
    out.push(errorMatch(rule, event, eventTimeMs, 'contributions', error));
    return;
  }
  for (const crossing of crossings) {
    const state = { stage: 'title' as Stage };
    try {
      out.push({ eventTimeMs, dedupPeriodMinutes: rule.dedupPeriodMinutes, threshold: rule.threshold, alert: crossingFields(rule, crossing, state) });
    } catch (error) {
      out.push(errorMatch(rule, event, eventTimeMs, state.stage, error));
    }
  }
}

function crossingFields(rule: CompiledAggregateRule, crossing: Crossing, state: { stage: Stage }): AlertFields {
  const { options } = rule;
  const title = cut(expectString(rule.title(crossing, options), 'title') || rule.id, MAX_TITLE_CHARS);
  state.stage = 'dedup';
  const dedup = cut((rule.dedup && expectString(rule.dedup(crossing, options), 'dedup')) || crossing.group, MAX_DEDUP_CHARS);
  state.stage = 'dynamicSeverity';
  const severity = rule.dynamicSeverity ? resolveSeverity(rule.severity, expectSeverity(rule.dynamicSeverity(crossing, options))) : rule.severity;
  state.stage = 'alertContext';
  const fields: AlertFields = {
    type: 'RULE',
    ruleId: rule.id,
    severity,
    title,
    dedup,
    logTypes: [crossing.event.p_log_type as LogType],
    alertContext: alertContext(rule, crossing),
    tags: [...rule.tags],
    reports: { ...rule.reports },
  };
  if (rule.description !== undefined) fields.description = rule.description;
  if (rule.runbook !== undefined) fields.runbook = rule.runbook;
  if (rule.reference !== undefined) fields.reference = rule.reference;
  state.stage = 'destinations';
  const chosen: unknown = typeof rule.destinations === 'function' ? rule.destinations(crossing, options) : rule.destinations;
  if (chosen !== undefined && chosen !== 'DEFAULT') {
    if (!Array.isArray(chosen) || !chosen.every((name) => typeof name === 'string')) {
      throw new TypeError(`destinations() returned ${typeof chosen}, expected an array of destination names or 'DEFAULT'`);
    }
    fields.destinations = [...(chosen as string[])];
  }
  return fields;
}

/** The standard aggregate context (what was measured, against what, where from), then the rule's own fields. */
function alertContext(rule: CompiledAggregateRule, crossing: Crossing): Record<string, unknown> {
  const context: Record<string, unknown> = {
    group: crossing.group,
    measure: crossing.measure,
    value: crossing.value,
    threshold: crossing.threshold,
    windowMinutes: crossing.windowMinutes,
    windowStart: crossing.windowStart,
    windowEnd: crossing.windowEnd,
    topContributors: crossing.topContributors,
  };
  if (crossing.baseline !== undefined) context.baseline = crossing.baseline;
  if (rule.alertContext !== undefined) {
    const own: unknown = rule.alertContext(crossing, rule.options);
    if (typeof own !== 'object' || own === null || Array.isArray(own)) throw new TypeError('alertContext() must return a plain object');
    Object.assign(context, own);
  }
  const serialised = JSON.stringify(context);
  if (serialised.length > MAX_ALERT_CONTEXT_CHARS) {
    return { _error: `alert_context size is [${serialised.length}] characters, bigger than maximum of [${MAX_ALERT_CONTEXT_CHARS}] characters` };
  }
  return JSON.parse(serialised) as Record<string, unknown>;
}

function errorMatch(rule: CompiledAggregateRule, event: TailscaleEvent, eventTimeMs: number, stage: Stage, error: unknown): AlertMatch {
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

function expectString(value: unknown, stage: Stage): string {
  if (typeof value !== 'string') throw new TypeError(`${stage}() returned ${typeof value}, expected a string`);
  return value;
}

function expectSeverity(value: unknown): SeverityResult {
  if (!SEVERITY_RESULTS.has(value)) throw new TypeError(`dynamicSeverity() returned ${String(value)}, expected a severity`);
  return value as SeverityResult;
}
