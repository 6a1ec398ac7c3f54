// Which parts of a config a hot reload cannot apply to a running evaluator (they are set up once, at start).
import { isDeepStrictEqual } from 'node:util';
import type { Config } from './schema.ts';

/** Swapped live by a reload; every other key (dataDir, sources, http, delivery, any new one) needs a restart. */
const LIVE_KEYS: ReadonlySet<string> = new Set(['rules', 'destinations', 'routes', 'defaultRoute', 'suppressions'] satisfies (keyof Config)[]);

/** The keys whose change needs a restart, in config order; empty when the whole change can be applied live. */
export function changesNeedingRestart(running: Config, next: Config): string[] {
  const keys = new Set([...Object.keys(running), ...Object.keys(next)]);
  return [...keys].filter((key) => !LIVE_KEYS.has(key) && !isDeepStrictEqual(running[key as keyof Config], next[key as keyof Config]));
}
