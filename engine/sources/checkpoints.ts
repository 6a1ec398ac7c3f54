// Source positions in the shared SQLite file; the pipeline writes them inside the transaction of their batch.
import type { StatementSync } from 'node:sqlite';
import type { z } from 'zod';
import type { Database } from '../state/database.ts';
import type { Checkpoint } from './types.ts';

export class CheckpointStore {
  private readonly selectOne: StatementSync;
  private readonly selectAll: StatementSync;
  private readonly upsert: StatementSync;
  private readonly remove: StatementSync;

  constructor(db: Database) {
    this.selectOne = db.prepare('SELECT value FROM checkpoints WHERE source = ? AND key = ?');
    this.selectAll = db.prepare('SELECT key, value FROM checkpoints WHERE source = ?');
    this.upsert = db.prepare(
      'INSERT INTO checkpoints (source, key, value) VALUES (?, ?, ?) ON CONFLICT (source, key) DO UPDATE SET value = excluded.value',
    );
    this.remove = db.prepare('DELETE FROM checkpoints WHERE source = ? AND key = ?');
  }

  get(source: string, key: string): string | undefined {
    const row = this.selectOne.get(source, key) as { value: string } | undefined;
    return row?.value;
  }

  /** Every position of one source, to hand to it at start. */
  load(source: string): Map<string, string> {
    const rows = this.selectAll.all(source) as { key: string; value: string }[];
    return new Map(rows.map((row) => [row.key, row.value]));
  }

  /** Writes (or, for a `null` value, forgets) one position; call inside the batch's transaction. */
  set(source: string, key: string, value: string | null): void {
    if (value === null) this.remove.run(source, key);
    else this.upsert.run(source, key, value);
  }

  /** Writes a batch's checkpoints; call inside the batch's transaction. */
  apply(source: string, checkpoints: readonly Checkpoint[]): void {
    for (const checkpoint of checkpoints) this.set(source, checkpoint.key, checkpoint.value);
  }
}

/** A stored checkpoint value read back through its schema; a damaged one counts as absent (start over, never crash). */
export function parseCheckpoint<Schema extends z.ZodType>(schema: Schema, saved: string | undefined): z.infer<Schema> | undefined {
  if (saved === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(saved);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
