// What every HTTP source shares: the batch handler while it runs, and the requests in flight that stop() waits for.
import type { Route } from '../server/http-server.ts';
import type { BatchHandler, HttpSource, SourceHealth, SourceKind } from './types.ts';

export abstract class HttpSourceBase implements HttpSource {
  abstract readonly kind: SourceKind;
  abstract readonly name: string;
  abstract readonly listen: string;
  abstract readonly routes: readonly Route[];
  #handler: BatchHandler | undefined;
  readonly #inFlight = new Set<Promise<void>>();

  async start(handler: BatchHandler): Promise<void> {
    this.#handler = handler;
  }

  /** New requests get 503; requests already accepted finish and are answered. */
  async stop(): Promise<void> {
    this.#handler = undefined;
    await Promise.allSettled([...this.#inFlight]);
  }

  health(): SourceHealth {
    return this.#handler === undefined ? { ok: false, detail: 'not started' } : { ok: true };
  }

  /** The pipeline's handler; undefined before start and after stop. */
  protected get handler(): BatchHandler | undefined {
    return this.#handler;
  }

  /** Requests being read or waiting for the pipeline. */
  protected get requestsInFlight(): number {
    return this.#inFlight.size;
  }

  protected track(work: Promise<void>): Promise<void> {
    this.#inFlight.add(work);
    return work.finally(() => this.#inFlight.delete(work));
  }
}
