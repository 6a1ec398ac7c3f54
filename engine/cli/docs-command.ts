// Writes the rule catalog, or (check mode) tells whether the file on disk differs from what the rules generate.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { loadRules } from '../rules/load-rules.ts';
import { renderRuleCatalog } from '../pack/rule-catalog.ts';

export interface RuleCatalogFileOptions {
  rulesDir: string;
  outFile: string;
  check: boolean;
}

/** Returns true when the file is up to date (check mode) or was written. */
export async function syncRuleCatalog(opts: RuleCatalogFileOptions): Promise<boolean> {
  const catalog = renderRuleCatalog(await loadRules(opts.rulesDir));
  if (opts.check) {
    const current = await readFile(opts.outFile, 'utf8').catch(() => undefined);
    return current === catalog;
  }
  await mkdir(dirname(opts.outFile), { recursive: true });
  await writeFile(opts.outFile, catalog);
  return true;
}
