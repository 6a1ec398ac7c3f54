import { readFileSync } from 'node:fs';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { S3Source } from '../../engine/sources/s3-source.ts';
import type { S3SourceOptions } from '../../engine/sources/s3-source.ts';
import { TestPipeline, tempDir, waitFor } from './harness.ts';

const CORPUS = new URL('../../fixtures/corpus/', import.meta.url);
const AUDIT = readFileSync(new URL('s3-export-audit.ndjson', CORPUS));
const NETWORK = readFileSync(new URL('s3-export-network.ndjson', CORPUS));
const BUCKET = 'tailscale-logs';
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

let server: S3rver;
let endpoint: string;
let client: S3Client;

beforeAll(async () => {
  server = new S3rver({ address: '127.0.0.1', port: 0, directory: tempDir('s3rver'), silent: true, configureBuckets: [{ name: BUCKET }] });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
  client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
});
afterAll(async () => {
  client.destroy();
  await server.close();
});

const started: S3Source[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((source) => source.stop()));
});

async function put(key: string, body: Buffer | string): Promise<void> {
  await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentLength: Buffer.byteLength(body) }));
}

async function startS3(pipeline: TestPipeline, options: Partial<S3SourceOptions> & { prefix: string }): Promise<S3Source> {
  const source = new S3Source({
    name: 's3',
    bucket: BUCKET,
    endpoint,
    forcePathStyle: true,
    credentials,
    pollSeconds: 0.1,
    checkpoints: pipeline.store.load('s3'),
    ...options,
  });
  started.push(source);
  await source.start(pipeline.handler);
  return source;
}

const position = (pipeline: TestPipeline) => JSON.parse(pipeline.store.get('s3', 'position') ?? 'null') as unknown;

describe('S3 source (against s3rver)', () => {
  it('reads HH:MM:SS.json keys in order, skips zero-byte objects, and checkpoints the last key', async () => {
    await put('a/2024/01/02/03:04:05.json', readFileSync(new URL('api-audit-record.json', CORPUS)));
    await put('a/2024/01/02/03:05:05.json', '');
    await put('a/2024/01/02/03:06:05.json', AUDIT);
    const pipeline = new TestPipeline();
    const source = await startS3(pipeline, { prefix: 'a/' });
    await waitFor(() => position(pipeline) !== null && (position(pipeline) as { done: boolean; key: string }).key.endsWith('03:06:05.json') && (position(pipeline) as { done: boolean }).done, 'the last object to be done');
    expect(pipeline.values).toHaveLength(21);
    expect(pipeline.records.every((record) => record.ok)).toBe(true);
    expect(pipeline.records[0]!.position.source).toBe(`s3://${BUCKET}/a/2024/01/02/03:04:05.json`);
    expect(pipeline.records[1]!.position).toMatchObject({ source: `s3://${BUCKET}/a/2024/01/02/03:06:05.json`, line: 1 });
    expect(source.health().ok).toBe(true);
  });

  it('reads YYYY-MM-DD-HH-MM-SS.ndjson keys, zstd and gzip by magic bytes', async () => {
    await put('n/2024/01/02/2024-01-02-03-04-05.ndjson.zst', zstdCompressSync(NETWORK));
    await put('n/2024/01/02/2024-01-02-03-05-05.ndjson.gz', gzipSync(AUDIT));
    await put('n/2024/01/02/2024-01-02-03-06-05.ndjson', NETWORK);
    const pipeline = new TestPipeline();
    await startS3(pipeline, { prefix: 'n/' });
    await waitFor(() => pipeline.values.length === 22, 'the three objects');
    expect(pipeline.records.every((record) => record.ok)).toBe(true);
    expect(pipeline.values[0]).toEqual(JSON.parse(NETWORK.toString('utf8')));
  });

  it('resumes after a restart: later objects only, and the rest of a half-handled object', async () => {
    await put('r/2024/01/02/2024-01-02-03-04-05.ndjson', AUDIT);
    const first = new TestPipeline();
    first.gate = (batch) => {
      if (first.batches.length === 2 && batch.records.length > 0) throw new Error('database is locked');
    };
    const source = await startS3(first, { prefix: 'r/', batchRecords: 5 });
    await waitFor(() => source.health().detail === 'database is locked', 'the refused third batch');
    await source.stop();
    expect(first.values).toHaveLength(10);
    expect(position(first)).toEqual({ key: 'r/2024/01/02/2024-01-02-03-04-05.ndjson', records: 10, done: false });

    await put('r/2024/01/02/2024-01-02-03-00-00.ndjson', NETWORK);
    await put('r/2024/01/02/2024-01-02-03-09-05.ndjson', NETWORK);
    const second = new TestPipeline();
    second.store.apply('s3', [{ key: 'position', value: first.store.get('s3', 'position') ?? null }]);
    await startS3(second, { prefix: 'r/', batchRecords: 5 });
    await waitFor(() => second.values.length === 11, 'the rest of the first object and the later one');
    const auditRecords = AUDIT.toString('utf8').trim().split('\n').map((line) => JSON.parse(line) as unknown);
    expect(second.values.slice(0, 10)).toEqual(auditRecords.slice(10));
    expect(second.values[10]).toEqual(JSON.parse(NETWORK.toString('utf8')));
    await waitFor(() => (position(second) as { done: boolean }).done, 'the later object to be done');
    expect(position(second)).toEqual({ key: 'r/2024/01/02/2024-01-02-03-09-05.ndjson', records: 1, done: true });
  });

  it('reports an unreachable bucket through health, without crashing', async () => {
    const pipeline = new TestPipeline();
    const source = await startS3(pipeline, { prefix: 'x/', bucket: 'no-such-bucket' });
    await waitFor(() => source.health().ok === false && source.health().detail !== 'first poll not done yet', 'the failed poll');
    expect(source.health().detail).toMatch(/bucket/i);
    expect(pipeline.batches).toEqual([]);
  });
});
