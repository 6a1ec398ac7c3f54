// What a suppression matches on: stable Tailscale identities of the matching event (never titles or free text).
import { z } from 'zod';
import { parseEndpoint } from '../schemas/address.ts';
import type { AuditEvent } from '../schemas/audit.ts';
import type { TailscaleEvent } from '../schemas/log-types.ts';
import type { NetworkEvent } from '../schemas/network.ts';
import { TRAFFIC_KINDS } from '../schemas/network.ts';
import type { WebhookEvent } from '../schemas/webhook.ts';

export const IdentityMatch = z
  .strictObject({
    /** Audit: the target node (or acting node); flow logs: the logging node or its source node. */
    nodeId: z.string().min(1).optional(),
    /** Audit: the actor's tags or the tags set on the target; flow logs: the source node's tags. */
    tag: z.string().regex(/^tag:/, 'a tag starts with "tag:"').optional(),
    /** Audit: the actor's login; flow logs: the source node's owner; webhooks: the event's actor or user. */
    user: z.string().min(1).optional(),
    /** Audit: the target key (target.type API_KEY). */
    authKeyId: z.string().min(1).optional(),
    tailnet: z.string().min(1).optional(),
    /** Flow logs: a destination IP of any traffic entry of the record. */
    dstIp: z.string().min(1).optional(),
    /** Flow logs: a destination port of any traffic entry of the record. */
    dstPort: z.int().min(0).max(65535).optional(),
  })
  .refine((match) => Object.keys(match).length > 0, 'name at least one identity (nodeId, tag, user, authKeyId, tailnet, dstIp, dstPort)');
export type IdentityMatch = z.output<typeof IdentityMatch>;

/** Every identity given must be one of the event's (the fields are ANDed). */
export function matchesIdentities(match: IdentityMatch, event: TailscaleEvent): boolean {
  if (match.tailnet !== undefined && event.p_tailnet !== match.tailnet) return false;
  const has = (key: keyof Omit<IdentityMatch, 'tailnet'>) => match[key] === undefined || identities(event, key).includes(match[key] as never);
  return has('nodeId') && has('tag') && has('user') && has('authKeyId') && has('dstIp') && has('dstPort');
}

type Key = 'nodeId' | 'tag' | 'user' | 'authKeyId' | 'dstIp' | 'dstPort';

function identities(event: TailscaleEvent, key: Key): readonly (string | number)[] {
  if (event.p_log_type === 'Tailscale.Audit') return auditIdentities(event as AuditEvent, key);
  if (event.p_log_type === 'Tailscale.Network') return flowIdentities(event as NetworkEvent, key);
  return webhookIdentities(event as WebhookEvent, key);
}

function auditIdentities({ event }: AuditEvent, key: Key): readonly (string | number)[] {
  const { actor, target } = event;
  switch (key) {
    case 'nodeId':
      return [target?.type === 'NODE' ? target.id : undefined, actor?.type === 'NODE' ? actor.id : undefined].filter(isString);
    case 'tag':
      return [...(actor?.tags ?? []), ...(target?.property === 'ACL_TAGS' && Array.isArray(event.new) ? event.new : [])].filter(isString);
    case 'user':
      return [actor?.loginName].filter(isString);
    case 'authKeyId':
      return target?.type === 'API_KEY' ? [target.id] : [];
    default:
      return [];
  }
}

function flowIdentities({ event }: NetworkEvent, key: Key): readonly (string | number)[] {
  switch (key) {
    case 'nodeId':
      return [event.nodeId, event.srcNode?.nodeId].filter(isString);
    case 'tag':
      return event.srcNode?.tags ?? [];
    case 'user':
      return [event.srcNode?.user].filter(isString);
    case 'dstIp':
    case 'dstPort': {
      const side = key === 'dstIp' ? 'ip' : 'port';
      return TRAFFIC_KINDS.flatMap((kind) => (event[kind] ?? []).map((entry) => parseEndpoint(entry.dst)[side])).filter((v) => v !== undefined);
    }
    default:
      return [];
  }
}

function webhookIdentities({ event }: WebhookEvent, key: Key): readonly (string | number)[] {
  const data = event.data;
  if (key === 'nodeId') return [data?.nodeID].filter(isString);
  if (key === 'user') return [data?.actor, data?.user].filter(isString);
  return [];
}

function isString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}
