import { readFileSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { StdinSource } from '../../engine/sources/stdin-source.ts';
import { TestPipeline, waitFor } from './harness.ts';

const CORPUS = new URL('../../fixtures/corpus/', import.meta.url);

describe('stdin source', () => {
  it('reads an NDJSON stream to its end, in batches, with stdin positions', async () => {
    const text = readFileSync(new URL('s3-export-audit.ndjson', CORPUS));
    const pipeline = new TestPipeline();
    const source = new StdinSource({ name: 'stdin', input: Readable.from([text]), batchRecords: 8 });
    await source.start(pipeline.handler);
    await source.finished;
    expect(pipeline.values).toHaveLength(20);
    expect(pipeline.batches.map((batch) => batch.records.length)).toEqual([8, 8, 4]);
    expect(pipeline.records[1]!.position).toMatchObject({ source: 'stdin', line: 2 });
    expect(source.health()).toEqual({ ok: true, detail: 'ended' });
  });

  it('decompresses gzip input recognised by its magic bytes', async () => {
    const body = readFileSync(new URL('hec-stream-body.txt', CORPUS));
    const pipeline = new TestPipeline();
    const source = new StdinSource({ name: 'stdin', input: Readable.from([gzipSync(body)]) });
    await source.start(pipeline.handler);
    await source.finished;
    expect(pipeline.values).toHaveLength(2);
  });

  it('hands over records as soon as the input goes quiet, without waiting for a full batch', async () => {
    const input = new PassThrough();
    const pipeline = new TestPipeline();
    const source = new StdinSource({ name: 'stdin', input, batchRecords: 1000 });
    await source.start(pipeline.handler);
    input.write('{"n":1}\n{"n":2}\n');
    await waitFor(() => pipeline.values.length === 2, 'the first two records while the pipe stays open');
    input.write('{"n":3}\n');
    await waitFor(() => pipeline.values.length === 3, 'the third record');
    input.end();
    await source.finished;
    expect(pipeline.values).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('retries a refused batch instead of losing it, and stops cleanly mid-stream', async () => {
    const input = new PassThrough();
    const pipeline = new TestPipeline();
    let refusals = 0;
    pipeline.gate = () => {
      if (refusals++ === 0) throw new Error('busy');
    };
    const source = new StdinSource({ name: 'stdin', input, retryMaxSeconds: 1 });
    await source.start(pipeline.handler);
    input.write('{"n":1}\n');
    await waitFor(() => pipeline.values.length === 1, 'the retried record');
    await source.stop();
    expect(pipeline.values).toEqual([{ n: 1 }]);
    expect(source.health().ok).toBe(true);
  });
});
