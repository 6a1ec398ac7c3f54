// Someone changed the tailnet policy file who has not changed it in months: a stolen admin session, or a new admin.
import { actorLabel, defineFirstSeenRule, isUnlisted, z } from '../engine/index.ts';

const policyUpdate = (day: number, login: string, type = 'USER') => ({
  eventTime: `2026-09-${String(day).padStart(2, '0')}T09:00:00.000Z`,
  eventGroupID: `e${day}${login.length}a2f3a4b5c6d7e8f90a1b2c3d4e5f6`,
  origin: type === 'USER' ? 'ADMIN_CONSOLE' : 'CONFIG_API',
  actor: type === 'USER' ? { id: `u${login.length}CNTRL`, type, loginName: login } : { id: login, type },
  target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'ACL' },
  action: 'UPDATE',
  old: '{"acls": []}',
  new: '{"acls": [{"action": "accept", "src": ["group:eng"], "dst": ["tag:dev:22"]}]}',
});

export default defineFirstSeenRule({
  id: 'Tailscale.Policy.New.Actor',
  displayName: 'Tailscale policy file changed by a new actor',
  logTypes: ['Tailscale.Audit'],
  severity: 'MEDIUM',
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Defense Evasion', 'Configuration Change', 'First Seen'],
  reports: { 'MITRE ATT&CK': ['TA0005:T1562.007', 'TA0004:T1078'] },
  options: z.object({
    horizonDays: z.number().positive().default(90).describe('An actor is new when it has not changed the policy file for this many days.'),
    learningDays: z.number().min(0).default(14).describe('Days after the first policy change seen during which actors are only learned.'),
    ignoredActors: z.array(z.string()).default([]).describe('Actor ids or logins expected to change the policy (e.g. a GitOps OAuth client).'),
  }),
  description:
    'The policy file (ACLs, grants, SSH rules) was updated by an actor (user login, else actor id) that had not ' +
    'updated it within the horizon. Policy changes usually come from a few admins or one GitOps client.',
  runbook:
    'Ask the actor whether they made the change; read it in Tailscale.Policy.File.Updated. If they did not, revoke ' +
    'their sessions and keys and revert the policy from the admin console history.',
  reference: 'https://tailscale.com/kb/1018/acls',
  firstSeen: (o) => ({ horizonDays: o.horizonDays, learningDays: o.learningDays }),
  value: (e, o) => {
    const { action, target, actor } = e.event;
    if (action !== 'UPDATE' || !(isUnlisted(target?.property, 'ACL') || target?.type === 'ACL')) return undefined;
    const who = actor?.loginName || actor?.id;
    if (who === undefined || o.ignoredActors.includes(who) || o.ignoredActors.includes(actor?.id ?? '')) return undefined;
    return { group: 'policy file', value: who };
  },
  title: (s) => `Tailscale policy file changed by ${actorLabel(s.event.event.actor)}, who had not changed it in ${s.horizonDays} days`,
  alertContext: (s) => ({ actor: s.event.event.actor, origin: s.event.event.origin }),
  tests: [
    {
      name: 'A new admin after the learning period',
      expected: true,
      alerts: 1,
      title: 'Tailscale policy file changed by mallory@example.com, who had not changed it in 90 days',
      dedup: 'policy file: mallory@example.com',
      alertContext: { value: ['mallory@example.com'], actor: { loginName: 'mallory@example.com' } },
      logs: [policyUpdate(1, 'alice@example.com'), policyUpdate(8, 'k123GitOpsCNTRL', 'OAUTH_CLIENT'), policyUpdate(20, 'alice@example.com'), policyUpdate(21, 'mallory@example.com')],
    },
    {
      name: 'Known actors after the learning period',
      expected: false,
      logs: [policyUpdate(1, 'alice@example.com'), policyUpdate(8, 'k123GitOpsCNTRL', 'OAUTH_CLIENT'), policyUpdate(20, 'k123GitOpsCNTRL', 'OAUTH_CLIENT'), policyUpdate(28, 'alice@example.com')],
    },
    {
      name: 'A new actor during the learning period',
      expected: false,
      logs: [policyUpdate(1, 'alice@example.com'), policyUpdate(5, 'bob@example.com')],
    },
    {
      name: 'An ignored GitOps client, learning off',
      expected: false,
      options: { learningDays: 0, ignoredActors: ['k123GitOpsCNTRL'] },
      logs: [policyUpdate(1, 'k123GitOpsCNTRL', 'OAUTH_CLIENT')],
    },
  ],
});
