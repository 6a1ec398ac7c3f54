// The aggregate kind, declared once: its runtime shape (what the loader validates), from which the loose
// `AnyAggregateRule` type and the compiled form are derived.
import { z } from 'zod';
import type { AggregateWindow, Emit } from '../../aggregate/types.ts';
import { alertFunctionShapes, fn, objectOrFn, RuleMetadata, ruleInputs, ruleTests, SequenceRuleTest, staticTextShapes } from '../base/rule-metadata.ts';
import type { LooseFn } from '../base/rule-metadata.ts';

/** An inline test: a sequence of raw records (any delivery shape) and whether an alert is expected. */
export const AggregateRuleTest = SequenceRuleTest;
export type AggregateRuleTest = SequenceRuleTest;

export const AggregateRuleShape = RuleMetadata.extend({
  ...ruleInputs,
  kind: z.literal('aggregate'),
  tests: ruleTests(AggregateRuleTest).optional(),
  ...staticTextShapes,
  /** A window object (its fields are checked when the rule is compiled, after options) or a function of the options. */
  aggregate: objectOrFn<AggregateWindow>('an aggregate window'),
  contributions: fn<(event: never, options: never, emit: Emit) => void>(),
  title: fn<LooseFn<string>>(),
  ...alertFunctionShapes,
});

/** Any aggregate rule, whatever its log types and options. */
export type AnyAggregateRule = z.output<typeof AggregateRuleShape>;
