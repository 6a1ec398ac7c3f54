// defineConfig: identity at runtime (the default export stays a plain object), types and completion at compile time.
// Not generic: a generic parameter would be inferred from the literal itself and escape excess-property checks,
// while ConfigInput as the parameter type makes a misspelt key anywhere in the literal a type error.
import type { ConfigInput } from './schema.ts';

export function defineConfig(config: ConfigInput): ConfigInput {
  return config;
}
