// The per-event kind, declared once: its runtime shape (what the loader validates), from which the loose `AnyRule`
// type (what the loader, evaluator and test runner accept) and the compiled form are derived.
import { z } from 'zod';
import { alertFunctionShapes, fn, RuleMetadata, ruleInputs, ruleTests, RuleTestExpectations } from '../base/rule-metadata.ts';
import type { LooseFn } from '../base/rule-metadata.ts';

/** An inline unit test: one raw record in any delivery shape (HEC, API/S3, Panther-stored). */
export const RuleTest = RuleTestExpectations.extend({
  log: z.record(z.string(), z.unknown()),
});
export type RuleTest = z.output<typeof RuleTest>;

const textOrFn = z.union([z.string(), fn<LooseFn<string>>()]);

export const EventRuleShape = RuleMetadata.extend({
  ...ruleInputs,
  kind: z.literal('rule'),
  tests: ruleTests(RuleTest).optional(),
  description: textOrFn.optional(),
  runbook: textOrFn.optional(),
  reference: textOrFn.optional(),
  include: fn<LooseFn<boolean>>().optional(),
  exclude: fn<LooseFn<boolean>>().optional(),
  rule: fn<LooseFn<boolean>>(),
  title: fn<LooseFn<string>>().optional(),
  ...alertFunctionShapes,
});

/** Any per-event rule, whatever its log types and options. */
export type AnyRule = z.output<typeof EventRuleShape>;
