// The log types tailwatch understands; a rule's `logTypes` picks its event type from this map.
import type { AuditEvent } from './audit.ts';
import type { NetworkEvent } from './network.ts';
import type { WebhookEvent } from './webhook.ts';

export const LOG_TYPES = ['Tailscale.Audit', 'Tailscale.Network', 'Tailscale.Webhook'] as const;
export type LogType = (typeof LOG_TYPES)[number];

export interface EventsByLogType {
  'Tailscale.Audit': AuditEvent;
  'Tailscale.Network': NetworkEvent;
  'Tailscale.Webhook': WebhookEvent;
}

export type EventOf<L extends LogType> = EventsByLogType[L];
export type TailscaleEvent = EventsByLogType[LogType];
