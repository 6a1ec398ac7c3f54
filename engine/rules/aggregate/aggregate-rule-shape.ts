// The aggregate kind, declared once: its runtime shape (what the loader validates), from which the loose
// `AnyAggregateRule` type and the compiled form are derived.
import { z } from 'zod';
import type { AggregateWindow, Emit } from '../../aggregate/types.ts';
import { fn, RuleMetadata, ruleInputs, ruleTests, SequenceRuleTest } from '../base/rule-metadata.ts';
import type { LooseFn } from '../base/rule-metadata.ts';
import type { SeverityResult } from '../base/severity.ts';

/** An inline test: a sequence of raw records (any delivery shape) and whether an alert is expected. */
export const AggregateRuleTest = SequenceRuleTest;
export type AggregateRuleTest = SequenceRuleTest;

/** A window object (its fields are checked when the rule is compiled, after options) or a function of the options. */
const windowOrFn = z.union([
  z.custom<AggregateWindow>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), 'expected an aggregate window'),
  fn<(options: never) => AggregateWindow>(),
]);

export const AggregateRuleShape = RuleMetadata.extend({
  ...ruleInputs,
  kind: z.literal('aggregate'),
  tests: ruleTests(AggregateRuleTest).optional(),
  description: z.string().optional(),
  runbook: z.string().optional(),
  reference: z.string().optional(),
  aggregate: windowOrFn,
  contributions: fn<(event: never, options: never, emit: Emit) => void>(),
  title: fn<LooseFn<string>>(),
  dedup: fn<LooseFn<string>>().optional(),
  dynamicSeverity: fn<LooseFn<SeverityResult>>().optional(),
  alertContext: fn<LooseFn<Record<string, unknown>>>().optional(),
  destinations: z.union([z.array(z.string()), fn<LooseFn<string[] | 'DEFAULT'>>()]).optional(),
});

/** Any aggregate rule, whatever its log types and options. */
export type AnyAggregateRule = z.output<typeof AggregateRuleShape>;
