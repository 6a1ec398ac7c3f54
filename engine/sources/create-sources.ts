// Config entries → running-ready Source objects: each kind's create() with its name, secrets and checkpoints.
import type { Readable } from 'node:stream';
import type { SourceConfig } from '../config/schema.ts';
import type { Environment } from '../config/secret.ts';
import { ConfigError } from '../errors.ts';
import { DEFAULT_PARSE_SETTINGS } from '../schemas/parse.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { CheckpointStore } from './checkpoints.ts';
import { createFileSource } from './file-source.ts';
import { createHecSource } from './hec.ts';
import { createS3Source } from './s3-source.ts';
import type { SourceBuildContext } from './source-config.ts';
import { createStdinSource } from './stdin-source.ts';
import { createTailscaleApiSource } from './tailscale-api-source.ts';
import { createTailscaleWebhookSource } from './tailscale-webhook.ts';
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
/** Each source's tailnet, by source name (config `tailnet`, default "default"). */
export function sourceTailnets(configs: readonly SourceConfig[]): Map<string, string> {
  const names = sourceNames(configs);
  return new Map(configs.map((config, i) => [names[i]!, config.tailnet ?? DEFAULT_PARSE_SETTINGS.tailnet]));
}

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
  return configs.map((config, i) => {
    const name = names[i]!;
    const build: SourceBuildContext = {
      name,
      key: `sources[${i}]`,
      env: context.env ?? process.env,
      checkpoints: context.checkpoints.load(name),
      logger: context.logger?.child({ source: name }),
      stdin: context.stdin,
    };
    switch (config.kind) {
      case 'hec':
        return createHecSource(config, build);
      case 'file':
        return createFileSource(config, build);
      case 's3':
        return createS3Source(config, build);
      case 'stdin':
        return createStdinSource(config, build);
      case 'tailscale-webhook':
        return createTailscaleWebhookSource(config, build);
      case 'tailscale-api':
        return createTailscaleApiSource(config, build);
    }
  });
}
