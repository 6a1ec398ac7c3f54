// The shared metadata base of every rule kind: its zod shape (what the loader validates) and the type derived from it.
import { z } from 'zod';
import { LOG_TYPES } from '../../schemas/log-types.ts';
import { SEVERITIES } from './severity.ts';

/** Options a rule declares with a zod schema (defaults included); alerts.config.ts may override them per rule id. */
export type OptionsSchema = z.ZodType<Record<string, unknown>>;
export type OptionsOf<S extends OptionsSchema | undefined> = S extends z.ZodType ? z.output<S> : Record<string, never>;

/** A rule function of any kind, loosely typed: it accepts every subject type (parameters are contravariant). */
export type LooseFn<R> = (subject: never, options: never) => R;

/** Validates that a value is a function; `F` is the loose type the kind's rules are checked against. */
export function fn<F extends (...args: never[]) => unknown>() {
  return z.custom<F>((value) => typeof value === 'function', 'expected a function');
}

export const RULE_ID_PATTERN = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)+$/;

export const RuleMetadata = z.strictObject({
  id: z.string().regex(RULE_ID_PATTERN, 'must be dot-separated words, like Tailscale.Magic.DNS.Disabled'),
  displayName: z.string().min(1).optional(),
  enabled: z.boolean().optional(),
  severity: z.enum(SEVERITIES),
  /** Default 60. */
  dedupPeriodMinutes: z.number().positive().finite().optional(),
  /** Matches within the dedup window before an alert is created. Default 1. */
  threshold: z.int().min(1).optional(),
  tags: z.array(z.string()).optional(),
  /** e.g. { 'MITRE ATT&CK': ['TA0005:T1562'] } */
  reports: z.record(z.string(), z.array(z.string())).optional(),
});
export type RuleMetadata = z.output<typeof RuleMetadata>;

/** What every kind adds to the metadata with its own types: the log types it reads and its options schema. */
export const ruleInputs = {
  logTypes: z.array(z.enum(LOG_TYPES)).min(1).readonly(),
  options: z.custom<OptionsSchema>((value) => value instanceof z.ZodType, 'expected a zod schema').optional(),
};

/** What an inline test of any kind asserts about the first alert it creates (only checked when expected is true). */
export const RuleTestExpectations = z.strictObject({
  name: z.string().min(1),
  /** Whether the test's logs create an alert. */
  expected: z.boolean(),
  title: z.string().optional(),
  dedup: z.string().optional(),
  severity: z.enum(SEVERITIES).optional(),
  /** A subset: every key given must deep-equal the alert context's. */
  alertContext: z.record(z.string(), z.unknown()).optional(),
  /** Option overrides for this test only. */
  options: z.record(z.string(), z.unknown()).optional(),
});

/** An inline test of a kind that reads sequences (aggregate, first seen): raw records (any delivery shape) in order. */
export const SequenceRuleTest = RuleTestExpectations.extend({
  logs: z.array(z.record(z.string(), z.unknown())).min(1),
  /** Exact number of alerts the sequence creates (default: at least one when expected, none otherwise). */
  alerts: z.int().min(0).optional(),
});
export type SequenceRuleTest = z.output<typeof SequenceRuleTest>;

/** A kind's list of inline tests: test names are unique within a rule. */
export function ruleTests<T extends { name: string }>(test: z.ZodType<T>) {
  return z.array(test).superRefine((tests, ctx) => {
    const seen = new Set<string>();
    for (const [index, { name }] of tests.entries()) {
      if (seen.has(name)) ctx.addIssue({ code: 'custom', message: `duplicate test name "${name}"`, path: [index, 'name'] });
      seen.add(name);
    }
  });
}
