// What every source's config and create() share: the listen-address and name schemas, and the build context.
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { Environment } from '../config/secret.ts';
import type { Logger } from '../telemetry/logger.ts';

/** `host:port` (IPv6 in brackets: `[::1]:8088`). */
export const ListenAddress = z.string().regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'must be host:port');
export type ListenAddress = z.infer<typeof ListenAddress>;

/** A source's name keys its checkpoints and labels its metrics. */
export const SourceName = z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, . _ - only').optional();

/**
 * The tailnet whose logs the source delivers (Tailscale's records do not name it): events carry it as p_tailnet, and
 * alert ids, dedup and watermarks are per tailnet. Default "default".
 */
export const TailnetName = z.string().regex(/^[A-Za-z0-9._@-]+$/, 'a tailnet name: letters, digits, . _ @ - only').optional();

/** What create(config, context) needs besides the source's own config. */
export interface SourceBuildContext {
  name: string;
  /** Where the source sits in the config (`sources[2]`), so an error says what to fix. */
  key: string;
  env: Environment;
  /** This source's stored checkpoints. */
  checkpoints: ReadonlyMap<string, string>;
  logger?: Logger | undefined;
  /** For a `stdin` source (default process.stdin). */
  stdin?: Readable | undefined;
}

/** The context fields every source constructor takes. */
export function commonOptions(context: SourceBuildContext): { name: string; logger?: Logger } {
  return context.logger === undefined ? { name: context.name } : { name: context.name, logger: context.logger };
}

/** T with its possibly-undefined keys made truly optional (exactOptionalPropertyTypes). */
export type Defined<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/** Drops undefined entries, so config values spread into options declared without `| undefined`. */
export function defined<T extends Record<string, unknown>>(values: T): Defined<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Defined<T>;
}
