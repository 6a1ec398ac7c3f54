import { appendFileSync, mkdirSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSource } from '../../engine/sources/file-source.ts';
import type { FileSourceOptions } from '../../engine/sources/file-source.ts';
import { TestPipeline, tempDir, waitFor } from './harness.ts';

const started: FileSource[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((source) => source.stop()));
});

const lines = (...ns: number[]) => ns.map((n) => `{"n":${n}}\n`).join('');
const ns = (pipeline: TestPipeline) => pipeline.values.map((value) => (value as { n: number }).n);

async function startFiles(pipeline: TestPipeline, options: Partial<FileSourceOptions> & { paths: string[] }): Promise<FileSource> {
  const source = new FileSource({
    name: 'files',
    settleSeconds: 0.1,
    renameGraceSeconds: 0.2,
    checkpoints: pipeline.store.load('files'),
    ...options,
  });
  started.push(source);
  await source.start(pipeline.handler);
  return source;
}

describe('file source', () => {
  it('reads existing lines, then appended ones, waiting for the newline of a partial last line', async () => {
    const dir = tempDir('files');
    const path = join(dir, 'a.ndjson');
    writeFileSync(path, lines(1, 2));
    const pipeline = new TestPipeline();
    const source = await startFiles(pipeline, { paths: [join(dir, '*.ndjson')] });
    await waitFor(() => pipeline.values.length === 2, 'the first two lines');
    expect(source.health()).toMatchObject({ ok: true });
    appendFileSync(path, '{"n":3,"pad":"');
    appendFileSync(path, 'xyz"}\n{"n":4}\n');
    await waitFor(() => pipeline.values.length === 4, 'the appended lines');
    expect(pipeline.values).toEqual([{ n: 1 }, { n: 2 }, { n: 3, pad: 'xyz' }, { n: 4 }]);
    expect(pipeline.records.every((record) => record.ok)).toBe(true);
    expect(pipeline.records.map((record) => record.position)).toEqual([
      { source: path, line: 1, offset: 0 },
      { source: path, line: 2, offset: 8 },
      { source: path, line: 3, offset: 16 },
      { source: path, line: 4, offset: 36 },
    ]);
  });

  it('follows rotation: drains the renamed file, reads the new one from the start, forgets the old position', async () => {
    const dir = tempDir('rotate');
    const path = join(dir, 'app.ndjson');
    writeFileSync(path, lines(1, 2));
    const pipeline = new TestPipeline();
    await startFiles(pipeline, { paths: [join(dir, '*.ndjson')] });
    await waitFor(() => pipeline.values.length === 2, 'the lines before rotation');
    appendFileSync(path, lines(3));
    renameSync(path, `${path}.1`);
    writeFileSync(path, lines(4, 5));
    await waitFor(() => pipeline.values.length === 5, 'the lines around rotation');
    expect(ns(pipeline).sort()).toEqual([1, 2, 3, 4, 5]);
    await waitFor(() => pipeline.store.load('files').size === 1, 'the rotated file to be forgotten');
    appendFileSync(path, lines(6));
    await waitFor(() => pipeline.values.length === 6, 'a line appended to the new file');
    expect(ns(pipeline).sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('does not read a file again when it is renamed to a name that is also watched', async () => {
    const dir = tempDir('rename-in');
    writeFileSync(join(dir, 'app.log'), lines(1, 2));
    const pipeline = new TestPipeline();
    await startFiles(pipeline, { paths: [dir] });
    await waitFor(() => pipeline.values.length === 2, 'the first lines');
    renameSync(join(dir, 'app.log'), join(dir, 'app.1.log'));
    writeFileSync(join(dir, 'app.log'), lines(3));
    appendFileSync(join(dir, 'app.1.log'), lines(4));
    await waitFor(() => pipeline.values.length === 4, 'the new file and the renamed file\'s last line');
    writeFileSync(join(dir, 'marker.log'), lines(5));
    await waitFor(() => pipeline.values.length === 5, 'a later file');
    expect(ns(pipeline).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('waits for a watched directory that does not exist yet', async () => {
    const dir = join(tempDir('later'), 'logs');
    const pipeline = new TestPipeline();
    const source = await startFiles(pipeline, { paths: [join(dir, '**/*.ndjson')], missingDirPollSeconds: 0.1 });
    expect(source.health().detail).toContain(`waiting for ${dir} to exist`);
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'sub', 'a.ndjson'), lines(1));
    await waitFor(() => pipeline.values.length === 1, 'the file in the late directory');
    expect(source.health().detail).toBe('tailing 1 files');
  });

  it('starts over when a file is truncated', async () => {
    const dir = tempDir('truncate');
    const path = join(dir, 'a.ndjson');
    writeFileSync(path, lines(1, 2, 3));
    const pipeline = new TestPipeline();
    await startFiles(pipeline, { paths: [path] });
    await waitFor(() => pipeline.values.length === 3, 'the first lines');
    truncateSync(path, 0);
    appendFileSync(path, lines(4));
    await waitFor(() => pipeline.values.length === 4, 'the line written after truncation');
    expect(ns(pipeline)).toEqual([1, 2, 3, 4]);
  });

  it('resumes from its checkpoint after a restart: nothing skipped, nothing read twice', async () => {
    const dir = tempDir('restart');
    const path = join(dir, 'a.ndjson');
    writeFileSync(path, `${lines(1, 2)}{"n":3,`);
    const first = new TestPipeline(tempDir('restart-state'));
    const source = await startFiles(first, { paths: [path] });
    await waitFor(() => first.values.length === 2, 'the complete lines');
    await source.stop();
    appendFileSync(path, `"late":true}\n${lines(4)}`);

    const second = new TestPipeline();
    second.store.apply('files', [...first.store.load('files')].map(([key, value]) => ({ key, value })));
    await startFiles(second, { paths: [path] });
    await waitFor(() => second.values.length === 2, 'the lines written while stopped');
    expect(second.values).toEqual([{ n: 3, late: true }, { n: 4 }]);
    expect(second.records[0]!.position).toEqual({ source: path, line: 3, offset: 16 });
  });

  it('forgets the checkpoints of files deleted while it was stopped', async () => {
    const dir = tempDir('vanished');
    const path = join(dir, 'a.ndjson');
    writeFileSync(path, lines(1));
    const pipeline = new TestPipeline();
    const source = await startFiles(pipeline, { paths: [dir] });
    await waitFor(() => pipeline.values.length === 1, 'the line');
    await source.stop();
    expect(pipeline.store.load('files').size).toBe(1);
    rmSync(path);
    await startFiles(pipeline, { paths: [dir] });
    expect(pipeline.store.load('files').size).toBe(0);
  });

  it('reads .gz and .zst files whole, once, and never again after a restart', async () => {
    const dir = tempDir('compressed');
    writeFileSync(join(dir, '2024-01-01.ndjson.gz'), gzipSync(lines(1, 2, 3)));
    writeFileSync(join(dir, '2024-01-02.ndjson.zst'), zstdCompressSync(Buffer.from(lines(4, 5))));
    const pipeline = new TestPipeline();
    const source = await startFiles(pipeline, { paths: [join(dir, '**/*.{ndjson,gz,zst}')] });
    await waitFor(() => pipeline.values.length === 5, 'both compressed files');
    expect(ns(pipeline).sort()).toEqual([1, 2, 3, 4, 5]);
    await source.stop();

    const again = new TestPipeline();
    again.store.apply('files', [...pipeline.store.load('files')].map(([key, value]) => ({ key, value })));
    writeFileSync(join(dir, 'later.ndjson.gz'), gzipSync(lines(6)));
    await startFiles(again, { paths: [join(dir, '**/*.{ndjson,gz,zst}')] });
    await waitFor(() => again.values.length === 1, 'the new compressed file');
    writeFileSync(join(dir, 'marker.ndjson'), lines(7));
    await waitFor(() => again.values.length === 2, 'a later plain file');
    expect(ns(again)).toEqual([6, 7]);
  });

  it('retries a refused batch, and a restart mid-file skips the records already handled', async () => {
    const dir = tempDir('retry');
    const path = join(dir, 'big.ndjson.gz');
    writeFileSync(path, gzipSync(lines(1, 2, 3, 4, 5)));
    const first = new TestPipeline();
    let refused = 0;
    first.gate = (batch) => {
      if (batch.records.length > 0 && first.batches.length === 1 && refused++ === 0) throw new Error('database locked');
    };
    const source = await startFiles(first, { paths: [path], batchRecords: 2, retryMaxSeconds: 1 });
    await waitFor(() => first.values.length === 2, 'the first batch');
    await waitFor(() => refused === 1, 'the refused second batch');
    await source.stop();
    expect(ns(first)).toEqual([1, 2]);

    const second = new TestPipeline();
    second.store.apply('files', [...first.store.load('files')].map(([key, value]) => ({ key, value })));
    await startFiles(second, { paths: [path], batchRecords: 2 });
    await waitFor(() => second.values.length === 3, 'the rest of the file');
    expect(ns(second)).toEqual([3, 4, 5]);
  });

  it('delivers bad records as rejects with their file position, between good ones', async () => {
    const dir = tempDir('bad');
    const path = join(dir, 'a.ndjson');
    writeFileSync(path, '{"n":1}\n{"n":x}\n{"n":3}\n');
    const pipeline = new TestPipeline();
    await startFiles(pipeline, { paths: [path] });
    await waitFor(() => pipeline.records.length === 3, 'all three records');
    expect(ns(pipeline)).toEqual([1, 3]);
    const rejected = pipeline.records.find((record) => !record.ok);
    expect(rejected).toMatchObject({ ok: false, reason: 'invalid_json', position: { source: path, line: 2 } });
  });

  it('retries plain-file batches after a failure without losing or repeating lines', async () => {
    const dir = tempDir('retry-plain');
    const path = join(dir, 'a.ndjson');
    writeFileSync(path, lines(1, 2));
    const pipeline = new TestPipeline();
    let failures = 0;
    pipeline.gate = () => {
      if (failures++ === 0) throw new Error('transient');
    };
    await startFiles(pipeline, { paths: [path] });
    await waitFor(() => pipeline.values.length === 2, 'the lines after the retry');
    appendFileSync(path, lines(3));
    await waitFor(() => pipeline.values.length === 3, 'an appended line');
    expect(ns(pipeline)).toEqual([1, 2, 3]);
  });
});
