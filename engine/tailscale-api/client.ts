// A small client of Tailscale's REST API (https://api.tailscale.com/api/v2): GET a tailnet resource as JSON, with
// rate limits (429 + Retry-After) and server errors retried, and refusals explained. The logging source uses it;
// an inventory poller (devices, users, keys, policy) reuses it with its own paths and scopes.
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../telemetry/logger.ts';
import type { Credentials } from './auth.ts';
import { TailscaleApiError, describeFailure, fetchWithTimeout, retryAfterSeconds } from './http.ts';

export const DEFAULT_API_BASE_URL = 'https://api.tailscale.com';

export interface TailscaleApiClientOptions {
  baseUrl: string;
  /** The path segment after /tailnet/: `-` (the credential's own tailnet) or a tailnet ID. */
  tailnet: string;
  credentials: Credentials;
  timeoutSeconds: number;
  /** Attempts of one call before it fails (429, 5xx and lost connections are retried). */
  maxAttempts: number;
  /** The longest wait between attempts, Retry-After included. */
  retryMaxSeconds: number;
  logger?: Logger;
}

export interface GetOptions {
  query?: Record<string, string>;
  /** The OAuth scope the endpoint needs, named in a 403's message. */
  scope: string;
  signal: AbortSignal;
}

export class TailscaleApiClient {
  readonly #options: TailscaleApiClientOptions;

  constructor(options: TailscaleApiClientOptions) {
    this.#options = options;
  }

  /** `/api/v2/tailnet/{tailnet}/{resource}` with the query, as the request is named in messages. */
  tailnetPath(resource: string, query: Record<string, string> = {}): string {
    const path = `/api/v2/tailnet/${encodeURIComponent(this.#options.tailnet)}/${resource}`;
    const search = new URLSearchParams(query).toString();
    return search === '' ? path : `${path}?${search}`;
  }

  /** GETs a tailnet resource and returns its parsed JSON body; throws TailscaleApiError once retrying is pointless. */
  async getTailnet(resource: string, options: GetOptions): Promise<unknown> {
    const { maxAttempts, retryMaxSeconds, logger, credentials } = this.#options;
    const path = this.tailnetPath(resource, options.query);
    let renewed = false;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(path, options);
      } catch (error) {
        if (!(error instanceof TailscaleApiError) || options.signal.aborted) throw error;
        // An OAuth token refused before its expiry (revoked, or the clock is off) is replaced once, at once.
        if (error.status === 401 && credentials.kind === 'oauth' && !renewed) {
          renewed = true;
          continue;
        }
        if (!error.retryable || attempt >= maxAttempts) throw error;
        const seconds = Math.min(retryMaxSeconds, retryAfterSeconds(error.retryAfter) ?? 2 ** (attempt - 1));
        logger?.warn('Tailscale API call failed; retrying', { request: `GET ${path}`, status: error.status, error: error.message, retryInSeconds: seconds, attempt });
        await abortableDelay(seconds * 1000, options.signal);
      }
    }
  }

  private async attempt(path: string, options: GetOptions): Promise<unknown> {
    const { baseUrl, credentials, timeoutSeconds } = this.#options;
    const what = `GET ${path}`;
    const authorization = await credentials.authorization(options.signal);
    const response = await fetchWithTimeout(new URL(path, baseUrl).href, { headers: { Authorization: authorization, Accept: 'application/json' } }, timeoutSeconds, options.signal, what);
    const text = await response.text();
    if (response.ok) {
      try {
        return JSON.parse(text);
      } catch (error) {
        throw new TailscaleApiError(response.status, `${what}: the answer is not JSON (${(error as Error).message})`);
      }
    }
    if (response.status === 401) credentials.rejected();
    throw new TailscaleApiError(response.status, `${what}: ${describeFailure(response.status, text)}${this.advice(response.status, options.scope)}`, response.headers.get('retry-after'));
  }

  /** What to do about a refusal, in the message a user reads on /readyz and in the log. */
  private advice(status: number, scope: string): string {
    const oauth = this.#options.credentials.kind === 'oauth';
    if (status === 401) {
      return oauth
        ? ': a freshly issued OAuth access token was refused; check that the client still exists and that baseUrl is Tailscale\'s API'
        : ': the API access token is invalid, revoked or expired; create a new one (admin console › Settings › Keys)';
    }
    if (status === 403) {
      return oauth
        ? `: the OAuth client lacks the scope ${scope}; create a client with that scope (admin console › Settings › OAuth clients)`
        : `: the token's user may not read this (it needs the scope ${scope}, which an Owner, Admin, IT admin or Network admin has); use an OAuth client with that scope`;
    }
    if (status === 404) return `: not found; check the tailnet ("${this.#options.tailnet}") and baseUrl`;
    return '';
  }
}

/** Resolves after `ms`, or at once when the signal aborts. */
export async function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  await delay(ms, undefined, { signal }).catch(() => undefined);
}
