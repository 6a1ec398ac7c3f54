// `tailwatch run` as a child process, spoken to like Tailscale's log streaming would: the real corpus HEC body,
// gzip, every auth scheme, wrong tokens, oversized bodies, a gzip bomb, bad records; alerts reach a signed webhook;
// /healthz, /readyz and /metrics answer; SIGTERM exits 0 with the state flushed to SQLite.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plantedStream } from '../../fixtures/e2e/planted-stream.ts';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';
import type { WebhookReceiver } from '../support/webhook-receiver.ts';
import { waitFor } from '../support/wait-for.ts';
import { hecBody, postHec } from './support/hec-client.ts';
import { scrape, getJson, valueOf } from './support/scrape.ts';
import { startTailwatch } from './support/tailwatch-process.ts';
import type { TailwatchProcess } from './support/tailwatch-process.ts';
import { HEC_TOKEN, ROOT, WEBHOOK_SECRET, createWorkspace } from './support/workspace.ts';
import type { Workspace } from './support/workspace.ts';

const CORPUS_BODY = readFileSync(join(ROOT, 'fixtures/corpus/hec-stream-body.txt'));
const MAX_BODY_BYTES = 256 * 1024;
const MAX_DECOMPRESSED_BYTES = 4 * 2 ** 20;
const { batches } = plantedStream();
/** Minute 5 holds alice disabling Magic DNS; minute 8 erin disabling HTTPS. */
const MAGIC_DNS_BATCH = hecBody(batches[5] ?? []);
const HTTPS_BATCH = hecBody(batches[8] ?? []);

const audit = (action: string) => ({
  eventTime: '2026-08-10T10:30:00.000Z',
  eventGroupID: `e2eMarker${action}`,
  origin: 'CONFIG_API',
  actor: { id: 'kMarkerCNTRL', type: 'OAUTH_CLIENT', loginName: '', displayName: 'OAuth client' },
  target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'ACL_TAGS' },
  action,
});

let receiver: WebhookReceiver;
let workspace: Workspace;
let tailwatch: TailwatchProcess;

beforeAll(async () => {
  receiver = await startWebhookReceiver({ secret: WEBHOOK_SECRET });
  workspace = await createWorkspace({
    webhookUrl: receiver.url,
    extraRules: [join(ROOT, 'fixtures/e2e/rules/e2e-throws-on-marker.ts')],
    hecOptions: { maxBodyBytes: MAX_BODY_BYTES, maxDecompressedBytes: MAX_DECOMPRESSED_BYTES },
  });
  tailwatch = await startTailwatch({ configPath: workspace.configPath, env: workspace.env });
});

afterAll(async () => {
  await tailwatch?.kill();
  await receiver?.close();
  await workspace?.remove();
});

const deliveredRules = () => receiver.alerts().map((payload) => payload.ruleId);

describe('tailwatch run over HTTP', () => {
  it('is healthy and ready once running', async () => {
    expect(await getJson(`${tailwatch.baseUrl}/healthz`)).toEqual({ status: 200, body: { status: 'ok' } });
    const ready = await getJson(`${tailwatch.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ready');
    expect((await fetch(`${tailwatch.baseUrl}/services/collector/health`)).status).toBe(200);
  });

  it('accepts the real Tailscale HEC body (two concatenated envelopes)', async () => {
    const reply = await postHec(tailwatch.baseUrl, CORPUS_BODY, { token: HEC_TOKEN });
    expect(reply).toMatchObject({ status: 200, body: { text: 'Success', code: 0 } });
  });

  it('accepts gzip bodies and Bearer or Basic auth, and delivers their alerts signed', async () => {
    const gzipped = await postHec(tailwatch.baseUrl, MAGIC_DNS_BATCH, { authorization: `Bearer ${HEC_TOKEN}`, gzip: true });
    expect(gzipped).toMatchObject({ status: 200, body: { code: 0 } });
    const basic = `Basic ${Buffer.from(`tailscale:${HEC_TOKEN}`).toString('base64')}`;
    expect((await postHec(tailwatch.baseUrl, HTTPS_BATCH, { authorization: basic, path: '/services/collector' })).status).toBe(200);

    await waitFor(() => receiver.alerts().length >= 2, 'two alerts at the webhook');
    expect(deliveredRules().sort()).toEqual(['Tailscale.HTTPS.Disabled', 'Tailscale.Magic.DNS.Disabled']);
    expect(receiver.requests.every((request) => request.signatureValid)).toBe(true);
    const [key, payload] = [...receiver.processed][0] ?? [];
    expect(`${String(payload?.alertId)}:${String(payload?.revision)}`).toBe(key);
  });

  it('answers wrong, missing and malformed tokens with HEC codes 4, 2 and 3', async () => {
    expect(await postHec(tailwatch.baseUrl, CORPUS_BODY, { token: 'not-the-token' })).toMatchObject({ status: 401, body: { code: 4 } });
    expect(await postHec(tailwatch.baseUrl, CORPUS_BODY)).toMatchObject({ status: 401, body: { code: 2 } });
    expect(await postHec(tailwatch.baseUrl, CORPUS_BODY, { authorization: 'Splunk' })).toMatchObject({ status: 401, body: { code: 3 } });
  });

  it('refuses an oversized body and a gzip bomb with 413, and keeps serving', async () => {
    const oversized = Buffer.alloc(MAX_BODY_BYTES + 1024, ' ');
    expect(await postHec(tailwatch.baseUrl, oversized, { token: HEC_TOKEN })).toMatchObject({ status: 413 });
    const bomb = gzipSync(Buffer.alloc(64 * 2 ** 20, ' '));
    expect(bomb.length).toBeLessThan(MAX_BODY_BYTES);
    const bombed = await postHec(tailwatch.baseUrl, bomb, { token: HEC_TOKEN, headers: { 'content-encoding': 'gzip' } });
    expect(bombed).toMatchObject({ status: 413 });
    expect((await postHec(tailwatch.baseUrl, CORPUS_BODY, { token: HEC_TOKEN })).status).toBe(200);
  });

  it('keeps the good records of a body with bad ones, and refuses a body with no good record', async () => {
    const mixed = `${JSON.stringify({ event: audit('CREATE') })}{"event": not json}${JSON.stringify({ event: { nothing: 'useful' } })}`;
    const partly = await postHec(tailwatch.baseUrl, mixed, { token: HEC_TOKEN });
    expect(partly).toMatchObject({ status: 200, body: { code: 0, rejected: 2 } });
    const allBad = await postHec(tailwatch.baseUrl, '{"event": {"nothing": 1}}', { token: HEC_TOKEN });
    expect(allBad).toMatchObject({ status: 400, body: { code: 6 } });
  });

  it('turns a throwing rule into a RULE_ERROR alert and goes on', async () => {
    expect((await postHec(tailwatch.baseUrl, JSON.stringify({ event: audit('E2E_THROW') }), { token: HEC_TOKEN })).status).toBe(200);
    await waitFor(() => [...receiver.processed.values()].some((payload) => payload.type === 'RULE_ERROR'), 'a RULE_ERROR alert');
    const error = [...receiver.processed.values()].find((payload) => payload.type === 'RULE_ERROR');
    expect(error).toMatchObject({ ruleId: 'E2e.Throws.On.Marker', error: { message: 'the e2e marker makes this rule throw' } });
  });

  it('exposes the pipeline metrics the issue lists', async () => {
    await waitFor(() => receiver.alerts().length >= 3, 'three alerts delivered');
    const { text, samples } = await scrape(tailwatch.baseUrl);
    expect(valueOf(samples, 'tailwatch_records_received_total', { source: 'hec' })).toBeGreaterThanOrEqual(4 + 2 * 12);
    expect(valueOf(samples, 'tailwatch_records_rejected_total', { source: 'hec' })).toBeGreaterThanOrEqual(3);
    expect(valueOf(samples, 'tailwatch_events_total', { log_type: 'Tailscale.Network' })).toBeGreaterThanOrEqual(24);
    expect(valueOf(samples, 'tailwatch_events_total', { log_type: 'Tailscale.Audit' })).toBeGreaterThanOrEqual(3);
    expect(valueOf(samples, 'tailwatch_rule_matches_total', { rule_id: 'Tailscale.Magic.DNS.Disabled' })).toBe(1);
    expect(valueOf(samples, 'tailwatch_rule_errors_total', { rule_id: 'E2e.Throws.On.Marker' })).toBe(1);
    expect(valueOf(samples, 'tailwatch_alerts_total', { rule_id: 'Tailscale.HTTPS.Disabled', severity: 'HIGH' })).toBe(1);
    expect(valueOf(samples, 'tailwatch_deliveries_total', { destination: 'soar', outcome: 'delivered' })).toBeGreaterThanOrEqual(3);
    expect(valueOf(samples, 'tailwatch_outbox_pending')).toBe(0);
    expect(valueOf(samples, 'tailwatch_event_lag_seconds')).toBeGreaterThan(0);
    expect(valueOf(samples, 'tailwatch_ingest_to_alert_seconds_count')).toBe(3);
    expect(valueOf(samples, 'tailwatch_config_reload_failures_total')).toBe(0);
    expect(text).toContain('# TYPE tailwatch_ingest_to_alert_seconds histogram');
  });

  it('stops on SIGTERM with exit code 0 and its state flushed to SQLite', async () => {
    const exit = await tailwatch.stop();
    expect(exit).toEqual({ code: 0, signal: null });
    expect(tailwatch.logs.map((line) => line.msg)).toContain('stopped');
    const db = new DatabaseSync(join(workspace.dataDir, 'tailwatch.sqlite'), { readOnly: true });
    try {
      const count = (sql: string) => Number((db.prepare(sql).get() as { n: number }).n);
      expect(count('SELECT COUNT(*) AS n FROM snapshot')).toBe(1);
      expect(count('SELECT COUNT(*) AS n FROM journal')).toBe(0);
      expect(count('SELECT COUNT(*) AS n FROM outbox')).toBe(0);
      expect(count('SELECT COUNT(*) AS n FROM alerts')).toBe(receiver.processed.size);
      const state = JSON.parse((db.prepare('SELECT state FROM snapshot').get() as { state: string }).state) as { watermarks: unknown[] };
      expect(state.watermarks).toContainEqual(['default', 'Tailscale.Audit', Date.parse('2026-08-10T10:30:00.000Z')]);
    } finally {
      db.close();
    }
  });
});
