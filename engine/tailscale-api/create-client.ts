// One client from a config entry that talks to Tailscale's API (the logging source, the inventory poller).
import type { Environment } from '../config/secret.ts';
import type { Logger } from '../telemetry/logger.ts';
import { resolveCredentials } from './auth.ts';
import type { ApiAuth } from './auth.ts';
import { TailscaleApiClient } from './client.ts';

export interface ApiClientConfig {
  baseUrl: string;
  tailnetId?: string | undefined;
  auth: ApiAuth;
  timeoutSeconds: number;
  retryMaxSeconds: number;
}

/** Attempts of one call before it fails (429, 5xx and lost connections are retried). */
export const API_MAX_ATTEMPTS = 4;

/** `key` names the config entry in secret errors (e.g. `sources[2]`). */
export function createApiClient(config: ApiClientConfig, key: string, env: Environment, logger?: Logger): TailscaleApiClient {
  return new TailscaleApiClient({
    baseUrl: config.baseUrl,
    tailnet: config.tailnetId ?? '-',
    credentials: resolveCredentials(config.auth, `${key}.auth`, env, config.baseUrl, config.timeoutSeconds),
    timeoutSeconds: config.timeoutSeconds,
    maxAttempts: API_MAX_ATTEMPTS,
    retryMaxSeconds: config.retryMaxSeconds,
    ...(logger === undefined ? {} : { logger }),
  });
}
