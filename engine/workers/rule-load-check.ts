// A hot reload imports the new rule modules in a throwaway worker first: one whose top level does not finish within
// the load budget fails the reload there, and the evaluation worker, with the rules in force, is never touched.
import type { RulesConfig } from '../config/rules-config.ts';
import { ruleBudgets } from '../config/rules-config.ts';
import { loadOverrunError, WatchedWorker, workerScript } from './watched-worker.ts';

export async function checkRulesLoad(rules: RulesConfig): Promise<void> {
  const end = await new WatchedWorker(workerScript(import.meta.url, 'rule-load-check-worker'), () => {}).start({ rules }, ruleBudgets(rules));
  if (end.kind === 'failed') throw end.error;
  if (end.kind === 'overrun') throw end.overrun.what === 'load' ? loadOverrunError(end.overrun) : new Error(`rule ${end.overrun.ruleId} ran at load and overran its budget`);
}
