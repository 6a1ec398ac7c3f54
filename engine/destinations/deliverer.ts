// The delivery worker: one lane per destination reads due outbox rows, sends, and records the outcome
// (delivered → removed; retryable → backoff or Retry-After; permanent or out of budget → dead letter).
import type { DeliveryPolicy } from '../config/schema.ts';
import type { Database } from '../state/database.ts';
import type { Logger } from '../telemetry/logger.ts';
import { RateWindow, retryDelayMs } from './backoff.ts';
import { systemClock, type Clock } from './clock.ts';
import { deadLetterUnknownDestinations, pendingFor } from './outbox-admin.ts';
import { earliestDue, markDead, markDelivered, markRetry, nextDue, pendingCount, type DeadLetterReason, type Failure, type OutboxRow } from './outbox.ts';
import type { Destination, HealthResult, SendResult } from './types.ts';

export type DeliveryOutcome = 'delivered' | 'retry' | 'dead_letter';

export interface DeliveryEvent {
  destination: string;
  alertId: string;
  outcome: DeliveryOutcome;
  /** 1-based attempt number; 0 for a row dead-lettered without an attempt (expired). */
  attempt: number;
  /** Epoch ms when the outcome was recorded. */
  at: number;
  status?: number | undefined;
  error?: string | undefined;
  nextAttemptAt?: number | undefined;
  reason?: DeadLetterReason | undefined;
}

/** Hooks for metrics and logs; no globals. */
export interface DeliveryObserver {
  onDelivery?(event: DeliveryEvent): void;
  /** A lane hit an unexpected error (e.g. the database); it waits one poll interval and goes on. */
  onError?(destination: string, error: unknown): void;
}

export interface DelivererOptions extends DestinationSet {
  db: Database;
  policy: DeliveryPolicy;
  observer?: DeliveryObserver;
  /** Each dead letter is logged once here, with its destination and reason. */
  logger?: Logger;
  clock?: Clock;
  /** Jitter source in [0, 1). */
  random?: () => number;
  /**
   * Dead-letter, at start, rows for destinations this config does not have (for `tailwatch run`, which owns
   * the data directory). Off by default: a backtest with another config must not touch the live backlog.
   */
  deadLetterUnknownDestinations?: boolean;
}

/** The destinations to deliver to, and their rate limits; swapped whole by a hot reload. */
export interface DestinationSet {
  destinations: ReadonlyMap<string, Destination>;
  /** Per destination name: at most this many sends per minute. */
  rateLimitsPerMinute?: ReadonlyMap<string, number> | undefined;
}

interface Lane {
  destination: Destination;
  rate: RateWindow | undefined;
  perMinute: number | undefined;
  /** Removed from the config: the lane delivers what is still pending for it, then ends. */
  retiring: boolean;
  running: Promise<void> | undefined;
  /** Consecutive retryable failures; drives the backoff. */
  failures: number;
  /** After a failure the whole destination waits, so an outage costs one probe per backoff step. */
  pausedUntil: number;
  /** A send whose outcome could not be written (e.g. a full disk): recorded before anything else is sent, never re-sent. */
  unrecorded: { row: OutboxRow; attempt: number; result: SendResult; failures: number } | undefined;
  /** First failure (retry or dead letter) since the last delivery; undefined while it delivers. */
  failingSince: number | undefined;
  lastFailureAt: number;
}

/** Delivery health, for /readyz: not ok names each destination that keeps failing. */
export interface DeliveryHealth {
  ok: boolean;
  detail?: string;
}

export class Deliverer {
  readonly #options: DelivererOptions;
  readonly #clock: Clock;
  readonly #lanes = new Map<string, Lane>();
  readonly #shutdown = new AbortController();
  #wake = new AbortController();
  #progress: (() => void)[] = [];
  #started = false;
  #stopping = false;

  constructor(options: DelivererOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.setDestinations(options);
  }

  /** Starts the lanes (idempotent). */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    if (this.#options.deadLetterUnknownDestinations) {
      const names = this.#names();
      const moved = deadLetterUnknownDestinations(this.#options.db, names, this.#clock.now());
      if (moved > 0) this.#options.logger?.warn('alerts dead-lettered', { count: moved, reason: 'unknown_destination', configured: names });
    }
    for (const lane of this.#lanes.values()) this.#startLane(lane);
  }

  /**
   * Hot reload: a new destination gets a lane now, a changed one sends with its new settings from its next row,
   * and a removed one keeps its lane until what is pending for it is delivered or dead-lettered.
   */
  setDestinations(set: DestinationSet): void {
    for (const [name, lane] of this.#lanes) if (!set.destinations.has(name)) lane.retiring = true;
    for (const [name, destination] of set.destinations) {
      const perMinute = set.rateLimitsPerMinute?.get(name);
      const rate = perMinute === undefined ? undefined : new RateWindow(perMinute);
      const lane = this.#lanes.get(name);
      if (lane === undefined) {
        const added: Lane = { destination, rate, perMinute, retiring: false, running: undefined, failures: 0, pausedUntil: 0, unrecorded: undefined, failingSince: undefined, lastFailureAt: 0 };
        this.#lanes.set(name, added);
        if (this.#started) this.#startLane(added);
        continue;
      }
      lane.destination = destination;
      // An unchanged limit keeps its window, so a reload does not reset what was already sent this minute.
      if (lane.perMinute !== perMinute) Object.assign(lane, { rate, perMinute });
      lane.retiring = false;
      if (this.#started && lane.running === undefined) this.#startLane(lane);
    }
    this.wake();
  }

  /** Call after enqueuing: lanes look at the outbox now instead of at their next poll. */
  wake(): void {
    const previous = this.#wake;
    this.#wake = new AbortController();
    previous.abort();
  }

  /** Every destination's health check, by name (for /readyz). */
  async check(): Promise<Map<string, HealthResult>> {
    const results = await Promise.all([...this.#lanes.values()].map(async (lane) => [lane.destination.name, await lane.destination.check()] as const));
    return new Map(results);
  }

  /**
   * Destinations that have failed (paused, retrying or dead-lettering) without a delivery for longer than
   * `policy.unhealthyAfterMinutes` and are still failing: not ok.
   */
  health(): DeliveryHealth {
    const now = this.#clock.now();
    const thresholdMs = this.#options.policy.unhealthyAfterMinutes * 60_000;
    const failing: string[] = [];
    for (const lane of this.#lanes.values()) {
      const since = lane.failingSince;
      const stillFailing = lane.pausedUntil > now || now - lane.lastFailureAt < thresholdMs;
      if (since === undefined || now - since < thresholdMs || !stillFailing) continue;
      const paused = lane.pausedUntil > now ? `, paused for ${Math.ceil((lane.pausedUntil - now) / 1000)} s more` : '';
      failing.push(`${lane.destination.name}: no delivery for ${Math.floor((now - since) / 60_000)} minutes, failing${paused}`);
    }
    return failing.length === 0 ? { ok: true } : { ok: false, detail: failing.join('; ') };
  }

  /** Rows waiting in the outbox, for every destination (the `tailwatch_outbox_pending` gauge). */
  pendingCount(): number {
    return pendingCount(this.#options.db);
  }

  /** Waits until this deliverer's destinations have nothing pending or timeoutMs passed; returns what is left. */
  async drain({ timeoutMs }: { timeoutMs: number }): Promise<number> {
    this.start();
    const names = this.#names();
    const deadline = this.#clock.now() + timeoutMs;
    let pending = pendingFor(this.#options.db, names);
    while (pending > 0 && !this.#stopping) {
      const left = deadline - this.#clock.now();
      if (left <= 0) break;
      const stop = new AbortController();
      await Promise.race([new Promise<void>((resolve) => this.#progress.push(resolve)), this.#clock.sleep(left, stop.signal)]);
      stop.abort();
      pending = pendingFor(this.#options.db, names);
    }
    return pending;
  }

  /** Stops taking new rows; in-flight sends get timeoutMs to finish, then are aborted (their rows stay pending). */
  async stop({ timeoutMs }: { timeoutMs: number }): Promise<void> {
    this.#stopping = true;
    this.wake();
    const lanes = Promise.all([...this.#lanes.values()].map((lane) => lane.running));
    const timer = new AbortController();
    await Promise.race([lanes, this.#clock.sleep(timeoutMs, timer.signal)]);
    timer.abort();
    this.#shutdown.abort();
    await lanes;
    this.#notifyProgress();
  }

  #names(): string[] {
    return [...this.#lanes.keys()];
  }

  #startLane(lane: Lane): void {
    lane.running = this.#run(lane).finally(() => {
      lane.running = undefined;
      // A retired lane that ended is forgotten, unless a reload brought its destination back meanwhile.
      if (lane.retiring) this.#lanes.delete(lane.destination.name);
    });
  }

  async #run(lane: Lane): Promise<void> {
    const pollMs = this.#options.policy.pollSeconds * 1000;
    while (!this.#stopping) {
      try {
        if (lane.retiring && earliestDue(this.#options.db, lane.destination.name) === undefined) return;
        const waitMs = await this.#step(lane, pollMs);
        if (waitMs > 0) await this.#clock.sleep(waitMs, this.#wake.signal);
      } catch (error) {
        this.#options.observer?.onError?.(lane.destination.name, error);
        await this.#clock.sleep(pollMs, this.#wake.signal);
      }
    }
  }

  /** Handles at most one row; returns how long the lane should wait before the next step. */
  async #step(lane: Lane, pollMs: number): Promise<number> {
    const { db, policy } = this.#options;
    const name = lane.destination.name;
    const now = this.#clock.now();
    const blockedMs = Math.max(lane.pausedUntil - now, lane.rate?.waitMs(now) ?? 0);
    if (blockedMs > 0) return Math.min(blockedMs, pollMs);
    if (lane.unrecorded !== undefined) return this.#recordOrWait(lane, lane.unrecorded.row, lane.unrecorded.attempt, lane.unrecorded.result);
    const row = nextDue(db, name, now);
    if (row === undefined) {
      this.#notifyProgress();
      const next = earliestDue(db, name);
      return next === undefined ? pollMs : Math.min(pollMs, Math.max(1, next - now));
    }
    if (row.attempts > 0 && now - row.enqueuedAt > policy.maxAgeMinutes * 60_000) {
      const error = `still failing after ${policy.maxAgeMinutes} minutes: ${row.lastError ?? 'unknown error'}`;
      this.#dead(row, row.attempts, { reason: 'max_age', error }, 0);
      return 0;
    }
    lane.rate?.record(now);
    const attempt = row.attempts + 1;
    const result = await lane.destination.send({ alert: row.alert, enqueuedAt: row.enqueuedAt, attempt }, this.#shutdown.signal);
    if (this.#shutdown.signal.aborted && !result.ok) return 0;
    return this.#recordOrWait(lane, row, attempt, result);
  }

  /** Writes a send's outcome; when the database refuses, keeps it to write again after a backoff (never sends it again). */
  #recordOrWait(lane: Lane, row: OutboxRow, attempt: number, result: SendResult): number {
    try {
      this.#record(lane, row, attempt, result);
      lane.unrecorded = undefined;
      return 0;
    } catch (error) {
      const failures = (lane.unrecorded?.failures ?? 0) + 1;
      lane.unrecorded = { row, attempt, result, failures };
      lane.pausedUntil = this.#clock.now() + retryDelayMs(failures, this.#options.policy, this.#options.random ?? Math.random);
      this.#options.observer?.onError?.(lane.destination.name, new Error(`cannot record the outcome of ${row.alertId} (sent, not sent again): ${String(error)}`, { cause: error }));
      return 0;
    }
  }

  #record(lane: Lane, row: OutboxRow, attempt: number, result: SendResult): void {
    const { db, policy } = this.#options;
    const at = this.#clock.now();
    if (result.ok) {
      markDelivered(db, row);
      lane.failures = 0;
      lane.failingSince = undefined;
      this.#emit({ destination: row.destination, alertId: row.alertId, outcome: 'delivered', attempt, at, status: result.status });
      return;
    }
    lane.failingSince ??= at;
    lane.lastFailureAt = at;
    const failure = { error: result.error, status: result.status, responseBody: result.responseBody };
    if (!result.retryable) return this.#dead(row, attempt, { reason: 'permanent', ...failure }, attempt);
    if (attempt >= policy.maxAttempts) return this.#dead(row, attempt, { reason: 'max_attempts', ...failure }, attempt);
    lane.failures += 1;
    // A receiver's Retry-After is honoured up to retryMaxSeconds: an hour-long pause would outlast maxAgeMinutes' checks.
    const retryAfterMs = result.retryAfterMs === undefined ? undefined : Math.min(result.retryAfterMs, policy.retryMaxSeconds * 1000);
    const nextAttemptAt = at + (retryAfterMs ?? retryDelayMs(lane.failures, policy, this.#options.random ?? Math.random));
    markRetry(db, row, attempt, nextAttemptAt, result.error);
    lane.pausedUntil = nextAttemptAt;
    this.#emit({ destination: row.destination, alertId: row.alertId, outcome: 'retry', attempt, at, status: result.status, error: result.error, nextAttemptAt });
  }

  #dead(row: OutboxRow, attempts: number, failure: Failure, attempt: number): void {
    const at = this.#clock.now();
    markDead(this.#options.db, row, attempts, failure, at);
    this.#options.logger?.warn('alert dead-lettered', {
      destination: row.destination, alertId: row.alertId, reason: failure.reason, attempts, status: failure.status, error: failure.error,
    });
    this.#emit({ destination: row.destination, alertId: row.alertId, outcome: 'dead_letter', attempt, at, status: failure.status, error: failure.error, reason: failure.reason });
  }

  #emit(event: DeliveryEvent): void {
    this.#options.observer?.onDelivery?.(event);
    this.#notifyProgress();
  }

  #notifyProgress(): void {
    const waiting = this.#progress;
    this.#progress = [];
    for (const resolve of waiting) resolve();
  }
}
