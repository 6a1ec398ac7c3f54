// Decodes a whole input held in memory (an HTTP body, a small object): decompresses by magic bytes, then frames.
import { detectCompression, inflateSync } from './compression.ts';
import { createFramer } from './framer.ts';
import { resolveLimits } from './limits.ts';
import { rejected } from './results.ts';
import type { DecodeLimits, DecodeResult } from './types.ts';

export function decodeBuffer(bytes: Uint8Array, source: string, limits?: Partial<DecodeLimits>): DecodeResult[] {
  const resolved = resolveLimits(limits);
  const input = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const framer = createFramer({ source, limits: resolved });
  const kind = detectCompression(input);
  if (kind === 'none') return [...framer.push(input), ...framer.end()];
  const inflated = inflateSync(input, kind, resolved.maxDecompressedBytes);
  const results = [...framer.push(inflated.data), ...framer.end()];
  if (inflated.error) {
    const position = { source, line: framer.consumedLine, offset: framer.consumedOffset };
    results.push(rejected(inflated.error.tooLarge ? 'too_large' : 'decompress_failed', `${kind}: ${inflated.error.message}`, position, ''));
  }
  return results;
}
