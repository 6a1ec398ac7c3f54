import { afterEach, describe, expect, it } from 'vitest';
import type { HttpServer } from '../../engine/server/http-server.ts';
import { Readiness } from '../../engine/server/readiness.ts';
import { startHttpServers } from '../../engine/server/start-servers.ts';
import { HecSource } from '../../engine/sources/hec.ts';
import { TailscaleWebhookSource } from '../../engine/sources/tailscale-webhook.ts';
import { Metrics } from '../../engine/telemetry/metrics.ts';

const running: HttpServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

const urlOf = (server: HttpServer, path: string) => `http://${server.address().host}:${server.address().port}${path}`;

describe('startHttpServers', () => {
  it('serves HEC and the health endpoints on the HEC address when no http.listen is set', async () => {
    const hec = new HecSource({ name: 'hec', tokens: ['t'], listen: '127.0.0.1:0' });
    const readiness = new Readiness();
    readiness.register('source:hec', () => hec.health());
    const servers = await startHttpServers({ sources: [hec], readiness, metrics: new Metrics({ processMetrics: false }) });
    running.push(...servers);
    expect(servers).toHaveLength(1);
    expect((await fetch(urlOf(servers[0]!, '/readyz'))).status).toBe(503);
    await hec.start(async () => {});
    expect((await fetch(urlOf(servers[0]!, '/readyz'))).status).toBe(200);
    const reply = await fetch(urlOf(servers[0]!, '/services/collector/event'), { method: 'POST', headers: { Authorization: 'Splunk t' }, body: '{"a":1}' });
    expect(await reply.json()).toEqual({ text: 'Success', code: 0 });
    expect(await (await fetch(urlOf(servers[0]!, '/metrics'))).text()).toContain('tailwatch_http_requests_total{route="hec",code="200"} 1');
  });

  it('puts the health endpoints on http.listen when it is set, apart from HEC', async () => {
    const hec = new HecSource({ name: 'hec', tokens: ['t'], listen: '127.0.0.1:0' });
    const servers = await startHttpServers({ sources: [hec], httpListen: '127.0.0.2:0', readiness: new Readiness(), metrics: new Metrics({ processMetrics: false }) });
    running.push(...servers);
    expect(servers.map((server) => server.address().host)).toEqual(['127.0.0.1', '127.0.0.2']);
    expect((await fetch(urlOf(servers[0]!, '/healthz'))).status).toBe(404);
    expect((await fetch(urlOf(servers[1]!, '/healthz'))).status).toBe(200);
  });

  it('serves a tailscale-webhook source on its own address, or beside HEC on a shared one', async () => {
    const webhook = (listen: string) => new TailscaleWebhookSource({
      name: 'tailscale-webhook', listen, path: '/tailscale/webhook', secret: 's', toleranceSeconds: 300, maxBodyBytes: 1024,
    });
    const apart = await startHttpServers({ sources: [webhook('127.0.0.1:0')], httpListen: '127.0.0.2:0', readiness: new Readiness(), metrics: new Metrics({ processMetrics: false }) });
    running.push(...apart);
    expect((await fetch(urlOf(apart[0]!, '/tailscale/webhook'), { method: 'POST', body: '[]' })).status).toBe(401);
    const hec = new HecSource({ name: 'hec', tokens: ['t'], listen: '127.0.0.1:0' });
    const shared = await startHttpServers({ sources: [hec, webhook('127.0.0.1:0')], readiness: new Readiness(), metrics: new Metrics({ processMetrics: false }) });
    running.push(...shared);
    expect(shared).toHaveLength(1);
    expect((await fetch(urlOf(shared[0]!, '/tailscale/webhook'), { method: 'POST', body: '[]' })).status).toBe(401);
    expect((await fetch(urlOf(shared[0]!, '/services/collector/health'))).status).toBe(503);
  });

  it('explains an address already in use and refuses two sources serving one path on one address', async () => {
    const first = await startHttpServers({ sources: [], httpListen: '127.0.0.1:0', readiness: new Readiness(), metrics: new Metrics({ processMetrics: false }) });
    running.push(...first);
    const taken = `127.0.0.1:${first[0]!.address().port}`;
    await expect(startHttpServers({ sources: [], httpListen: taken, readiness: new Readiness(), metrics: new Metrics({ processMetrics: false }) }))
      .rejects.toThrow(`cannot listen on ${taken} (EADDRINUSE)`);
    const twins = [new HecSource({ name: 'a', tokens: ['t'], listen: '127.0.0.1:0' }), new HecSource({ name: 'b', tokens: ['t'], listen: '127.0.0.1:0' })];
    await expect(startHttpServers({ sources: twins, readiness: new Readiness(), metrics: new Metrics({ processMetrics: false }) })).rejects.toThrow(/two sources serve POST/);
  });

  it('on a HEC address, /readyz tells only its status: no check names, details or absolute paths', async () => {
    const hec = new HecSource({ name: 'hec', tokens: ['t'], listen: '127.0.0.1:0' });
    const readiness = new Readiness();
    readiness.register('rules', () => ({ ok: false, detail: 'last reload failed: /srv/tailwatch/rules/broken.ts: SyntaxError' }));
    const servers = await startHttpServers({ sources: [hec], readiness, metrics: new Metrics({ processMetrics: false }) });
    running.push(...servers);
    const reply = await fetch(urlOf(servers[0]!, '/readyz'));
    expect(reply.status).toBe(503);
    expect(await reply.json()).toEqual({ status: 'not ready' });
  });

  it('with http.token, /metrics and the /readyz details need the bearer token; on http.listen the details are served', async () => {
    const readiness = new Readiness();
    readiness.register('rules', () => ({ ok: false, detail: 'last reload failed: /srv/tailwatch/rules/broken.ts' }));
    const metrics = new Metrics({ processMetrics: false });
    const hec = new HecSource({ name: 'hec', tokens: ['t'], listen: '127.0.0.1:0' });
    const servers = await startHttpServers({ sources: [hec], httpToken: 'scrape-token', readiness, metrics });
    running.push(...servers);
    const bearer = { headers: { Authorization: 'Bearer scrape-token' } };
    const denied = await fetch(urlOf(servers[0]!, '/metrics'));
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toBe('Bearer');
    expect((await fetch(urlOf(servers[0]!, '/metrics'), { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    expect(await (await fetch(urlOf(servers[0]!, '/metrics'), bearer)).text()).toContain('tailwatch_http_requests_total');
    expect(await (await fetch(urlOf(servers[0]!, '/readyz'))).json()).toEqual({ status: 'not ready' });
    expect(await (await fetch(urlOf(servers[0]!, '/readyz'), bearer)).json()).toMatchObject({ failing: [{ name: 'rules', detail: expect.stringContaining('broken.ts') }] });

    const internal = await startHttpServers({ sources: [], httpListen: '127.0.0.1:0', httpToken: 'scrape-token', readiness, metrics });
    running.push(...internal);
    expect((await fetch(urlOf(internal[0]!, '/metrics'))).status).toBe(401);
    expect(await (await fetch(urlOf(internal[0]!, '/readyz'), bearer)).json()).toMatchObject({ failing: [{ name: 'rules', detail: expect.stringContaining('/srv/tailwatch/rules') }] });

    const untokened = await startHttpServers({ sources: [], httpListen: '127.0.0.1:0', readiness, metrics });
    running.push(...untokened);
    expect((await fetch(urlOf(untokened[0]!, '/metrics'))).status).toBe(200);
    expect(await (await fetch(urlOf(untokened[0]!, '/readyz'))).json()).toMatchObject({ failing: [{ name: 'rules', detail: 'last reload failed: broken.ts' }] });
  });
});
