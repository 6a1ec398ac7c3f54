// What the inventory knows about a tailnet, one record type per kind: the fields rules read, as zod schemas (an
// import file and an inline test's fixture are validated with them) and the types derived from them.
import { z } from 'zod';

export const InventoryNode = z.strictObject({
  /** The device's node ID (the API's `nodeId`, as flow and audit records name nodes). */
  id: z.string().min(1),
  /** MagicDNS name, e.g. `web-1.example.ts.net`. */
  name: z.string().optional(),
  hostname: z.string().optional(),
  /** The owner's login name (for a tagged node, the user who tagged it). */
  user: z.string().optional(),
  tags: z.array(z.string()).optional(),
  os: z.string().optional(),
  /** Tailnet IPs (100.x and fd7a:115c:a1e0::/48). */
  addresses: z.array(z.string()).optional(),
  created: z.string().optional(),
  /**
   * The login that added the node: the actor of the webhook nodeCreated or nodeNeedsApproval, or of the audit NODE
   * CREATE. Only events tell it (the device API has no such field), so a polled version keeps it.
   */
  createdBy: z.string().optional(),
  /** As of the version's poll: a change of lastSeen alone is not a new version. */
  lastSeen: z.string().optional(),
  online: z.boolean().optional(),
  keyExpiry: z.string().optional(),
  keyExpiryDisabled: z.boolean().optional(),
  /** Tailscale reported the node key expired (webhook nodeKeyExpired). */
  keyExpired: z.boolean().optional(),
  authorized: z.boolean().optional(),
  /** Device posture attributes, when the credential may read them. */
  posture: z.record(z.string(), z.unknown()).optional(),
});
export type InventoryNode = z.infer<typeof InventoryNode>;

export const InventoryUser = z.strictObject({
  id: z.string().min(1),
  loginName: z.string().optional(),
  displayName: z.string().optional(),
  /** owner, member, admin, it-admin, network-admin, billing-admin, auditor. */
  role: z.string().optional(),
  /** active, idle, suspended, needs-approval, over-billing-limit. */
  status: z.string().optional(),
  created: z.string().optional(),
});
export type InventoryUser = z.infer<typeof InventoryUser>;

export const InventoryKey = z.strictObject({
  id: z.string().min(1),
  /** auth (auth keys), api (API access tokens), client (OAuth clients). */
  keyType: z.string().optional(),
  description: z.string().optional(),
  reusable: z.boolean().optional(),
  ephemeral: z.boolean().optional(),
  preauthorized: z.boolean().optional(),
  tags: z.array(z.string()).optional(),
  created: z.string().optional(),
  expires: z.string().optional(),
  revoked: z.string().optional(),
  /** The user who created the key (its `userId`). */
  userId: z.string().optional(),
  /** OAuth clients' scopes. */
  scopes: z.array(z.string()).optional(),
});
export type InventoryKey = z.infer<typeof InventoryKey>;

export const InventoryPolicy = z.strictObject({
  /** The policy file as Tailscale returns it (HuJSON: comments and trailing commas allowed). */
  raw: z.string(),
});
export type InventoryPolicy = z.infer<typeof InventoryPolicy>;

/** The policy in force with the time its version became true (ms; Number.MIN_SAFE_INTEGER: since before anything known). */
export interface PolicyInForce extends InventoryPolicy {
  readonly validFrom: number;
}

export const INVENTORY_KINDS = ['node', 'user', 'key', 'policy'] as const;
export type InventoryKind = (typeof INVENTORY_KINDS)[number];

export interface RecordOfKind {
  node: InventoryNode;
  user: InventoryUser;
  key: InventoryKey;
  policy: InventoryPolicy;
}

export const RECORD_SCHEMAS = { node: InventoryNode, user: InventoryUser, key: InventoryKey, policy: InventoryPolicy } as const;

/** Fields only events give, which a whole (polled) version keeps from the version in force: they never change. */
export const EVENT_ONLY_FIELDS: Readonly<Record<InventoryKind, readonly string[]>> = { node: ['createdBy'], user: [], key: [], policy: [] };

/** A record deleted as of a time: its last version before the deletion, and when the deletion became true. */
export interface Tombstone<R> {
  record: R;
  /** RFC 3339. */
  deletedAt: string;
}

/** The policy is one record per tailnet, under this id. */
export const POLICY_ID = 'policy';

/** The names, IPs and logins a record may be looked up by (besides its id). */
export function aliasesOf(kind: InventoryKind, record: object): string[] {
  if (kind === 'node') {
    const node = record as InventoryNode;
    const names = [node.name, node.name?.split('.')[0], node.hostname, ...(node.addresses ?? [])];
    return [...new Set(names.filter((name): name is string => name !== undefined && name !== ''))];
  }
  if (kind === 'user') {
    const login = (record as InventoryUser).loginName;
    return login === undefined ? [] : [login];
  }
  return [];
}
