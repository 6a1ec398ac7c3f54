// Groups a record stream into batches: full ones at batchRecords, and whatever is pending as soon as the
// input stalls (a quiet pipe must not hold its last records back until more arrive).
import type { DecodeResult } from '../decode/types.ts';

const STALLED = Symbol('stalled');

export async function* recordBatches(records: AsyncIterable<DecodeResult>, batchRecords: number): AsyncGenerator<DecodeResult[]> {
  const iterator = records[Symbol.asyncIterator]();
  let batch: DecodeResult[] = [];
  let stalled: Promise<typeof STALLED> | undefined;
  let pending = iterator.next();
  try {
    for (;;) {
      if (batch.length > 0) stalled ??= new Promise((resolve) => setImmediate(() => resolve(STALLED)));
      const next = batch.length === 0 ? await pending : await Promise.race([pending, stalled!]);
      if (next === STALLED) {
        stalled = undefined;
        yield batch;
        batch = [];
        continue;
      }
      if (next.done === true) break;
      batch.push(next.value);
      pending = iterator.next();
      if (batch.length >= batchRecords) {
        stalled = undefined;
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  } finally {
    await iterator.return?.();
  }
}
