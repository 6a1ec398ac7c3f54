// Pipeline turns taken one at a time, in arrival order, each after the event loop had a turn: requests wait here,
// where the in-flight limits count them, instead of in socket buffers where nothing sees them.
import { setImmediate as nextTurn } from 'node:timers/promises';

export class PipelineTurns {
  #tail: Promise<unknown> = Promise.resolve();
  #busyMs = 0;

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(() => nextTurn()).then(async () => {
      const started = performance.now();
      try {
        return await work();
      } finally {
        this.#busyMs += performance.now() - started;
      }
    });
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /** Milliseconds that stand still while a turn runs: the time a sender had to send, whatever we were busy with. */
  senderClock(): number {
    return performance.now() - this.#busyMs;
  }
}
