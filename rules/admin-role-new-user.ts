// An admin-level role granted to a user created less than a day before: an account invited and made admin at once,
// how a takeover plants an admin of its own. Needs the tailnet inventory (the user's creation time as of the grant).
import { ADMIN_ROLES, actorLabel, defineRule, isAdminRole, roleName, z } from '../engine/index.ts';
import type { AuditEvent, InventoryUser, WebhookEvent, WithInventory } from '../engine/index.ts';

interface Grant {
  /** The refs the inventory may know the user by: the audit target's id and login, the webhook's login. */
  refs: string[];
  login: string;
  role: string;
  oldRole: string;
  by: string;
}

type GrantEvent = (AuditEvent | WebhookEvent) & WithInventory;

/** The admin-level role the event grants (the first new one, for a webhook), or undefined. */
function grantOf(e: GrantEvent, adminRoles: readonly string[]): Grant | undefined {
  if (e.p_log_type === 'Tailscale.Webhook') {
    const { type, data } = e.event;
    if (type !== 'userRoleUpdated' || data?.user === undefined) return undefined;
    const old = [data.oldRoles ?? []].flat().map(roleName);
    const role = [data.newRoles ?? []].flat().map(roleName).find((name) => isAdminRole(name, adminRoles) && !old.includes(name));
    return role === undefined ? undefined : { refs: [data.user], login: data.user, role, oldRole: old.join(','), by: data.actor || 'unknown actor' };
  }
  const { target, actor, error } = e.event;
  if (target.type !== 'USER' || target.property !== 'USER_ROLE' || (error !== undefined && error !== '')) return undefined;
  const role = roleName(e.event.new);
  if (role === roleName(e.event.old) || !isAdminRole(role, adminRoles)) return undefined;
  const login = target.name || target.id;
  return { refs: [target.id, login], login, role, oldRole: roleName(e.event.old), by: actorLabel(actor) };
}

/** The granted user as of the grant, with its age then in ms, when it was created less than `maxAgeHours` before. */
function newUser(e: GrantEvent, grant: Grant, maxAgeHours: number): { user: InventoryUser; ageMs: number } | undefined {
  const user = grant.refs.map((ref) => e.inventory?.user(ref)).find((found) => found !== undefined);
  const ageMs = Date.parse(e.p_event_time) - Date.parse(user?.created ?? '');
  return user !== undefined && ageMs >= 0 && ageMs < maxAgeHours * 3_600_000 ? { user, ageMs } : undefined;
}

/** 5_400_000 → "1 h 30 min". */
const age = (ms: number) => `${Math.floor(ms / 3_600_000)} h ${Math.floor(ms / 60_000) % 60} min`;

const options = z.object({
  maxAgeHours: z.number().positive().max(720).default(24).describe('A user created less than this many hours before the grant is new.'),
  adminRoles: z.array(z.string()).default([...ADMIN_ROLES]).describe('Roles that count as admin-level (compared case-insensitively; `_` and `-` are the same).'),
});
type Options = z.infer<typeof options>;
const found = (e: GrantEvent, o: Options) => {
  const grant = grantOf(e, o.adminRoles);
  const user = grant === undefined ? undefined : newUser(e, grant, o.maxAgeHours);
  return grant === undefined || user === undefined ? undefined : { grant, ...user };
};

const USERS = [
  { id: 'uBob1CNTRL', loginName: 'bob@example.com', role: 'member', created: '2026-07-28T13:30:00Z' },
  { id: 'uCarol1CNTRL', loginName: 'carol@example.com', role: 'member', created: '2025-11-02T08:00:00Z' },
];
const auditGrant = (user: string, extra: Record<string, unknown> = {}) => ({
  eventTime: '2026-07-28T16:00:00.000Z',
  eventGroupID: `f1${user.length}e2f3a4b5c6d7e8f90a1b2c3d4e5f6`,
  origin: 'ADMIN_CONSOLE',
  actor: { id: 'uAlice1CNTRL', type: 'USER', loginName: 'alice@example.com', displayName: 'Alice' },
  target: { id: `u${user[0]?.toUpperCase()}${user.slice(1)}1CNTRL`, name: `${user}@example.com`, type: 'USER', property: 'USER_ROLE' },
  action: 'UPDATE',
  old: 'member',
  new: 'admin',
  ...extra,
});
const webhookGrant = (user: string, newRoles: string[]) => ({
  timestamp: '2026-07-28T16:00:00.123456Z', version: 1, type: 'userRoleUpdated', tailnet: 'example.com', message: `User ${user}@example.com role updated`,
  data: { user: `${user}@example.com`, url: 'https://login.tailscale.com/admin/users', actor: 'alice@example.com', oldRoles: ['member'], newRoles },
});

export default defineRule({
  id: 'Tailscale.Admin.Role.New.User',
  displayName: 'Tailscale admin role granted to a new user',
  logTypes: ['Tailscale.Audit', 'Tailscale.Webhook'],
  severity: 'HIGH',
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Inventory', 'Privilege Escalation', 'Persistence'],
  reports: { 'MITRE ATT&CK': ['TA0003:T1136', 'TA0004:T1098.003'] },
  options,
  description:
    'An admin-level role grant (audit USER_ROLE update: the user is target.id / target.name, the new role `new`; or ' +
    'webhook userRoleUpdated: the user is data.user, the roles data.newRoles not in data.oldRoles) to a user whom the ' +
    'tailnet inventory, as of the grant, shows created less than maxAgeHours before it. The creation time is the API’s ' +
    'user `created`, else the time of the webhook userCreated or the audit USER CREATE that taught it. An inventory ' +
    'lookup, not a correlation: it also covers users created before the stream began (known from a poll), and replay ' +
    'with the recorded inventory (`--inventory`) answers as live did. Without inventory the rule never matches.',
  runbook:
    'Ask the granting actor who the new user is and why they needed an admin role on day one. If unexpected: set the ' +
    'role back, suspend the user, and review what the granting account did (it may be taken over) and what the new ' +
    'account changed since.',
  reference: 'https://tailscale.com/kb/1138/user-roles',
  rule: (e, o) => found(e, o) !== undefined,
  title: (e, o) => {
    const hit = found(e, o);
    return `Tailscale ${hit?.grant.role ?? 'admin'} role granted to ${hit?.grant.login ?? '?'}, created ${age(hit?.ageMs ?? 0)} before, by ${hit?.grant.by ?? '?'}`;
  },
  dedup: (e, o) => found(e, o)?.grant.login ?? '',
  alertContext: (e, o) => {
    const hit = found(e, o);
    return { user: hit?.user.loginName ?? hit?.grant.login, userId: hit?.user.id, created: hit?.user.created, newRole: hit?.grant.role, oldRole: hit?.grant.oldRole, grantedBy: hit?.grant.by };
  },
  tests: [
    {
      name: 'Audit: a user created 2.5 hours before is made admin',
      expected: true,
      title: 'Tailscale admin role granted to bob@example.com, created 2 h 30 min before, by alice@example.com',
      dedup: 'bob@example.com',
      severity: 'HIGH',
      alertContext: { userId: 'uBob1CNTRL', created: '2026-07-28T13:30:00Z', oldRole: 'member', newRole: 'admin' },
      inventory: { users: USERS },
      log: auditGrant('bob'),
    },
    {
      name: 'Webhook: the same grant, the user found by login',
      expected: true,
      title: 'Tailscale network-admin role granted to bob@example.com, created 2 h 30 min before, by alice@example.com',
      dedup: 'bob@example.com',
      inventory: { users: USERS },
      log: webhookGrant('bob', ['network-admin']),
    },
    {
      name: 'A user of many months is made admin',
      expected: false,
      inventory: { users: USERS },
      log: auditGrant('carol'),
    },
    {
      name: 'A new user given a non-admin role',
      expected: false,
      inventory: { users: USERS },
      log: webhookGrant('bob', ['auditor']),
    },
    {
      name: 'A shorter maxAgeHours',
      expected: false,
      options: { maxAgeHours: 2 },
      inventory: { users: USERS },
      log: auditGrant('bob'),
    },
    {
      name: 'A user the inventory does not know',
      expected: false,
      inventory: { users: [] },
      log: auditGrant('bob'),
    },
    {
      name: 'No inventory: no alert',
      expected: false,
      log: auditGrant('bob'),
    },
  ],
});
