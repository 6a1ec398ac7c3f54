// Config entries → running-ready Source objects: names, resolved secrets and stored checkpoints in one place.
import type { Readable } from 'node:stream';
import { resolveSecret } from '../config/secret.ts';
import type { Environment } from '../config/secret.ts';
import type { SourceConfig } from '../config/sources.ts';
import { ConfigError } from '../errors.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { CheckpointStore } from './checkpoints.ts';
import { FileSource } from './file-source.ts';
import { HecSource } from './hec.ts';
import { S3Source } from './s3-source.ts';
import { StdinSource } from './stdin-source.ts';
import type { Source } from './types.ts';

export interface SourceContext {
  checkpoints: CheckpointStore;
  env?: Environment;
  logger?: Logger;
  /** For a `stdin` source (default process.stdin). */
  stdin?: Readable;
}

/**
 * A source's name keys its checkpoints, so it must stay stable: `name` when given, else the kind for the first
 * source of a kind and `<kind>-<n>` for the n-th (reordering unnamed sources of one kind mixes their positions).
 */
export function sourceNames(configs: readonly SourceConfig[]): string[] {
  const seenKinds = new Map<string, number>();
  const names = configs.map((config) => {
    const ordinal = (seenKinds.get(config.kind) ?? 0) + 1;
    seenKinds.set(config.kind, ordinal);
    return config.name ?? (ordinal === 1 ? config.kind : `${config.kind}-${ordinal}`);
  });
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined) throw new ConfigError(`sources: two sources are named "${duplicate}"; give each a unique name`);
  return names;
}

export function createSources(configs: readonly SourceConfig[], context: SourceContext): Source[] {
  const names = sourceNames(configs);
  const env = context.env ?? process.env;
  return configs.map((config, i) => {
    const name = names[i]!;
    const logger = context.logger?.child({ source: name });
    const common = logger === undefined ? { name } : { name, logger };
    switch (config.kind) {
      case 'hec':
        return new HecSource({
          ...common,
          listen: config.listen,
          tokens: config.tokens.map((token, j) => resolveSecret(token, `sources[${i}].tokens[${j}]`, env)),
          maxBodyBytes: config.maxBodyBytes,
          ...defined({
            maxDecompressedBytes: config.maxDecompressedBytes,
            maxInFlightRequests: config.maxInFlightRequests,
            maxInFlightBytes: config.maxInFlightBytes,
            bodyTimeoutSeconds: config.bodyTimeoutSeconds,
            minBodyBytesPerSecond: config.minBodyBytesPerSecond,
          }),
        });
      case 'file':
        return new FileSource({
          ...common,
          paths: config.paths,
          checkpoints: context.checkpoints.load(name),
          ...defined({ settleSeconds: config.settleSeconds, usePolling: config.usePolling }),
        });
      case 's3':
        return new S3Source({
          ...common,
          bucket: config.bucket,
          prefix: config.prefix,
          region: config.region,
          pollSeconds: config.pollSeconds,
          checkpoints: context.checkpoints.load(name),
          ...defined({ endpoint: config.endpoint, forcePathStyle: config.forcePathStyle }),
          ...s3Credentials(config, i, env),
        });
      case 'stdin':
        return new StdinSource({ ...common, ...(context.stdin === undefined ? {} : { input: context.stdin }) });
    }
  });
}

function s3Credentials(config: Extract<SourceConfig, { kind: 's3' }>, i: number, env: Environment) {
  if (config.accessKeyId === undefined && config.secretAccessKey === undefined) return {};
  if (config.accessKeyId === undefined || config.secretAccessKey === undefined) {
    throw new ConfigError(`sources[${i}]: set both accessKeyId and secretAccessKey, or neither (the AWS default chain is used)`);
  }
  return {
    credentials: {
      accessKeyId: resolveSecret(config.accessKeyId, `sources[${i}].accessKeyId`, env),
      secretAccessKey: resolveSecret(config.secretAccessKey, `sources[${i}].secretAccessKey`, env),
    },
  };
}

/** Drops undefined entries, for options declared without `| undefined` (exactOptionalPropertyTypes). */
function defined<T extends Record<string, unknown>>(values: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
