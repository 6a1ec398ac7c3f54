// A partition's lease in the KV bucket (bucket-level TTL: 2.9 has no per-key TTL). Taken with a compare-and-set
// create, renewed with a compare-and-set update before the TTL lapses; its fencing token is the revision of the
// create, so every later owner holds a larger one. The owner believes in its lease only until a TTL after its last
// successful renewal, whatever the server says later.
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import type { ClusterResources } from './resources.ts';

export interface LeaseValue {
  partition: string;
  node: string;
  token: number;
  acquiredAtMs: number;
  renewedAtMs: number;
}

/** A safety margin: the owner stops using a lease this long before the bucket could let it lapse. */
const MARGIN_MS = 250;

export class Lease {
  readonly partition: string;
  readonly token: number;
  readonly #resources: ClusterResources;
  readonly #value: LeaseValue;
  #revision: number;
  #renewedAt = performance.now();
  #lost = false;

  private constructor(resources: ClusterResources, value: LeaseValue, revision: number) {
    this.#resources = resources;
    this.#value = value;
    this.partition = value.partition;
    this.token = value.token;
    this.#revision = revision;
  }

  /** The lease when nobody holds it (absent, lapsed or released), else undefined. */
  static async tryAcquire(resources: ClusterResources, partition: string, node: string): Promise<Lease | undefined> {
    const key = resources.names.leaseKey(partition);
    const now = Date.now();
    const value: LeaseValue = { partition, node, token: 0, acquiredAtMs: now, renewedAtMs: now };
    let revision: number;
    try {
      revision = await resources.leases.create(key, JSON.stringify(value));
    } catch (error) {
      if (isWrongLastSequence(error)) return undefined;
      throw error;
    }
    const lease = new Lease(resources, { ...value, token: revision }, revision);
    // The token is known only now: written into the value (a CAS update) so status and other nodes can read it.
    return (await lease.renew()) ? lease : undefined;
  }

  /** Still ours: not lost, and renewed within the TTL. */
  get valid(): boolean {
    return !this.#lost && performance.now() - this.#renewedAt < this.#resources.config.leaseTtlSeconds * 1000 - MARGIN_MS;
  }

  /** False once another node has taken it; throws when NATS did not answer (the lease may still be ours). */
  async renew(): Promise<boolean> {
    if (this.#lost) return false;
    const value = { ...this.#value, renewedAtMs: Date.now() };
    try {
      this.#revision = await this.#resources.leases.update(this.#resources.names.leaseKey(this.partition), JSON.stringify(value), this.#revision);
      this.#renewedAt = performance.now();
      return true;
    } catch (error) {
      if (!isWrongLastSequence(error)) throw error;
      this.#lost = true;
      return false;
    }
  }

  /** Gives the partition up now (after a final snapshot), unless another node already has it. */
  async release(): Promise<void> {
    if (this.#lost) return;
    this.#lost = true;
    await this.#resources.leases.delete(this.#resources.names.leaseKey(this.partition), { previousSeq: this.#revision }).catch(() => undefined);
  }
}

export function isWrongLastSequence(error: unknown): boolean {
  return error instanceof JetStreamApiError && (error.code === JetStreamApiCodes.StreamWrongLastSequence || error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown);
}
