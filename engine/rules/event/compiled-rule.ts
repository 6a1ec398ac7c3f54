// A loaded rule flattened for the hot path: defaults applied, functions typed once for any event.
import type { TailscaleEvent } from '../schemas/log-types.ts';
import type { Severity, SeverityResult } from './severity.ts';
import type { AnyRule } from './types.ts';

export type EventFn<R> = (event: TailscaleEvent, options: Record<string, unknown>) => R;

/** What every compiled rule (per-event or aggregate) carries: its metadata with Panther's defaults applied. */
export interface CompiledMetadata {
  id: string;
  enabled: boolean;
  logTypes: readonly string[];
  severity: Severity;
  dedupPeriodMinutes: number;
  threshold: number;
  tags: readonly string[];
  reports: Readonly<Record<string, string[]>>;
  options: Record<string, unknown>;
}

export interface CompiledRule extends CompiledMetadata {
  displayName: string | undefined;
  include: EventFn<boolean> | undefined;
  exclude: EventFn<boolean> | undefined;
  rule: EventFn<boolean>;
  title: EventFn<string> | undefined;
  dedup: EventFn<string> | undefined;
  dynamicSeverity: EventFn<SeverityResult> | undefined;
  alertContext: EventFn<Record<string, unknown>> | undefined;
  description: string | EventFn<string> | undefined;
  runbook: string | EventFn<string> | undefined;
  reference: string | EventFn<string> | undefined;
  destinations: string[] | EventFn<string[] | 'DEFAULT'> | undefined;
}

export const DEFAULT_DEDUP_PERIOD_MINUTES = 60;

type MetadataSource = Pick<AnyRule, 'id' | 'enabled' | 'logTypes' | 'severity' | 'dedupPeriodMinutes' | 'threshold' | 'tags' | 'reports'>;

export function compileMetadata(rule: MetadataSource, options: Record<string, unknown>): CompiledMetadata {
  return {
    id: rule.id,
    enabled: rule.enabled !== false,
    logTypes: rule.logTypes,
    severity: rule.severity,
    dedupPeriodMinutes: rule.dedupPeriodMinutes ?? DEFAULT_DEDUP_PERIOD_MINUTES,
    threshold: rule.threshold ?? 1,
    tags: rule.tags ?? [],
    reports: rule.reports ?? {},
    options,
  };
}

export function compileRule(rule: AnyRule, options: Record<string, unknown>): CompiledRule {
  return {
    ...compileMetadata(rule, options),
    displayName: rule.displayName,
    include: rule.include as EventFn<boolean> | undefined,
    exclude: rule.exclude as EventFn<boolean> | undefined,
    rule: rule.rule as EventFn<boolean>,
    title: rule.title as EventFn<string> | undefined,
    dedup: rule.dedup as EventFn<string> | undefined,
    dynamicSeverity: rule.dynamicSeverity as EventFn<SeverityResult> | undefined,
    alertContext: rule.alertContext as EventFn<Record<string, unknown>> | undefined,
    description: rule.description as string | EventFn<string> | undefined,
    runbook: rule.runbook as string | EventFn<string> | undefined,
    reference: rule.reference as string | EventFn<string> | undefined,
    destinations: rule.destinations as string[] | EventFn<string[] | 'DEFAULT'> | undefined,
  };
}
