import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { constants, createGzip, gzipSync, zstdCompressSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeStream } from '../../engine/decode/index.ts';
import type { DecodeLimits, DecodeResult } from '../../engine/decode/index.ts';
import { InputError } from '../../engine/errors.ts';
import { ndjson, numbers, range } from './compressed-input.ts';

const dir = mkdtempSync(join(tmpdir(), 'tailwatch-decode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(input: AsyncIterable<Uint8Array | string> | NodeJS.ReadableStream, limits?: Partial<DecodeLimits>): Promise<DecodeResult[]> {
  const results: DecodeResult[] = [];
  for await (const result of decodeStream(input, 'stream', limits)) results.push(result);
  return results;
}

function chunks(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
  return out;
}

describe('decodeStream', () => {
  it('reads plain, gzip and zstd files from disk', async () => {
    const plain = ndjson(300);
    for (const [name, bytes] of [['a.ndjson', plain], ['a.gz', gzipSync(plain)], ['a.zst', zstdCompressSync(plain)]] as const) {
      const path = join(dir, name);
      const out = createWriteStream(path);
      out.end(bytes);
      await once(out, 'finish');
      expect(numbers(await collect(createReadStream(path, { highWaterMark: 1000 })))).toEqual(range(300));
    }
  });

  it('detects compression even when the magic bytes arrive one at a time', async () => {
    const plain = ndjson(20);
    for (const compressed of [gzipSync(plain), zstdCompressSync(plain)]) {
      expect(numbers(await collect(Readable.from(chunks(compressed, 1))))).toEqual(range(20));
    }
    expect(numbers(await collect(Readable.from(chunks(plain, 1))))).toEqual(range(20));
  });

  it('inflates every zstd frame whatever the chunking, skipping skippable frames', async () => {
    const skippable = Buffer.from([0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 9, 9, 9]);
    const input = Buffer.concat([zstdCompressSync(ndjson(30)), skippable, zstdCompressSync(ndjson(30, 30)), zstdCompressSync(ndjson(5, 60))]);
    for (const size of [1, 7, 4096, input.length]) {
      expect(numbers(await collect(Readable.from(chunks(input, size))))).toEqual(range(65));
    }
  });

  it('accepts strings and plain Uint8Arrays from an async iterable', async () => {
    async function* source(): AsyncGenerator<Uint8Array | string> {
      yield '{"n":0}\n{"n"';
      yield new Uint8Array(Buffer.from(':1}\n'));
    }
    expect(numbers(await collect(source()))).toEqual([0, 1]);
  });

  it('stops a gzip bomb at maxDecompressedBytes and stops reading the source', async () => {
    const gzip = createGzip({ level: constants.Z_BEST_SPEED });
    const spaces = Buffer.alloc(1024 * 1024, 0x20);
    const compressed: Buffer[] = [];
    gzip.on('data', (chunk: Buffer) => compressed.push(chunk));
    gzip.write(Buffer.from('{"n":0}\n'));
    for (let i = 0; i < 256; i++) gzip.write(spaces);
    gzip.end();
    await once(gzip, 'end');
    const pieces = chunks(Buffer.concat(compressed), 1024);
    let pulled = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      for (const piece of pieces) {
        pulled++;
        yield piece;
      }
    }
    const results = await collect(source(), { maxDecompressedBytes: 8 * 1024 * 1024 });
    expect(numbers(results)).toEqual([0]);
    expect(results.at(-1)).toMatchObject({ ok: false, reason: 'too_large' });
    expect(pulled).toBeLessThan(pieces.length / 2);
  });

  it('keeps what precedes a cut in a compressed stream, then reports decompress_failed', async () => {
    // Large enough to span several zstd blocks (128 KiB): a block only inflates once it is whole.
    const plain = ndjson(6000);
    for (const compressed of [gzipSync(plain), zstdCompressSync(plain)]) {
      const cut = compressed.subarray(0, Math.floor(compressed.length * 0.6));
      const results = await collect(Readable.from(chunks(cut, 4096)));
      const good = numbers(results);
      expect(good.length).toBeGreaterThan(1000);
      expect(good).toEqual(range(good.length));
      expect(results.at(-1)).toMatchObject({ ok: false, reason: 'decompress_failed' });
    }
  });

  it('throws an InputError when the source itself fails', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('{"n":0}\n');
      throw new Error('connection reset');
    }
    async function* failingCompressed(): AsyncGenerator<Uint8Array> {
      yield gzipSync(ndjson(3)).subarray(0, 20);
      throw new Error('connection reset');
    }
    await expect(collect(failing())).rejects.toThrow(InputError);
    await expect(collect(failingCompressed())).rejects.toThrow(/stream: read failed: connection reset/);
  });

  it('stops reading when the consumer stops early', async () => {
    for (const bytes of [ndjson(2000), gzipSync(ndjson(2000))]) {
      const path = join(dir, 'early-stop');
      const out = createWriteStream(path);
      out.end(bytes);
      await once(out, 'finish');
      const input = createReadStream(path, { highWaterMark: 1024 });
      for await (const result of decodeStream(input, 'stream')) {
        expect(result.ok).toBe(true);
        break;
      }
      if (!input.destroyed) await once(input, 'close');
      expect(input.destroyed).toBe(true);
      expect(input.bytesRead).toBeLessThan(bytes.length);
    }
  });

  it('handles empty input', async () => {
    expect(await collect(Readable.from([]))).toEqual([]);
  });
});
