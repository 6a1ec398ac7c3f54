// Polls an S3-compatible bucket for new log objects (Tailscale's S3 log streaming, `prefix/YYYY/MM/DD/...`):
// keys sort by time in both layouts Tailscale writes, so listing resumes with StartAfter the last handled key.
// An object is delivered in batches; the checkpoint counts its handled records, so a restart mid-object skips them.
import type * as S3Sdk from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { SecretRef, resolveSecret } from '../config/secret.ts';
import { decodeStream } from '../decode/index.ts';
import { ConfigError } from '../errors.ts';
import type { DecodeLimits, DecodeResult } from '../decode/types.ts';
import type { Logger } from '../telemetry/logger.ts';
import { parseCheckpoint } from './checkpoints.ts';
import { recordBatches } from './record-batches.ts';
import { SourceName, TailnetName, commonOptions, defined } from './source-config.ts';
import type { Defined, SourceBuildContext } from './source-config.ts';
import type { BatchHandler, Checkpoint, Source, SourceHealth } from './types.ts';

/** Used by the config schema and by a source built without it (tests, library use). */
export const S3_DEFAULTS = { prefix: '', region: 'us-east-1', pollSeconds: 60 } as const;

export const S3SourceConfig = z.strictObject({
  kind: z.literal('s3'),
  name: SourceName,
  tailnet: TailnetName,
  bucket: z.string().min(1),
  prefix: z.string().default(S3_DEFAULTS.prefix),
  endpoint: z.url().optional(),
  region: z.string().min(1).default(S3_DEFAULTS.region),
  forcePathStyle: z.boolean().optional(),
  accessKeyId: SecretRef.optional(),
  secretAccessKey: SecretRef.optional(),
  pollSeconds: z.number().positive().default(S3_DEFAULTS.pollSeconds),
});
export type S3SourceConfig = z.infer<typeof S3SourceConfig>;

/** The AWS SDK itself is imported at start(), so a config without an S3 source never loads it. */
export function createS3Source(config: S3SourceConfig, context: SourceBuildContext): S3Source {
  const { kind: _kind, name: _name, tailnet: _tailnet, accessKeyId: _id, secretAccessKey: _secret, ...settings } = config;
  return new S3Source({ ...commonOptions(context), ...defined(settings), checkpoints: context.checkpoints, ...s3Credentials(config, context) });
}

function s3Credentials(config: S3SourceConfig, context: SourceBuildContext): Pick<S3SourceOptions, 'credentials'> {
  if (config.accessKeyId === undefined && config.secretAccessKey === undefined) return {};
  if (config.accessKeyId === undefined || config.secretAccessKey === undefined) {
    throw new ConfigError(`${context.key}: set both accessKeyId and secretAccessKey, or neither (the AWS default chain is used)`);
  }
  return {
    credentials: {
      accessKeyId: resolveSecret(config.accessKeyId, `${context.key}.accessKeyId`, context.env),
      secretAccessKey: resolveSecret(config.secretAccessKey, `${context.key}.secretAccessKey`, context.env),
    },
  };
}

/** The config's settings (defaults in S3_DEFAULTS), plus what the wiring adds. */
export interface S3SourceOptions extends Pick<S3SourceConfig, 'bucket'>, Partial<Defined<Pick<S3SourceConfig, 'prefix' | 'region' | 'endpoint' | 'forcePathStyle' | 'pollSeconds'>>> {
  name: string;
  /** Without them, the AWS SDK's default chain applies (AWS_ACCESS_KEY_ID, profiles, instance roles). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  checkpoints?: ReadonlyMap<string, string>;
  decodeLimits?: Partial<DecodeLimits>;
  /** Default 1000. */
  batchRecords?: number;
  logger?: Logger;
}

/** The last object reached, and how far into it. */
export const S3Position = z.object({
  key: z.string(),
  records: z.number().int().nonnegative(),
  done: z.boolean(),
});
export type S3Position = z.infer<typeof S3Position>;

const POSITION_KEY = 'position';

export class S3Source implements Source {
  readonly kind = 's3';
  readonly name: string;
  private readonly options: S3SourceOptions;
  /** Loaded at start, so a config without an S3 source never pays for the AWS SDK. */
  private sdk: typeof S3Sdk | undefined;
  private client: S3Client | undefined;
  private position: S3Position | undefined;
  private handler: BatchHandler | undefined;
  private loop: Promise<void> = Promise.resolve();
  private readonly abort = new AbortController();
  private polledOnce = false;
  private lastError: string | undefined;

  constructor(options: S3SourceOptions) {
    this.options = options;
    this.name = options.name;
    this.position = parseCheckpoint(S3Position, options.checkpoints?.get(POSITION_KEY));
  }

  async start(handler: BatchHandler): Promise<void> {
    const { options } = this;
    this.handler = handler;
    this.sdk = await import('@aws-sdk/client-s3');
    this.client = new this.sdk.S3Client({
      region: options.region ?? S3_DEFAULTS.region,
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      ...(options.forcePathStyle === undefined ? {} : { forcePathStyle: options.forcePathStyle }),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    });
    this.loop = this.pollForever();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    this.client?.destroy();
  }

  health(): SourceHealth {
    if (this.lastError !== undefined) return { ok: false, detail: this.lastError };
    if (!this.polledOnce) return { ok: false, detail: 'first poll not done yet' };
    return { ok: true, detail: `s3://${this.options.bucket}/${this.options.prefix ?? S3_DEFAULTS.prefix} at ${this.position?.key ?? '(start)'}` };
  }

  private connection(): { sdk: typeof S3Sdk; client: S3Client } {
    if (this.sdk === undefined || this.client === undefined) throw new Error('S3 source used before start()');
    return { sdk: this.sdk, client: this.client };
  }

  private async pollForever(): Promise<void> {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      try {
        await this.poll();
        this.polledOnce = true;
        this.lastError = undefined;
      } catch (error) {
        if (signal.aborted) return;
        this.lastError = error instanceof Error ? error.message : String(error);
        this.options.logger?.warn('S3 poll failed; will retry at the next poll', { error });
      }
      await sleep((this.options.pollSeconds ?? S3_DEFAULTS.pollSeconds) * 1000, signal);
    }
  }

  /** One pass: finish a half-read object, then every object listed after the last one handled. */
  private async poll(): Promise<void> {
    const { bucket } = this.options;
    const { sdk, client } = this.connection();
    const signal = this.abort.signal;
    if (this.position !== undefined && !this.position.done) await this.readObject(this.position.key, this.position.records);
    let continuationToken: string | undefined;
    do {
      const startAfter = this.position?.key;
      const page = await client.send(
        new sdk.ListObjectsV2Command({
          Bucket: bucket,
          Prefix: this.options.prefix ?? S3_DEFAULTS.prefix,
          ...(continuationToken === undefined ? (startAfter === undefined ? {} : { StartAfter: startAfter }) : { ContinuationToken: continuationToken }),
        }),
        { abortSignal: signal },
      );
      for (const object of page.Contents ?? []) {
        if (signal.aborted) return;
        const key = object.Key;
        if (key === undefined || key.endsWith('/')) continue;
        if (object.Size === 0) await this.deliver([], { key, records: 0, done: true });
        else await this.readObject(key, 0);
      }
      continuationToken = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (continuationToken !== undefined);
  }

  private async readObject(key: string, skip: number): Promise<void> {
    const { sdk, client } = this.connection();
    const object = await client.send(new sdk.GetObjectCommand({ Bucket: this.options.bucket, Key: key }), { abortSignal: this.abort.signal });
    const body = object.Body as Readable | undefined;
    let handled = 0;
    if (body !== undefined) {
      const records = skipRecords(decodeStream(body, `s3://${this.options.bucket}/${key}`, this.options.decodeLimits), skip);
      try {
        for await (const batch of recordBatches(records, this.options.batchRecords ?? 1000)) {
          handled += batch.length;
          await this.deliver(batch, { key, records: skip + handled, done: false });
          if (this.abort.signal.aborted) return;
        }
      } finally {
        body.destroy();
      }
    }
    await this.deliver([], { key, records: skip + handled, done: true });
  }

  private async deliver(records: readonly DecodeResult[], position: S3Position): Promise<void> {
    const handler = this.handler;
    if (handler === undefined) throw new Error(`S3 source ${this.name} is not started`);
    const checkpoint: Checkpoint = { key: POSITION_KEY, value: JSON.stringify(position) };
    await handler({ source: this.name, records, checkpoints: [checkpoint], receivedAtMs: Date.now() });
    this.position = position;
  }
}

async function* skipRecords(records: AsyncIterable<DecodeResult>, skip: number): AsyncGenerator<DecodeResult> {
  let index = 0;
  for await (const record of records) if (index++ >= skip) yield record;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
