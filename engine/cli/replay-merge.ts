// `replay --workers N`: the workers' messages as one worker with every rule would have sent them. Each worker posts
// its alerts and signals in (record, signals before alerts, canonical key) order and says, with its progress, how far
// it has read; an alert or signal is passed on once every worker has read past its record.
import { alertOrderKey, signalOrderKey } from '../pipeline/replay-order.ts';
import { mergedStats } from '../pipeline/replay-stats.ts';
import type { ReplayStats } from '../pipeline/replay-stats.ts';
import type { LateRecords, ReplayMessage } from './replay-messages.ts';

interface Pending {
  at: number;
  /** Signals come before alerts of the same record, as runReplay records them. */
  kind: 0 | 1;
  key: string;
  message: ReplayMessage;
}

export class ShardMerge {
  readonly #onMessage: (message: ReplayMessage) => void;
  readonly #pending: Pending[][];
  /** Per worker: the records it has read; every later item of its comes at a record past this. */
  readonly #readTo: number[];
  readonly #done: ({ stats: ReplayStats; late: LateRecords | undefined; idle: boolean } | undefined)[];

  constructor(workers: number, onMessage: (message: ReplayMessage) => void) {
    this.#onMessage = onMessage;
    this.#pending = Array.from({ length: workers }, () => []);
    this.#readTo = new Array<number>(workers).fill(0);
    this.#done = new Array(workers).fill(undefined);
  }

  /** A message of worker `index`. */
  message(index: number, message: ReplayMessage): void {
    switch (message.type) {
      case 'alert':
        this.#pending[index]!.push({ at: message.at, kind: 1, key: alertOrderKey(message.alert), message });
        return;
      case 'signal':
        this.#pending[index]!.push({ at: message.at, kind: 0, key: signalOrderKey(message.signal), message });
        return;
      case 'progress':
        this.#readTo[index] = message.recordsRead;
        // The first worker reads every record: its bytes are the progress bar's.
        if (index === 0) this.#onMessage(message);
        this.#release();
        return;
      case 'done':
        this.#readTo[index] = Infinity;
        this.#done[index] = { stats: message.stats, late: message.late, idle: message.idle === true };
        this.#release();
        if (this.#done.every((done) => done !== undefined)) this.#finish();
        return;
      default:
        this.#onMessage(message);
    }
  }

  /** Passes on, in order, every pending item at or before the record all workers have read. */
  #release(): void {
    const through = Math.min(...this.#readTo);
    const queues = this.#pending;
    const heads = new Array<number>(queues.length).fill(0);
    for (;;) {
      let best = -1;
      for (let index = 0; index < queues.length; index++) {
        const head = queues[index]![heads[index]!];
        if (head === undefined || head.at > through) continue;
        if (best === -1 || before(head, queues[best]![heads[best]!]!)) best = index;
      }
      if (best === -1) break;
      this.#onMessage(queues[best]![heads[best]!]!.message);
      heads[best]! += 1;
    }
    for (const [index, queue] of queues.entries()) if (heads[index]! > 0) queue.splice(0, heads[index]);
  }

  #finish(): void {
    const working = this.#done.filter((done): done is NonNullable<typeof done> => done !== undefined && !done.idle);
    const late = working.every((done) => done.late !== undefined) ? working.map((done) => done.late!) : undefined;
    this.#onMessage({ type: 'done', stats: mergedStats(working.map((done) => done.stats), late) });
  }
}

function before(a: Pending, b: Pending): boolean {
  if (a.at !== b.at) return a.at < b.at;
  if (a.kind !== b.kind) return a.kind < b.kind;
  return a.key < b.key;
}
