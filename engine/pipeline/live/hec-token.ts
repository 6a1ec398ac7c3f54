// The embedded default config reads the HEC token from TAILWATCH_HEC_TOKEN; when unset, one is generated for this run.
import { randomBytes } from 'node:crypto';
import type { Environment } from '../../config/secret.ts';

export const HEC_TOKEN_VARIABLE = 'TAILWATCH_HEC_TOKEN';

/** The environment to resolve secrets from, with a generated token when the variable is unset (undefined if set). */
export function withHecToken(env: Environment): { env: Environment; generated?: string } {
  if (env[HEC_TOKEN_VARIABLE] !== undefined && env[HEC_TOKEN_VARIABLE] !== '') return { env };
  const generated = randomBytes(18).toString('base64url');
  return { env: { ...env, [HEC_TOKEN_VARIABLE]: generated }, generated };
}
