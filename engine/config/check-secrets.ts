// Start-up check: the environment references a command will use are set (and URLs behind them parse).
import { ConfigError } from '../errors.ts';
import type { Config } from './schema.ts';
import { resolveSecret, type Environment, type TextOrSecret } from './secret.ts';

/** Which references a command needs: `all` for `tailwatch run`, `destinations` for commands that only deliver. */
export type SecretScope = 'all' | 'destinations';

export function checkSecrets(config: Config, env: Environment, scope: SecretScope = 'all'): void {
  checkDestinationSecrets(config, env);
  if (scope === 'all') checkSourceSecrets(config, env);
}

function checkDestinationSecrets(config: Config, env: Environment): void {
  for (const [name, destination] of Object.entries(config.destinations)) {
    const key = `destinations.${name}`;
    if (destination.kind === 'slack' || destination.kind === 'webhook') {
      checkHttpUrl(destination.url, `${key}.url`, env);
    }
    if (destination.kind === 'webhook') {
      if (destination.secret) resolveSecret(destination.secret, `${key}.secret`, env);
      for (const [header, value] of Object.entries(destination.headers ?? {})) {
        resolveSecret(value, `${key}.headers.${header}`, env);
      }
    }
  }
}

function checkSourceSecrets(config: Config, env: Environment): void {
  if (config.http?.token) resolveSecret(config.http.token, 'http.token', env);
  config.sources.forEach((source, i) => {
    const key = `sources[${i}]`;
    if (source.kind === 'hec') source.tokens.forEach((token, j) => resolveSecret(token, `${key}.tokens[${j}]`, env));
    if (source.kind === 'tailscale-webhook') resolveSecret(source.secret, `${key}.secret`, env);
    if (source.kind === 'tailscale-api' && source.auth.kind === 'token') resolveSecret(source.auth.token, `${key}.auth.token`, env);
    if (source.kind === 'tailscale-api' && source.auth.kind === 'oauth') {
      resolveSecret(source.auth.clientId, `${key}.auth.clientId`, env);
      resolveSecret(source.auth.clientSecret, `${key}.auth.clientSecret`, env);
    }
    if (source.kind === 's3') {
      if (source.accessKeyId) resolveSecret(source.accessKeyId, `${key}.accessKeyId`, env);
      if (source.secretAccessKey) resolveSecret(source.secretAccessKey, `${key}.secretAccessKey`, env);
    }
  });
}

/** Resolves a URL reference and checks it is http(s); the message names the key, never the value. */
export function checkHttpUrl(ref: TextOrSecret, key: string, env: Environment): URL {
  const value = resolveSecret(ref, key, env);
  const where = typeof ref === 'string' ? '' : ` (from environment variable ${ref.env})`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${key}: not a valid URL${where}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`${key}: must be an http(s) URL${where}`);
  }
  // fetch refuses such URLs, so every send would fail as "temporary": say it once, at load.
  if (url.username !== '' || url.password !== '') {
    throw new ConfigError(`${key}: must not carry credentials (user:password@)${where}; send them in a header instead, e.g. headers: { Authorization: { env: 'NAME' } }`);
  }
  return url;
}
