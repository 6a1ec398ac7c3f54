import { describe, expect, it } from 'vitest';
import { SourceConfig } from '../../engine/config/schema.ts';
import { createSources, sourceNames } from '../../engine/sources/create-sources.ts';
import { FileSource } from '../../engine/sources/file-source.ts';
import { HecSource } from '../../engine/sources/hec.ts';
import { S3Source } from '../../engine/sources/s3-source.ts';
import { StdinSource } from '../../engine/sources/stdin-source.ts';
import { TestPipeline } from './harness.ts';

const parse = (values: unknown[]) => values.map((value) => SourceConfig.parse(value));

describe('createSources', () => {
  it('builds one source per config entry with stable names', async () => {
    const pipeline = new TestPipeline();
    const configs = parse([
      { kind: 'hec', tokens: [{ env: 'HEC_TOKEN' }], listen: '127.0.0.1:9999', maxInFlightRequests: 4 },
      { kind: 'file', paths: ['/tmp/a/*.ndjson'] },
      { kind: 'file', paths: ['/tmp/b'], name: 'archive', settleSeconds: 1 },
      { kind: 'file', paths: ['/tmp/c'] },
      { kind: 's3', bucket: 'logs', accessKeyId: { env: 'KEY' }, secretAccessKey: { env: 'SECRET' }, endpoint: 'http://127.0.0.1:1' },
      { kind: 'stdin' },
    ]);
    const sources = createSources(configs, { checkpoints: pipeline.store, env: { HEC_TOKEN: 't', KEY: 'k', SECRET: 's' } });
    expect(sources.map((source) => [source.kind, source.name])).toEqual([
      ['hec', 'hec'], ['file', 'file'], ['file', 'archive'], ['file', 'file-3'], ['s3', 's3'], ['stdin', 'stdin'],
    ]);
    expect(sources[0]).toBeInstanceOf(HecSource);
    expect((sources[0] as HecSource).listen).toBe('127.0.0.1:9999');
    expect(sources[1]).toBeInstanceOf(FileSource);
    expect(sources[4]).toBeInstanceOf(S3Source);
    expect(sources[5]).toBeInstanceOf(StdinSource);
    await Promise.all(sources.map((source) => source.stop()));
  });

  it('names the missing environment variable and refuses duplicate names or half credentials', () => {
    const pipeline = new TestPipeline();
    expect(() => createSources(parse([{ kind: 'hec', tokens: [{ env: 'NOPE' }] }]), { checkpoints: pipeline.store, env: {} }))
      .toThrow('sources[0].tokens[0]: environment variable NOPE is not set');
    expect(() => sourceNames(parse([{ kind: 'stdin', name: 'x' }, { kind: 'file', paths: ['/x'], name: 'x' }]))).toThrow(/named "x"/);
    expect(() => createSources(parse([{ kind: 's3', bucket: 'b', accessKeyId: { env: 'K' } }]), { checkpoints: pipeline.store, env: { K: 'k' } }))
      .toThrow(/both accessKeyId and secretAccessKey/);
  });
});
