// The console's routes: its page and assets, login/logout, and the JSON API (docs/console.md) behind ConsoleAuth.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Alert } from '../alerts/alert.ts';
import { retryDeadLetters } from '../destinations/outbox-admin.ts';
import { StateError } from '../errors.ts';
import { InventoryReader } from '../inventory/reader.ts';
import { addAdHocSuppression, historyAlert } from '../suppressions/suppression-store.ts';
import type { RuleInfo } from '../rules/rule-info.ts';
import { sendJson, type Route } from '../server/http-server.ts';
import type { Readiness } from '../server/readiness.ts';
import { transaction, type Database } from '../state/database.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import { alertDetail } from './alert-detail.ts';
import type { AlertFeed } from './alert-feed.ts';
import { listAlerts, matchingAlertIds, MAX_PAGE_SIZE, parseAlertFilter } from './alert-list.ts';
import { originAllowed, type Caller, type ConsoleAuth } from './console-auth.ts';
import { healthReport } from './health-report.ts';
import { rulesReport } from './rule-stats.ts';
import { SECURITY_HEADERS, staticRoutes } from './static-assets.ts';
import { trafficReport } from './traffic-query.ts';
import { changeTriage, changeTriageMany, TRIAGE_STATUSES, TriageError, type TriageChange } from './triage.ts';

export interface ConsoleDeps {
  db: Database;
  auth: ConsoleAuth;
  feed: AlertFeed;
  readiness: Readiness;
  metrics: Metrics;
  /** The rules running now (they change on reload). */
  rules: () => readonly RuleInfo[];
  /** The rules the watchdog stopped (off until their file changes or a restart). */
  stoppedRules: () => readonly { ruleId: string; budgetMs: number }[];
  /** Where an alert is routed under the running config. */
  route: (alert: Alert) => readonly string[];
  destinations: () => readonly string[];
  /** Wakes the deliverer after dead letters were moved back into the outbox. */
  onRetried: () => void;
  now?: () => number;
}

const MAX_BODY_BYTES = 64 * 1024;
/** A bulk action touches at most this many alerts of the filtered selection. */
export const MAX_BULK = 10_000;
/** The longest a suppression made from the console lasts (longer ones belong in alerts.config.ts, reviewed). */
export const MAX_SUPPRESS_HOURS = 30 * 24;

class BadRequest extends Error {}

export function consoleRoutes(deps: ConsoleDeps): Route[] {
  const { db, auth } = deps;
  const now = deps.now ?? Date.now;
  const inventory = new InventoryReader(db);
  type Handler = (req: IncomingMessage, res: ServerResponse, caller: Caller, query: URLSearchParams) => Promise<void> | void;
  const api = (method: 'GET' | 'POST', path: string, handler: Handler): Route => ({
    method,
    path,
    name: 'console-api',
    handler: async (req, res) => {
      const caller = auth.require(req, res, method === 'POST');
      if (caller === undefined) return;
      try {
        await handler(req, res, caller, new URL(req.url ?? '/', 'http://console').searchParams);
      } catch (error) {
        if (!(error instanceof BadRequest || error instanceof RangeError || error instanceof TriageError)) throw error;
        sendJson(res, error instanceof TriageError ? 409 : 400, { text: error.message }, { headers: SECURITY_HEADERS });
      }
    },
  });
  const reply = (res: ServerResponse, body: unknown, status = 200) => sendJson(res, status, body, { headers: { ...SECURITY_HEADERS, 'Cache-Control': 'no-store' } });

  return [
    ...staticRoutes(),
    {
      method: 'POST',
      path: '/api/login',
      name: 'console-login',
      handler: async (req, res) => {
        if (!originAllowed(req)) return reply(res, { text: 'cross-site login refused' }, 403);
        const wait = auth.throttledForSeconds;
        if (wait > 0) {
          res.setHeader('Retry-After', String(wait));
          return reply(res, { text: `too many wrong passwords; try again in ${wait} s` }, 429);
        }
        const body = await readJson(req).catch((error: unknown) => error as Error);
        if (body instanceof Error) return reply(res, { text: body.message }, 400);
        const user = typeof body.user === 'string' ? body.user.trim().slice(0, 100) : '';
        if (user === '' || typeof body.password !== 'string' || !auth.passwordMatches(body.password)) {
          return reply(res, { text: 'wrong name or password' }, 401);
        }
        const session = auth.sessions.create(user);
        res.setHeader('Set-Cookie', auth.sessionCookie(req, session));
        reply(res, { user, csrfToken: session.csrfToken });
      },
    },
    api('POST', '/api/logout', (req, res, caller) => {
      if (caller.session !== undefined) auth.sessions.end(caller.session.id);
      res.setHeader('Set-Cookie', auth.sessionCookie(req, undefined));
      reply(res, { ok: true });
    }),
    {
      method: 'GET',
      path: '/api/session',
      name: 'console-api',
      handler: (req, res) => {
        const caller = auth.caller(req);
        reply(res, caller === undefined ? { user: null } : { user: caller.user, csrfToken: caller.session?.csrfToken ?? null }, caller === undefined ? 401 : 200);
      },
    },
    api('GET', '/api/alerts', (_req, res, _caller, query) => {
      const limit = Math.min(MAX_PAGE_SIZE, Math.max(1, Number(query.get('limit') ?? 50) || 50));
      reply(res, listAlerts(db, parseAlertFilter(query), limit, query.get('cursor') ?? undefined));
    }),
    api('GET', '/api/alert', (_req, res, _caller, query) => {
      const detail = alertDetail(db, inventory, query.get('id') ?? '', deps.route);
      if (detail === undefined) return reply(res, { text: `no alert ${query.get('id') ?? ''}` }, 404);
      reply(res, detail);
    }),
    api('POST', '/api/alert/triage', async (req, res, caller) => {
      const body = await readJson(req);
      if (typeof body.id !== 'string') throw new BadRequest('id (the alert id) is required');
      const triage = changeTriage(db, body.id, triageChange(body), caller.user, now());
      deps.feed.publish('triage', { alertId: body.id, status: triage.status, assignee: triage.assignee });
      reply(res, triage);
    }),
    api('POST', '/api/alert/suppress', async (req, res, caller) => {
      const body = await readJson(req);
      const { id, hours, reason } = body;
      if (typeof id !== 'string') throw new BadRequest('id (the alert id) is required');
      if (typeof hours !== 'number' || !(hours > 0 && hours <= MAX_SUPPRESS_HOURS)) throw new BadRequest(`hours must be a number above 0, at most ${MAX_SUPPRESS_HOURS}`);
      if (typeof reason !== 'string' || reason.trim() === '') throw new BadRequest('reason is required (it is shown wherever the suppression is listed)');
      let alert;
      try {
        alert = historyAlert(db, id);
      } catch (error) {
        if (error instanceof StateError) return reply(res, { text: error.message }, 404);
        throw error;
      }
      const nowMs = now();
      const stored = transaction(db, () => {
        const added = addAdHocSuppression(db, alert, { reason: reason.trim(), createdBy: caller.user, nowMs, expiresAtMs: nowMs + hours * 3_600_000 });
        changeTriage(db, id, { note: `suppressed like this for ${hours} h (adhoc-${added.id}): ${reason.trim()}` }, caller.user, nowMs);
        return added;
      });
      reply(res, { id: `adhoc-${stored.id}`, ruleId: stored.ruleId, tailnet: stored.tailnet, dedup: stored.dedup, from: new Date(stored.fromMs).toISOString(), expires: new Date(stored.expiresAtMs).toISOString() });
    }),
    api('POST', '/api/alerts/bulk', async (req, res, caller, query) => {
      const body = await readJson(req);
      const ids = matchingAlertIds(db, parseAlertFilter(query), MAX_BULK);
      const result = changeTriageMany(db, ids, triageChange(body), caller.user, now());
      deps.feed.publish('triage', { bulk: true, changed: result.changed });
      reply(res, { selected: ids.length, ...result });
    }),
    api('GET', '/api/rules', (_req, res) => reply(res, rulesReport(db, deps.rules(), deps.stoppedRules()))),
    api('GET', '/api/traffic', (_req, res, _caller, query) => {
      const time = (name: string) => {
        const text = query.get(name);
        if (text === null || text === '') return undefined;
        const ms = Date.parse(text);
        if (Number.isNaN(ms)) throw new BadRequest(`${name} "${text}" is not a date or time`);
        return ms;
      };
      reply(res, trafficReport(db, {
        tailnet: query.get('tailnet') || undefined,
        fromMs: time('from'),
        toMs: time('to'),
        minutes: Math.min(14 * 24 * 60, Math.max(1, Number(query.get('minutes') ?? 60) || 60)),
        top: Math.min(50, Math.max(1, Number(query.get('top') ?? 10) || 10)),
      }));
    }),
    api('GET', '/api/health', async (_req, res, _caller, query) => {
      reply(res, await healthReport(db, deps.readiness, deps.metrics, deps.destinations(), query.get('reason') || undefined));
    }),
    api('POST', '/api/dead-letters/retry', async (req, res) => {
      const body = await readJson(req);
      const destination = typeof body.destination === 'string' ? body.destination : undefined;
      const retried = retryDeadLetters(db, { destination }, now());
      if (retried > 0) deps.onRetried();
      reply(res, { retried });
    }),
    api('GET', '/api/stream', (req, res) => deps.feed.subscribe(req, res)),
  ];
}

function triageChange(body: Record<string, unknown>): TriageChange {
  const { status, assignee, note } = body;
  if (status !== undefined && !(TRIAGE_STATUSES as readonly unknown[]).includes(status)) {
    throw new BadRequest(`status must be one of ${TRIAGE_STATUSES.join(', ')}`);
  }
  if (assignee !== undefined && assignee !== null && typeof assignee !== 'string') throw new BadRequest('assignee must be text or null');
  if (note !== undefined && typeof note !== 'string') throw new BadRequest('note must be text');
  if (status === undefined && assignee === undefined && (note === undefined || note.trim() === '')) throw new BadRequest('nothing to change: give status, assignee or note');
  return { status: status as TriageChange['status'], assignee: assignee as string | null | undefined, note: note as string | undefined };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) throw new BadRequest('send a JSON body (Content-Type: application/json)');
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BadRequest(`the body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw new BadRequest(`the body is not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BadRequest('the body must be a JSON object');
  return value as Record<string, unknown>;
}
