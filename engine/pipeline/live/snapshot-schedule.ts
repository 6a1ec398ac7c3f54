// When the evaluator's state is snapshotted (which also empties the journal): every 30 s, and as soon as the
// journal since the last snapshot passes a size, so the SQLite file stays bounded under any load.
import { StorageFullError } from '../../errors.ts';
import type { BatchHandler } from '../../sources/types.ts';
import type { BackgroundTasks } from './background-tasks.ts';
import type { LivePipeline } from './live-pipeline.ts';

export const SNAPSHOT_INTERVAL_MS = 30_000;
/** Journal bytes (record JSON) that trigger a snapshot without waiting for the timer. */
export const SNAPSHOT_JOURNAL_BYTES = 64 * 2 ** 20;

export class SnapshotSchedule {
  readonly #pipeline: LivePipeline;
  readonly #tasks: BackgroundTasks;
  readonly #journalBytes: number;
  #queued = false;

  /** maxDatabaseMiB: with a bound, a quarter of it is the journal size that triggers a snapshot. */
  constructor(pipeline: LivePipeline, tasks: BackgroundTasks, maxDatabaseMiB: number | undefined) {
    this.#pipeline = pipeline;
    this.#tasks = tasks;
    this.#journalBytes = Math.min(SNAPSHOT_JOURNAL_BYTES, maxDatabaseMiB === undefined ? Infinity : (maxDatabaseMiB * 2 ** 20) / 4);
  }

  start(): void {
    this.#tasks.every('snapshot', SNAPSHOT_INTERVAL_MS, () => this.#pipeline.snapshot());
  }

  /** The pipeline's batch handler, followed by a snapshot when the journal grew past the size, or the database was full. */
  readonly handle: BatchHandler = async (batch) => {
    try {
      return await this.#pipeline.handle(batch);
    } catch (error) {
      // A snapshot empties the journal: the room the next attempt needs.
      if (error instanceof StorageFullError) this.soon();
      throw error;
    } finally {
      if (this.#pipeline.journalBytes >= this.#journalBytes) this.soon();
    }
  };

  /** One snapshot after the current batch has been answered. */
  soon(): void {
    if (this.#queued) return;
    this.#queued = true;
    setImmediate(() => {
      this.#queued = false;
      void this.#tasks.run('snapshot', () => this.#pipeline.snapshot());
    });
  }
}
