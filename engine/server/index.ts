// The evaluator's HTTP surface: servers per listen address, health/readiness/metrics routes.
export { HttpServer, sendJson, type Route, type RouteHandler, type RequestContext, type HttpServerOptions } from './http-server.ts';
export { healthRoutes } from './health-routes.ts';
export { Readiness, type ReadinessCheck, type CheckResult, type ReadinessReport } from './readiness.ts';
export { startHttpServers, type StartServersOptions } from './start-servers.ts';
export { parseListenAddress, formatListenAddress, type ListenAddress } from './listen-address.ts';
