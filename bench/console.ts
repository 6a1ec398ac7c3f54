// npm run bench console: the console with 100k alerts in the database, each with its kept events, and an inventory of
// 400 nodes and 500 users (JSON API pages through a real HTTP server, and the alerts page in Chromium when
// /usr/bin/chromium exists), and the traffic rollups' disk cost per day of the bench stream (400 nodes, a flow record
// every 12 ms).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alert } from '../engine/alerts/alert.ts';
import { FIRST_EVENTS, LATEST_EVENTS, type AlertEvent } from '../engine/alerts/alert-events.ts';
import { AlertFeed } from '../engine/console/alert-feed.ts';
import { ConsoleAuth } from '../engine/console/console-auth.ts';
import { consoleRoutes } from '../engine/console/console-routes.ts';
import { countRuleMatches } from '../engine/console/rule-match-counts.ts';
import { Sessions } from '../engine/console/sessions.ts';
import { TrafficRollup } from '../engine/console/traffic-rollup.ts';
import { rollupSize } from '../engine/console/traffic-query.ts';
import { changeTriageMany } from '../engine/console/triage.ts';
import { InventoryStore } from '../engine/inventory/store.ts';
import { AlertEventStore } from '../engine/pipeline/live/alert-event-store.ts';
import { AlertLedger } from '../engine/pipeline/live/alert-ledger.ts';
import { DEFAULT_PARSE_SETTINGS, parseRecord } from '../engine/schemas/parse.ts';
import { HttpServer } from '../engine/server/http-server.ts';
import { Readiness } from '../engine/server/readiness.ts';
import { openDatabase, transaction, type Database } from '../engine/state/index.ts';
import { Metrics } from '../engine/telemetry/metrics.ts';
import { generateStream } from './generate-stream.ts';

const ALERTS = Number(process.env.BENCH_ALERTS ?? 100_000);
const ROLLUP_MINUTES = Number(process.env.BENCH_ROLLUP_MINUTES ?? 30);
const PASSWORD = 'bench';
const RULES = ['Tailscale.Magic.DNS.Disabled', 'Tailscale.HTTPS.Disabled', 'Tailscale.SSH.Fanout', 'Tailscale.Port.Scan', 'Tailscale.Failed.Requests.Burst'];
const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;

function fillAlerts(db: Database): void {
  const ledger = new AlertLedger(db);
  const events = new AlertEventStore(db);
  const startMs = Date.parse('2026-06-01T00:00:00Z');
  fillInventory(db, startMs);
  transaction(db, () => {
    for (let i = 0; i < ALERTS; i++) {
      const at = new Date(startMs + i * 30_000).toISOString();
      const alert: Alert = {
        alertId: `bench${i.toString(16).padStart(10, '0')}`,
        revision: 1,
        type: 'RULE',
        ruleId: RULES[i % RULES.length] ?? '',
        tailnet: i % 3 === 0 ? 'corp.example' : 'default',
        severity: SEVERITIES[i % SEVERITIES.length] ?? 'LOW',
        title: `Tailscale user [user${i % 500}@example.com] changed setting ${i}`,
        dedup: `user${i % 500}@example.com`,
        eventCount: 1 + (i % 7),
        firstEventTime: at,
        lastEventTime: at,
        windowStart: at,
        windowEnd: at,
        logTypes: ['Tailscale.Audit'],
        alertContext: { actor: `user${i % 500}@example.com`, node: `node-${i % 400}.example.ts.net` },
        tags: ['Tailscale', i % 2 === 0 ? 'Defense Evasion' : 'Discovery'],
        reports: {},
      };
      ledger.add(alert, startMs);
      const kept: AlertEvent[] = [];
      for (let ordinal = 1; ordinal <= Math.min(alert.eventCount, FIRST_EVENTS + LATEST_EVENTS); ordinal++) kept.push(benchEvent(alert, i, ordinal));
      events.add(kept, startMs);
      countRuleMatches(db, kept.map(() => ({ ruleId: alert.ruleId, eventTimeMs: Date.parse(at) })));
    }
  });
  // A tenth triaged, as in a console that has been used for a while.
  const ids = (db.prepare('SELECT alert_id FROM alerts WHERE rowid % 10 = 0').all() as { alert_id: string }[]).map((row) => row.alert_id);
  changeTriageMany(db, ids, { status: 'acknowledged', assignee: 'ann' }, 'bench', startMs);
}

/** An audit record of the size Tailscale sends (≈ 450 bytes of JSON). */
function benchEvent(alert: Alert, i: number, ordinal: number): AlertEvent {
  const record = {
    eventGroupID: `${i.toString(16).padStart(24, '0')}${ordinal.toString(16).padStart(8, '0')}`, origin: 'ADMIN_CONSOLE', action: 'UPDATE',
    actor: { id: `u${i % 500}CNTRL`, type: 'USER', loginName: `user${i % 500}@example.com`, displayName: `User ${i % 500}` },
    target: { id: `n${i % 400}CNTRL`, name: `node-${i % 400}.example.ts.net`, type: 'NODE', property: 'ACL_TAGS' },
    old: ['tag:dev'], new: ['tag:prod'], eventTime: alert.firstEventTime, type: 'CONFIG',
  };
  return { alertId: alert.alertId, ordinal, eventTimeMs: Date.parse(alert.firstEventTime), source: 'hec', logType: 'Tailscale.Audit', record: JSON.stringify(record), truncated: false };
}

function fillInventory(db: Database, sinceMs: number): void {
  const store = new InventoryStore(db);
  const since = { tailnet: 'default', validFrom: sinceMs, learnedAt: 0, origin: 'import' };
  transaction(db, () => {
    for (let n = 0; n < 400; n++) {
      store.insert({ ...since, kind: 'node', id: `n${n}CNTRL`, record: { id: `n${n}CNTRL`, name: `node-${n}.example.ts.net`, user: `user${n}@example.com`, tags: ['tag:prod'], addresses: [`100.64.${n >> 8}.${n & 255}`] } });
    }
    for (let u = 0; u < 500; u++) store.insert({ ...since, kind: 'user', id: `u${u}CNTRL`, record: { id: `u${u}CNTRL`, loginName: `user${u}@example.com`, role: 'member' } });
  });
}

async function median(times: number, fn: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? 0;
}

async function apiTimings(base: string): Promise<void> {
  const headers = { authorization: `Bearer ${PASSWORD}` };
  const get = async (path: string) => {
    const response = await fetch(`${base}${path}`, { headers });
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return (await response.json()) as { next?: string | null };
  };
  let cursor: string | null | undefined;
  for (let page = 0; page < 200; page++) cursor = (await get(`/api/alerts?limit=50${cursor ? `&cursor=${cursor}` : ''}`)).next;
  const cases: [string, string][] = [
    ['first page (50)', '/api/alerts?limit=50'],
    ['page 200 (keyset cursor)', `/api/alerts?limit=50&cursor=${cursor ?? ''}`],
    ['severity=HIGH', '/api/alerts?limit=50&severity=HIGH'],
    ['status=acknowledged', '/api/alerts?limit=50&status=acknowledged'],
    ['rule + tailnet', '/api/alerts?limit=50&rule=Tailscale.Port.Scan&tailnet=corp.example'],
    ['title search (rare word)', '/api/alerts?limit=50&q=setting%2099999'],
    ['user (context search)', '/api/alerts?limit=50&user=user7@example.com'],
    ['rules page', '/api/rules'],
    ['an alert (events, inventory)', '/api/alert?id=bench0000000003'],
  ];
  for (const [name, path] of cases) console.log(`  ${name.padEnd(26)} ${(await median(15, () => get(path))).toFixed(1)} ms`);
}

async function browserTiming(base: string): Promise<void> {
  if (!existsSync('/usr/bin/chromium')) {
    console.log('  (no /usr/bin/chromium: browser page load not measured)');
    return;
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update'] });
  try {
    const page = await browser.newPage();
    await page.goto(base);
    await page.getByLabel('Your name').fill('bench');
    await page.getByLabel('Console password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.locator('table.alerts tbody tr').first().waitFor();
    const load = async (hash: string) => {
      await page.goto('about:blank');
      await page.goto(`${base}/${hash}`);
      await page.locator('table.alerts tbody tr').first().waitFor();
    };
    console.log(`  alerts page, browser load to first row: ${(await median(7, () => load('#/alerts'))).toFixed(0)} ms`);
    console.log(`  alerts page filtered (severity=HIGH, q): ${(await median(7, () => load('#/alerts?severity=HIGH&q=setting'))).toFixed(0)} ms`);
  } finally {
    await browser.close();
  }
}

function rollupCost(): void {
  const dir = mkdtempSync(join(tmpdir(), 'tailwatch-bench-rollup-'));
  const db = openDatabase(dir);
  try {
    const rollup = new TrafficRollup();
    const records = (ROLLUP_MINUTES * 60_000) / 12;
    const context = { ...DEFAULT_PARSE_SETTINGS, sourceId: 'bench', sourceLabel: 'bench', maxFutureSkewMinutes: Infinity };
    let batch = 0;
    const start = performance.now();
    for (const line of generateStream({ records, shape: 'panther', auditShare: 0 })) {
      const parsed = parseRecord(JSON.parse(line), context);
      if (!parsed.ok || parsed.event.p_log_type !== 'Tailscale.Network') continue;
      rollup.add(parsed.event, parsed.eventTimeMs);
      // Batches of 500 records, as a HEC sender posts them.
      if (++batch % 500 === 0) transaction(db, () => rollup.flush(db));
    }
    transaction(db, () => rollup.flush(db));
    const ms = performance.now() - start;
    const size = rollupSize(db);
    const perDay = (value: number) => (value * 24 * 60) / ROLLUP_MINUTES;
    console.log(`rollups for ${ROLLUP_MINUTES} minutes of the bench stream (${records.toLocaleString('en')} records, 400 nodes): ${size.totals} total rows, ${size.edges} edge rows, ${(size.bytes / 2 ** 20).toFixed(2)} MiB`);
    console.log(`  per day: ${(perDay(size.bytes) / 2 ** 20).toFixed(0)} MiB (${Math.round(perDay(size.edges)).toLocaleString('en')} edge rows); 14 days retained: ${((perDay(size.bytes) * 14) / 2 ** 30).toFixed(2)} GiB`);
    console.log(`  parse + rollup: ${Math.round(records / (ms / 1000)).toLocaleString('en')} records/s`);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const dir = mkdtempSync(join(tmpdir(), 'tailwatch-bench-console-'));
const db = openDatabase(dir);
const server = new HttpServer();
const feed = new AlertFeed(db);
try {
  const filled = performance.now();
  fillAlerts(db);
  console.log(`console with ${ALERTS.toLocaleString('en')} alerts (filled in ${Math.round(performance.now() - filled)} ms)`);
  const kept = db.prepare("SELECT (SELECT count(*) FROM alert_events) AS n, (SELECT sum(pgsize) FROM dbstat WHERE name IN ('alert_events', 'alert_events_recorded_at', 'sqlite_autoindex_alert_events_1')) AS bytes").get() as { n: number; bytes: number };
  console.log(`  kept events: ${kept.n.toLocaleString('en')} rows, ${(kept.bytes / 2 ** 20).toFixed(0)} MiB (${Math.round(kept.bytes / kept.n)} bytes per event)`);
  server.mount(consoleRoutes({
    db,
    auth: new ConsoleAuth(PASSWORD, new Sessions(1)),
    feed,
    readiness: new Readiness(),
    metrics: new Metrics({ processMetrics: false }),
    rules: () => [],
    stoppedRules: () => [],
    route: () => [],
    destinations: () => [],
    onRetried: () => {},
  }));
  const address = await server.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${address.port}`;
  console.log('JSON API, median of 15:');
  await apiTimings(base);
  await browserTiming(base);
} finally {
  feed.close();
  await server.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
rollupCost();
