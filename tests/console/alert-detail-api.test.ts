// GET /api/alert over HTTP on 127.0.0.1, on what a live pipeline stored: the events that formed the alert, and the
// inventory of the nodes and users it names as of its time (one deleted by the alert's own event as it was just
// before), or null when the tailnet has no inventory.
import { afterEach, describe, expect, it } from 'vitest';
import { AlertFeed } from '../../engine/console/alert-feed.ts';
import { ConsoleAuth } from '../../engine/console/console-auth.ts';
import { consoleRoutes } from '../../engine/console/console-routes.ts';
import { Sessions } from '../../engine/console/sessions.ts';
import { InventoryStore } from '../../engine/inventory/store.ts';
import { HttpServer } from '../../engine/server/http-server.ts';
import { Readiness } from '../../engine/server/readiness.ts';
import type { Database } from '../../engine/state/database.ts';
import { Metrics } from '../../engine/telemetry/metrics.ts';
import { auditRecord, T0_MS } from '../rules/events.ts';
import { batchOf, pipelineDir, type PipelineDir } from './support/pipeline.ts';

const PASSWORD = 'alert-detail-password';
let data: PipelineDir | undefined;
let server: HttpServer | undefined;
let feed: AlertFeed | undefined;
afterEach(async () => {
  feed?.close();
  await server?.close();
  data?.remove();
});

async function serve(db: Database): Promise<(path: string) => Promise<Response>> {
  feed = new AlertFeed(db);
  server = new HttpServer();
  server.mount(consoleRoutes({
    db, auth: new ConsoleAuth(PASSWORD, new Sessions(1)), feed, readiness: new Readiness(), metrics: new Metrics(),
    rules: () => [], stoppedRules: () => [], route: () => ['archive'], destinations: () => ['archive'], onRetried: () => {},
  }));
  const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
  return (path) => fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${PASSWORD}` } });
}

const deletion = (minute: number) => auditRecord(minute, { action: 'DELETE', target: { id: 'nGone1CNTRL', name: 'gone.example.ts.net', type: 'NODE' } });
const gone = { id: 'nGone1CNTRL', name: 'gone.example.ts.net', user: 'alice@example.com', tags: ['tag:ci'], keyExpiry: '2026-09-01T00:00:00Z', authorized: true, lastSeen: '2026-06-03T14:58:00Z' };
const alice = { id: 'uAlice1CNTRL', loginName: 'alice@example.com', role: 'admin', status: 'active' };

describe('GET /api/alert', () => {
  it('gives the events that formed the alert and the inventory of the nodes and users it names', async () => {
    data = pipelineDir(['E2e.Api.Audit.Delete'], { rulesDir: 'fixtures/e2e/rules' });
    const { pipeline, db } = await data.start();
    const store = new InventoryStore(db);
    const since = { tailnet: 'default', validFrom: T0_MS - 86_400_000, learnedAt: 0, origin: 'import' };
    store.apply({ ...since, kind: 'node', id: gone.id, record: gone });
    store.apply({ ...since, kind: 'user', id: alice.id, record: alice });
    // The alert's own event deleted the node.
    store.apply({ ...since, validFrom: T0_MS + 60_000, kind: 'node', id: gone.id, record: null });
    await pipeline.handle(batchOf([deletion(1), deletion(2)]));
    const get = await serve(db);
    const { alerts } = (await (await get('/api/alerts')).json()) as { alerts: { alertId: string }[] };
    const response = await get(`/api/alert?id=${alerts[0]?.alertId ?? ''}`);
    expect(response.status).toBe(200);
    const detail = (await response.json()) as Record<string, unknown>;
    expect(detail.kept).toEqual({ first: 5, latest: 5 });
    expect(detail.events).toEqual([1, 2].map((minute) => ({
      ordinal: minute,
      eventTime: new Date(T0_MS + minute * 60_000).toISOString(),
      source: 'file',
      logType: 'Tailscale.Audit',
      record: expect.objectContaining({ action: 'DELETE', eventGroupID: `eg${minute}` }),
      truncated: false,
    })));
    expect(detail.inventory).toEqual([
      { kind: 'node', record: gone, asOf: new Date(T0_MS + 60_000 - 1).toISOString(), goneByLastEvent: true },
      // As of the stored revision's last event: the second match shows in the events before a revision counts it.
      { kind: 'user', record: alice, asOf: new Date(T0_MS + 60_000).toISOString(), goneByLastEvent: false },
    ]);
  });

  it('says there is no inventory when the tailnet has none', async () => {
    data = pipelineDir(['E2e.Api.Audit.Delete'], { rulesDir: 'fixtures/e2e/rules' });
    const { pipeline, db } = await data.start();
    // A deletion the inventory learns nothing from (a node's would teach it the node is gone).
    await pipeline.handle(batchOf([auditRecord(1, { action: 'DELETE', target: { id: 'example.com', type: 'TAILNET', property: 'LOGSTREAM_ENDPOINT' } })]));
    const get = await serve(db);
    const { alerts } = (await (await get('/api/alerts')).json()) as { alerts: { alertId: string }[] };
    const detail = (await (await get(`/api/alert?id=${alerts[0]?.alertId ?? ''}`)).json()) as Record<string, unknown>;
    expect(detail.inventory).toBeNull();
    expect(detail.events).toHaveLength(1);
  });
});
