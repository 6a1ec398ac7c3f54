// defineAggregateRule: identity at runtime, types at compile time (events typed from `logTypes`).
import type { LogType } from '../../schemas/log-types.ts';
import type { OptionsSchema } from '../base/rule-metadata.ts';
import type { AggregateRule, AggregateRuleSpec } from './types.ts';

export function defineAggregateRule<const L extends LogType, S extends OptionsSchema | undefined = undefined>(
  spec: AggregateRuleSpec<L, S>,
): AggregateRule<L, S> {
  return { ...spec, kind: 'aggregate' };
}
