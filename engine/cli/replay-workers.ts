// How many worker threads `tailwatch replay` uses when --workers does not say: one per core for an input large enough
// to pay for the others' start-up, else one. The alerts are the same either way.
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { resolveInputs } from '../pipeline/read-inputs.ts';
import { isStdin } from '../pipeline/stdin-path.ts';

/** Input bytes (uncompressed, roughly) per worker beyond the first. */
const BYTES_PER_EXTRA_WORKER = 16 << 20;
/** A compressed file holds about this many times its size. */
const COMPRESSION_RATIO = 8;

export async function defaultWorkers(paths: readonly string[], stdinFile: string | undefined): Promise<number> {
  let bytes = stdinFile === undefined ? 0 : (await stat(stdinFile)).size;
  try {
    for (const input of await resolveInputs(paths.filter((path) => !isStdin(path)))) {
      bytes += (input.bytes ?? 0) * (/\.(gz|zst|zstd)$/i.test(input.source) ? COMPRESSION_RATIO : 1);
    }
  } catch {
    // An unreadable path: the replay worker reports it.
    return 1;
  }
  return Math.max(1, Math.min(availableParallelism(), 1 + Math.floor(bytes / BYTES_PER_EXTRA_WORKER)));
}
