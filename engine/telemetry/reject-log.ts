// Reject logging without floods: the first reject of a source and reason in an interval is logged as it comes;
// the rest are counted and told in one summary line when the interval ends (one bad body, one or two lines).
import type { Logger } from './logger.ts';

/** How long the rejects of one source and reason are summed up before the summary line. */
const SUMMARY_INTERVAL_MS = 10_000;

interface Pending {
  source: string;
  reason: string;
  /** Rejects since the logged one. */
  count: number;
  lastMessage: string;
}

export class RejectLog {
  readonly #logger: Logger;
  readonly #pending = new Map<string, Pending>();
  #timer: NodeJS.Timeout | undefined;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  record(source: string, reason: string, message: string): void {
    const key = `${source}\u0000${reason}`;
    const pending = this.#pending.get(key);
    if (pending !== undefined) {
      pending.count++;
      pending.lastMessage = message;
      return;
    }
    this.#logger.warn('record rejected', { source, reason, message });
    this.#pending.set(key, { source, reason, count: 0, lastMessage: message });
    // Unref'd: a pending summary never keeps the process alive.
    this.#timer ??= setTimeout(() => this.flush(), SUMMARY_INTERVAL_MS).unref();
  }

  /** Logs the summaries now and starts a new interval. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const { source, reason, count, lastMessage } of this.#pending.values()) {
      if (count > 0) this.#logger.warn('records rejected', { source, reason, count, seconds: SUMMARY_INTERVAL_MS / 1000, lastMessage });
    }
    this.#pending.clear();
  }
}
