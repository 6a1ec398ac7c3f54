// What every kind shares when turning a match into alert fields: Panther's limits, checks of what rule functions
// return, and the RULE_ERROR match a throwing function becomes.
import type { AlertFields, AlertMatch } from '../../alerts/alert-match.ts';
import type { LogType, TailscaleEvent } from '../../schemas/log-types.ts';
import type { CompiledMetadata } from './compiled-metadata.ts';
import { SEVERITIES } from './severity.ts';
import type { SeverityResult } from './severity.ts';

export const MAX_TITLE_CHARS = 1000;
export const MAX_DEDUP_CHARS = 1000;
/** Panther's limit on the serialised alert context (200 KB). */
export const MAX_ALERT_CONTEXT_CHARS = 200 * 1024;

const SEVERITY_RESULTS: ReadonlySet<unknown> = new Set<SeverityResult>([...SEVERITIES, 'DEFAULT', 'UPGRADE', 'DOWNGRADE']);

/** What a RULE_ERROR alert takes from its rule. */
type RuleIdentity = Pick<CompiledMetadata, 'id' | 'logTypes' | 'severity' | 'dedupPeriodMinutes' | 'tags' | 'reports'>;

/**
 * A thrown error as a match: no threshold, deduplicated by rule and error, naming the function that threw and the
 * event's time (not its p_row_id, which is random per process: replay and live must give the same alert).
 */
export function ruleErrorMatch(rule: RuleIdentity, event: TailscaleEvent, eventTimeMs: number, stage: string, error: unknown): AlertMatch {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return {
    eventTimeMs,
    tailnet: event.p_tailnet,
    ruleLogTypes: rule.logTypes,
    dedupPeriodMinutes: rule.dedupPeriodMinutes,
    threshold: 1,
    alert: {
      type: 'RULE_ERROR',
      ruleId: rule.id,
      severity: rule.severity,
      title: cut(`Error in rule ${rule.id}: ${message}`, MAX_TITLE_CHARS),
      dedup: cut(`${name}:${message}`, MAX_DEDUP_CHARS),
      logTypes: [event.p_log_type as LogType],
      alertContext: { function: stage, p_event_time: event.p_event_time },
      tags: [...rule.tags],
      reports: { ...rule.reports },
      error: { name, message },
    },
  };
}

/** A rule's match of its subject's event time: the window fields come from the rule, the alert fields from its functions. */
export function ruleMatch(rule: Pick<CompiledMetadata, 'logTypes' | 'dedupPeriodMinutes' | 'threshold'>, eventTimeMs: number, tailnet: string, alert: AlertFields): AlertMatch {
  return { eventTimeMs, tailnet, ruleLogTypes: rule.logTypes, dedupPeriodMinutes: rule.dedupPeriodMinutes, threshold: rule.threshold, alert };
}

export function cut(value: string, maxChars: number): string {
  return value.length > maxChars ? value.slice(0, maxChars) : value;
}

export function expectBoolean(value: unknown, stage: string): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${stage}() returned ${describe(value)}, expected a boolean`);
  return value;
}

export function expectString(value: unknown, stage: string): string {
  if (typeof value !== 'string') throw new TypeError(`${stage}() returned ${describe(value)}, expected a string`);
  return value;
}

export function expectSeverity(value: unknown): SeverityResult {
  if (!SEVERITY_RESULTS.has(value)) {
    throw new TypeError(`dynamicSeverity() returned ${describe(value)}, expected one of ${[...SEVERITY_RESULTS].join(', ')}`);
  }
  return value as SeverityResult;
}

/** What destinations() chose: a copy of the names, or undefined for 'DEFAULT' (use routing). */
export function chosenDestinations(chosen: unknown): string[] | undefined {
  if (chosen === undefined || chosen === 'DEFAULT') return undefined;
  if (!Array.isArray(chosen) || !chosen.every((name) => typeof name === 'string')) {
    throw new TypeError(`destinations() returned ${describe(chosen)}, expected an array of destination names or 'DEFAULT'`);
  }
  return [...(chosen as string[])];
}

/** A plain object, copied as JSON (so alert state stays plain data); past the size limit only an `_error` remains. */
export function boundedContext(value: unknown): Record<string, unknown> {
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
