// Writes the rule catalog of the effective rule set (the config's rules directory, its selected pack rules and
// overrides), or (check mode) tells whether the file on disk differs from what those rules generate.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { loadConfigOrDefault } from '../config/load.ts';
import { loadRuleSet } from '../rules/rule-set.ts';
import { renderRuleCatalog } from '../pack/rule-catalog.ts';

export interface RuleCatalogFileOptions {
  /** The rules directory instead of the config's `rules.dir`. */
  rulesDir?: string | undefined;
  config?: string | undefined;
  outFile: string;
  check: boolean;
}

/** Returns true when the file is up to date (check mode) or was written. */
export async function syncRuleCatalog(opts: RuleCatalogFileOptions): Promise<boolean> {
  const config = await loadConfigOrDefault(opts.config, { checkSecrets: false });
  const rules = await loadRuleSet(opts.rulesDir === undefined ? config.rules : { ...config.rules, dir: opts.rulesDir });
  const catalog = renderRuleCatalog(rules);
  if (opts.check) {
    const current = await readFile(opts.outFile, 'utf8').catch(() => undefined);
    return current === catalog;
  }
  await mkdir(dirname(opts.outFile), { recursive: true });
  await writeFile(opts.outFile, catalog);
  return true;
}
