// One attempt of `tailwatch replay`: its worker threads, each with a share of the rules, under the watchdog. When one
// is stopped (a rule overran its budget) or fails, the others are stopped too, and the caller decides what is next.
import type { Budgets, WorkerEnd } from '../workers/watched-worker.ts';
import { WatchedWorker, workerScript } from '../workers/watched-worker.ts';
import { ShardMerge } from './replay-merge.ts';
import type { ReplayJob, ReplayMessage } from './replay-messages.ts';
import type { ReplayOutput } from './replay-output.ts';

export class ReplayAttempt {
  readonly #output: ReplayOutput;
  readonly #workers: WatchedWorker[] = [];
  #merge: ShardMerge | undefined;

  /** Spawns the first worker at once: it imports the engine while the caller gets the job ready. */
  constructor(output: ReplayOutput) {
    this.#output = output;
    this.#workers.push(this.#spawn(0));
  }

  /** Runs the job on `count` workers; resolves when all have ended, or with the first that did not end on its own. */
  async run(count: number, job: Omit<ReplayJob, 'shard'>, budgets: Budgets): Promise<WorkerEnd> {
    while (this.#workers.length < count) this.#workers.push(this.#spawn(this.#workers.length));
    this.#merge = new ShardMerge(count, (message) => this.#output.onMessage(message));
    let first: WorkerEnd | undefined;
    await Promise.all(
      this.#workers.map(async (worker, index) => {
        const end = await worker.start({ ...job, shard: { index, count } } satisfies ReplayJob, budgets);
        if (end.kind !== 'exited' && first === undefined) {
          first = end;
          await this.terminate();
        }
      }),
    );
    return first ?? { kind: 'exited' };
  }

  async terminate(): Promise<void> {
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }

  #spawn(index: number): WatchedWorker {
    return new WatchedWorker(workerScript(import.meta.url, 'replay-worker'), (message) => this.#merge?.message(index, message as ReplayMessage));
  }
}
