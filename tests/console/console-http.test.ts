// The console's HTTP surface on 127.0.0.1: login, the session cookie's flags, CSRF and Origin checks on every state
// change, Bearer access for scripts (never with a HEC token), clear 400/409 answers, and the page's security headers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertFeed } from '../../engine/console/alert-feed.ts';
import { ConsoleAuth, MAX_FAILURES_PER_MINUTE } from '../../engine/console/console-auth.ts';
import { consoleRoutes } from '../../engine/console/console-routes.ts';
import { Sessions } from '../../engine/console/sessions.ts';
import { listAdHocSuppressions } from '../../engine/suppressions/suppression-store.ts';
import { staticRoutes } from '../../engine/console/static-assets.ts';
import { AlertLedger } from '../../engine/pipeline/live/alert-ledger.ts';
import { HttpServer } from '../../engine/server/http-server.ts';
import { Readiness } from '../../engine/server/readiness.ts';
import { openDatabase, type Database } from '../../engine/state/database.ts';
import { Metrics } from '../../engine/telemetry/metrics.ts';
import { makeAlert } from '../support/make-alert.ts';

const PASSWORD = 'console-test-password';
let dir: string;
let db: Database;
let server: HttpServer;
let feed: AlertFeed;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tailwatch-console-http-'));
  db = openDatabase(dir);
  new AlertLedger(db).add(makeAlert({ alertId: 'alert-1' }), 0);
  feed = new AlertFeed(db);
  server = new HttpServer();
  server.mount(consoleRoutes({
    db,
    auth: new ConsoleAuth(PASSWORD, new Sessions(1)),
    feed,
    readiness: new Readiness(),
    metrics: new Metrics(),
    rules: () => [],
    stoppedRules: () => [],
    route: () => ['archive'],
    destinations: () => ['archive'],
    onRetried: () => {},
  }));
  const address = await server.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  feed.close();
  await server.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const json = { 'content-type': 'application/json' };

async function login(headers: Record<string, string> = {}): Promise<{ cookie: string; setCookie: string; csrfToken: string }> {
  const response = await fetch(`${base}/api/login`, { method: 'POST', headers: { ...json, ...headers }, body: JSON.stringify({ user: 'ann', password: PASSWORD }) });
  expect(response.status).toBe(200);
  const setCookie = response.headers.get('set-cookie') ?? '';
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie: setCookie.split(';')[0] ?? '', setCookie, csrfToken };
}

const triage = (headers: Record<string, string>, body: unknown = { id: 'alert-1', note: 'looked' }) =>
  fetch(`${base}/api/alert/triage`, { method: 'POST', headers: { ...json, ...headers }, body: JSON.stringify(body) });

describe('console HTTP', () => {
  it('serves the page with a strict Content-Security-Policy', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(await page.text()).toContain('/assets/');
  });

  it('names the fix when the built front end is missing', () => {
    expect(() => staticRoutes(join(dir, 'no-build'))).toThrow(/console's built files are missing from .*no-build: run npm run build:console, or set console: \{ enabled: false \}/);
  });

  it('logs in with the password only, and sets an HttpOnly, SameSite=Strict cookie (Secure behind TLS)', async () => {
    const wrong = await fetch(`${base}/api/login`, { method: 'POST', headers: json, body: JSON.stringify({ user: 'ann', password: 'guess' }) });
    expect(wrong.status).toBe(401);
    const { setCookie } = await login();
    expect(setCookie).toMatch(/^tailwatch_console=[\w-]{20,}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=3600$/);
    expect((await login({ 'x-forwarded-proto': 'https' })).setCookie).toMatch(/; Secure$/);
    const foreign = await fetch(`${base}/api/login`, { method: 'POST', headers: { ...json, origin: 'http://prizes.example' }, body: JSON.stringify({ user: 'ann', password: PASSWORD }) });
    expect(foreign.status).toBe(403);
  });

  it('needs the session’s CSRF token and its own Origin for a change; reads need only the cookie', async () => {
    const { cookie, csrfToken } = await login();
    expect((await fetch(`${base}/api/alerts`, { headers: { cookie } })).status).toBe(200);
    expect((await triage({ cookie })).status).toBe(403);
    expect((await triage({ cookie, 'x-csrf-token': 'forged' })).status).toBe(403);
    expect((await triage({ cookie, 'x-csrf-token': csrfToken, origin: 'http://prizes.example' })).status).toBe(403);
    const ok = await triage({ cookie, 'x-csrf-token': csrfToken, origin: base });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { timeline: { who: string }[] }).timeline.at(-1)?.who).toBe('ann');
  });

  it('lets a script use the console password as a Bearer token, named by X-Tailwatch-User', async () => {
    const answer = await triage({ authorization: `Bearer ${PASSWORD}`, 'x-tailwatch-user': 'soar-bot' }, { id: 'alert-1', assignee: 'bob' });
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { assignee: string; timeline: { who: string }[] })).toMatchObject({ assignee: 'bob', timeline: expect.arrayContaining([expect.objectContaining({ who: 'soar-bot' })]) });
    expect((await fetch(`${base}/api/alerts`, { headers: { authorization: 'Bearer e2e-hec-token-0123456789' } })).status).toBe(401);
  });

  it('answers a bad request 400 and a transition that is not allowed 409, naming the problem', async () => {
    const bearer = { authorization: `Bearer ${PASSWORD}` };
    const badStatus = await triage(bearer, { id: 'alert-1', status: 'closed' });
    expect(badStatus.status).toBe(400);
    expect(((await badStatus.json()) as { text: string }).text).toBe('status must be one of open, acknowledged, resolved, false_positive');
    const notJson = await fetch(`${base}/api/alert/triage`, { method: 'POST', headers: { ...bearer, 'content-type': 'text/plain' }, body: 'id=alert-1' });
    expect(notJson.status).toBe(400);
    expect((await triage(bearer, { id: 'alert-1', status: 'resolved' })).status).toBe(200);
    const conflict = await triage(bearer, { id: 'alert-1', status: 'acknowledged' });
    expect(conflict.status).toBe(409);
    expect(((await conflict.json()) as { text: string }).text).toBe('an alert that is resolved cannot become acknowledged');
    expect((await fetch(`${base}/api/alerts?severity=SEVERE`, { headers: bearer })).status).toBe(400);
  });

  it('suppresses more like an alert for a while, with who and why, noted in its timeline', async () => {
    const bearer = { authorization: `Bearer ${PASSWORD}`, 'x-tailwatch-user': 'ann' };
    const suppress = (body: unknown) => fetch(`${base}/api/alert/suppress`, { method: 'POST', headers: { ...json, ...bearer }, body: JSON.stringify(body) });
    expect((await suppress({ id: 'alert-1', hours: 0, reason: 'x' })).status).toBe(400);
    expect((await suppress({ id: 'alert-1', hours: 4 })).status).toBe(400);
    expect((await suppress({ id: 'no-such-alert', hours: 4, reason: 'x' })).status).toBe(404);
    const answer = await suppress({ id: 'alert-1', hours: 4, reason: 'planned maintenance' });
    expect(answer.status).toBe(200);
    const alert = makeAlert({ alertId: 'alert-1' });
    expect(await answer.json()).toMatchObject({ ruleId: alert.ruleId, tailnet: 'default', dedup: alert.dedup, from: alert.windowStart });
    expect(listAdHocSuppressions(db)).toMatchObject([{ alertId: 'alert-1', reason: 'planned maintenance', createdBy: 'ann' }]);
    const detail = (await (await fetch(`${base}/api/alert?id=alert-1`, { headers: bearer })).json()) as { triage: { timeline: { note: string | null }[] } };
    expect(detail.triage.timeline.at(-1)?.note).toMatch(/^suppressed like this for 4 h \(adhoc-\d+\): planned maintenance$/);
  });

  it('moves a destination’s dead letters back into the outbox from the health page', async () => {
    db.prepare(`INSERT INTO dead_letters (alert_id, revision, destination, alert, enqueued_at, attempts, failed_at, reason, error)
      VALUES ('alert-1', 1, 'archive', ?, 0, 25, 0, 'max_attempts', 'ECONNREFUSED')`).run(JSON.stringify(makeAlert({ alertId: 'alert-1' })));
    const bearer = { ...json, authorization: `Bearer ${PASSWORD}` };
    const health = (await (await fetch(`${base}/api/health`, { headers: bearer })).json()) as { destinations: unknown[] };
    expect(health.destinations).toEqual([{ destination: 'archive', pending: 0, deadLetters: 1 }]);
    const retried = await fetch(`${base}/api/dead-letters/retry`, { method: 'POST', headers: bearer, body: JSON.stringify({ destination: 'archive' }) });
    expect(await retried.json()).toEqual({ retried: 1 });
    const after = (await (await fetch(`${base}/api/health`, { headers: bearer })).json()) as { destinations: unknown[] };
    expect(after.destinations).toEqual([{ destination: 'archive', pending: 1, deadLetters: 0 }]);
  });

  it('slows password guessing: after too many wrong passwords in a minute, logins get 429 until it has passed', () => {
    let nowMs = 0;
    const auth = new ConsoleAuth(PASSWORD, new Sessions(1), () => nowMs);
    for (let i = 0; i < MAX_FAILURES_PER_MINUTE; i++) expect(auth.passwordMatches(`guess-${i}`)).toBe(false);
    expect(auth.throttledForSeconds).toBe(60);
    nowMs = 45_000;
    expect(auth.throttledForSeconds).toBe(15);
    nowMs = 60_001;
    expect(auth.throttledForSeconds).toBe(0);
    expect(auth.passwordMatches(PASSWORD)).toBe(true);
  });

  it('ends the session at logout', async () => {
    const { cookie, csrfToken } = await login();
    expect((await fetch(`${base}/api/logout`, { method: 'POST', headers: { ...json, cookie, 'x-csrf-token': csrfToken } })).status).toBe(200);
    expect((await fetch(`${base}/api/alerts`, { headers: { cookie } })).status).toBe(401);
  });

  // Last: it leaves the server refusing logins for a minute.
  it('answers logins 429 with Retry-After once the wrong passwords of the minute are used up', async () => {
    const attempt = () => fetch(`${base}/api/login`, { method: 'POST', headers: json, body: JSON.stringify({ user: 'eve', password: 'guess' }) });
    for (let i = 0; i < MAX_FAILURES_PER_MINUTE; i++) await attempt();
    const refused = await attempt();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await fetch(`${base}/api/alerts`, { headers: { authorization: `Bearer ${PASSWORD}` } })).status).toBe(401);
  });
});
