// Every real-world sample in fixtures/corpus decodes and parses, without loss, into the right log type and time.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeBuffer } from '../../engine/decode/index.ts';
import { DEFAULT_PARSE_SETTINGS, parseRecord } from '../../engine/schemas/index.ts';
import type { TailscaleEvent } from '../../engine/schemas/index.ts';

const corpus = join(import.meta.dirname, '../../fixtures/corpus');
const context = { ...DEFAULT_PARSE_SETTINGS, sourceId: 'corpus', sourceLabel: 'corpus' };

function records(file: string): Record<string, unknown>[] {
  const results = decodeBuffer(readFileSync(join(corpus, file)), file);
  expect(results.filter((r) => !r.ok)).toEqual([]);
  return results.map((r) => (r.ok ? r.value : undefined) as Record<string, unknown>);
}

function events(file: string, unwrap: (record: Record<string, unknown>) => unknown = (r) => r): TailscaleEvent[] {
  return records(file).map((record) => {
    const raw = unwrap(record);
    const result = parseRecord(raw, context);
    if (!result.ok) throw new Error(`${file}: ${result.message}`);
    const inner = (raw as { event?: unknown }).event ?? raw;
    expect(result.event.event).toEqual(inner);
    return result.event;
  });
}

const summary = (list: TailscaleEvent[]) => list.map((e) => [e.p_log_type, e.p_event_time]);

describe('fixtures/corpus', () => {
  it('covers every sample file', () => {
    expect(readdirSync(corpus).filter((f) => f !== 'README.md').sort()).toEqual([
      'api-audit-record.json', 'api-network-record.json', 'datadog-samples.ndjson', 'hec-stream-body.txt',
      'panther-rule-tests.json', 'redacted-network-record.json', 's3-export-audit.ndjson', 's3-export-network.ndjson',
    ]);
  });

  it('hec-stream-body.txt: two concatenated envelopes; the record’s own time first, else the envelope time', () => {
    const list = events('hec-stream-body.txt');
    expect(summary(list)).toEqual([
      ['Tailscale.Network', '2026-06-03T15:32:59.274Z'],
      ['Tailscale.Audit', '2026-06-03T15:34:47.356Z'],
    ]);
    expect(list[0]).toMatchObject({ time: 1780500776.773, fields: { recorded: '2026-06-03T15:33:01.552946176Z' } });
  });

  it('API / S3-export records: eventTime for audit, end for network', () => {
    expect(summary(events('api-audit-record.json'))).toEqual([['Tailscale.Audit', '2026-06-02T19:00:05.558Z']]);
    expect(summary(events('api-network-record.json'))).toEqual([['Tailscale.Network', '2026-06-02T18:59:59.279Z']]);
    expect(summary(events('s3-export-network.ndjson'))).toEqual([['Tailscale.Network', '2026-07-24T09:05:05.000Z']]);
    const audit = events('s3-export-audit.ndjson');
    expect(audit).toHaveLength(20);
    expect(audit.every((e) => e.p_log_type === 'Tailscale.Audit')).toBe(true);
    expect([audit[0]!.p_event_time, audit[19]!.p_event_time]).toEqual(['2026-07-27T12:10:27.129Z', '2026-07-27T12:10:55.623Z']);
  });

  it('datadog-samples.ndjson: 3 audit records (one with origin ADMIN_UI) and 1 network record', () => {
    const list = events('datadog-samples.ndjson');
    expect(summary(list)).toEqual([
      ['Tailscale.Audit', '2022-07-20T20:13:30.136Z'],
      ['Tailscale.Audit', '2022-07-20T18:40:58.838Z'],
      ['Tailscale.Audit', '2022-07-20T22:35:19.590Z'],
      ['Tailscale.Network', '2022-10-28T22:39:56.886Z'],
    ]);
    // Obfuscated addresses (192.555.66.77, 100.99.888.77) are not IPs.
    expect(list[3]!.p_any_ip_addresses).toEqual(['100.111.22.33', '100.111.44.55', '100.44.55.66', '192.168.0.101', '143.110.111.222']);
  });

  it('redacted-network-record.json: redacted addresses parse and yield no IP', () => {
    const [event] = events('redacted-network-record.json');
    expect(summary([event!])).toEqual([['Tailscale.Network', '2024-04-08T21:39:15.715Z']]);
    expect(event!.p_any_ip_addresses).toEqual([]);
  });

  it('panther-rule-tests.json: the array decodes, each test case parses as the Tailscale.Audit record of its `log`', () => {
    const wrappers = records('panther-rule-tests.json');
    expect(wrappers).toHaveLength(6);
    const fromCases = wrappers.map((w) => parseRecord(w, context));
    const fromLogs = events('panther-rule-tests.json', (w) => w.log);
    expect(fromCases.map((r) => (r.ok ? r.event.event : r.message))).toEqual(fromLogs.map((e) => e.event));
    const list = fromCases.map((r) => (r.ok ? r.event : undefined)).filter((e) => e !== undefined);
    expect(summary(list)).toEqual([
      ['Tailscale.Audit', '2023-07-19T16:10:38.365Z'],
      ['Tailscale.Audit', '2023-07-19T16:11:41.601Z'],
      ['Tailscale.Audit', '2023-07-19T16:10:48.172Z'],
      ['Tailscale.Audit', '2023-07-19T16:11:41.601Z'],
      ['Tailscale.Audit', '2023-06-27T22:58:14.915Z'],
      ['Tailscale.Audit', '2023-07-19T16:11:41.601Z'],
    ]);
  });
});
