// Stop signals of `tailwatch run`: the first asks for a graceful stop (bounded: past the bound the process exits
// anyway), a second one exits at once.
import { constants } from 'node:os';
import type { Logger } from '../../telemetry/logger.ts';

export class StopRequest {
  /** Resolves with the reason (a signal name, or why the evaluator stops itself) on the first request. */
  readonly requested: Promise<string>;
  #resolve!: (reason: string) => void;
  #reason: string | undefined;
  /** Why the evaluator stopped itself, rethrown once it has stopped (so the exit code is not 0). */
  failure: Error | undefined;
  readonly #signals: readonly NodeJS.Signals[];
  readonly #handler = (signal: NodeJS.Signals) => this.#onSignal(signal);
  readonly #exit: (code: number) => void;
  readonly #boundMs: number;
  #logger: Logger | undefined;

  /** boundMs: how long a graceful stop may take before the process is ended by exit(1). */
  constructor(signals: readonly NodeJS.Signals[], exit: (code: number) => void, boundMs: number) {
    this.requested = new Promise((resolve) => (this.#resolve = resolve));
    this.#signals = signals;
    this.#exit = exit;
    this.#boundMs = boundMs;
    for (const signal of signals) process.on(signal, this.#handler);
  }

  /** Set once a logger exists (signals are listened to before the config is loaded). */
  set logger(logger: Logger) {
    this.#logger = logger;
  }

  get isRequested(): boolean {
    return this.#reason !== undefined;
  }

  /** A stop for a reason other than a signal passes the error that caused it. */
  request(reason: string, failure?: Error): void {
    if (this.#reason !== undefined) return;
    this.#reason = reason;
    this.failure = failure;
    this.#logger?.info('stop requested', { reason });
    // unref: a stop that finishes in time ends the process itself.
    setTimeout(() => {
      this.#logger?.error('did not stop in time; exiting', { boundMs: this.#boundMs });
      this.#exit(1);
    }, this.#boundMs).unref();
    this.#resolve(reason);
  }

  /** Stops listening (after the stop finished, or when start-up failed). */
  close(): void {
    for (const signal of this.#signals) process.off(signal, this.#handler);
  }

  #onSignal(signal: NodeJS.Signals): void {
    if (this.#reason === undefined) return this.request(signal);
    this.#logger?.warn('second stop signal: exiting now', { signal });
    this.#exit(128 + (constants.signals[signal] ?? 0));
  }
}
