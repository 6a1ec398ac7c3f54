// A worker thread under a watchdog (main-thread side). The worker runs rule code and marks each call in a shared
// slot (engine/rules/base/rule-calls.ts); a call, or a load of rule modules, that has not returned within its budget
// gets the worker terminated — the only way to stop a synchronous loop — and its owner learns which rule it was.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CALLS, IDLE, LOADING, PHASE, RULE, SLOT_BYTES } from '../rules/base/rule-calls.ts';
import { RuleLoadError, TailwatchError } from '../errors.ts';
import type { RuleNamed, WorkerFailure } from './worker-messages.ts';

export interface Budgets {
  /** One rule call (config `rules.timeBudgetMs`). */
  callMs: number;
  /** Importing and compiling the rule modules. */
  loadMs: number;
}

/** Why a worker was stopped: a rule call, or the load of the rule modules, ran past its budget. */
export type Overrun = { what: 'rule'; ruleId: string; budgetMs: number } | { what: 'load'; module: string; budgetMs: number };

/** How a worker ended: on its own (after its last message), stopped by the watchdog, or by an error it did not catch. */
export type WorkerEnd = { kind: 'exited' } | { kind: 'overrun'; overrun: Overrun } | { kind: 'failed'; error: Error };

const SAMPLES_PER_BUDGET = 4;
/** Samples that must see the same call before it counts as overrun (besides the budget's time). */
const STILL_SAMPLES = 3;

/** A rule module that took longer than the load budget: the load fails (at a hot reload, the previous rules stay). */
export function loadOverrunError(overrun: Overrun & { what: 'load' }): RuleLoadError {
  return new RuleLoadError(`${overrun.module}: loading took longer than ${overrun.budgetMs} ms (rules.loadBudgetMs): its top level does not finish (a busy loop?)`);
}

/** A worker entry beside this engine: `.ts` when run from source, `.js` from the built package. */
export function workerScript(from: string, name: string): URL {
  return new URL(`./${name}${extname(fileURLToPath(from))}`, from);
}

/**
 * A worker is spawned at once, so it imports the engine while its owner gets ready (loads its config); `start`
 * hands it its job and starts the watchdog.
 */
export class WatchedWorker {
  readonly #worker: Worker;
  readonly #view: Int32Array;
  readonly #names: string[] = [];
  readonly #ended: Promise<number>;
  #overrun: Overrun | undefined;
  #failure: Error | undefined;
  #watch: NodeJS.Timeout | undefined;

  constructor(script: URL, onMessage: (message: unknown) => void) {
    const slot = new SharedArrayBuffer(SLOT_BYTES);
    this.#view = new Int32Array(slot);
    this.#worker = new Worker(script, { workerData: { slot } });
    this.#worker.on('message', (message: unknown) => {
      if (isRuleNamed(message)) this.#names[message.index] = message.name;
      else if (isFailure(message)) this.#failure = new TailwatchError(message.code, message.message);
      else onMessage(message);
    });
    this.#worker.on('error', (error) => {
      this.#failure ??= error;
    });
    this.#ended = new Promise((resolve) => this.#worker.once('exit', resolve));
  }

  /** Hands the worker its job; resolves when it ends. */
  async start(job: unknown, budgets: Budgets): Promise<WorkerEnd> {
    this.#watchCalls(budgets);
    this.#worker.postMessage(job);
    const code = await this.#ended;
    clearInterval(this.#watch);
    if (this.#overrun !== undefined) return { kind: 'overrun', overrun: this.#overrun };
    if (this.#failure !== undefined) return { kind: 'failed', error: this.#failure };
    if (code !== 0) return { kind: 'failed', error: new Error(`worker thread exited with code ${code}`) };
    return { kind: 'exited' };
  }

  post(message: unknown): void {
    this.#worker.postMessage(message);
  }

  terminate(): Promise<number> {
    return this.#worker.terminate();
  }

  /**
   * Sampled a few times per budget: a counter still over a whole budget, and over several samples, is one call that
   * has not returned. (One long gap between samples is this thread, or the whole process, not being scheduled.)
   */
  #watchCalls(budgets: Budgets): void {
    const view = this.#view;
    let calls = -1;
    let since = 0;
    let stillSamples = 0;
    this.#watch = setInterval(() => {
      const now = performance.now();
      const phase = Atomics.load(view, PHASE);
      const counted = Atomics.load(view, CALLS);
      if (phase === IDLE || counted !== calls) {
        calls = counted;
        since = now;
        stillSamples = 0;
        return;
      }
      stillSamples += 1;
      const budgetMs = phase === LOADING ? budgets.loadMs : budgets.callMs;
      if (now - since < budgetMs || stillSamples < STILL_SAMPLES || this.#overrun !== undefined) return;
      const index = Atomics.load(view, RULE);
      const name = this.#names[index] ?? `#${index}`;
      this.#overrun = phase === LOADING ? { what: 'load', module: name, budgetMs } : { what: 'rule', ruleId: name, budgetMs };
      void this.#worker.terminate();
    }, Math.max(5, Math.min(budgets.callMs, budgets.loadMs) / SAMPLES_PER_BUDGET));
  }
}

function isRuleNamed(message: unknown): message is RuleNamed {
  return typeof message === 'object' && message !== null && (message as RuleNamed).type === 'rule-named';
}

function isFailure(message: unknown): message is WorkerFailure {
  return typeof message === 'object' && message !== null && (message as WorkerFailure).type === 'worker-failed';
}
