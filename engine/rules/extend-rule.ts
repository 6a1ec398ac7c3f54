// extendRule: a shipped rule tuned in code without forking it (pypanther's extend/override, typed). The extension's
// functions get the same typed event and options as the base; call the base's own to wrap it:
//   extendRule(magicDnsDisabled, { exclude: (e) => e.event.actor.loginName === 'terraform@example.com' })
//   extendRule(magicDnsDisabled, { rule: (e, o) => magicDnsDisabled.rule(e, o) && e.event.origin !== 'API' })
// Kept under the base's id, the result replaces the shipped rule (replacesPackRule); under a new id it is a new rule.
import type { OptionsSchema } from './base/rule-metadata.ts';
import type { AggregateRule, AggregateRuleSpec } from './aggregate/types.ts';
import type { Rule, RuleSpec } from './event/types.ts';
import type { LogType } from '../schemas/log-types.ts';

/** What an extension may change: everything but the log types and the options schema, which type the functions. */
export type RuleExtension<L extends LogType, S extends OptionsSchema | undefined> = Partial<Omit<RuleSpec<L, S>, 'logTypes' | 'options'>>;
export type AggregateRuleExtension<L extends LogType, S extends OptionsSchema | undefined> = Partial<
  Omit<AggregateRuleSpec<L, S>, 'logTypes' | 'options'>
>;

export function extendRule<const L extends LogType, S extends OptionsSchema | undefined>(base: Rule<L, S>, changes: RuleExtension<L, S>): Rule<L, S>;
export function extendRule<const L extends LogType, S extends OptionsSchema | undefined>(
  base: AggregateRule<L, S>,
  changes: AggregateRuleExtension<L, S>,
): AggregateRule<L, S>;
export function extendRule(base: Rule | AggregateRule, changes: RuleExtension<LogType, OptionsSchema> | AggregateRuleExtension<LogType, OptionsSchema>): Rule | AggregateRule {
  return { ...base, ...changes, kind: base.kind, replacesPackRule: (changes.id ?? base.id) === base.id } as Rule | AggregateRule;
}
