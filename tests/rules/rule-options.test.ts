import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, RuleLoadError } from '../../engine/errors.ts';
import { resolveRuleOptions } from '../../engine/rules/base/rule-options.ts';

const rule = { id: 'Test.Options', options: z.object({ floorBytes: z.number().int().positive().default(1024), ports: z.array(z.number()).default([22]) }) };

describe('resolveRuleOptions', () => {
  it('applies the schema defaults', () => {
    expect(resolveRuleOptions(rule)).toEqual({ floorBytes: 1024, ports: [22] });
  });

  it('applies valid overrides', () => {
    expect(resolveRuleOptions(rule, { floorBytes: 10 })).toEqual({ floorBytes: 10, ports: [22] });
  });

  it('rejects an invalid override with a ConfigError naming the rule and the problem', () => {
    expect(() => resolveRuleOptions(rule, { floorBytes: -1 })).toThrow(ConfigError);
    expect(() => resolveRuleOptions(rule, { floorBytes: -1 })).toThrow(/Test\.Options[\s\S]*floorBytes/);
  });

  it('rejects an unknown option key (a typo would otherwise be ignored)', () => {
    expect(() => resolveRuleOptions(rule, { floorByte: 10 })).toThrow(/unknown option\(s\) for rule Test\.Options: floorByte/);
  });

  it('rejects overrides for a rule without options', () => {
    expect(() => resolveRuleOptions({ id: 'Test.None' }, { x: 1 })).toThrow(/Test\.None takes no options/);
    expect(resolveRuleOptions({ id: 'Test.None' })).toEqual({});
  });

  it('is a RuleLoadError when the defaults themselves do not validate', () => {
    expect(() => resolveRuleOptions({ id: 'Test.Required', options: z.object({ must: z.string() }) })).toThrow(RuleLoadError);
  });
});
