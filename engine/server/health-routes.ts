// GET /healthz (the process answers), /readyz (every readiness check passes), /metrics (Prometheus text).
import type { Metrics } from '../telemetry/metrics.ts';
import { sendJson } from './http-server.ts';
import type { Route } from './http-server.ts';
import type { Readiness } from './readiness.ts';

export function healthRoutes(readiness: Readiness, metrics: Metrics): Route[] {
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
      handler: async (_req, res) => {
        const report = await readiness.evaluate();
        const failing = report.checks.filter((check) => !check.ok);
        sendJson(res, report.ready ? 200 : 503, { status: report.ready ? 'ready' : 'not ready', failing, checks: report.checks });
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      name: 'metrics',
      handler: async (_req, res) => {
        const text = await metrics.text();
        res.setHeader('Content-Type', metrics.contentType);
        res.end(text);
      },
    },
  ];
}
