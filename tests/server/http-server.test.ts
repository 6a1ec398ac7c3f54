import { afterEach, describe, expect, it } from 'vitest';
import { healthRoutes } from '../../engine/server/health-routes.ts';
import { HttpServer, sendJson } from '../../engine/server/http-server.ts';
import { formatListenAddress, parseListenAddress } from '../../engine/server/listen-address.ts';
import { Readiness } from '../../engine/server/readiness.ts';
import { createLogger } from '../../engine/telemetry/logger.ts';
import { Metrics } from '../../engine/telemetry/metrics.ts';

const servers: HttpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(setup: (server: HttpServer) => void, metrics?: Metrics): Promise<string> {
  const logLines: string[] = [];
  const logger = createLogger({ level: 'error', destination: { write: (line: string) => logLines.push(line) } });
  const server = new HttpServer(metrics === undefined ? { logger } : { logger, metrics });
  setup(server);
  servers.push(server);
  const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${port}`;
}

describe('HttpServer', () => {
  it('routes by exact path and method, ignoring the query string', async () => {
    const base = await serve((server) =>
      server.mount([{ method: 'GET', path: '/hello', name: 'hello', handler: (req, res) => sendJson(res, 200, { url: req.url }) }]),
    );
    const ok = await fetch(`${base}/hello?x=1`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ url: '/hello?x=1' });
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    const wrongMethod = await fetch(`${base}/hello`, { method: 'POST', body: 'x' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
  });

  it('answers 500 in JSON when a handler throws, and keeps serving', async () => {
    const base = await serve((server) =>
      server.mount([
        { method: 'GET', path: '/boom', name: 'boom', handler: async () => { throw new Error('broken'); } },
        { method: 'GET', path: '/fine', name: 'fine', handler: (_req, res) => sendJson(res, 200, {}) },
      ]),
    );
    const boom = await fetch(`${base}/boom`);
    expect(boom.status).toBe(500);
    expect(await boom.json()).toMatchObject({ text: 'Internal server error' });
    expect((await fetch(`${base}/fine`)).status).toBe(200);
  });

  it('serves /healthz, /readyz from registered checks, and /metrics with request counts', async () => {
    const readiness = new Readiness();
    const metrics = new Metrics({ processMetrics: false });
    let rulesLoaded = false;
    readiness.register('rules', () => (rulesLoaded ? { ok: true } : { ok: false, detail: 'rules not loaded' }));
    const unregister = readiness.register('source:hec', async () => ({ ok: true, detail: 'listening' }));
    readiness.register('outbox', () => { throw new Error('outbox stuck for 300 s'); });
    const base = await serve((server) => server.mount(healthRoutes(readiness, metrics, { internal: true })), metrics);

    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    const notReady = await fetch(`${base}/readyz`);
    expect(notReady.status).toBe(503);
    const body = (await notReady.json()) as { failing: { name: string; detail?: string }[] };
    expect(body.failing).toEqual([
      { name: 'rules', ok: false, detail: 'rules not loaded' },
      { name: 'outbox', ok: false, detail: 'outbox stuck for 300 s' },
    ]);

    rulesLoaded = true;
    readiness.register('outbox', () => ({ ok: true }));
    unregister();
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', failing: [], checks: [{ name: 'rules', ok: true }, { name: 'outbox', ok: true }] });

    const scrape = await fetch(`${base}/metrics`);
    expect(scrape.headers.get('content-type')).toContain('text/plain');
    const text = await scrape.text();
    expect(text).toContain('tailwatch_http_requests_total{route="readyz",code="503"} 1');
    expect(text).toContain('tailwatch_http_requests_total{route="healthz",code="200"} 1');
  });

  it('lets in-flight requests finish when closing', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => { entered = resolve; });
    const server = new HttpServer();
    server.mount([{ method: 'GET', path: '/slow', name: 'slow', handler: async (_req, res) => { entered(); await gate; sendJson(res, 200, { done: true }); } }]);
    const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
    const response = fetch(`http://127.0.0.1:${port}/slow`);
    await inside;
    const closed = server.close();
    release();
    expect(await (await response).json()).toEqual({ done: true });
    await closed;
    expect(server.listening).toBe(false);
  });
});

describe('listen addresses', () => {
  it('parses host:port and bracketed IPv6, and refuses the rest', () => {
    expect(parseListenAddress('127.0.0.1:8088')).toEqual({ host: '127.0.0.1', port: 8088 });
    expect(parseListenAddress('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(formatListenAddress({ host: '::1', port: 9 })).toBe('[::1]:9');
    expect(() => parseListenAddress('localhost')).toThrow(/host:port/);
    expect(() => parseListenAddress('a:70000')).toThrow(/host:port/);
  });
});
