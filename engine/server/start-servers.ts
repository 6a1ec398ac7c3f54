// One HTTP server per listen address: HTTP sources (HEC, Tailscale webhooks) grouped by their `listen`, plus /healthz /readyz /metrics
// on `http.listen` when configured (recommended: the HEC address is often public), else on every HEC address.
import { ConfigError, TailwatchError } from '../errors.ts';
import { TokenSet } from '../sources/hec-auth.ts';
import { isHttpSource } from '../sources/types.ts';
import type { Source } from '../sources/types.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import { healthRoutes } from './health-routes.ts';
import { HttpServer } from './http-server.ts';
import type { Route } from './http-server.ts';
import { formatListenAddress, parseListenAddress } from './listen-address.ts';
import type { ListenAddress } from './listen-address.ts';
import type { Readiness } from './readiness.ts';

export interface StartServersOptions {
  sources: readonly Source[];
  /** The config's `http.listen`: where the health and metrics endpoints go. */
  httpListen?: string | undefined;
  /** The config's `http.token`, resolved: /metrics and the /readyz details then need it. */
  httpToken?: string | undefined;
  readiness: Readiness;
  metrics: Metrics;
  logger?: Logger;
  /** The web console's routes: on `listen` when given, else beside the health endpoints (http.listen), else on loopback HEC addresses. */
  console?: { listen?: string | undefined; routes: readonly Route[] } | undefined;
}

export async function startHttpServers(options: StartServersOptions): Promise<HttpServer[]> {
  const routesByAddress = new Map<string, Route[]>();
  const add = (listen: string, routes: readonly Route[]) => {
    const key = listen.toLowerCase();
    const existing = routesByAddress.get(key) ?? [];
    const clash = routes.find((route) => existing.some((other) => other.path === route.path && other.method === route.method));
    if (clash !== undefined) throw new ConfigError(`two sources serve ${clash.method} ${clash.path} on ${listen}; give each its own address or path`);
    routesByAddress.set(key, [...existing, ...routes]);
  };
  for (const source of options.sources) if (isHttpSource(source)) add(source.listen, source.routes);
  const tokens = options.httpToken === undefined ? undefined : new TokenSet([options.httpToken]);
  if (options.httpListen !== undefined) add(options.httpListen, healthRoutes(options.readiness, options.metrics, { internal: true, tokens }));
  else {
    for (const listen of [...routesByAddress.keys()]) add(listen, healthRoutes(options.readiness, options.metrics, { internal: false, tokens }));
    if (tokens === undefined && routesByAddress.size > 0) {
      options.logger?.warn('/metrics is served on the HEC address without a token; set http.listen (recommended) or http.token', {
        addresses: [...routesByAddress.keys()],
      });
    }
  }

  if (options.console !== undefined) {
    const { listen, routes } = options.console;
    const addresses = listen !== undefined ? [listen] : options.httpListen !== undefined ? [options.httpListen] : [...routesByAddress.keys()].filter(isLoopback);
    for (const address of addresses) add(address, routes);
    if (addresses.length === 0) options.logger?.warn('the console is not served: no loopback address to share; set console.listen', {});
  }

  const servers: HttpServer[] = [];
  try {
    for (const [listen, routes] of routesByAddress) {
      const server = new HttpServer({ metrics: options.metrics, ...(options.logger === undefined ? {} : { logger: options.logger }) });
      server.mount(routes);
      const bound = await listenOrExplain(server, listen);
      servers.push(server);
      // The bound address: with port 0 in the config, this is where the real port is told.
      options.logger?.info('listening', { address: formatListenAddress(bound), routes: routes.map((route) => route.path) });
    }
  } catch (error) {
    await Promise.all(servers.map((server) => server.close()));
    throw error;
  }
  return servers;
}

async function listenOrExplain(server: HttpServer, listen: string): Promise<ListenAddress> {
  try {
    return await server.listen(parseListenAddress(listen));
  } catch (error) {
    if (error instanceof TailwatchError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new TailwatchError('LISTEN', `cannot listen on ${listen} (${code}): ${LISTEN_HINTS[code] ?? 'check the listen address in the config'}`, { cause: error });
  }
}

/** The console shares only addresses that other machines cannot reach. */
function isLoopback(listen: string): boolean {
  const { host } = parseListenAddress(listen);
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

const LISTEN_HINTS: Record<string, string> = {
  EADDRINUSE: 'another process uses this port; stop it, or change `listen` in the config',
  EACCES: 'this user may not bind that port; use a port above 1024, or change `listen` in the config',
  EADDRNOTAVAIL: 'no interface of this host has that address; change `listen` in the config',
};
