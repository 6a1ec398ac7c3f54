// What a webhook or audit event says about the inventory, as changes that became true at the event's time. Only
// facts the event states are applied; everything else waits for the next poll.
import type { AuditEvent } from '../schemas/audit.ts';
import type { TailscaleEvent } from '../schemas/log-types.ts';
import { isUnlisted } from '../schemas/open-enum.ts';
import type { WebhookEvent } from '../schemas/webhook.ts';
import { POLICY_ID } from './records.ts';
import type { InventoryKind } from './records.ts';

/** A change without its stream position (the tracker adds it). */
export interface EventChange {
  kind: InventoryKind;
  id: string;
  record: Record<string, unknown> | null;
  patch: boolean;
}

/** `userId` resolves a login name (webhooks name users by login) to the id the inventory knows it by. */
export function changesFrom(event: TailscaleEvent, userId: (login: string) => string): EventChange[] {
  if (event.p_log_type === 'Tailscale.Webhook') return webhookChanges(event, userId);
  if (event.p_log_type === 'Tailscale.Audit') return auditChanges(event);
  return [];
}

const patch = (kind: InventoryKind, id: string, record: Record<string, unknown>): EventChange => ({ kind, id, record, patch: true });
const deletion = (kind: InventoryKind, id: string): EventChange => ({ kind, id, record: null, patch: false });

/** The user status each webhook event type sets. */
const USER_STATUS: Record<string, string> = {
  userCreated: 'active', userNeedsApproval: 'needs-approval', userApproved: 'active', userSuspended: 'suspended', userRestored: 'active',
};

function webhookChanges(event: WebhookEvent, userId: (login: string) => string): EventChange[] {
  const { type, data } = event.event;
  const nodeId = data?.nodeID;
  if (nodeId !== undefined) {
    const name = data?.deviceName === undefined ? {} : { name: data.deviceName };
    // The actor of a node's first event is the user who added it (the login that authenticated the device).
    const createdBy = data?.actor === undefined || data.actor === '' ? {} : { createdBy: data.actor };
    switch (type) {
      case 'nodeCreated': return [patch('node', nodeId, { ...name, ...createdBy })];
      case 'nodeNeedsApproval': return [patch('node', nodeId, { ...name, ...createdBy, authorized: false })];
      case 'nodeApproved': return [patch('node', nodeId, { ...name, authorized: true })];
      case 'nodeKeyExpired': return [patch('node', nodeId, { ...name, keyExpired: true })];
      case 'nodeKeyExpiringInOneDay': return data?.expiration === undefined ? [] : [patch('node', nodeId, { ...name, keyExpiry: data.expiration })];
      case 'nodeDeleted': return [deletion('node', nodeId)];
      default: return [];
    }
  }
  if (type === 'policyUpdate' && data?.newPolicy !== undefined) return [{ kind: 'policy', id: POLICY_ID, record: { raw: data.newPolicy }, patch: false }];
  const login = data?.user;
  if (login === undefined) return [];
  const id = userId(login);
  if (type === 'userDeleted') return [deletion('user', id)];
  if (type === 'userRoleUpdated' && data?.newRoles !== undefined) return [patch('user', id, { loginName: login, role: [data.newRoles].flat().join(',') })];
  const status = USER_STATUS[type];
  if (status === undefined) return [];
  return [patch('user', id, { loginName: login, status, ...(type === 'userCreated' ? { created: event.p_event_time } : {}) })];
}

function auditChanges(event: AuditEvent): EventChange[] {
  const { action, target, actor, new: value, error } = event.event;
  // A failed request changed nothing.
  if (error !== undefined && error !== '') return [];
  const named = target.name === undefined ? {} : target.type === 'USER' ? { loginName: target.name } : { name: target.name };
  if (target.type === 'NODE') {
    if (action === 'DELETE') return [deletion('node', target.id)];
    if (action === 'CREATE') return [patch('node', target.id, actor.loginName ? { ...named, createdBy: actor.loginName } : named)];
    if (action === 'APPROVE') return [patch('node', target.id, { ...named, authorized: true })];
    if (action === 'UPDATE' && target.property === 'ACL_TAGS' && isStrings(value)) return [patch('node', target.id, { ...named, tags: value })];
    if (action === 'UPDATE' && target.property === 'KEY_EXPIRY' && typeof value === 'boolean') return [patch('node', target.id, { ...named, keyExpiryDisabled: !value })];
    if (action === 'UPDATE' && target.property === 'KEY_EXPIRY_TIME' && typeof value === 'string') return [patch('node', target.id, { ...named, keyExpiry: value })];
    return [];
  }
  if (target.type === 'USER') {
    if (action === 'DELETE') return [deletion('user', target.id)];
    if (action === 'CREATE') return [patch('user', target.id, { ...named, status: 'active', created: event.p_event_time })];
    if (action === 'APPROVE' || action === 'RESTORE') return [patch('user', target.id, { ...named, status: 'active' })];
    if (action === 'SUSPEND') return [patch('user', target.id, { ...named, status: 'suspended' })];
    if (action === 'UPDATE' && target.property === 'USER_ROLE' && typeof value === 'string') return [patch('user', target.id, { ...named, role: value })];
    return [];
  }
  if (target.type === 'API_KEY') {
    if (action === 'CREATE') return [patch('key', target.id, {})];
    if (action === 'DELETE' || action === 'REVOKE') return [deletion('key', target.id)];
    return [];
  }
  // A policy file change: the tailnet's ACL property (as Tailscale.Policy.File.Updated reads it), or an ACL target.
  const isPolicy = target.type === 'ACL' || (target.type === 'TAILNET' && isUnlisted(target.property, 'ACL'));
  if (isPolicy && typeof value === 'string' && value !== '') return [{ kind: 'policy', id: POLICY_ID, record: { raw: value }, patch: false }];
  return [];
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
