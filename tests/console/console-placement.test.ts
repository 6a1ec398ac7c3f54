// Where `tailwatch run` serves the console: its own console.listen, else beside the health endpoints on http.listen,
// else on the HEC addresses that are loopback only — never on a public HEC address by default.
import { afterEach, describe, expect, it } from 'vitest';
import type { Route } from '../../engine/server/http-server.ts';
import type { HttpServer } from '../../engine/server/http-server.ts';
import { Readiness } from '../../engine/server/readiness.ts';
import { startHttpServers } from '../../engine/server/start-servers.ts';
import { HecSource } from '../../engine/sources/hec.ts';
import { createLogger } from '../../engine/telemetry/logger.ts';
import { Metrics } from '../../engine/telemetry/metrics.ts';

const running: HttpServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

const page: Route = { method: 'GET', path: '/', name: 'console', handler: (_req, res) => void res.end('console') };
const statusAt = async (server: HttpServer, path: string) => (await fetch(`http://${server.address().host}:${server.address().port}${path}`)).status;

async function start(hecListen: string, options: { httpListen?: string; consoleListen?: string } = {}, warnings: string[] = []) {
  const logger = createLogger({ env: {}, destination: { write: (line: string) => warnings.push(line) } });
  const servers = await startHttpServers({
    sources: [new HecSource({ name: 'hec', tokens: ['t'], listen: hecListen })],
    httpListen: options.httpListen,
    readiness: new Readiness(),
    metrics: new Metrics({ processMetrics: false }),
    logger,
    console: { listen: options.consoleListen, routes: [page] },
  });
  running.push(...servers);
  return servers;
}

describe('console placement', () => {
  it('shares a loopback HEC address by default', async () => {
    const [server] = await start('127.0.0.1:0');
    expect(await statusAt(server!, '/')).toBe(200);
  });

  it('goes beside the health endpoints on http.listen, or on its own console.listen', async () => {
    const beside = await start('127.0.0.1:0', { httpListen: '127.0.0.2:0' });
    expect(await Promise.all(beside.map((server) => statusAt(server, '/')))).toEqual([404, 200]);
    const own = await start('127.0.0.1:0', { httpListen: '127.0.0.2:0', consoleListen: '127.0.0.3:0' });
    expect(own.map((server) => server.address().host)).toEqual(['127.0.0.1', '127.0.0.2', '127.0.0.3']);
    expect(await Promise.all(own.map((server) => statusAt(server, '/')))).toEqual([404, 404, 200]);
  });

  it('is not put on a HEC address other machines can reach, and says so', async () => {
    const warnings: string[] = [];
    const [server] = await start('0.0.0.0:0', {}, warnings);
    expect(await statusAt(server!, '/')).toBe(404);
    expect(warnings.join('\n')).toContain('the console is not served: no loopback address to share; set console.listen');
  });
});
