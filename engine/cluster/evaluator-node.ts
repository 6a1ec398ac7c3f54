// An evaluator node: says it is alive (member.<node> in the lease bucket), renews the leases it holds, and keeps
// its share of the partitions, ceil(partitions / live members): it takes free partitions with a compare-and-set
// create (a standby takes a lapsed lease within the TTL plus one tick) and hands extra ones over when members join.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../telemetry/logger.ts';
import { FencedError } from './alert-publisher.ts';
import { Lease } from './lease.ts';
import { PartitionRunner, type PartitionRunnerOptions } from './partition-runner.ts';
import type { ClusterResources } from './resources.ts';

export interface EvaluatorNodeOptions extends Omit<PartitionRunnerOptions, 'lease'> {
  partitions: readonly string[];
  logger?: Logger | undefined;
}

export class EvaluatorNode {
  readonly #options: EvaluatorNodeOptions;
  readonly #runners = new Map<string, { lease: Lease; runner: PartitionRunner }>();
  readonly #stop = new AbortController();
  #loop: Promise<void> | undefined;
  #members = 0;
  #lastError: string | undefined;

  constructor(options: EvaluatorNodeOptions) {
    this.#options = options;
    for (const partition of options.partitions) options.metrics.leaseHeld(partition, false);
  }

  get resources(): ClusterResources {
    return this.#options.resources;
  }

  /** Partitions this node evaluates now. */
  get held(): string[] {
    return [...this.#runners.keys()].sort();
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  health(): { ok: boolean; detail: string } {
    const held = this.held.join(', ') || 'none';
    const detail = `partitions held: ${held}; live evaluators: ${this.#members}`;
    const stopped = this.#options.evaluation.stoppedRules.map((rule) => `${rule.ruleId} (a call ran longer than ${rule.budgetMs} ms)`);
    const problems = [...(this.#lastError === undefined ? [] : [this.#lastError]), ...(stopped.length === 0 ? [] : [`rules stopped for overrunning the time budget: ${stopped.join(', ')}`])];
    return problems.length === 0 ? { ok: true, detail } : { ok: false, detail: `${detail}; ${problems.join('; ')}` };
  }

  /** Hands every partition over (final snapshot, lease released) and leaves the member list. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#loop;
    await Promise.all([...this.#runners.keys()].map((partition) => this.#release(partition)));
    await this.#options.evaluation.stop();
    const { resources } = this.#options;
    await resources.leases.delete(resources.names.memberKey(this.#options.node)).catch(() => undefined);
  }

  async #run(): Promise<void> {
    const tickMs = (this.#options.resources.config.leaseTtlSeconds * 1000) / 4;
    while (!this.#stop.signal.aborted) {
      try {
        await this.#tick();
        this.#lastError = undefined;
      } catch (error) {
        this.#lastError = error instanceof Error ? error.message : String(error);
        this.#options.logger?.warn('cluster tick failed; trying again', { error: this.#lastError });
      }
      await sleep(tickMs, undefined, { signal: this.#stop.signal }).catch(() => undefined);
    }
  }

  async #tick(): Promise<void> {
    const { resources, node, partitions } = this.#options;
    await this.#renewAll();
    await resources.leases.put(resources.names.memberKey(node), JSON.stringify({ node, atMs: Date.now() }));
    this.#members = await this.#countMembers();
    const share = Math.ceil(partitions.length / Math.max(1, this.#members));
    if (this.#runners.size > share) {
      // One at a time: the others see the freed partition at their next tick.
      const extra = this.held.at(-1);
      if (extra !== undefined) await this.#release(extra);
      return;
    }
    for (const partition of this.#candidates()) {
      if (this.#runners.size >= share || this.#stop.signal.aborted) break;
      const lease = await Lease.tryAcquire(resources, partition, node);
      if (lease !== undefined) this.#startRunner(lease);
    }
  }

  async #renewAll(): Promise<void> {
    for (const [partition, { lease, runner }] of this.#runners) {
      const renewed = await lease.renew().catch(() => lease.valid);
      if (renewed && lease.valid) continue;
      // Lapsed or taken: stop at once, without a snapshot; the next owner resumes from the last one.
      this.#options.logger?.warn('partition lease lost; evaluation stopped here', { partition, fence: lease.token });
      runner.halt();
      this.#forget(partition);
    }
  }

  async #countMembers(): Promise<number> {
    const { resources } = this.#options;
    let count = 0;
    for await (const key of await resources.leases.keys(`${resources.names.memberPrefix}>`)) if (key !== '') count++;
    return count;
  }

  /** Partitions not held here, starting at a place that differs per node so two nodes rarely race for the same one. */
  #candidates(): string[] {
    const { partitions, node } = this.#options;
    const free = partitions.filter((partition) => !this.#runners.has(partition));
    let hash = 0;
    for (const char of node) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
    const offset = free.length === 0 ? 0 : hash % free.length;
    return [...free.slice(offset), ...free.slice(0, offset)];
  }

  #startRunner(lease: Lease): void {
    const runner = new PartitionRunner({ ...this.#options, lease });
    this.#runners.set(lease.partition, { lease, runner });
    this.#options.metrics.leaseHeld(lease.partition, true);
    runner.done.catch((error: unknown) => {
      if (this.#runners.get(lease.partition)?.runner !== runner) return;
      if (error instanceof FencedError) this.#options.metrics.fenced(lease.partition);
      this.#options.logger?.error('partition evaluation failed; the partition is given up and taken again from its snapshot', {
        partition: lease.partition, error: error instanceof Error ? error.message : String(error),
      });
      this.#forget(lease.partition);
      void lease.release();
    });
  }

  async #release(partition: string): Promise<void> {
    const entry = this.#runners.get(partition);
    if (entry === undefined) return;
    this.#forget(partition);
    await entry.runner.stop().catch((error: unknown) => this.#options.logger?.warn('partition hand-over failed', { partition, error: String(error) }));
    this.#options.logger?.info('partition handed over', { partition, fence: entry.lease.token });
  }

  #forget(partition: string): void {
    this.#runners.delete(partition);
    this.#options.metrics.leaseHeld(partition, false);
  }
}
