// The correlation kind, declared once: its runtime shape (what the loader validates), from which the loose
// `AnyCorrelationRule` type and the compiled form are derived.
import { z } from 'zod';
import { alertFunctionShapes, fn, objectOrFn, RuleMetadata, ruleInputs, ruleTests, SequenceRuleTest, staticTextShapes } from '../base/rule-metadata.ts';
import type { LooseFn } from '../base/rule-metadata.ts';
import type { Correlation } from './types.ts';

export const CorrelationRuleShape = RuleMetadata.extend({
  ...ruleInputs,
  kind: z.literal('correlation'),
  tests: ruleTests(SequenceRuleTest).optional(),
  ...staticTextShapes,
  /** Checked when the rule is compiled, after options (compiled-correlation-rule.ts). */
  correlate: objectOrFn<Correlation>('a correlation'),
  title: fn<LooseFn<string>>(),
  ...alertFunctionShapes,
});

/** Any correlation rule, whatever its options. */
export type AnyCorrelationRule = z.output<typeof CorrelationRuleShape>;
