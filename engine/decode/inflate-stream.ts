// Streaming decompression of an async byte source: gzip (multi-member) and zstd (frame by frame).
import { Readable, pipeline } from 'node:stream';
import type { Transform } from 'node:stream';
import { createGunzip, createZstdDecompress } from 'node:zlib';
import { ZstdFrameSplitter } from './zstd-frames.ts';

export function inflateStream(kind: 'gzip' | 'zstd', input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  return kind === 'gzip' ? through(createGunzip(), input) : zstdFrames(input);
}

/** Runs `input` through a zlib transform; an error on either side ends the iteration with that error. */
async function* through(transform: Transform, input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  pipeline(Readable.from(input, { objectMode: false }), transform, () => {});
  for await (const chunk of transform) yield chunk as Buffer;
}

async function* zstdFrames(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const splitter = new ZstdFrameSplitter();
  const source = input[Symbol.asyncIterator]();
  const queue: { bytes: Buffer; frameEnd: boolean }[] = [];
  let drained = false;
  const fill = async (): Promise<boolean> => {
    while (queue.length === 0 && !drained) {
      const next = await source.next();
      if (next.done) drained = true;
      else queue.push(...splitter.split(next.value));
    }
    return queue.length > 0;
  };
  async function* oneFrame(): AsyncGenerator<Buffer> {
    while (await fill()) {
      const piece = queue.shift()!;
      yield piece.bytes;
      if (piece.frameEnd) return;
    }
  }
  try {
    while (await fill()) yield* through(createZstdDecompress(), oneFrame());
  } finally {
    await source.return?.();
  }
}
