// The main thread's handle on the evaluation worker (evaluation-worker.ts): requests as promises, answered in order.
// When the watchdog stops the worker, every pending request fails with RuleOverrunError, naming the rule and, for a
// batch, the event it was evaluating; the owner (LivePipeline) starts a new worker without that rule.
import { TailwatchError } from '../errors.ts';
import type { EvaluatorState } from '../rules/evaluator.ts';
import type { SuppressionEntry } from '../suppressions/suppression-entry.ts';
import { loadOverrunError, WatchedWorker, workerScript } from './watched-worker.ts';
import type { Budgets, Overrun, WorkerEnd } from './watched-worker.ts';
import type { RuleInfo } from '../rules/rule-info.ts';
import type { BatchChanges, EvaluatedEvent, EvaluationJob, EvaluationMessage, EvaluationRequest } from './evaluation-messages.ts';

/** A rule call overran its budget: the worker is gone, with every window and count it held since the last snapshot. */
export class RuleOverrunError extends Error {
  readonly ruleId: string;
  readonly budgetMs: number;
  /** The event it was evaluating, when the request was a batch. */
  readonly event: EvaluatedEvent | undefined;

  constructor(overrun: Overrun & { what: 'rule' }, event: EvaluatedEvent | undefined) {
    super(`rule ${overrun.ruleId} ran longer than its time budget of ${overrun.budgetMs} ms (rules.timeBudgetMs)`);
    this.name = 'RuleOverrunError';
    this.ruleId = overrun.ruleId;
    this.budgetMs = overrun.budgetMs;
    this.event = event;
  }
}

type PolledChanges = Extract<EvaluationRequest, { op: 'learnPolled' }>['changes'];

/** The evaluator of a worker that evaluates one stream (`tailwatch run` outside cluster mode). */
const SINGLE = '';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  events: EvaluatedEvent[] | undefined;
}

export class EvaluatorHost {
  readonly #worker: WatchedWorker;
  readonly #progress: Int32Array;
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;
  #ended: Error | undefined;
  #rules: RuleInfo[] = [];
  /** Resolves once the worker has loaded the rules. */
  readonly #loaded: Promise<void>;
  readonly #end: Promise<WorkerEnd>;

  /** Starts a worker and waits until it has loaded the rules (a load that fails or overruns throws RuleLoadError). */
  static async start(job: Omit<EvaluationJob, 'progress'>, budgets: Budgets): Promise<EvaluatorHost> {
    const host = new EvaluatorHost(job, budgets);
    await host.#request({ op: 'exportState', partition: SINGLE });
    return host;
  }

  private constructor(job: Omit<EvaluationJob, 'progress'>, budgets: Budgets) {
    const progress = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    this.#progress = new Int32Array(progress);
    let ready: () => void = () => {};
    const loaded = new Promise<void>((resolve) => (ready = resolve));
    this.#worker = new WatchedWorker(workerScript(import.meta.url, 'evaluation-worker'), (message) => {
      const answer = message as EvaluationMessage;
      if (answer.type === 'ready') {
        this.#rules = answer.rules;
        ready();
        return;
      }
      const pending = this.#pending.get(answer.id);
      if (pending === undefined) return;
      this.#pending.delete(answer.id);
      if (answer.type === 'reply') pending.resolve(answer.value);
      else pending.reject(new TailwatchError(answer.code, answer.message));
    });
    // Requests wait for the rules: the first is sent once the worker is ready.
    this.#loaded = loaded;
    this.#end = this.#worker.start({ ...job, progress }, budgets);
    void this.#end.then((end) => {
      const failure = endError(end);
      this.#ended = failure;
      const overrun = end.kind === 'overrun' && end.overrun.what === 'rule' ? end.overrun : undefined;
      // Answered in order: the oldest pending request is the one the worker was evaluating.
      let current = true;
      for (const [id, pending] of this.#pending) {
        this.#pending.delete(id);
        const event = current ? pending.events?.[Atomics.load(this.#progress, 0)] : undefined;
        current = false;
        pending.reject(overrun === undefined ? failure : new RuleOverrunError(overrun, event));
      }
    });
  }

  /** True once the worker is gone (stopped by the watchdog, failed, or stopped). */
  get ended(): boolean {
    return this.#ended !== undefined;
  }

  /** The rules the worker loaded (stopped ones included), as data: this thread never imports their modules. */
  get rules(): readonly RuleInfo[] {
    return this.#rules;
  }

  /** `partition`: which of the worker's evaluators (cluster mode has one per partition; `run` alone, the default). */
  process(events: EvaluatedEvent[], partition = SINGLE): Promise<BatchChanges> {
    return this.#request({ op: 'process', events, partition }, events) as Promise<BatchChanges>;
  }

  exportState(partition = SINGLE): Promise<EvaluatorState> {
    return this.#request({ op: 'exportState', partition }) as Promise<EvaluatorState>;
  }

  async restoreState(state: EvaluatorState, partition = SINGLE): Promise<void> {
    await this.#request({ op: 'restoreState', state, partition });
  }

  async reset(partition = SINGLE): Promise<void> {
    await this.#request({ op: 'reset', partition });
  }

  /** Forgets a partition's evaluator (handed over, or given up). */
  async drop(partition: string): Promise<void> {
    await this.#request({ op: 'drop', partition });
  }

  /** Every partition's evaluator takes the rules (their state stays). */
  async setRules(rules: EvaluationJob['rules'], stopped: string[]): Promise<void> {
    this.#rules = (await this.#request({ op: 'setRules', rules, stopped, partition: SINGLE })) as RuleInfo[];
  }

  async setSuppressions(suppressions: SuppressionEntry[]): Promise<void> {
    await this.#request({ op: 'setSuppressions', suppressions, partition: SINGLE });
  }

  learnPolled(tailnet: string, changes: PolledChanges): Promise<number> {
    return this.#request({ op: 'learnPolled', tailnet, changes, partition: SINGLE }) as Promise<number>;
  }

  recordStopped(ruleId: string, budgetMs: number, event: EvaluatedEvent, partition = SINGLE): Promise<BatchChanges> {
    return this.#request({ op: 'recordStopped', ruleId, budgetMs, event, partition }) as Promise<BatchChanges>;
  }

  async stop(): Promise<void> {
    await this.#worker.terminate();
  }

  async #request(request: EvaluationRequest, events?: EvaluatedEvent[]): Promise<unknown> {
    await Promise.race([this.#loaded, this.#end]);
    if (this.#ended !== undefined) throw this.#ended;
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, events });
      this.#worker.post({ id, ...request });
    });
  }
}

function endError(end: WorkerEnd): Error {
  if (end.kind === 'failed') return end.error;
  if (end.kind === 'overrun') {
    const { overrun } = end;
    return overrun.what === 'load' ? loadOverrunError(overrun) : new Error(`the evaluation worker was stopped: rule ${overrun.ruleId} overran its budget`);
  }
  return new Error('the evaluation worker exited');
}
