// Shared inputs for the compression tests: NDJSON records that do not compress to nothing.
import { randomBytes } from 'node:crypto';

export function ndjson(count: number, from = 0): Buffer {
  const lines: string[] = [];
  for (let n = from; n < from + count; n++) lines.push(JSON.stringify({ n, pad: randomBytes(24).toString('hex') }));
  return Buffer.from(`${lines.join('\n')}\n`);
}

export function numbers(results: { ok: boolean; value?: unknown }[]): number[] {
  return results.filter((r) => r.ok).map((r) => (r.value as { n: number }).n);
}

export const range = (count: number, from = 0): number[] => Array.from({ length: count }, (_, i) => from + i);
