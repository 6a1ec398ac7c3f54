// The silence kind, declared once: its runtime shape (what the loader validates), from which the loose
// `AnySilenceRule` type and the compiled form are derived. Its tests are sequences, as first-seen tests are.
import { z } from 'zod';
import { alertFunctionShapes, fn, objectOrFn, RuleMetadata, ruleInputs, ruleTests, SequenceRuleTest, staticTextShapes } from '../base/rule-metadata.ts';
import type { LooseFn } from '../base/rule-metadata.ts';
import type { SilenceWindow } from './types.ts';

export const SilenceRuleShape = RuleMetadata.extend({
  ...ruleInputs,
  kind: z.literal('silence'),
  tests: ruleTests(SequenceRuleTest).optional(),
  ...staticTextShapes,
  /** A window object (its fields are checked when the rule is compiled, after options) or a function of the options. */
  silence: objectOrFn<SilenceWindow>('a silence window'),
  reporter: fn<LooseFn<string | readonly string[] | undefined>>(),
  rule: fn<LooseFn<boolean>>().optional(),
  title: fn<LooseFn<string>>(),
  ...alertFunctionShapes,
});

/** Any silence rule, whatever its log types and options. */
export type AnySilenceRule = z.output<typeof SilenceRuleShape>;

/** A week of baseline windows at most: the state per reporter stays a few dozen numbers. */
const MAX_WINDOWS = 7 * 24;

/** The window's fields, checked once options are applied. */
export const SilenceWindowShape = z
  .strictObject({
    silenceMinutes: z.int().min(1),
    windowMinutes: z.int().min(1),
    windows: z.int().min(1).max(MAX_WINDOWS),
    minReportingWindows: z.int().min(1),
    maxReporters: z.int().min(10).optional(),
  })
  .refine((window) => window.minReportingWindows <= window.windows, { message: 'minReportingWindows must be at most windows', path: ['minReportingWindows'] });
