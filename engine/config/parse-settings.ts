// The part of a parse context that comes from the config rather than from the source.
import { DEFAULT_PARSE_SETTINGS } from '../schemas/parse.ts';
import type { ParseSettings } from '../schemas/parse.ts';
import type { Config } from './schema.ts';

export function parseSettings(config: Config): ParseSettings {
  return { tailnet: DEFAULT_PARSE_SETTINGS.tailnet, maxFutureSkewMs: config.time.maxFutureSkewMinutes * 60_000 };
}
