// How a request to Tailscale's API is authorised: an API access token (Basic with the token as user name, or Bearer),
// or an OAuth client whose client-credentials exchange at /api/v2/oauth/token yields short-lived Bearer tokens.
import { z } from 'zod';
import { SecretRef, TextOrSecret, resolveSecret } from '../config/secret.ts';
import type { Environment } from '../config/secret.ts';
import { TailscaleApiError, describeFailure, fetchWithTimeout } from './http.ts';

export const TokenAuth = z.strictObject({
  kind: z.literal('token'),
  /** An API access token (`tskey-api-…`), from the admin console's Keys page; it expires after 1–90 days. */
  token: SecretRef,
  /** Both are documented: `basic` sends the token as the user name with an empty password. */
  scheme: z.enum(['bearer', 'basic']).default('bearer'),
});

export const OAuthAuth = z.strictObject({
  kind: z.literal('oauth'),
  clientId: TextOrSecret,
  clientSecret: SecretRef,
  /** Scopes to ask for (a subset of the client's); default none named, so the token has all of the client's. */
  scopes: z.array(z.string().min(1)).optional(),
});

export const ApiAuth = z.discriminatedUnion('kind', [TokenAuth, OAuthAuth]);
export type ApiAuth = z.infer<typeof ApiAuth>;

/** Gives each request its Authorization header; `rejected` drops a cached token the API refused. */
export interface Credentials {
  readonly kind: 'token' | 'oauth';
  authorization(signal: AbortSignal): Promise<string>;
  rejected(): void;
}

export const OAUTH_TOKEN_PATH = '/api/v2/oauth/token';
/** A token is renewed this long before it expires (Tailscale's last one hour), or at half its life if that is shorter. */
const REFRESH_MARGIN_MS = 5 * 60_000;

export function resolveCredentials(auth: ApiAuth, key: string, env: Environment, baseUrl: string, timeoutSeconds: number): Credentials {
  if (auth.kind === 'token') {
    const token = resolveSecret(auth.token, `${key}.token`, env);
    const header = auth.scheme === 'basic' ? `Basic ${Buffer.from(`${token}:`).toString('base64')}` : `Bearer ${token}`;
    return { kind: 'token', authorization: async () => header, rejected: () => {} };
  }
  return new OAuthCredentials({
    tokenUrl: new URL(OAUTH_TOKEN_PATH, baseUrl).href,
    clientId: resolveSecret(auth.clientId, `${key}.clientId`, env),
    clientSecret: resolveSecret(auth.clientSecret, `${key}.clientSecret`, env),
    scopes: auth.scopes ?? [],
    timeoutSeconds,
  });
}

interface OAuthOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scopes: readonly string[];
  timeoutSeconds: number;
}

const TokenAnswer = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.number().positive().optional(),
});

/** Client-credentials flow (RFC 6749 §4.4): one exchange at a time, its token reused until shortly before expiry. */
class OAuthCredentials implements Credentials {
  readonly kind = 'oauth';
  readonly #options: OAuthOptions;
  #token: { header: string; renewAtMs: number } | undefined;
  #exchange: Promise<string> | undefined;

  constructor(options: OAuthOptions) {
    this.#options = options;
  }

  authorization(signal: AbortSignal): Promise<string> {
    if (this.#token !== undefined && Date.now() < this.#token.renewAtMs) return Promise.resolve(this.#token.header);
    this.#exchange ??= this.exchange(signal).finally(() => (this.#exchange = undefined));
    return this.#exchange;
  }

  rejected(): void {
    this.#token = undefined;
  }

  private async exchange(signal: AbortSignal): Promise<string> {
    const { tokenUrl, clientId, clientSecret, scopes, timeoutSeconds } = this.#options;
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
    if (scopes.length > 0) form.set('scope', scopes.join(' '));
    const what = `POST ${new URL(tokenUrl).pathname}`;
    const response = await fetchWithTimeout(tokenUrl, { method: 'POST', body: form, headers: { Accept: 'application/json' } }, timeoutSeconds, signal, what);
    const text = await response.text();
    if (!response.ok) {
      const hint = response.status >= 500 || response.status === 429
        ? 'the token endpoint is unavailable; it will be tried again'
        : 'the OAuth client id or secret was refused: check clientId and clientSecret, and that the client was not deleted';
      throw new TailscaleApiError(response.status, `${what}: ${describeFailure(response.status, text)}: ${hint}`, response.headers.get('retry-after'));
    }
    const answer = TokenAnswer.safeParse(safeJson(text));
    if (!answer.success) throw new TailscaleApiError(response.status, `${what}: the answer has no access_token`);
    const lifetimeMs = (answer.data.expires_in ?? 3600) * 1000;
    const header = `Bearer ${answer.data.access_token}`;
    this.#token = { header, renewAtMs: Date.now() + lifetimeMs - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2) };
    return header;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
