import { zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ZstdFrameSplitter } from '../../engine/decode/zstd-frames.ts';

/** Splits `input` cut into pieces of `size` bytes and returns the frames it finds, reassembled. */
function frames(input: Buffer, size: number): { frames: Buffer[]; midFrame: boolean } {
  const splitter = new ZstdFrameSplitter();
  const found: Buffer[] = [];
  let current: Buffer[] = [];
  for (let at = 0; at < input.length; at += size) {
    for (const piece of splitter.split(input.subarray(at, at + size))) {
      current.push(piece.bytes);
      if (piece.frameEnd) {
        found.push(Buffer.concat(current));
        current = [];
      }
    }
  }
  return { frames: found, midFrame: splitter.midFrame };
}

describe('ZstdFrameSplitter', () => {
  const a = zstdCompressSync(Buffer.from('{"a":1}\n'.repeat(3000)));
  const b = zstdCompressSync(Buffer.from('{"b":2}\n'));
  const skippable = Buffer.from([0x5f, 0x2a, 0x4d, 0x18, 2, 0, 0, 0, 7, 7]);

  it('finds each frame at any chunk size and drops skippable frames', () => {
    const input = Buffer.concat([a, skippable, b, a]);
    for (const size of [1, 2, 3, 5, 64, input.length]) {
      const result = frames(input, size);
      expect(result.frames.map((frame) => zstdDecompressSync(frame).length)).toEqual([24000, 8, 24000]);
      expect(result.frames[0]!.equals(a)).toBe(true);
      expect(result.midFrame).toBe(false);
    }
  });

  it('knows when input ends inside a frame', () => {
    expect(frames(a.subarray(0, a.length - 1), 10).midFrame).toBe(true);
    expect(frames(Buffer.concat([a, b.subarray(0, 2)]), 10).midFrame).toBe(true);
  });
});
