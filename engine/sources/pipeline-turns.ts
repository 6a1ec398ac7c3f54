// Pipeline turns taken one at a time, in arrival order, each after the event loop had a turn: requests wait here,
// where the in-flight limits count them, instead of in socket buffers where nothing sees them.
import { setImmediate as nextTurn } from 'node:timers/promises';

export class PipelineTurns {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(() => nextTurn()).then(work);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
