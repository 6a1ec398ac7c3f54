// alerts.config.ts `rules`: the user's rules directory, which shipped (pack) rules run beside them, and per-rule tuning.
import { z } from 'zod';
import { DestinationName } from '../destinations/destination-config.ts';
import { SEVERITIES } from '../rules/base/severity.ts';

/** Ids or globs (`*`, `?`, case-insensitive, as everywhere rule ids are matched). */
const RuleIdPatterns = z.array(z.string().min(1));

/** Which pack rules run: those matching `include` or carrying one of `tags`, minus those matching `exclude`. */
export const PackSelection = z.strictObject({
  /** `['*']` selects every shipped rule. */
  include: RuleIdPatterns.default([]),
  tags: z.array(z.string().min(1)).default([]),
  exclude: RuleIdPatterns.default([]),
});
export type PackSelection = z.output<typeof PackSelection>;

/** What a deployment may change about any rule (pack or its own) without touching its code. */
export const RuleOverride = z.strictObject({
  enabled: z.boolean().optional(),
  severity: z.enum(SEVERITIES).optional(),
  dedupPeriodMinutes: z.number().positive().finite().optional(),
  /** Replaces the rule's own routing; [] delivers nowhere. */
  destinations: z.array(DestinationName).optional(),
  /** Replaces the rule's tags (routes match on them). */
  tags: z.array(z.string()).optional(),
});
export type RuleOverride = z.output<typeof RuleOverride>;

/** The watchdog's budgets when the config sets none: one rule call, one rule module's import (engine/workers). */
export const DEFAULT_RULE_BUDGETS = { callMs: 1_000, loadMs: 1_000 } as const;

export const RulesConfig = z.strictObject({
  dir: z.string().min(1).default('./rules'),
  /** Shipped rules to run beside the ones in `dir`; none when left out (in the tailwatch repository, `dir` is the pack). */
  pack: PackSelection.optional(),
  /** Per rule id: overrides of the options the rule declares. */
  options: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  /** Per rule id: severity, dedup period, destinations, tags, enabled. */
  overrides: z.record(z.string(), RuleOverride).default({}),
  /** One call of a rule function (rule, title, contributions...) that runs longer is stopped, and the rule with it. */
  timeBudgetMs: z.int().min(10).max(600_000).default(DEFAULT_RULE_BUDGETS.callMs),
  /** Importing one rule module (at start-up or a hot reload) that takes longer fails the load; the previous rules stay. */
  loadBudgetMs: z.int().min(10).max(600_000).default(DEFAULT_RULE_BUDGETS.loadMs),
});
export type RulesConfig = z.output<typeof RulesConfig>;

/** The watchdog's budgets (engine/workers). */
export function ruleBudgets(rules: Pick<RulesConfig, 'timeBudgetMs' | 'loadBudgetMs'>): { callMs: number; loadMs: number } {
  return { callMs: rules.timeBudgetMs, loadMs: rules.loadBudgetMs };
}
