// A stand-in for the pipeline in source tests: commits each batch's checkpoints to a real SQLite file, like run does.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DecodeResult } from '../../engine/decode/types.ts';
import { CheckpointStore } from '../../engine/sources/checkpoints.ts';
import type { Batch, BatchHandler } from '../../engine/sources/types.ts';
import { openDatabase, transaction } from '../../engine/state/database.ts';
import type { Database } from '../../engine/state/database.ts';

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `tailwatch-${prefix}-`));
}

export class TestPipeline {
  readonly db: Database;
  readonly store: CheckpointStore;
  readonly batches: Batch[] = [];
  /** Runs before a batch is committed; throw from it to refuse the batch. */
  gate: (batch: Batch) => void | Promise<void> = () => {};

  constructor(dataDir = tempDir('state')) {
    this.db = openDatabase(dataDir);
    this.store = new CheckpointStore(this.db);
  }

  readonly handler: BatchHandler = async (batch) => {
    await this.gate(batch);
    transaction(this.db, () => this.store.apply(batch.source, batch.checkpoints));
    this.batches.push(batch);
  };

  get records(): DecodeResult[] {
    return this.batches.flatMap((batch) => batch.records);
  }

  get values(): unknown[] {
    return this.records.flatMap((record) => (record.ok ? [record.value] : []));
  }

  close(): void {
    this.db.close();
  }
}

/** Waits (polling) until `condition` holds; fails naming what never happened. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
