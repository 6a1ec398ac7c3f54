// Tailscale API answers (https://tailscale.com/api) as inventory records. Shapes, from the public API reference:
// GET /tailnet/{t}/devices?fields=all → { devices: [{ nodeId, name, hostname, user, tags, os, addresses, created,
// lastSeen, expires, keyExpiryDisabled, authorized, connectedToControl, postureIdentity, ... }] };
// GET /tailnet/{t}/users → { users: [{ id, loginName, displayName, role, status, created, ... }] };
// GET /tailnet/{t}/keys?all=true → { keys: [{ id, keyType, ... }] }, and GET /tailnet/{t}/keys/{id} → { id, keyType,
// description, created, expires, revoked, userId, scopes, capabilities: { devices: { create: { reusable, ephemeral,
// preauthorized, tags } } } }; GET /tailnet/{t}/acl with Accept: application/json → the policy as JSON.
// Unknown fields are ignored; a record without its id is skipped (and counted by the poller).
import type { InventoryKey, InventoryNode, InventoryUser } from './records.ts';

type Json = Record<string, unknown>;

export function listOf(body: unknown, field: string): Json[] {
  const list = (body as Json | null)?.[field];
  return Array.isArray(list) ? list.filter((item): item is Json => typeof item === 'object' && item !== null) : [];
}

export function nodeFromApi(device: Json): InventoryNode | undefined {
  const id = text(device['nodeId']);
  if (id === undefined) return undefined;
  const posture = device['postureIdentity'];
  return compact({
    id,
    name: text(device['name']),
    hostname: text(device['hostname']),
    user: text(device['user']),
    tags: strings(device['tags']),
    os: text(device['os']),
    addresses: strings(device['addresses']),
    created: text(device['created']),
    lastSeen: text(device['lastSeen']),
    online: bool(device['connectedToControl']),
    keyExpiry: text(device['expires']),
    keyExpiryDisabled: bool(device['keyExpiryDisabled']),
    authorized: bool(device['authorized']),
    posture: typeof posture === 'object' && posture !== null ? (posture as Json) : undefined,
  });
}

export function userFromApi(user: Json): InventoryUser | undefined {
  const id = text(user['id']);
  if (id === undefined) return undefined;
  return compact({
    id, loginName: text(user['loginName']), displayName: text(user['displayName']), role: text(user['role']), status: text(user['status']), created: text(user['created']),
  });
}

export function keyFromApi(key: Json): InventoryKey | undefined {
  const id = text(key['id']);
  if (id === undefined) return undefined;
  const create = ((key['capabilities'] as Json | undefined)?.['devices'] as Json | undefined)?.['create'] as Json | undefined;
  return compact({
    id,
    keyType: text(key['keyType']) ?? 'auth',
    description: text(key['description']),
    reusable: bool(create?.['reusable']),
    ephemeral: bool(create?.['ephemeral']),
    preauthorized: bool(create?.['preauthorized']),
    tags: strings(create?.['tags']),
    created: text(key['created']),
    expires: text(key['expires']),
    revoked: text(key['revoked']),
    userId: text(key['userId']),
    scopes: strings(key['scopes']),
  });
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const bool = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined);
const strings = (value: unknown): string[] | undefined => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined);

/** Drops undefined fields, so records compare and store the same however they were built. */
function compact<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}
