// extendRule: a shipped rule tuned in code without forking it (pypanther's extend/override, typed). The extension's
// functions get the same typed event and options as the base; call the base's own to wrap it:
//   extendRule(magicDnsDisabled, { exclude: (e) => e.event.actor.loginName === 'terraform@example.com' })
//   extendRule(magicDnsDisabled, { rule: (e, o) => magicDnsDisabled.rule(e, o) && e.event.origin !== 'API' })
// Kept under the base's id, the result replaces the shipped rule (replacesPackRule); under a new id it is a new rule.
import type { OptionsSchema } from './base/rule-metadata.ts';
import type { AggregateRule, AggregateRuleSpec } from './aggregate/types.ts';
import type { Rule, RuleSpec } from './event/types.ts';
import type { FirstSeenRule, FirstSeenRuleSpec } from './first-seen/types.ts';
import type { LogType } from '../schemas/log-types.ts';

/** What an extension may change: everything but the log types and the options schema, which type the functions. */
export type RuleExtension<L extends LogType, S extends OptionsSchema | undefined> = Partial<Omit<RuleSpec<L, S>, 'logTypes' | 'options'>>;
export type AggregateRuleExtension<L extends LogType, S extends OptionsSchema | undefined> = Partial<
  Omit<AggregateRuleSpec<L, S>, 'logTypes' | 'options'>
>;

export type FirstSeenRuleExtension<L extends LogType, S extends OptionsSchema | undefined> = Partial<
  Omit<FirstSeenRuleSpec<L, S>, 'logTypes' | 'options'>
>;

/** The extension a rule takes, typed from the base rule's kind, log types and options. */
export type ExtensionOf<R> =
  R extends Rule<infer L, infer S>
    ? RuleExtension<L, S>
    : R extends AggregateRule<infer L, infer S>
      ? AggregateRuleExtension<L, S>
      : R extends FirstSeenRule<infer L, infer S>
        ? FirstSeenRuleExtension<L, S>
        : never;

export function extendRule<R extends { readonly kind: 'rule' | 'aggregate' | 'firstSeen'; readonly id: string }>(base: R, changes: ExtensionOf<R>): R {
  const id = (changes as { id?: string }).id ?? base.id;
  return { ...base, ...(changes as object), kind: base.kind, replacesPackRule: id === base.id };
}
