// Runtime validation of an aggregate rule module's default export (the loader's counterpart of RuleShape).
import { z } from 'zod';
import { LOG_TYPES } from '../schemas/log-types.ts';
import { RULE_ID_PATTERN } from '../rules/rule-schema.ts';
import { SEVERITIES } from '../rules/severity.ts';

const fn = z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', 'expected a function');

export const AggregateRuleTestShape = z.strictObject({
  name: z.string().min(1),
  expected: z.boolean(),
  logs: z.array(z.record(z.string(), z.unknown())).min(1),
  title: z.string().optional(),
  dedup: z.string().optional(),
  severity: z.enum(SEVERITIES).optional(),
  alertContext: z.record(z.string(), z.unknown()).optional(),
  alerts: z.int().min(0).optional(),
  options: z.record(z.string(), z.unknown()).optional(),
});

const uniqueTestNames = z.array(AggregateRuleTestShape).superRefine((tests, ctx) => {
  const seen = new Set<string>();
  for (const [index, test] of tests.entries()) {
    if (seen.has(test.name)) ctx.addIssue({ code: 'custom', message: `duplicate test name "${test.name}"`, path: [index, 'name'] });
    seen.add(test.name);
  }
});

export const AggregateRuleShape = z.strictObject({
  kind: z.literal('aggregate'),
  id: z.string().regex(RULE_ID_PATTERN, 'must be dot-separated words, like Tailscale.SSH.Fanout'),
  displayName: z.string().min(1).optional(),
  enabled: z.boolean().optional(),
  severity: z.enum(SEVERITIES),
  dedupPeriodMinutes: z.number().positive().finite().optional(),
  threshold: z.int().min(1).optional(),
  tags: z.array(z.string()).optional(),
  reports: z.record(z.string(), z.array(z.string())).optional(),
  tests: uniqueTestNames.optional(),
  logTypes: z.array(z.enum(LOG_TYPES)).min(1),
  options: z.custom<z.ZodType>((value) => value instanceof z.ZodType, 'expected a zod schema').optional(),
  description: z.string().optional(),
  runbook: z.string().optional(),
  reference: z.string().optional(),
  aggregate: z.union([z.record(z.string(), z.unknown()), fn]),
  contributions: fn,
  title: fn,
  dedup: fn.optional(),
  dynamicSeverity: fn.optional(),
  alertContext: fn.optional(),
  destinations: z.union([z.array(z.string()), fn]).optional(),
});
