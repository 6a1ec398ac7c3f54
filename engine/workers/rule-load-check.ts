// A hot reload imports the new rule modules in a throwaway worker first: one whose top level does not finish within
// the load budget fails the reload there, and the evaluation worker, with the rules in force, is never touched.
import type { RulesConfig } from '../config/rules-config.ts';
import { ruleBudgets } from '../config/rules-config.ts';
import type { RuleInfo } from '../rules/rule-info.ts';
import { loadOverrunError, WatchedWorker, workerScript } from './watched-worker.ts';

/** The rules, as data; throws RuleLoadError when they do not load (in time). */
export async function checkRulesLoad(rules: RulesConfig): Promise<RuleInfo[]> {
  let loaded: RuleInfo[] | undefined;
  const end = await new WatchedWorker(workerScript(import.meta.url, 'rule-load-check-worker'), (message) => (loaded = message as RuleInfo[])).start({ rules }, ruleBudgets(rules));
  if (end.kind === 'failed') throw end.error;
  if (end.kind === 'overrun') throw end.overrun.what === 'load' ? loadOverrunError(end.overrun) : new Error(`rule ${end.overrun.ruleId} ran at load and overran its budget`);
  if (loaded === undefined) throw new Error('the rule-load check ended without the rules');
  return loaded;
}
