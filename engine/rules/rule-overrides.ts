// alerts.config.ts `rules.overrides`: a rule's severity, dedup period, destinations, tags or enabled flag changed
// per deployment. The overridden rule is a copy, made once per module object and override, so hot reload still finds
// an unchanged rule by identity (aggregate windows survive a reload).
import type { RuleOverride } from '../config/rules-config.ts';
import type { AnyKindRule } from './rule-kinds.ts';

const copies = new WeakMap<AnyKindRule, Map<string, AnyKindRule>>();

export function applyRuleOverride(rule: AnyKindRule, override: RuleOverride | undefined): AnyKindRule {
  if (override === undefined || Object.keys(override).length === 0) return rule;
  const key = JSON.stringify(override);
  let byOverride = copies.get(rule);
  if (byOverride === undefined) copies.set(rule, (byOverride = new Map()));
  let copy = byOverride.get(key);
  if (copy === undefined) byOverride.set(key, (copy = { ...rule, ...override, severity: override.severity ?? rule.severity }));
  return copy;
}
