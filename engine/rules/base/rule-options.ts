// A rule's options: its zod schema's defaults, overridden per deployment from alerts.config.ts `rules.options`.
import { z } from 'zod';
import { ConfigError, RuleLoadError } from '../../errors.ts';
import type { OptionsSchema } from './rule-metadata.ts';

/** Validates overrides with the rule's schema; ConfigError for bad overrides, RuleLoadError when the defaults fail. */
export function resolveRuleOptions(
  rule: { id: string; options?: OptionsSchema | undefined },
  overrides?: Record<string, unknown>,
): Record<string, unknown> {
  const given = overrides ?? {};
  const givenKeys = Object.keys(given);
  if (rule.options === undefined) {
    if (givenKeys.length > 0) throw new ConfigError(`rule ${rule.id} takes no options, got: ${givenKeys.join(', ')}`);
    return {};
  }
  if (rule.options instanceof z.ZodObject) {
    const known = Object.keys(rule.options.shape);
    const unknown = givenKeys.filter((key) => !known.includes(key));
    if (unknown.length > 0) {
      throw new ConfigError(`unknown option(s) for rule ${rule.id}: ${unknown.join(', ')} (known: ${known.join(', ')})`);
    }
  }
  const result = rule.options.safeParse(given);
  if (result.success) return result.data;
  // One line per problem, each naming the rule and the option, so a line shown alone still says what to fix.
  const problems = result.error.issues.map((issue) => `rule ${rule.id}: option ${issue.path.join('.') || '(all)'}: ${issue.message}`);
  const message = `invalid options for rule ${rule.id}:\n${problems.join('\n')}`;
  throw givenKeys.length > 0 ? new ConfigError(message) : new RuleLoadError(message);
}
