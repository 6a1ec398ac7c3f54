// The contract every destination kind implements (Vector's sink model: send + health check).
import type { Alert } from '../alerts/alert.ts';

/** One attempt to deliver one alert to one destination. */
export interface Delivery {
  alert: Alert;
  /** Epoch ms when the alert entered the outbox; stable across retries (the payload's createdAt). */
  enqueuedAt: number;
  /** 1 for the first attempt. */
  attempt: number;
}

export type SendResult =
  | { ok: true; status?: number }
  | {
      ok: false;
      /** false: retrying cannot help (4xx other than 408/429): dead-letter at once. */
      retryable: boolean;
      /** What went wrong, for people; never holds a secret. */
      error: string;
      status?: number;
      /** The receiver asked to wait this long (Retry-After), in ms. */
      retryAfterMs?: number;
      /** The start of the response body, kept with a dead letter. */
      responseBody?: string;
    };

export type HealthResult = { ok: true } | { ok: false; error: string };

export interface Destination {
  readonly name: string;
  readonly kind: 'slack' | 'webhook' | 'stdout' | 'file';
  /** Never throws: every failure is a SendResult. `signal` aborts an attempt on shutdown. */
  send(delivery: Delivery, signal?: AbortSignal): Promise<SendResult>;
  check(): Promise<HealthResult>;
}
