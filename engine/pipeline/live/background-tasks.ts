// Timers and background work of `tailwatch run`: a failing run never throws uncaught; it is logged with its cause,
// counted (tailwatch_background_task_failures_total), shown in /readyz until a run succeeds, and tried again.
import type { Logger } from '../../telemetry/logger.ts';
import type { Metrics } from '../../telemetry/metrics.ts';

export interface TaskHealth {
  ok: boolean;
  detail?: string;
}

export class BackgroundTasks {
  readonly #logger: Logger;
  readonly #metrics: Metrics;
  readonly #timers = new Set<NodeJS.Timeout>();
  /** The last error of each task whose last run failed. */
  readonly #failing = new Map<string, string>();
  #closed = false;

  constructor(logger: Logger, metrics: Metrics) {
    this.#logger = logger;
    this.#metrics = metrics;
  }

  /** Runs fn every intervalMs (the next run is the retry after a failure). */
  every(task: string, intervalMs: number, fn: () => void | Promise<void>): void {
    const timer = setInterval(() => void this.run(task, fn), intervalMs);
    this.#timers.add(timer);
  }

  /** Runs fn once now, reporting a failure instead of throwing; true when it succeeded. */
  async run(task: string, fn: () => void | Promise<void>): Promise<boolean> {
    if (this.#closed) return false;
    try {
      await fn();
      this.recovered(task);
      return true;
    } catch (error) {
      this.report(task, error);
      return false;
    }
  }

  /** Records a failure of work that runs elsewhere (a delivery lane, a source's poll). */
  report(task: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.#failing.set(task, message);
    this.#metrics.backgroundTaskFailed(task);
    this.#logger.error('background task failed; it will be retried', { task, error: message, ...causeOf(error) });
  }

  /** Clears a failure reported with report() once that work succeeds again. */
  recovered(task: string): void {
    if (this.#failing.delete(task)) this.#logger.info('background task recovered', { task });
  }

  health(): TaskHealth {
    if (this.#failing.size === 0) return { ok: true };
    return { ok: false, detail: [...this.#failing].map(([task, error]) => `${task}: ${error}`).join('; ') };
  }

  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers.clear();
  }
}

function causeOf(error: unknown): { cause?: string } {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause === undefined ? {} : { cause: cause instanceof Error ? cause.message : String(cause) };
}
