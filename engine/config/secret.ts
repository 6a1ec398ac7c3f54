// Secrets are never literals in a config: `{ env: 'NAME' }` names the environment variable that holds one.
import { z } from 'zod';
import { ConfigError } from '../errors.ts';

export const SecretRef = z.strictObject({
  env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name'),
});
export type SecretRef = z.infer<typeof SecretRef>;

/** A value that may be written literally or taken from the environment (e.g. a non-secret URL). */
export const TextOrSecret = z.union([z.string().min(1), SecretRef]);
export type TextOrSecret = z.infer<typeof TextOrSecret>;

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The value behind a reference (or the literal itself). `key` names where the reference sits in the config,
 * so the error says what to fix; the value itself never appears in a message.
 */
export function resolveSecret(ref: TextOrSecret, key: string, env: Environment = process.env): string {
  if (typeof ref === 'string') return ref;
  const value = env[ref.env];
  if (value === undefined || value === '') {
    throw new ConfigError(`${key}: environment variable ${ref.env} is not set`);
  }
  return value;
}
