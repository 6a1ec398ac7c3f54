// defineCorrelationRule and correlationStep: identity at runtime, types at compile time (each step's key functions
// get events of the step's log type).
import type { LogType } from '../../schemas/log-types.ts';
import type { OptionsSchema } from '../base/rule-metadata.ts';
import type { CorrelationRule, CorrelationRuleSpec, CorrelationStep } from './types.ts';

export function defineCorrelationRule<S extends OptionsSchema | undefined = undefined>(spec: CorrelationRuleSpec<S>): CorrelationRule<S> {
  return { ...spec, kind: 'correlation' };
}

export function correlationStep<const L extends LogType>(step: CorrelationStep<L>): CorrelationStep<L> {
  return step;
}
