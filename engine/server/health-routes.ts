// GET /healthz (the process answers), /readyz (every readiness check passes), /metrics (Prometheus text).
// The readiness details and the metrics name rules, destinations and paths: with a token they need it; without one,
// /readyz tells its details only on the internal listener (http.listen), never on a HEC address that may be public.
import type { IncomingMessage } from 'node:http';
import type { TokenSet } from '../sources/hec-auth.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import { sendJson } from './http-server.ts';
import type { Route } from './http-server.ts';
import type { Readiness } from './readiness.ts';

export interface HealthAccess {
  /** Served on http.listen, apart from HEC. */
  internal: boolean;
  /** http.token: when set, /metrics and the /readyz details need it (`Authorization: Bearer <token>`). */
  tokens?: TokenSet | undefined;
}

export function healthRoutes(readiness: Readiness, metrics: Metrics, access: HealthAccess): Route[] {
  const authorized = (req: IncomingMessage) => (access.tokens === undefined ? undefined : access.tokens.check(req.headers.authorization) === 'ok');
  return [
    {
      method: 'GET',
      path: '/healthz',
      name: 'healthz',
      handler: (_req, res) => sendJson(res, 200, { status: 'ok' }),
    },
    {
      method: 'GET',
      path: '/readyz',
      name: 'readyz',
      handler: async (req, res) => {
        const report = await readiness.evaluate();
        const status = report.ready ? 'ready' : 'not ready';
        const code = report.ready ? 200 : 503;
        const caller = authorized(req);
        if (!(caller ?? access.internal)) return sendJson(res, code, { status });
        // Unauthenticated (the internal listener without a token): file names, not where they live.
        const checks = caller === true ? report.checks : report.checks.map((check) => (check.detail === undefined ? check : { ...check, detail: withoutDirectories(check.detail) }));
        sendJson(res, code, { status, failing: checks.filter((check) => !check.ok), checks });
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      name: 'metrics',
      handler: async (req, res) => {
        if (authorized(req) === false) {
          return sendJson(res, 401, { text: 'a bearer token is required' }, { headers: { 'WWW-Authenticate': 'Bearer' } });
        }
        const text = await metrics.text();
        res.setHeader('Content-Type', metrics.contentType);
        res.end(text);
      },
    },
  ];
}

/** Absolute paths (and file: URLs) in a message, cut to their last segment. */
const ABSOLUTE_PATH = /(?:file:\/\/)?(?<![\w.~-])\/(?:[^\s/:'"()]+\/)+([^\s/:'"()]+)/g;

function withoutDirectories(text: string): string {
  return text.replace(ABSOLUTE_PATH, '$1');
}
