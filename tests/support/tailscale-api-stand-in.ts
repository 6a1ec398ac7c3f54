// A local stand-in for Tailscale's API on 127.0.0.1, following its public reference: API access tokens (Bearer, or
// Basic with the token as user name), OAuth client-credentials exchange at /api/v2/oauth/token (tokens that expire),
// scopes (403 with the API's message when one is missing), and GET /api/v2/tailnet/{tailnet}/logging/configuration
// and /logging/network with required RFC 3339 `start` and `end` (400 without). A window includes both its ends.
// Failures can be queued: 429 with Retry-After, 5xx.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type StandInLog = 'configuration' | 'network';

export interface OAuthClient {
  id: string;
  secret: string;
  scopes: string[];
}

export interface StandInOptions {
  /** The tailnet the credentials belong to (`-` in a path means it). */
  tailnet?: string;
  /** API access tokens and their scopes (a user's token: ['all']). */
  tokens?: Record<string, string[]>;
  oauthClients?: OAuthClient[];
  /** expires_in of OAuth access tokens (Tailscale's: 3600). */
  tokenLifetimeSeconds?: number;
}

export interface QueuedFailure {
  status: number;
  retryAfter?: string;
  message?: string;
  /** The whole answer instead of `{ message }` (e.g. a 200 of another shape). */
  body?: unknown;
}

export interface LoggedRequest {
  method: string;
  path: string;
  start: string | null;
  end: string | null;
  status: number;
  authorization: string | undefined;
}

export interface TailscaleApiStandIn {
  url: string;
  requests: LoggedRequest[];
  /** OAuth exchanges answered with a token. */
  exchanges: number;
  /** Adds a record, filtered by `at` (its eventTime, or a flow record's logged time). */
  add(log: StandInLog, at: string, value: unknown): void;
  /** The next log requests get these answers, in order, before any is served. */
  fail(...failures: QueuedFailure[]): void;
  /** Revokes every OAuth access token issued so far (they get 401 from now on). */
  revokeTokens(): void;
  close(): Promise<void>;
}

const FORBIDDEN = 'calling actor does not have enough permissions to perform this function';
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const LOG_PATH = /^\/api\/v2\/tailnet\/([^/]+)\/logging\/(configuration|network)$/;
const SCOPES: Record<StandInLog, string[]> = {
  configuration: ['logs:configuration:read', 'logs:configuration', 'all:read', 'all'],
  network: ['logs:network:read', 'logs:network', 'all:read', 'all'],
};

export async function startTailscaleApiStandIn(options: StandInOptions = {}): Promise<TailscaleApiStandIn> {
  const tailnet = options.tailnet ?? 'example.com';
  const records: Record<StandInLog, { atMs: number; value: unknown }[]> = { configuration: [], network: [] };
  const issued = new Map<string, { scopes: string[]; expiresAtMs: number }>();
  const failures: QueuedFailure[] = [];
  const requests: LoggedRequest[] = [];
  const state = { exchanges: 0 };

  const scopesOf = (authorization: string | undefined): string[] | undefined => {
    const token = bearer(authorization) ?? basicUser(authorization);
    if (token === undefined) return undefined;
    const fixed = options.tokens?.[token];
    if (fixed !== undefined) return fixed;
    const oauth = issued.get(token);
    return oauth !== undefined && Date.now() < oauth.expiresAtMs ? oauth.scopes : undefined;
  };

  const exchange = async (req: IncomingMessage, res: ServerResponse): Promise<number> => {
    const form = new URLSearchParams(await readText(req));
    const [headerId, headerSecret] = basicPair(req.headers.authorization) ?? [];
    const id = form.get('client_id') ?? headerId;
    const secret = form.get('client_secret') ?? headerSecret;
    const client = options.oauthClients?.find((c) => c.id === id && c.secret === secret);
    if (client === undefined) return send(res, 401, { message: 'invalid client credentials' });
    const asked = form.get('scope')?.split(' ').filter((s) => s !== '') ?? [];
    if (asked.some((scope) => !client.scopes.includes(scope))) return send(res, 400, { message: 'invalid scope' });
    const scopes = asked.length > 0 ? asked : client.scopes;
    const token = `tskey-api-${randomBytes(8).toString('hex')}`;
    const lifetime = options.tokenLifetimeSeconds ?? 3600;
    issued.set(token, { scopes, expiresAtMs: Date.now() + lifetime * 1000 });
    state.exchanges++;
    return send(res, 200, { access_token: token, token_type: 'Bearer', expires_in: lifetime, scope: scopes.join(' ') });
  };

  const logs = (req: IncomingMessage, res: ServerResponse, url: URL, match: RegExpMatchArray): number => {
    const scopes = scopesOf(req.headers.authorization);
    if (scopes === undefined) return send(res, 401, { message: 'API token invalid' });
    const [, pathTailnet, kind] = match as unknown as [string, string, StandInLog];
    if (pathTailnet !== '-' && decodeURIComponent(pathTailnet) !== tailnet) return send(res, 404, { message: 'not found' });
    if (!scopes.some((scope) => SCOPES[kind].includes(scope))) return send(res, 403, { message: FORBIDDEN });
    const failure = failures.shift();
    if (failure !== undefined) {
      const headers = failure.retryAfter === undefined ? {} : { 'Retry-After': failure.retryAfter };
      return send(res, failure.status, failure.body ?? { message: failure.message ?? 'too many requests' }, headers);
    }
    const start = url.searchParams.get('start');
    const end = url.searchParams.get('end');
    if (start === null || end === null) return send(res, 400, { message: 'start and end are required' });
    if (!RFC3339.test(start) || !RFC3339.test(end)) return send(res, 400, { message: 'start and end must be RFC 3339' });
    const [startMs, endMs] = [Date.parse(start), Date.parse(end)];
    if (endMs < startMs) return send(res, 400, { message: 'end is before start' });
    const inWindow = records[kind].filter((r) => r.atMs >= startMs && r.atMs <= endMs).sort((a, b) => a.atMs - b.atMs).map((r) => r.value);
    return send(res, 200, kind === 'configuration' ? { version: '1.1', tailnetId: tailnet, logs: inWindow } : { logs: inWindow });
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const handled = async (): Promise<number> => {
      if (req.method === 'POST' && url.pathname === '/api/v2/oauth/token') return exchange(req, res);
      const match = url.pathname.match(LOG_PATH);
      if (req.method === 'GET' && match !== null) return logs(req, res, url, match);
      return send(res, 404, { message: 'not found' });
    };
    void handled().then((status) => {
      requests.push({ method: req.method ?? '', path: url.pathname, start: url.searchParams.get('start'), end: url.searchParams.get('end'), status, authorization: req.headers.authorization });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get exchanges() {
      return state.exchanges;
    },
    add: (log, at, value) => records[log].push({ atMs: Date.parse(at), value }),
    fail: (...queued) => failures.push(...queued),
    revokeTokens: () => issued.clear(),
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): number {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
  return status;
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function bearer(authorization: string | undefined): string | undefined {
  return authorization?.startsWith('Bearer ') === true ? authorization.slice('Bearer '.length) : undefined;
}

function basicPair(authorization: string | undefined): [string, string] | undefined {
  if (authorization?.startsWith('Basic ') !== true) return undefined;
  const decoded = Buffer.from(authorization.slice('Basic '.length), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : [decoded.slice(0, colon), decoded.slice(colon + 1)];
}

/** An API token as the user name of Basic auth, with an empty password. */
function basicUser(authorization: string | undefined): string | undefined {
  const pair = basicPair(authorization);
  return pair !== undefined && pair[1] === '' ? pair[0] : undefined;
}
