// Retry timing: exponential backoff with jitter, and a per-minute rate window.
import type { DeliveryPolicy } from '../config/schema.ts';

/** Delay before the next attempt after `failures` consecutive failures: half fixed, half random ("equal jitter"). */
export function retryDelayMs(failures: number, policy: Pick<DeliveryPolicy, 'retryBaseSeconds' | 'retryMaxSeconds'>, random: () => number): number {
  const ceilingMs = Math.min(policy.retryMaxSeconds, policy.retryBaseSeconds * 2 ** Math.max(0, failures - 1)) * 1000;
  return Math.round(ceilingMs / 2 + (random() * ceilingMs) / 2);
}

/** At most `perMinute` sends in any 60 seconds. */
export class RateWindow {
  readonly #perMinute: number;
  readonly #sentAt: number[] = [];

  constructor(perMinute: number) {
    this.#perMinute = perMinute;
  }

  /** 0 when a send may go now, else how long until one may. */
  waitMs(nowMs: number): number {
    while (this.#sentAt.length > 0 && (this.#sentAt[0] as number) <= nowMs - 60_000) this.#sentAt.shift();
    if (this.#sentAt.length < this.#perMinute) return 0;
    return (this.#sentAt[0] as number) + 60_000 - nowMs;
  }

  record(nowMs: number): void {
    this.#sentAt.push(nowMs);
  }
}
