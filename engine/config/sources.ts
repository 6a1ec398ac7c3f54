// Where log records come from (ARCHITECTURE §4 `sources`); the sources stage owns what each option does.
import { z } from 'zod';
import { SecretRef } from './secret.ts';

/** `host:port` (IPv6 in brackets: `[::1]:8088`). */
export const ListenAddress = z.string().regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'must be host:port');
export type ListenAddress = z.infer<typeof ListenAddress>;

const sourceName = z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, . _ - only').optional();

export const HecSource = z.strictObject({
  kind: z.literal('hec'),
  name: sourceName,
  listen: ListenAddress.default('127.0.0.1:8088'),
  /** Several tokens may be valid at once (rotation). */
  tokens: z.array(SecretRef).min(1),
  maxBodyBytes: z.number().int().positive().default(10 * 2 ** 20),
  // Receiver limits (defaults in engine/sources/hec.ts HEC_DEFAULTS): a gzip bomb stops at maxDecompressedBytes;
  // past the in-flight limits a sender gets 503 + Retry-After instead of unbounded buffering.
  maxDecompressedBytes: z.number().int().positive().optional(),
  maxInFlightRequests: z.number().int().positive().optional(),
  maxInFlightBytes: z.number().int().positive().optional(),
  // Slow senders: the whole body within bodyTimeoutSeconds (default 30), at no less than minBodyBytesPerSecond
  // on average (default 4096), else 408 and the slot goes to someone else.
  bodyTimeoutSeconds: z.number().positive().optional(),
  minBodyBytesPerSecond: z.number().nonnegative().optional(),
});
export type HecSource = z.infer<typeof HecSource>;

export const FileSource = z.strictObject({
  kind: z.literal('file'),
  name: sourceName,
  /** Files, directories or globs; relative ones are resolved against the config file's directory. */
  paths: z.array(z.string().min(1)).min(1),
  /** A compressed file is read once its size and mtime stayed the same this long (default 2). */
  settleSeconds: z.number().positive().optional(),
  /** Poll instead of inotify (network filesystems). */
  usePolling: z.boolean().optional(),
});
export type FileSource = z.infer<typeof FileSource>;

export const S3Source = z.strictObject({
  kind: z.literal('s3'),
  name: sourceName,
  bucket: z.string().min(1),
  prefix: z.string().default(''),
  endpoint: z.url().optional(),
  region: z.string().min(1).default('us-east-1'),
  forcePathStyle: z.boolean().optional(),
  accessKeyId: SecretRef.optional(),
  secretAccessKey: SecretRef.optional(),
  pollSeconds: z.number().positive().default(60),
});
export type S3Source = z.infer<typeof S3Source>;

export const StdinSource = z.strictObject({
  kind: z.literal('stdin'),
  name: sourceName,
});
export type StdinSource = z.infer<typeof StdinSource>;

export const SourceConfig = z.discriminatedUnion('kind', [HecSource, FileSource, S3Source, StdinSource]);
export type SourceConfig = z.infer<typeof SourceConfig>;
