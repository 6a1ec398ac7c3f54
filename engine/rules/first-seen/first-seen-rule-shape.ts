// The first-seen kind, declared once: its runtime shape (what the loader validates), from which the loose
// `AnyFirstSeenRule` type and the compiled form are derived. Its tests are sequences, as aggregate tests are.
import { z } from 'zod';
import { alertFunctionShapes, fn, objectOrFn, RuleMetadata, ruleInputs, ruleTests, SequenceRuleTest, staticTextShapes } from '../base/rule-metadata.ts';
import type { LooseFn } from '../base/rule-metadata.ts';
import type { FirstSeenValue, FirstSeenWindow } from './types.ts';

export const FirstSeenRuleShape = RuleMetadata.extend({
  ...ruleInputs,
  kind: z.literal('firstSeen'),
  tests: ruleTests(SequenceRuleTest).optional(),
  ...staticTextShapes,
  /** A window object (its fields are checked when the rule is compiled, after options) or a function of the options. */
  firstSeen: objectOrFn<FirstSeenWindow>('a first-seen window'),
  value: fn<LooseFn<FirstSeenValue | readonly FirstSeenValue[] | undefined>>(),
  title: fn<LooseFn<string>>(),
  ...alertFunctionShapes,
});

/** Any first-seen rule, whatever its log types and options. */
export type AnyFirstSeenRule = z.output<typeof FirstSeenRuleShape>;

/** The window's fields, checked once options are applied. */
export const FirstSeenWindowShape = z.strictObject({
  horizonDays: z.number().positive().finite(),
  learningDays: z.number().min(0).finite(),
  maxValues: z.int().min(10).optional(),
});
