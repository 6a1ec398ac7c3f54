// A loaded first-seen rule flattened for the hot path: defaults applied, window validated, its seen values built.
import { z } from 'zod';
import { RuleLoadError } from '../../errors.ts';
import type { TailscaleEvent } from '../../schemas/log-types.ts';
import { calledFields, compileMetadata } from '../base/compiled-metadata.ts';
import type { CalledFields, CompiledMetadata } from '../base/compiled-metadata.ts';
import { FirstSeenWindowShape } from './first-seen-rule-shape.ts';
import type { AnyFirstSeenRule } from './first-seen-rule-shape.ts';
import { SeenValues } from './seen-values.ts';
import type { FirstSeen, FirstSeenWindow } from './types.ts';

type FirstSeenFunctions = Pick<AnyFirstSeenRule, 'title' | 'dedup' | 'dynamicSeverity' | 'alertContext' | 'destinations'>;

export type CompiledFirstSeenRule = CompiledMetadata &
  CalledFields<FirstSeenFunctions, FirstSeen> &
  CalledFields<Pick<AnyFirstSeenRule, 'value'>, TailscaleEvent> & {
    description: string | undefined;
    runbook: string | undefined;
    reference: string | undefined;
    window: FirstSeenWindow;
    seen: SeenValues;
  };

/** Throws RuleLoadError when the rule's window (after options) is invalid. */
export function compileFirstSeenRule(rule: AnyFirstSeenRule, options: Record<string, unknown>): CompiledFirstSeenRule {
  const window = firstSeenWindowFor(rule, options);
  const checked = FirstSeenWindowShape.safeParse(window);
  if (!checked.success) throw new RuleLoadError(`rule ${rule.id}: invalid firstSeen window:\n${z.prettifyError(checked.error)}`);
  const fns = calledFields<FirstSeenFunctions, FirstSeen>(rule);
  const { value } = calledFields<Pick<AnyFirstSeenRule, 'value'>, TailscaleEvent>(rule);
  return {
    ...compileMetadata(rule, options),
    description: rule.description,
    runbook: rule.runbook,
    reference: rule.reference,
    window: checked.data,
    seen: new SeenValues(checked.data),
    value,
    title: fns.title,
    dedup: fns.dedup,
    dynamicSeverity: fns.dynamicSeverity,
    alertContext: fns.alertContext,
    destinations: fns.destinations,
  };
}

/** The rule's window, or what its window function gives for these options (typed by its author for them). */
export function firstSeenWindowFor(rule: AnyFirstSeenRule, options: Record<string, unknown>): FirstSeenWindow {
  const { firstSeen } = rule;
  return typeof firstSeen === 'function' ? (firstSeen as (options: Record<string, unknown>) => FirstSeenWindow)(options) : firstSeen;
}
