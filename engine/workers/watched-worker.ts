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

/** A rule module that took longer than the load budget: the load fails (at a hot reload, the previous rules stay). */
export function loadOverrunError(overrun: Overrun & { what: 'load' }): RuleLoadError {
  return new RuleLoadError(`${overrun.module}: loading took longer than ${overrun.budgetMs} ms (rules.loadBudgetMs): its top level does not finish (a busy loop?)`);
}

/** A worker entry beside this engine: `.ts` when run from source, `.js` from the built package. */
export function workerScript(from: string, name: string): URL {
  return new URL(`./${name}${extname(fileURLToPath(from))}`, from);
}

export class WatchedWorker {
  readonly ended: Promise<WorkerEnd>;
  readonly #worker: Worker;

  constructor(script: URL, data: Record<string, unknown>, budgets: Budgets, onMessage: (message: unknown) => void) {
    const slot = new SharedArrayBuffer(SLOT_BYTES);
    const view = new Int32Array(slot);
    const names: string[] = [];
    const worker = new Worker(script, { workerData: { ...data, slot } });
    this.#worker = worker;
    let overrun: Overrun | undefined;
    let failure: Error | undefined;
    let calls = -1;
    let since = 0;
    // Sampled a few times per budget: a still counter over a whole budget is one call that has not returned.
    const watch = setInterval(() => {
      const now = performance.now();
      const phase = Atomics.load(view, PHASE);
      const counted = Atomics.load(view, CALLS);
      if (phase === IDLE || counted !== calls) {
        calls = counted;
        since = now;
        return;
      }
      const budgetMs = phase === LOADING ? budgets.loadMs : budgets.callMs;
      if (now - since < budgetMs || overrun !== undefined) return;
      const index = Atomics.load(view, RULE);
      const name = names[index] ?? `#${index}`;
      overrun = phase === LOADING ? { what: 'load', module: name, budgetMs } : { what: 'rule', ruleId: name, budgetMs };
      void worker.terminate();
    }, Math.max(5, Math.min(budgets.callMs, budgets.loadMs) / 4));
    worker.on('message', (message: unknown) => {
      if (isRuleNamed(message)) names[message.index] = message.name;
      else if (isFailure(message)) failure = new TailwatchError(message.code, message.message);
      else onMessage(message);
    });
    worker.on('error', (error) => {
      failure ??= error;
    });
    this.ended = new Promise((resolve) => {
      worker.once('exit', (code) => {
        clearInterval(watch);
        if (overrun !== undefined) resolve({ kind: 'overrun', overrun });
        else if (failure !== undefined) resolve({ kind: 'failed', error: failure });
        else if (code !== 0) resolve({ kind: 'failed', error: new Error(`worker thread exited with code ${code}`) });
        else resolve({ kind: 'exited' });
      });
    });
  }

  post(message: unknown): void {
    this.#worker.postMessage(message);
  }

  terminate(): Promise<number> {
    return this.#worker.terminate();
  }
}

function isRuleNamed(message: unknown): message is RuleNamed {
  return typeof message === 'object' && message !== null && (message as RuleNamed).type === 'rule-named';
}

function isFailure(message: unknown): message is WorkerFailure {
  return typeof message === 'object' && message !== null && (message as WorkerFailure).type === 'worker-failed';
}
