// Runtime validation of a rule module's default export (the TS types only hold for code that typechecks).
import { z } from 'zod';
import { LOG_TYPES } from '../schemas/log-types.ts';
import { SEVERITIES } from './severity.ts';

const fn = z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', 'expected a function');
const textOrFn = z.union([z.string(), fn]);

export const RULE_ID_PATTERN = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)+$/;

export const RuleTestShape = z.strictObject({
  name: z.string().min(1),
  expected: z.boolean(),
  log: z.record(z.string(), z.unknown()),
  title: z.string().optional(),
  dedup: z.string().optional(),
  severity: z.enum(SEVERITIES).optional(),
  alertContext: z.record(z.string(), z.unknown()).optional(),
  options: z.record(z.string(), z.unknown()).optional(),
});

const uniqueTestNames = z.array(RuleTestShape).superRefine((tests, ctx) => {
  const seen = new Set<string>();
  for (const [index, test] of tests.entries()) {
    if (seen.has(test.name)) ctx.addIssue({ code: 'custom', message: `duplicate test name "${test.name}"`, path: [index, 'name'] });
    seen.add(test.name);
  }
});

export const RuleShape = z.strictObject({
  kind: z.literal('rule'),
  id: z.string().regex(RULE_ID_PATTERN, 'must be dot-separated words, like Tailscale.Magic.DNS.Disabled'),
  displayName: z.string().min(1).optional(),
  enabled: z.boolean().optional(),
  severity: z.enum(SEVERITIES),
  dedupPeriodMinutes: z.number().positive().finite().optional(),
  threshold: z.number().int().min(1).optional(),
  tags: z.array(z.string()).optional(),
  reports: z.record(z.string(), z.array(z.string())).optional(),
  tests: uniqueTestNames.optional(),
  logTypes: z.array(z.enum(LOG_TYPES)).min(1),
  options: z.custom<z.ZodType>((value) => value instanceof z.ZodType, 'expected a zod schema').optional(),
  description: textOrFn.optional(),
  runbook: textOrFn.optional(),
  reference: textOrFn.optional(),
  include: fn.optional(),
  exclude: fn.optional(),
  rule: fn,
  title: fn.optional(),
  dedup: fn.optional(),
  dynamicSeverity: fn.optional(),
  alertContext: fn.optional(),
  destinations: z.union([z.array(z.string()), fn]).optional(),
});
