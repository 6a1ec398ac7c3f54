// A loaded rule flattened for the hot path: defaults applied, functions typed once for any event.
import type { TailscaleEvent } from '../schemas/log-types.ts';
import type { Severity, SeverityResult } from './severity.ts';
import type { AnyRule } from './types.ts';

export type EventFn<R> = (event: TailscaleEvent, options: Record<string, unknown>) => R;

export interface CompiledRule {
  id: string;
  displayName: string | undefined;
  enabled: boolean;
  logTypes: readonly string[];
  severity: Severity;
  dedupPeriodMinutes: number;
  threshold: number;
  tags: readonly string[];
  reports: Readonly<Record<string, string[]>>;
  options: Record<string, unknown>;
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

export function compileRule(rule: AnyRule, options: Record<string, unknown>): CompiledRule {
  return {
    id: rule.id,
    displayName: rule.displayName,
    enabled: rule.enabled !== false,
    logTypes: rule.logTypes,
    severity: rule.severity,
    dedupPeriodMinutes: rule.dedupPeriodMinutes ?? DEFAULT_DEDUP_PERIOD_MINUTES,
    threshold: rule.threshold ?? 1,
    tags: rule.tags ?? [],
    reports: rule.reports ?? {},
    options,
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
