// The effective rule set of a deployment: the rules in `rules.dir` and the selected shipped (pack) rules, loaded
// together, overridden and given their options from alerts.config.ts. In the tailwatch repository `rules.dir` is the
// pack itself, and is loaded once.
import { resolve } from 'node:path';
import type { PackSelection, RulesConfig } from '../config/rules-config.ts';
import { RuleLoadError } from '../errors.ts';
import { applyRuleOptions, loadRules, type LoadedRule } from './load-rules.ts';
import { PACK_DIR } from './pack-dir.ts';
import { compileGlob } from './rule-id-glob.ts';
import { applyRuleOverride } from './rule-overrides.ts';

export interface LoadRuleSetOptions {
  /** Import only the files that can hold a rule whose id matches one of these globs (`replay --rule`). */
  patterns?: readonly string[];
  /** Where the shipped rules are (default: the pack beside this engine). */
  packDir?: string;
}

export async function loadRuleSet(config: Pick<RulesConfig, 'dir' | 'pack' | 'options' | 'overrides'>, opts: LoadRuleSetOptions = {}): Promise<LoadedRule[]> {
  const packDir = opts.packDir ?? PACK_DIR;
  const fileFilter = opts.patterns === undefined ? {} : { patterns: opts.patterns };
  const dirIsPack = resolve(config.dir) === resolve(packDir);
  const own = dirIsPack ? [] : await loadRules(config.dir, fileFilter);
  const pack = await loadRules(packDir, fileFilter);
  const selected = config.pack === undefined ? (dirIsPack ? pack : []) : selectPackRules(pack, config.pack);
  const rules = [...withoutReplaced(selected, own, pack), ...own].map((loaded) => ({
    ...loaded,
    rule: applyRuleOverride(loaded.rule, config.overrides[loaded.rule.id]),
  }));
  const partial = opts.patterns !== undefined;
  const ids = new Set(rules.map((loaded) => loaded.rule.id));
  for (const id of Object.keys(config.overrides)) {
    if (!ids.has(id) && !partial) throw new RuleLoadError(`rules.overrides names ${id}, which is not a loaded rule`);
  }
  applyRuleOptions(rules, config.options, partial);
  return rules;
}

/** Pack rules matching `include` or carrying one of `tags`, minus those matching `exclude`. */
export function selectPackRules(pack: readonly LoadedRule[], selection: PackSelection): LoadedRule[] {
  const included = selection.include.map(compileGlob);
  const excluded = selection.exclude.map(compileGlob);
  return pack.filter(({ rule: { id, tags = [] } }) => {
    const chosen = included.some((matches) => matches(id)) || tags.some((tag) => selection.tags.includes(tag));
    return chosen && !excluded.some((matches) => matches(id));
  });
}

/**
 * The selected pack rules that no own rule replaces. An own rule with a selected pack rule's id must say it replaces
 * it (`replacesPackRule: true`, which extendRule sets); one that says so must have a pack rule to replace. A copy of
 * the pack run without a selection is just rules.
 */
function withoutReplaced(selected: readonly LoadedRule[], own: readonly LoadedRule[], pack: readonly LoadedRule[]): LoadedRule[] {
  const selectedIds = new Set(selected.map((loaded) => loaded.rule.id));
  const packIds = new Set(pack.map((loaded) => loaded.rule.id));
  const problems: string[] = [];
  for (const { rule, file } of own) {
    if (selectedIds.has(rule.id) && rule.replacesPackRule !== true) {
      problems.push(`${file}: ${rule.id} is the id of a shipped rule: extend it (extendRule), set replacesPackRule: true to replace it, or choose another id`);
    } else if (!packIds.has(rule.id) && rule.replacesPackRule === true) {
      problems.push(`${file}: ${rule.id} sets replacesPackRule, but no shipped rule has that id`);
    }
  }
  if (problems.length > 0) throw new RuleLoadError(`cannot load rules:\n- ${problems.join('\n- ')}`);
  const replaced = new Set(own.map((loaded) => loaded.rule.id));
  return selected.filter((loaded) => !replaced.has(loaded.rule.id));
}
