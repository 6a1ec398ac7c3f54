// Every rule kind, by the `kind` tag its define function puts on a rule.
// Adding a kind is one folder beside event/, aggregate/, first-seen/, correlation/ and silence/: its declaration (a zod shape extending the metadata base
// in base/rule-metadata.ts, the typed spec beside it, its define function), its compiled form and evaluation (alert
// fields through base/alert-fields.ts), and its inline tests' shape; then an entry here and its dispatch in the
// evaluator. The one test runner (engine/testing/rule-test-runner.ts) runs its tests through the Evaluator.
import { AggregateRuleShape } from './aggregate/aggregate-rule-shape.ts';
import type { AggregateRuleTest, AnyAggregateRule } from './aggregate/aggregate-rule-shape.ts';
import { CorrelationRuleShape } from './correlation/correlation-rule-shape.ts';
import type { AnyCorrelationRule } from './correlation/correlation-rule-shape.ts';
import { EventRuleShape } from './event/event-rule-shape.ts';
import type { AnyRule, RuleTest } from './event/event-rule-shape.ts';
import { FirstSeenRuleShape } from './first-seen/first-seen-rule-shape.ts';
import type { AnyFirstSeenRule } from './first-seen/first-seen-rule-shape.ts';
import { SilenceRuleShape } from './silence/silence-rule-shape.ts';
import type { AnySilenceRule } from './silence/silence-rule-shape.ts';

export const RULE_KINDS = {
  rule: { shape: EventRuleShape },
  aggregate: { shape: AggregateRuleShape },
  firstSeen: { shape: FirstSeenRuleShape },
  correlation: { shape: CorrelationRuleShape },
  silence: { shape: SilenceRuleShape },
} as const;

export type RuleKind = keyof typeof RULE_KINDS;

/** A rule of any kind, whatever its log types and options: what the loader, evaluator and test runner accept. */
export type AnyKindRule = AnyRule | AnyAggregateRule | AnyFirstSeenRule | AnyCorrelationRule | AnySilenceRule;

/** An inline test of any kind (first-seen tests are sequences, as aggregate tests are). */
export type AnyRuleTest = RuleTest | AggregateRuleTest;

export function isRuleKind(kind: unknown): kind is RuleKind {
  return typeof kind === 'string' && Object.hasOwn(RULE_KINDS, kind);
}

/** A test's raw logs, in order: one for a per-event test, a sequence for the other kinds. */
export function testLogs(test: AnyRuleTest): readonly Record<string, unknown>[] {
  return 'logs' in test ? test.logs : [test.log];
}
