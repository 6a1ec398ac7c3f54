// Tailscale webhook event (https://tailscale.com/kb/1213/webhooks): one element of the JSON array a webhook POSTs.
// The envelope fields are those of Tailscale's example consumer (docs/webhooks/example.go: timestamp, version, type,
// tailnet, message, data); the `data` fields are the ones seen in published examples, all optional. Types hold the
// documented fields only (see documented.ts); parsing keeps the others.
import { z } from 'zod';
import type { Documented } from './documented.ts';
import type { Envelope } from './normalized.ts';
import { openEnum } from './open-enum.ts';

/** The event types a webhook endpoint can subscribe to (admin console and API), plus `test` from "Send test event". */
export const WEBHOOK_EVENT_TYPES = [
  'nodeCreated', 'nodeNeedsApproval', 'nodeApproved', 'nodeKeyExpiringInOneDay', 'nodeKeyExpired', 'nodeDeleted',
  'nodeSigned', 'nodeNeedsSignature', 'policyUpdate', 'userCreated', 'userNeedsApproval', 'userSuspended',
  'userRestored', 'userDeleted', 'userApproved', 'userRoleUpdated', 'subnetIPForwardingNotEnabled',
  'exitNodeIPForwardingNotEnabled', 'test',
] as const;

export const WebhookData = z.looseObject({
  nodeID: z.string().optional(),
  deviceName: z.string().optional(),
  managedBy: z.string().optional(),
  /** Who caused the event (a login name), when a person did. */
  actor: z.string().optional(),
  user: z.string().optional(),
  /** The admin console page of the node, user or policy. */
  url: z.string().optional(),
  expiration: z.string().optional(),
  oldPolicy: z.string().optional(),
  newPolicy: z.string().optional(),
  // Published examples disagree on one role (string) or a list of them.
  oldRoles: z.union([z.string(), z.array(z.string())]).optional(),
  newRoles: z.union([z.string(), z.array(z.string())]).optional(),
});
export type WebhookData = Documented<z.infer<typeof WebhookData>>;

export const WebhookRecord = z.looseObject({
  /** RFC 3339: when the event happened (the event time). */
  timestamp: z.string(),
  version: z.number(),
  type: openEnum(WEBHOOK_EVENT_TYPES),
  /** The tailnet as Tailscale names it (p_tailnet is the source's configured tailnet). */
  tailnet: z.string(),
  message: z.string(),
  data: WebhookData.optional(),
});
export type WebhookRecord = Documented<z.infer<typeof WebhookRecord>>;

export type WebhookEvent = Envelope<WebhookRecord> & { p_log_type: 'Tailscale.Webhook' };
