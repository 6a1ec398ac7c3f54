// A delivery worker: takes alert revisions from the alerts stream (one durable consumer shared by every worker,
// explicit acks), puts each into the local outbox so the usual deliverer sends it (retries, backoff, Retry-After,
// Idempotency-Key), and acks the message only once every destination has it or dead-lettered it; dead letters are
// also published to their own stream. A worker that dies unacked leaves the message to another (at-least-once:
// a resend carries the same Idempotency-Key).
import { AckPolicy, DeliverPolicy, JetStreamApiCodes, JetStreamApiError, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { Alert } from '../alerts/alert.ts';
import { listDeadLetters, listPending } from '../destinations/outbox-admin.ts';
import { enqueue } from '../destinations/outbox.ts';
import { transaction, type Database } from '../state/database.ts';
import type { Logger } from '../telemetry/logger.ts';
import { PARTITION_HEADER } from './alert-publisher.ts';
import type { ClusterMetrics } from './cluster-metrics.ts';
import type { ClusterResources } from './resources.ts';

export interface DeliveryWorkerOptions {
  resources: ClusterResources;
  db: Database;
  /** Destination names for an alert (routing, or the rule's own choice). */
  route: (alert: Alert) => readonly string[];
  /** Called after alerts were put into the outbox (wakes the deliverer). */
  onEnqueued: () => void;
  metrics: ClusterMetrics;
  logger?: Logger | undefined;
}

interface Held {
  message: JsMsg;
  alert: Alert;
  partition: string;
  extendedAt: number;
}

/** Messages a worker holds unacked at most (they wait for their deliveries). */
const MAX_HELD = 256;
const SETTLE_POLL_MS = 100;
const RESUBSCRIBE_MS = 1_000;

export class DeliveryWorker {
  readonly #options: DeliveryWorkerOptions;
  readonly #held = new Map<string, Held>();
  #messages: ConsumerMessages | undefined;
  #reading: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #lastError: string | undefined;
  #settling: Promise<void> | undefined;
  #closing = false;

  constructor(options: DeliveryWorkerOptions) {
    this.#options = options;
  }

  /** Creates the shared durable consumer when it is missing. */
  static async ensureConsumer(resources: ClusterResources): Promise<void> {
    const { jsm } = resources.connection;
    const stream = resources.config.streams.alerts;
    const name = resources.names.deliveryConsumer;
    try {
      await jsm.consumers.info(stream, name);
    } catch (error) {
      if (!(error instanceof JetStreamApiError) || error.code !== JetStreamApiCodes.ConsumerNotFound) throw error;
      await jsm.consumers.add(stream, {
        durable_name: name,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: resources.config.ackWaitSeconds * 1e9,
        max_ack_pending: 10_000,
      });
    }
  }

  start(): void {
    this.#reading ??= this.#read();
    this.#timer ??= setInterval(() => void this.#settleOnce(), SETTLE_POLL_MS);
  }

  health(): { ok: boolean; detail: string } {
    const detail = `${this.#held.size} alerts awaiting delivery`;
    return this.#lastError === undefined ? { ok: true, detail } : { ok: false, detail: `${detail}; ${this.#lastError}` };
  }

  /** Stops taking messages; those held and not settled are left to the stream's redelivery. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#closing = true;
    await this.#messages?.close();
    await this.#reading;
    await this.#settleOnce();
  }

  /** One settling pass at a time. */
  async #settleOnce(): Promise<void> {
    if (this.#settling !== undefined) return this.#settling;
    this.#settling = this.#settle().finally(() => (this.#settling = undefined));
    return this.#settling;
  }

  /** Reads until stopped; a subscription that fails (the consumer was removed, NATS refused) is opened again. */
  async #read(): Promise<void> {
    while (!this.#closing) {
      try {
        await this.#readOnce();
      } catch (error) {
        this.#lastError = `alerts-stream subscription failed: ${error instanceof Error ? error.message : String(error)}`;
        this.#options.logger?.warn('delivery worker subscription failed; subscribing again', { error: this.#lastError });
        await new Promise((resolve) => setTimeout(resolve, RESUBSCRIBE_MS));
      }
    }
  }

  async #readOnce(): Promise<void> {
    const { resources } = this.#options;
    const consumer = await resources.connection.js.consumers.get(resources.config.streams.alerts, resources.names.deliveryConsumer);
    this.#messages = await consumer.consume({ max_messages: 64 });
    // stop() may have run while the subscription was being made.
    if (this.#closing) await this.#messages.close();
    for await (const message of this.#messages) {
      try {
        this.#take(message);
        this.#lastError = undefined;
      } catch (error) {
        // Not acked: JetStream redelivers it after the ack wait.
        this.#lastError = `cannot take an alert: ${error instanceof Error ? error.message : String(error)}`;
        this.#options.logger?.error('delivery worker could not take an alert', { error: this.#lastError });
      }
      while (this.#held.size >= MAX_HELD && !this.#closing) await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
    }
  }

  #take(message: JsMsg): void {
    const { db, route, metrics } = this.#options;
    if (message.redelivered) metrics.redelivered();
    const alert = readAlert(message);
    if (alert === undefined) {
      // Not an alert tailwatch published: redelivering it cannot help.
      this.#options.logger?.warn('alerts-stream message dropped: not an alert', { seq: message.seq, subject: message.subject });
      message.term();
      return;
    }
    const key = `${alert.alertId}:${alert.revision}`;
    const previous = this.#held.get(key);
    if (previous !== undefined) {
      // The same revision again (a redelivery while still held, or a copy from outside the duplicate window).
      if (previous.message.seq !== message.seq) message.ack();
      else previous.message = message;
      return;
    }
    transaction(db, () => enqueue(db, alert, route(alert)));
    this.#held.set(key, { message, alert, partition: message.headers?.get(PARTITION_HEADER) ?? alert.tailnet, extendedAt: performance.now() });
    this.#options.onEnqueued();
  }

  /** Acks what is settled (published dead letters first) and extends the ack wait of what is still being sent. */
  async #settle(): Promise<void> {
    const { db, resources } = this.#options;
    const extendAfterMs = (resources.config.ackWaitSeconds * 1000) / 3;
    for (const [key, held] of this.#held) {
      const { alertId, revision } = held.alert;
      if (listPending(db, { alertId }).some((row) => row.revision === revision)) {
        if (performance.now() - held.extendedAt >= extendAfterMs) {
          held.message.working();
          held.extendedAt = performance.now();
        }
        continue;
      }
      try {
        for (const dead of listDeadLetters(db, { alertId }).filter((row) => row.revision === revision)) {
          await resources.connection.js.publish(resources.names.deadLetterSubject(held.partition), JSON.stringify(dead), {
            msgID: `${key}:${dead.destination}`,
            timeout: resources.config.publishTimeoutSeconds * 1000,
          });
        }
        held.message.ack();
        this.#held.delete(key);
      } catch (error) {
        this.#lastError = `cannot publish a dead letter: ${error instanceof Error ? error.message : String(error)}`;
        return;
      }
    }
  }
}

function readAlert(message: JsMsg): Alert | undefined {
  try {
    const value = message.json<Partial<Alert>>();
    return typeof value.alertId === 'string' && typeof value.revision === 'number' && typeof value.ruleId === 'string' ? (value as Alert) : undefined;
  } catch {
    return undefined;
  }
}
