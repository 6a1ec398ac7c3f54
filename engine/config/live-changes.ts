// Which parts of a config a hot reload cannot apply to a running evaluator (they are set up once, at start).
import { isDeepStrictEqual } from 'node:util';
import type { Config } from './schema.ts';

/** Rules, routes and destinations are swapped live; these keys need a restart. */
const RESTART_KEYS = ['dataDir', 'sources', 'http', 'delivery'] as const satisfies readonly (keyof Config)[];

/** The keys whose change needs a restart, in config order; empty when the whole change can be applied live. */
export function changesNeedingRestart(running: Config, next: Config): string[] {
  return RESTART_KEYS.filter((key) => !isDeepStrictEqual(running[key], next[key]));
}
