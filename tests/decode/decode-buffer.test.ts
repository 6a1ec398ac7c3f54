import { gzipSync, zstdCompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, decodeBuffer, detectCompression } from '../../engine/decode/index.ts';
import { ndjson, numbers, range } from './compressed-input.ts';

describe('decodeBuffer', () => {
  it('has the documented default limits', () => {
    expect(DEFAULT_LIMITS).toEqual({ maxRecordBytes: 1024 * 1024, maxDepth: 64, maxDecompressedBytes: 1024 * 1024 * 1024 });
  });

  it('tells compression by magic bytes', () => {
    expect(detectCompression(gzipSync('x'))).toBe('gzip');
    expect(detectCompression(zstdCompressSync('x'))).toBe('zstd');
    expect(detectCompression(Buffer.from('{"a":1}'))).toBe('none');
    expect(detectCompression(Buffer.alloc(0))).toBe('none');
  });

  it('decodes plain, gzip and zstd input alike', () => {
    const plain = ndjson(50);
    for (const input of [plain, gzipSync(plain), zstdCompressSync(plain)]) {
      const results = decodeBuffer(input, 'body');
      expect(numbers(results)).toEqual(range(50));
      expect(results[1]!.position).toEqual({ source: 'body', line: 2, offset: plain.indexOf('\n') + 1 });
    }
  });

  it('decodes every member of a multi-member gzip and every frame of a multi-frame zstd', () => {
    const [a, b] = [ndjson(10), ndjson(10, 10)];
    expect(numbers(decodeBuffer(Buffer.concat([gzipSync(a), gzipSync(b)]), 'x'))).toEqual(range(20));
    expect(numbers(decodeBuffer(Buffer.concat([zstdCompressSync(a), zstdCompressSync(b)]), 'x'))).toEqual(range(20));
  });

  it('refuses a gzip or zstd bomb with too_large instead of inflating it', () => {
    const bomb = Buffer.alloc(64 * 1024 * 1024, 0x20);
    for (const input of [gzipSync(bomb), zstdCompressSync(bomb)]) {
      const results = decodeBuffer(input, 'bomb', { maxDecompressedBytes: 1024 * 1024 });
      expect(results).toHaveLength(1);
      expect(results[0]).toMatchObject({ ok: false, reason: 'too_large' });
      expect(results[0]!.ok ? '' : results[0]!.message).toMatch(/decompressed size exceeds maxDecompressedBytes \(1048576\)/);
    }
  });

  it('keeps the records before a cut in a gzip input and reports the failure', () => {
    const plain = ndjson(400);
    const gz = gzipSync(plain);
    const results = decodeBuffer(gz.subarray(0, Math.floor(gz.length / 2)), 'cut.gz');
    const good = numbers(results);
    expect(good.length).toBeGreaterThan(100);
    expect(good).toEqual(range(good.length));
    expect(results.at(-1)).toMatchObject({ ok: false, reason: 'decompress_failed' });
  });

  it('reports a corrupt compressed input as decompress_failed', () => {
    const gz = gzipSync(ndjson(5));
    gz[gz.length - 6]! ^= 0xff;
    const zst = Buffer.concat([zstdCompressSync(ndjson(5)), Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0xff, 0xff, 0xff])]);
    for (const input of [gz, zst]) {
      expect(decodeBuffer(input, 'bad').at(-1)).toMatchObject({ ok: false, reason: 'decompress_failed', position: { source: 'bad' } });
    }
  });
});
