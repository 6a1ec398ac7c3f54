// The first-seen kind, declared once: its runtime shape (what the loader validates), from which the loose
// `AnyFirstSeenRule` type and the compiled form are derived. Its tests are sequences, as aggregate tests are.
import { z } from 'zod';
import { fn, RuleMetadata, ruleInputs, ruleTests, SequenceRuleTest } from '../base/rule-metadata.ts';
import type { LooseFn } from '../base/rule-metadata.ts';
import type { SeverityResult } from '../base/severity.ts';
import type { FirstSeenValue, FirstSeenWindow } from './types.ts';

/** A window object (its fields are checked when the rule is compiled, after options) or a function of the options. */
const windowOrFn = z.union([
  z.custom<FirstSeenWindow>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), 'expected a first-seen window'),
  fn<(options: never) => FirstSeenWindow>(),
]);

export const FirstSeenRuleShape = RuleMetadata.extend({
  ...ruleInputs,
  kind: z.literal('firstSeen'),
  tests: ruleTests(SequenceRuleTest).optional(),
  description: z.string().optional(),
  runbook: z.string().optional(),
  reference: z.string().optional(),
  firstSeen: windowOrFn,
  value: fn<LooseFn<FirstSeenValue | readonly FirstSeenValue[] | undefined>>(),
  title: fn<LooseFn<string>>(),
  dedup: fn<LooseFn<string>>().optional(),
  dynamicSeverity: fn<LooseFn<SeverityResult>>().optional(),
  alertContext: fn<LooseFn<Record<string, unknown>>>().optional(),
  destinations: z.union([z.array(z.string()), fn<LooseFn<string[] | 'DEFAULT'>>()]).optional(),
});

/** Any first-seen rule, whatever its log types and options. */
export type AnyFirstSeenRule = z.output<typeof FirstSeenRuleShape>;

/** The window's fields, checked once options are applied. */
export const FirstSeenWindowShape = z.strictObject({
  horizonDays: z.number().positive().finite(),
  learningDays: z.number().min(0).finite(),
  maxValues: z.int().min(10).optional(),
});
