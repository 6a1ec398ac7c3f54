// defineSilenceRule: identity at runtime, types at compile time (reporter() gets events typed from `logTypes`).
import type { LogType } from '../../schemas/log-types.ts';
import type { OptionsSchema } from '../base/rule-metadata.ts';
import type { SilenceRule, SilenceRuleSpec } from './types.ts';

export function defineSilenceRule<const L extends LogType, S extends OptionsSchema | undefined = undefined>(
  spec: SilenceRuleSpec<L, S>,
): SilenceRule<L, S> {
  return { ...spec, kind: 'silence' };
}
