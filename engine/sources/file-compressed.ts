// A compressed file (.gz/.zst) is read whole once stable, in batches; its checkpoint counts the records handled,
// so a restart mid-file skips them, and marks it done (by size + mtime) so it is never read twice.
import { createReadStream } from 'node:fs';
import type { Stats } from 'node:fs';
import { z } from 'zod';
import { decodeStream } from '../decode/index.ts';
import type { DecodeLimits, DecodeResult } from '../decode/types.ts';
import { parseCheckpoint } from './checkpoints.ts';
import type { Deliver } from './file-tail.ts';
import type { Checkpoint } from './types.ts';

export const CompressedCheckpoint = z.object({
  size: z.number().int().nonnegative(),
  mtimeMs: z.number(),
  /** Records (accepted or rejected) already handled, in file order. */
  records: z.number().int().nonnegative(),
  done: z.boolean(),
});
export type CompressedCheckpoint = z.infer<typeof CompressedCheckpoint>;

export function compressedCheckpointKey(path: string): string {
  return `path:${path}`;
}

export interface CompressedReadOptions {
  limits?: Partial<DecodeLimits>;
  batchRecords: number;
  stopping: () => boolean;
  deliver: Deliver;
}

export async function readCompressed(path: string, stats: Stats, saved: string | undefined, options: CompressedReadOptions): Promise<void> {
  const prior = parseCheckpoint(CompressedCheckpoint, saved);
  const same = prior !== undefined && prior.size === stats.size && prior.mtimeMs === stats.mtimeMs;
  if (same && prior.done) return;
  const skip = same ? prior.records : 0;
  const key = compressedCheckpointKey(path);
  let handled = 0;
  const checkpoints = (done: boolean): Checkpoint[] => {
    const value: CompressedCheckpoint = { size: stats.size, mtimeMs: stats.mtimeMs, records: handled, done };
    return [{ key, value: JSON.stringify(value) }];
  };
  const input = createReadStream(path, { highWaterMark: 1024 * 1024 });
  let batch: DecodeResult[] = [];
  try {
    for await (const record of decodeStream(input, path, options.limits)) {
      handled++;
      if (handled <= skip) continue;
      batch.push(record);
      if (batch.length < options.batchRecords) continue;
      await options.deliver(batch, checkpoints(false));
      batch = [];
      if (options.stopping()) return;
    }
  } finally {
    input.destroy();
  }
  await options.deliver(batch, checkpoints(true));
}
