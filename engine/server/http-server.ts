// The evaluator's HTTP server: node:http with an exact-path router, JSON errors, per-route request metrics.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../telemetry/logger.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import type { ListenAddress } from './listen-address.ts';

export interface RequestContext {
  /** Unique per server, short: used in record positions (`hec:<id>`) and logs. */
  requestId: string;
}

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, context: RequestContext) => Promise<void> | void;

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  /** Label for metrics and logs (e.g. `hec`, `metrics`). */
  name: string;
  handler: RouteHandler;
}

export interface HttpServerOptions {
  logger?: Logger;
  metrics?: Metrics;
  /** A request whose headers and body take longer than this is cut (slowloris). Default 120. */
  requestTimeoutSeconds?: number;
  /** How long close() waits for in-flight requests before cutting connections. Default 10. */
  closeGraceSeconds?: number;
}

export class HttpServer {
  private readonly server: Server;
  private readonly routes = new Map<string, Map<string, Route>>();
  private readonly options: HttpServerOptions;
  private nextRequestId = 0;
  private closing = false;

  constructor(options: HttpServerOptions = {}) {
    this.options = options;
    // Not a static import: an ESM import of node:http loads undici (its lazy WebSocket exports), and every command
    // that reads the config imports this file; only `run` serves.
    const { createServer } = process.getBuiltinModule('node:http');
    this.server = createServer({ requestTimeout: (options.requestTimeoutSeconds ?? 120) * 1000 }, (req, res) => {
      this.dispatch(req, res);
    });
    // Expect: 100-continue reaches the route, which checks auth and size before asking for the body.
    this.server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => this.dispatch(req, res));
  }

  mount(routes: readonly Route[]): void {
    for (const route of routes) {
      let byMethod = this.routes.get(route.path);
      if (byMethod === undefined) {
        byMethod = new Map();
        this.routes.set(route.path, byMethod);
      }
      byMethod.set(route.method, route);
    }
  }

  async listen(address: ListenAddress): Promise<ListenAddress> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(address.port, address.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return this.address();
  }

  /** The bound address (the real port when listening on port 0). */
  address(): ListenAddress {
    const info = this.server.address() as AddressInfo;
    return { host: info.address, port: info.port };
  }

  get listening(): boolean {
    return this.server.listening;
  }

  /** Stops accepting, lets in-flight requests finish (up to closeGraceSeconds), then cuts what is left. */
  async close(): Promise<void> {
    if (!this.server.listening) return;
    this.closing = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const grace = setTimeout(() => this.server.closeAllConnections(), (this.options.closeGraceSeconds ?? 10) * 1000);
    await closed;
    clearTimeout(grace);
  }

  private dispatch(req: IncomingMessage, res: ServerResponse): void {
    const path = pathOf(req.url);
    const byMethod = this.routes.get(path);
    const route = byMethod?.get(req.method ?? '');
    const name = route?.name ?? 'unmatched';
    const metrics = this.options.metrics;
    res.once('finish', () => {
      metrics?.httpRequest(name, res.statusCode);
      // A keep-alive connection that just went idle would hold close() open until its timeout.
      if (this.closing) setImmediate(() => this.server.closeIdleConnections());
    });
    if (route === undefined) {
      const status = byMethod === undefined ? 404 : 405;
      if (byMethod !== undefined) res.setHeader('Allow', [...byMethod.keys()].join(', '));
      sendJson(res, status, { text: status === 404 ? 'Not found' : 'Method not allowed', path }, { close: true });
      return;
    }
    const context = { requestId: (this.nextRequestId++).toString(36) };
    Promise.resolve()
      .then(() => route.handler(req, res, context))
      .catch((error: unknown) => {
        this.options.logger?.error('request handler failed', { route: name, requestId: context.requestId, error });
        if (!res.headersSent) sendJson(res, 500, { text: 'Internal server error', code: 8 }, { close: true });
        else res.destroy();
      });
  }
}

/** The path of a request target, without query string. */
function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

export interface SendOptions {
  headers?: Record<string, string>;
  /** Close the connection after answering (the request body may be unread). */
  close?: boolean;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, options: SendOptions = {}): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  for (const [name, value] of Object.entries(options.headers ?? {})) res.setHeader(name, value);
  if (options.close === true) res.setHeader('Connection', 'close');
  res.end(text);
}
