// Public schemas and parse API: raw JSON values → typed Tailscale events.
export { DEFAULT_PARSE_SETTINGS, parseRecord } from './parse.ts';
export type { ParseContext, ParseFailureReason, ParseResult, ParseSettings } from './parse.ts';
export { AuditActor, AuditRecord, AuditTarget, ACTOR_TYPES, AUDIT_ACTIONS, AUDIT_ORIGINS, TARGET_PROPERTIES, TARGET_TYPES } from './audit.ts';
export type { AuditEvent } from './audit.ts';
export { NetworkRecord, NodeInfo, TrafficEntry, TRAFFIC_KINDS } from './network.ts';
export type { NetworkEvent, TrafficKind } from './network.ts';
export { WebhookData, WebhookRecord, WEBHOOK_EVENT_TYPES } from './webhook.ts';
export type { WebhookEvent } from './webhook.ts';
export { isUnlisted } from './open-enum.ts';
export type { Open, Unlisted } from './open-enum.ts';
export { extraField } from './documented.ts';
export { parseEndpoint } from './address.ts';
export { dstEndpoints, srcEndpoints } from './traffic-endpoints.ts';
export type { Endpoint } from './address.ts';
export { normalizeTime, timeToMs, msToRfc3339 } from './time.ts';
export { LOG_TYPES } from './log-types.ts';
export type { EventOf, LogType, TailscaleEvent } from './log-types.ts';
export type { Envelope, NormalizedFields } from './normalized.ts';
