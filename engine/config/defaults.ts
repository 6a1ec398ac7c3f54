// The configuration used when no alerts.config.ts exists: read stdin, print alerts as JSON lines.
import type { ConfigInput } from './schema.ts';

export const DEFAULT_CONFIG_FILE = 'alerts.config.ts';

export const DEFAULT_CONFIG = {
  dataDir: './data',
  rules: { dir: './rules' },
  sources: [{ kind: 'stdin' }],
  destinations: { console: { kind: 'stdout' } },
  routes: [],
  defaultRoute: ['console'],
} as const satisfies ConfigInput;
