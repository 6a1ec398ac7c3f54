// Work items handled one at a time (bounded memory, ordered checkpoints); a failed item is retried later,
// after the pipeline's Retry-After or an exponential backoff.
import type { NamedTimers } from './named-timers.ts';
import { retryDelaySeconds } from './retry.ts';

export interface SerialWorkOptions<Item extends string> {
  process: (item: Item) => Promise<void>;
  onRetry: (item: Item, error: unknown, seconds: number) => void;
  retryMaxSeconds: number;
  timers: NamedTimers;
}

export class SerialWork<Item extends string> {
  private readonly options: SerialWorkOptions<Item>;
  /** A Set: an item scheduled again before it ran is done once. */
  private readonly queue = new Set<Item>();
  private readonly attempts = new Map<Item, number>();
  private draining: Promise<void> | undefined;
  private stopped = false;

  constructor(options: SerialWorkOptions<Item>) {
    this.options = options;
  }

  schedule(item: Item): void {
    this.queue.add(item);
    this.kick();
  }

  /** Takes no new items and waits for the one being handled. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.draining;
  }

  private kick(): void {
    if (this.draining !== undefined || this.stopped) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.queue.size > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    for (const item of this.queue) {
      if (this.stopped) return;
      this.queue.delete(item);
      try {
        await this.options.process(item);
        this.attempts.delete(item);
      } catch (error) {
        const attempt = (this.attempts.get(item) ?? 0) + 1;
        this.attempts.set(item, attempt);
        const seconds = retryDelaySeconds(error, attempt, this.options.retryMaxSeconds);
        this.options.onRetry(item, error, seconds);
        this.options.timers.set(`retry:${item}`, seconds, () => this.schedule(item));
      }
    }
  }
}
