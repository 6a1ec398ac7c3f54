// A cluster node's evaluation worker: one watched worker holds every partition this node evaluates, each with its
// own evaluator and state. A rule call that overruns its budget ends the worker: the rule is stopped on this node
// (until its file changes or a restart), each partition held here fails and is taken again from its snapshot, and
// the next partition taken starts a new worker without the rule.
import type { RulesConfig } from '../config/rules-config.ts';
import type { EvaluatorHost, RuleOverrunError } from '../workers/evaluator-host.ts';
import type { SuppressionEntry } from '../suppressions/suppression-entry.ts';
import { StoppedRules } from '../workers/stopped-rules.ts';
import type { StoppedRule } from '../workers/stopped-rules.ts';

export class ClusterEvaluation {
  readonly #start: (stopped: string[]) => Promise<EvaluatorHost>;
  readonly #onStopped: (stopped: StoppedRule) => void;
  readonly #stopped = new StoppedRules();
  #host: Promise<EvaluatorHost> | undefined;
  #files = new Map<string, string>();

  constructor(start: (stopped: string[]) => Promise<EvaluatorHost>, onStopped: (stopped: StoppedRule) => void) {
    this.#start = start;
    this.#onStopped = onStopped;
  }

  get stoppedRules(): StoppedRule[] {
    return this.#stopped.list;
  }

  /** The running worker, or a new one (without the stopped rules) when there is none or it ended. */
  async host(): Promise<EvaluatorHost> {
    for (;;) {
      const pending = this.#host;
      const current = pending === undefined ? undefined : await pending.catch(() => undefined);
      // Partitions ask at the same time: only one of them starts the new worker.
      if (this.#host !== pending) continue;
      if (current !== undefined && !current.ended) return current;
      const started = this.#start(this.#stopped.ids).then((host) => {
        this.#files = new Map(host.rules.map((rule) => [rule.id, rule.file]));
        return host;
      });
      this.#host = started;
      // A failed start is tried again by the next caller.
      started.catch(() => {
        if (this.#host === started) this.#host = undefined;
      });
      return started;
    }
  }

  /** A partition's evaluation met an overrun: the rule is stopped here once, whichever partition saw it first. */
  overran(error: RuleOverrunError): void {
    if (this.#stopped.ids.includes(error.ruleId)) return;
    this.#onStopped(this.#stopped.add(error.ruleId, error.budgetMs, this.#files.get(error.ruleId)));
  }

  /** A reload: every partition's evaluator takes the new rules (a stopped rule whose file changed runs again). */
  async setRules(rules: RulesConfig, suppressions: SuppressionEntry[]): Promise<void> {
    const kept = this.#stopped.unchanged();
    // No worker yet: the next one starts with these rules and stopped ones.
    if (this.#host === undefined) {
      this.#stopped.keepOnly(kept);
      return;
    }
    const host = await this.host();
    await host.setRules(rules, kept);
    this.#stopped.keepOnly(kept);
    await host.setSuppressions(suppressions);
  }

  async setSuppressions(suppressions: SuppressionEntry[]): Promise<void> {
    if (this.#host !== undefined) await (await this.host()).setSuppressions(suppressions);
  }

  learnPolled(...args: Parameters<EvaluatorHost['learnPolled']>): Promise<number> {
    return this.host().then((host) => host.learnPolled(...args));
  }

  async stop(): Promise<void> {
    const host = await this.#host?.catch(() => undefined);
    await host?.stop();
  }
}
