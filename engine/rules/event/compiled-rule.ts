// A loaded per-event rule flattened for the hot path: defaults applied, functions typed once for any event.
import type { TailscaleEvent } from '../../schemas/log-types.ts';
import { calledFields, compileMetadata } from '../base/compiled-metadata.ts';
import type { CalledFields, CompiledMetadata } from '../base/compiled-metadata.ts';
import type { AnyRule } from './event-rule-shape.ts';

type RuleFunctions = Pick<
  AnyRule,
  'include' | 'exclude' | 'rule' | 'title' | 'dedup' | 'dynamicSeverity' | 'alertContext' | 'description' | 'runbook' | 'reference' | 'destinations'
>;

export type CompiledRule = CompiledMetadata & CalledFields<RuleFunctions, TailscaleEvent>;

/** Every field set (undefined when absent), so every compiled rule has the same hidden class on the hot path. */
export function compileRule(rule: AnyRule, options: Record<string, unknown>): CompiledRule {
  const fns = calledFields<RuleFunctions, TailscaleEvent>(rule);
  return {
    ...compileMetadata(rule, options),
    include: fns.include,
    exclude: fns.exclude,
    rule: fns.rule,
    title: fns.title,
    dedup: fns.dedup,
    dynamicSeverity: fns.dynamicSeverity,
    alertContext: fns.alertContext,
    description: fns.description,
    runbook: fns.runbook,
    reference: fns.reference,
    destinations: fns.destinations,
  };
}
