// defineConfig: identity at runtime (the default export stays a plain object), types and completion at compile time.
import type { ConfigInput } from './schema.ts';

export function defineConfig<const C extends ConfigInput>(config: C): C {
  return config;
}
