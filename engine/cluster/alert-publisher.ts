// Publishes a partition's alert revisions to the alerts stream: Nats-Msg-Id = alertId:revision (a re-evaluation
// after a failover is dropped as a duplicate inside the window), the fencing token in a header, and each publish
// conditional on the subject's last sequence. When someone else wrote meanwhile, the last message's token decides:
// an older token (a paused old owner) is passed over, a newer one means this owner was replaced and must stop.
import { headers } from '@nats-io/transport-node';
import type { Alert } from '../alerts/alert.ts';
import { TailwatchError } from '../errors.ts';
import { isWrongLastSequence } from './lease.ts';
import type { ClusterResources } from './resources.ts';

export const FENCING_TOKEN_HEADER = 'Tailwatch-Fencing-Token';
export const PARTITION_HEADER = 'Tailwatch-Partition';

/** Another node holds a newer lease on the partition: this one's results must not be published. */
export class FencedError extends TailwatchError {
  constructor(message: string) {
    super('FENCED', message);
    this.name = 'FencedError';
  }
}

export class AlertPublisher {
  readonly #resources: ClusterResources;
  readonly #partition: string;
  readonly #token: number;
  readonly #subject: string;
  #lastSeq = 0;

  constructor(resources: ClusterResources, partition: string, token: number) {
    this.#resources = resources;
    this.#partition = partition;
    this.#token = token;
    this.#subject = resources.names.alertSubject(partition);
  }

  /** Publishes one revision; true when it was new to the stream, false for a duplicate. */
  async publish(alert: Alert): Promise<boolean> {
    const { js } = this.#resources.connection;
    const body = JSON.stringify(alert);
    for (;;) {
      const h = headers();
      h.set(FENCING_TOKEN_HEADER, String(this.#token));
      h.set(PARTITION_HEADER, this.#partition);
      try {
        const ack = await js.publish(this.#subject, body, {
          msgID: `${alert.alertId}:${alert.revision}`,
          headers: h,
          expect: { lastSubjectSequence: this.#lastSeq },
          timeout: this.#resources.config.publishTimeoutSeconds * 1000,
        });
        // A duplicate's ack carries the sequence of the first copy, which is not the subject's last.
        if (!ack.duplicate) this.#lastSeq = ack.seq;
        return !ack.duplicate;
      } catch (error) {
        if (!isWrongLastSequence(error)) throw error;
        await this.#catchUp();
      }
    }
  }

  /** Moves past what was written since, unless a newer owner wrote it. */
  async #catchUp(): Promise<void> {
    const last = await this.#resources.connection.jsm.streams.getMessage(this.#resources.config.streams.alerts, { last_by_subj: this.#subject });
    if (last === null) {
      this.#lastSeq = 0;
      return;
    }
    const token = Number(last.header.get(FENCING_TOKEN_HEADER) || 0);
    if (token > this.#token) throw new FencedError(`partition ${this.#partition}: a newer owner (token ${token}) publishes alerts; this one (token ${this.#token}) stops`);
    this.#lastSeq = last.seq;
  }
}
