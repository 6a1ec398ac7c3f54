// A user was given an admin-level role (owner, admin, network-admin, it-admin): privilege escalation or persistence.
import { ADMIN_ROLES, actorLabel, defineRule, isAdminRole, isPerson, roleName, z } from '../engine/index.ts';

export default defineRule({
  id: 'Tailscale.Admin.Role.Granted',
  displayName: 'Tailscale admin role granted',
  logTypes: ['Tailscale.Audit'],
  severity: 'HIGH',
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Privilege Escalation', 'Persistence'],
  reports: { 'MITRE ATT&CK': ['TA0004:T1098.003', 'TA0003:T1098.003'] },
  options: z.object({
    adminRoles: z.array(z.string()).default([...ADMIN_ROLES]).describe('Roles that count as admin-level (compared case-insensitively; `_` and `-` are the same).'),
    trustedActors: z.array(z.string()).default([]).describe('Actor ids or login names whose grants are expected (e.g. the SCIM provisioner): no alert.'),
  }),
  description:
    'A user’s role was changed to an admin-level role. Admins can change the policy file, approve nodes and create ' +
    'keys; a grant by a non-person (OAuth client, API key) is CRITICAL because it means automation or a stolen key escalated someone.',
  runbook:
    'Confirm the grant with the actor and the user’s manager. If unexpected: set the role back, suspend the user, ' +
    'revoke keys created by either account, and review the policy file history.',
  reference: 'https://tailscale.com/kb/1138/user-roles',
  rule: (e, o) => {
    const { target, actor } = e.event;
    if (target?.type !== 'USER' || target.property !== 'USER_ROLE') return false;
    if (o.trustedActors.includes(actor?.id ?? '') || o.trustedActors.includes(actor?.loginName ?? '')) return false;
    const role = roleName(e.event.new);
    return role !== roleName(e.event.old) && isAdminRole(role, o.adminRoles);
  },
  title: (e) =>
    `Tailscale ${roleName(e.event.new)} role granted to ${e.event.target?.name || e.event.target?.id || '?'} ` +
    `(was ${roleName(e.event.old) || 'unknown'}) by ${actorLabel(e.event.actor)}`,
  dynamicSeverity: (e) => (isPerson(e.event.actor) ? 'DEFAULT' : 'CRITICAL'),
  alertContext: (e) => ({
    actor: e.event.actor,
    origin: e.event.origin,
    target: e.event.target,
    oldRole: roleName(e.event.old),
    newRole: roleName(e.event.new),
  }),
  tests: [
    {
      name: 'Member promoted to admin by a person',
      expected: true,
      title: 'Tailscale admin role granted to bob@example.com (was member) by alice@example.com',
      severity: 'HIGH',
      alertContext: { oldRole: 'member', newRole: 'admin' },
      log: {
        eventTime: '2026-07-28T16:00:00.000Z',
        eventGroupID: '9a1e2f3a4b5c6d7e8f90a1b2c3d4e5f6',
        origin: 'ADMIN_CONSOLE',
        actor: { id: 'uAlice1CNTRL', type: 'USER', loginName: 'alice@example.com', displayName: 'Alice' },
        target: { id: 'uBob1CNTRL', name: 'bob@example.com', type: 'USER', property: 'USER_ROLE' },
        action: 'UPDATE',
        old: 'member',
        new: 'admin',
      },
    },
    {
      name: 'Network admin granted by an OAuth client, role as an object',
      expected: true,
      title: 'Tailscale network-admin role granted to mallory@example.com (was auditor) by OAuth client (OAUTH_CLIENT k3F261FC38A07CNTRL)',
      severity: 'CRITICAL',
      log: {
        eventTime: '2026-07-28T16:05:00.000Z',
        eventGroupID: '9b1e2f3a4b5c6d7e8f90a1b2c3d4e5f6',
        origin: 'CONFIG_API',
        actor: { id: 'k3F261FC38A07CNTRL', type: 'OAUTH_CLIENT', loginName: '', displayName: 'OAuth client' },
        target: { id: 'uMallory1CNTRL', name: 'mallory@example.com', type: 'USER', property: 'USER_ROLE' },
        action: 'UPDATE',
        old: { role: 'AUDITOR' },
        new: { role: 'NETWORK_ADMIN' },
      },
    },
    {
      name: 'Admin demoted to member',
      expected: false,
      log: {
        eventTime: '2026-07-28T16:10:00.000Z',
        eventGroupID: '9c1e2f3a4b5c6d7e8f90a1b2c3d4e5f6',
        origin: 'ADMIN_CONSOLE',
        actor: { id: 'uAlice1CNTRL', type: 'USER', loginName: 'alice@example.com', displayName: 'Alice' },
        target: { id: 'uBob1CNTRL', name: 'bob@example.com', type: 'USER', property: 'USER_ROLE' },
        action: 'UPDATE',
        old: 'admin',
        new: 'member',
      },
    },
    {
      name: 'Grant by a trusted provisioner',
      expected: false,
      options: { trustedActors: ['scim@example.com'] },
      log: {
        eventTime: '2026-07-28T16:15:00.000Z',
        eventGroupID: '9d1e2f3a4b5c6d7e8f90a1b2c3d4e5f6',
        origin: 'SCIM',
        actor: { id: 'uScim1CNTRL', type: 'USER', loginName: 'scim@example.com', displayName: 'SCIM' },
        target: { id: 'uCarol1CNTRL', name: 'carol@example.com', type: 'USER', property: 'USER_ROLE' },
        action: 'UPDATE',
        old: 'member',
        new: 'it-admin',
      },
    },
  ],
});
