// defineFirstSeenRule: identity at runtime, types at compile time (events typed from `logTypes`).
import type { LogType } from '../../schemas/log-types.ts';
import type { OptionsSchema } from '../base/rule-metadata.ts';
import type { FirstSeenRule, FirstSeenRuleSpec } from './types.ts';

export function defineFirstSeenRule<const L extends LogType, S extends OptionsSchema | undefined = undefined>(
  spec: FirstSeenRuleSpec<L, S>,
): FirstSeenRule<L, S> {
  return { ...spec, kind: 'firstSeen' };
}
