// defineRule: identity at runtime, types at compile time (the event is typed from `logTypes`).
import type { LogType } from '../../schemas/log-types.ts';
import type { OptionsSchema } from '../base/rule-metadata.ts';
import type { Rule, RuleSpec } from './types.ts';

export function defineRule<const L extends LogType, S extends OptionsSchema | undefined = undefined>(
  spec: RuleSpec<L, S>,
): Rule<L, S> {
  return { ...spec, kind: 'rule' };
}
