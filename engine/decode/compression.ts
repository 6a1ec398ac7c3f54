// Compression is told by magic bytes, never by file name; whole buffers are inflated here with a size cap.
import { constants, gunzipSync, zstdDecompressSync } from 'node:zlib';
import { ZstdFrameSplitter } from './zstd-frames.ts';

export type Compression = 'gzip' | 'zstd' | 'none';

/** Bytes needed to tell every supported format apart. */
export const MAGIC_BYTES = 4;

export function detectCompression(head: Uint8Array): Compression {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

export interface Inflated {
  /** What could be inflated; with `error`, the part before the failure. */
  data: Buffer;
  error?: { tooLarge: boolean; message: string };
}

function isTooLarge(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE';
}

function failure(error: unknown, maxBytes: number): NonNullable<Inflated['error']> {
  return isTooLarge(error)
    ? { tooLarge: true, message: `decompressed size exceeds maxDecompressedBytes (${maxBytes})` }
    : { tooLarge: false, message: `decompression failed: ${(error as Error).message}` };
}

export function inflateSync(bytes: Buffer, kind: 'gzip' | 'zstd', maxBytes: number): Inflated {
  return kind === 'gzip' ? gunzipWhole(bytes, maxBytes) : zstdWhole(bytes, maxBytes);
}

function gunzipWhole(bytes: Buffer, maxBytes: number): Inflated {
  try {
    return { data: gunzipSync(bytes, { maxOutputLength: maxBytes }) };
  } catch (error) {
    const reason = failure(error, maxBytes);
    if (reason.tooLarge) return { data: Buffer.alloc(0), error: reason };
    // Keep what precedes a cut or corruption: a sync flush returns the part that did inflate.
    try {
      return { data: gunzipSync(bytes, { maxOutputLength: maxBytes, finishFlush: constants.Z_SYNC_FLUSH }), error: reason };
    } catch {
      return { data: Buffer.alloc(0), error: reason };
    }
  }
}

function zstdWhole(bytes: Buffer, maxBytes: number): Inflated {
  const parts: Buffer[] = [];
  let total = 0;
  let frame: Buffer[] = [];
  const splitter = new ZstdFrameSplitter();
  const pieces = splitter.split(bytes);
  for (const [index, piece] of pieces.entries()) {
    frame.push(piece.bytes);
    if (!piece.frameEnd && index < pieces.length - 1) continue;
    try {
      const data = zstdDecompressSync(Buffer.concat(frame), { maxOutputLength: Math.max(1, maxBytes - total) });
      parts.push(data);
      total += data.length;
      if (total > maxBytes) return { data: Buffer.alloc(0), error: failure({ code: 'ERR_BUFFER_TOO_LARGE' }, maxBytes) };
    } catch (error) {
      return { data: Buffer.concat(parts), error: failure(error, maxBytes) };
    }
    frame = [];
  }
  if (splitter.midFrame) return { data: Buffer.concat(parts), error: { tooLarge: false, message: 'decompression failed: input ends inside a zstd frame' } };
  return { data: parts.length === 1 ? parts[0]! : Buffer.concat(parts) };
}
