// Decodes a byte stream (file, stdin, S3 object) with bounded memory: compression is told by the first bytes.
import { InputError } from '../errors.ts';
import { MAGIC_BYTES, detectCompression } from './compression.ts';
import { createFramer } from './framer.ts';
import type { Framer, OnResult } from './framer.ts';
import { inflateStream } from './inflate-stream.ts';
import { resolveLimits } from './limits.ts';
import { rejected } from './results.ts';
import type { DecodeLimits, DecodeResult, RejectReason } from './types.ts';

export type ByteSource = AsyncIterable<Uint8Array | string> | NodeJS.ReadableStream;

/** One DecodeResult per record. */
export async function* decodeStream(input: ByteSource, source: string, limits?: Partial<DecodeLimits>): AsyncGenerator<DecodeResult> {
  const batch: DecodeResult[] = [];
  for await (const _ of decodeInto(input, source, limits, (result) => batch.push(result))) {
    yield* batch;
    batch.length = 0;
  }
}

/**
 * Calls onResult for each record as soon as it is framed, without an await per record: a hot loop handles each
 * record while its bytes and objects are still in the CPU cache, and they die young.
 */
export async function decodeStreamEach(input: ByteSource, source: string, onResult: OnResult, limits?: Partial<DecodeLimits>): Promise<void> {
  for await (const _ of decodeInto(input, source, limits, onResult)) continue;
}

/** Decodes into onResult, pausing (yielding) after each chunk read. */
async function* decodeInto(input: ByteSource, source: string, limits: Partial<DecodeLimits> | undefined, onResult: OnResult): AsyncGenerator<void> {
  const chunks = readChunks(input as AsyncIterable<Uint8Array | string>, source)[Symbol.asyncIterator]();
  try {
    yield* decodeChunks(chunks, source, resolveLimits(limits), onResult);
  } finally {
    // Also when the consumer stops early: release the source (closes a file, aborts a download).
    await chunks.return?.(undefined);
  }
}

async function* decodeChunks(chunks: AsyncIterator<Buffer>, source: string, limits: DecodeLimits, onResult: OnResult): AsyncGenerator<void> {
  const head: Buffer[] = [];
  let headBytes = 0;
  let exhausted = false;
  while (headBytes < MAGIC_BYTES) {
    const next = await chunks.next();
    if (next.done) {
      exhausted = true;
      break;
    }
    head.push(next.value);
    headBytes += next.value.length;
  }
  const first = Buffer.concat(head);
  const framer = createFramer({ source, limits });
  const kind = detectCompression(first);
  if (kind === 'none') {
    framer.push(first, onResult);
    yield;
    if (!exhausted) {
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
        framer.push(next.value, onResult);
        yield;
      }
    }
    framer.end(onResult);
    yield;
    return;
  }
  let inflatedBytes = 0;
  try {
    for await (const chunk of inflateStream(kind, withHead(first, chunks, exhausted))) {
      inflatedBytes += chunk.length;
      if (inflatedBytes > limits.maxDecompressedBytes) {
        onResult(stopped(framer, source, 'too_large', `${kind}: decompressed size exceeds maxDecompressedBytes (${limits.maxDecompressedBytes})`));
        yield;
        return;
      }
      framer.push(chunk, onResult);
      yield;
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    framer.end(onResult);
    onResult(stopped(framer, source, 'decompress_failed', `${kind}: decompression failed: ${(error as Error).message}`));
    yield;
    return;
  }
  framer.end(onResult);
  yield;
}

function stopped(framer: Framer, source: string, reason: RejectReason, detail: string): DecodeResult {
  return rejected(reason, detail, { source, line: framer.consumedLine, offset: framer.consumedOffset }, '');
}

/** Buffers from the source; a read failure becomes an InputError, told apart from a decompression failure. */
async function* readChunks(input: AsyncIterable<Uint8Array | string>, source: string): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of input) {
      if (typeof chunk === 'string') yield Buffer.from(chunk, 'utf8');
      else if (chunk.length > 0) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
  } catch (error) {
    throw new InputError(`${source}: read failed: ${(error as Error).message}`, { cause: error });
  }
}

async function* withHead(first: Buffer, rest: AsyncIterator<Buffer>, exhausted: boolean): AsyncGenerator<Buffer> {
  yield first;
  if (exhausted) return;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}
