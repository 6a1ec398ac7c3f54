// A route's `ruleIds` pattern that matches no loaded rule is almost always a typo: `tailwatch run` warns about it.
import type { Config } from '../config/schema.ts';
import { unmatchedPatterns } from '../rules/rule-id-glob.ts';

/** One message per pattern that matches none of the loaded rule ids, naming where it sits in the config. */
export function routeRuleIdsMatchingNothing(config: Pick<Config, 'routes'>, ruleIds: readonly string[]): string[] {
  return config.routes.flatMap((route, i) =>
    unmatchedPatterns(route.match.ruleIds ?? [], ruleIds).map((pattern) => `routes[${i}].match.ruleIds: "${pattern}" matches no loaded rule`),
  );
}
