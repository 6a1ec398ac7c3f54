// A loaded aggregate rule flattened for the hot path: defaults applied, window validated, its Aggregator built.
import { compileMetadata } from '../rules/compiled-rule.ts';
import type { CompiledMetadata } from '../rules/compiled-rule.ts';
import type { SeverityResult } from '../rules/severity.ts';
import { Aggregator } from './aggregator.ts';
import type { ContributionsFn } from './aggregator.ts';
import type { AggregateWindow, AnyAggregateRule, Crossing } from './types.ts';
import { windowLayout } from './window-layout.ts';

export type CrossingCallback<R> = (crossing: Crossing, options: Record<string, unknown>) => R;

export interface CompiledAggregateRule extends CompiledMetadata {
  description: string | undefined;
  runbook: string | undefined;
  reference: string | undefined;
  aggregator: Aggregator;
  title: CrossingCallback<string>;
  dedup: CrossingCallback<string> | undefined;
  dynamicSeverity: CrossingCallback<SeverityResult> | undefined;
  alertContext: CrossingCallback<Record<string, unknown>> | undefined;
  destinations: string[] | CrossingCallback<string[] | 'DEFAULT'> | undefined;
}

/** Throws RuleLoadError when the rule's window (after options) is invalid. */
export function compileAggregateRule(rule: AnyAggregateRule, options: Record<string, unknown>, allowedLatenessMinutes: number): CompiledAggregateRule {
  const window =
    typeof rule.aggregate === 'function' ? (rule.aggregate as (o: Record<string, unknown>) => AggregateWindow)(options) : rule.aggregate;
  const layout = windowLayout(rule.id, window, allowedLatenessMinutes);
  return {
    ...compileMetadata(rule, options),
    description: rule.description,
    runbook: rule.runbook,
    reference: rule.reference,
    aggregator: new Aggregator(layout, rule.contributions as ContributionsFn, options),
    title: rule.title as CrossingCallback<string>,
    dedup: rule.dedup as CrossingCallback<string> | undefined,
    dynamicSeverity: rule.dynamicSeverity as CrossingCallback<SeverityResult> | undefined,
    alertContext: rule.alertContext as CrossingCallback<Record<string, unknown>> | undefined,
    destinations: rule.destinations as string[] | CrossingCallback<string[] | 'DEFAULT'> | undefined,
  };
}
