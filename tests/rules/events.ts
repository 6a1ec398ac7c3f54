// Test events: API-shaped records (as Tailscale's API and S3 export deliver them), parsed by the real parser.
import type { TailscaleEvent } from '../../engine/schemas/log-types.ts';
import { DEFAULT_PARSE_SETTINGS, parseRecord } from '../../engine/schemas/index.ts';

export const T0_MS = Date.parse('2026-06-03T15:00:00.000Z');

/** An audit record at T0 + `minute` minutes; `event` fields override the defaults. */
export function auditRecord(minute: number, event: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    logged: new Date(T0_MS + minute * 60_000 + 500).toISOString(),
    eventTime: new Date(T0_MS + minute * 60_000).toISOString(),
    type: 'CONFIG',
    eventGroupID: `eg${minute}`,
    origin: 'ADMIN_CONSOLE',
    actor: { id: 'uAlice1CNTRL', type: 'USER', loginName: 'alice@example.com', displayName: 'Alice' },
    target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'MAGIC_DNS' },
    action: 'DISABLE',
    ...event,
  };
}

export function networkRecord(minute: number): Record<string, unknown> {
  const end = T0_MS + minute * 60_000;
  return {
    logged: new Date(end + 1000).toISOString(),
    nodeId: 'nFlowSrc1CNTRL',
    start: new Date(end - 5000).toISOString(),
    end: new Date(end).toISOString(),
    virtualTraffic: [{ proto: 6, src: '100.64.0.11:22', dst: '100.64.0.12:58544', txPkts: 51, txBytes: 6420 }],
  };
}

export function parsed(record: Record<string, unknown>): TailscaleEvent {
  const result = parseRecord(record, { ...DEFAULT_PARSE_SETTINGS, sourceId: 'test', sourceLabel: 'test' });
  if (!result.ok) throw new Error(`test record does not parse: ${result.message}`);
  return result.event;
}

export const auditEvent = (minute: number, event: Record<string, unknown> = {}): TailscaleEvent => parsed(auditRecord(minute, event));
