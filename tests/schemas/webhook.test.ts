// Tailscale.Webhook: classified by content (never an audit or network record), typed, timed by `timestamp`.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeBuffer } from '../../engine/decode/index.ts';
import { classify, isRawObject, unwrap } from '../../engine/schemas/classify.ts';
import { DEFAULT_PARSE_SETTINGS, parseRecord } from '../../engine/schemas/index.ts';
import type { ParseResult, WebhookEvent } from '../../engine/schemas/index.ts';
import { nodeNeedsApproval, webhookEvent } from '../support/tailscale-webhook-sender.ts';

const context = { ...DEFAULT_PARSE_SETTINGS, tailnet: 'corp', sourceId: 'tailscale-webhook', sourceLabel: 'tailscale-webhook' };
const TS = '2026-08-10T09:00:00.123456789Z';

function ok(result: ParseResult): WebhookEvent {
  if (!result.ok) throw new Error(result.message);
  expect(result.event.p_log_type).toBe('Tailscale.Webhook');
  return result.event as WebhookEvent;
}

describe('Tailscale.Webhook records', () => {
  it('parse with their own timestamp as event time, the source tailnet as p_tailnet and their indicators', () => {
    const raw = { ...nodeNeedsApproval(TS, 'laptop.tail1234.ts.net'), extra: 'kept' };
    const result = parseRecord(raw, { ...context, receivedAtMs: Date.parse(TS) + 2000 });
    const event = ok(result);
    expect(result.ok && result.eventTimeMs).toBe(Date.parse('2026-08-10T09:00:00.123Z'));
    expect(event).toMatchObject({
      p_event_time: '2026-08-10T09:00:00.123Z', p_tailnet: 'corp', event: raw,
      p_any_emails: ['alice@example.com'], p_any_usernames: ['alice'], p_any_domain_names: ['laptop.tail1234.ts.net'],
    });
    expect(event.event.data?.deviceName).toBe('laptop.tail1234.ts.net');
  });

  it('accept an unknown event type and undocumented data fields', () => {
    const event = ok(parseRecord(webhookEvent('nodeRenamed', TS, { oldName: 'a', newRoles: ['admin'] }), context));
    expect(event.event.type).toBe('nodeRenamed');
  });

  it('are rejected for a bad or implausible timestamp, or a field of the wrong type', () => {
    expect(parseRecord(webhookEvent('nodeCreated', 'yesterday'), context)).toMatchObject({ ok: false, reason: 'invalid_time' });
    expect(parseRecord(webhookEvent('nodeCreated', '2099-01-01T00:00:00Z'), { ...context, receivedAtMs: Date.parse(TS) }))
      .toMatchObject({ ok: false, reason: 'time_out_of_range' });
    expect(parseRecord(webhookEvent('nodeCreated', '2018-01-01T00:00:00Z'), context)).toMatchObject({ ok: false, reason: 'time_out_of_range' });
    expect(parseRecord({ ...webhookEvent('nodeCreated', TS), version: 'one' }, context)).toMatchObject({ ok: false, reason: 'schema_mismatch' });
    expect(parseRecord({ ...webhookEvent('nodeCreated', TS), data: { nodeID: 7 } }, context)).toMatchObject({ ok: false, reason: 'schema_mismatch' });
  });

  it('need timestamp, type, tailnet and version to be classified as webhook events', () => {
    const { version: _, ...withoutVersion } = webhookEvent('nodeCreated', TS);
    expect(parseRecord(withoutVersion, context)).toMatchObject({ ok: false, reason: 'unknown_log_type' });
    // An audit record with a `type` (API shape) and the webhook fields too stays an audit record.
    const audit = {
      action: 'CREATE', actor: { id: 'u1', type: 'USER' }, target: { id: 'n1', type: 'NODE' }, eventTime: TS,
      type: 'CONFIG', timestamp: TS, tailnet: 'example.com', version: 1,
    };
    expect(classify(audit)).toBe('Tailscale.Audit');
  });

  it('never capture a record of the real-world corpus', () => {
    const corpus = join(import.meta.dirname, '../../fixtures/corpus');
    const logTypes = new Set<string | undefined>();
    for (const file of readdirSync(corpus).filter((name) => name !== 'README.md')) {
      for (const result of decodeBuffer(readFileSync(join(corpus, file)), file)) {
        if (!result.ok || !isRawObject(result.value)) continue;
        logTypes.add(classify(unwrap(result.value).record));
      }
    }
    expect(logTypes.has('Tailscale.Webhook')).toBe(false);
    expect(logTypes.has('Tailscale.Audit') && logTypes.has('Tailscale.Network')).toBe(true);
  });
});
