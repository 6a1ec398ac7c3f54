// User approval was turned off: anyone the identity provider lets in joins the tailnet without an admin's approval.
import { actorLabel, defineRule } from '../engine/index.ts';

export default defineRule({
  id: 'Tailscale.User.Approval.Disabled',
  displayName: 'Tailscale user approval disabled',
  logTypes: ['Tailscale.Audit'],
  severity: 'HIGH',
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Defense Evasion', 'Initial Access'],
  reports: { 'MITRE ATT&CK': ['TA0005:T1562', 'TA0001:T1078.004'] },
  description:
    'The "user approval required" setting was disabled: new users who can sign in with the identity provider join ' +
    'the tailnet immediately, without an admin reviewing them.',
  runbook:
    'Confirm the change with the actor. If unplanned, re-enable user approval (Settings › User management) and review ' +
    'users who joined since this event.',
  reference: 'https://tailscale.com/kb/1239/user-approval',
  rule: (e) => e.event.action === 'DISABLE' && e.event.target?.property === 'USER_APPROVAL_REQUIRED',
  title: (e) => `Tailscale user approval disabled for ${e.event.target?.name ?? 'the tailnet'} by ${actorLabel(e.event.actor)}`,
  alertContext: (e) => ({ actor: e.event.actor, action: e.event.action, origin: e.event.origin, target: e.event.target }),
  tests: [
    {
      name: 'User approval disabled',
      expected: true,
      title: 'Tailscale user approval disabled for example.com by mallory@example.com',
      severity: 'HIGH',
      alertContext: { origin: 'ADMIN_CONSOLE' },
      log: {
        eventTime: '2026-07-28T12:00:00.000Z',
        eventGroupID: '5a1e2f3a4b5c6d7e8f90a1b2c3d4e5f6',
        origin: 'ADMIN_CONSOLE',
        actor: { id: 'uMallory1CNTRL', type: 'USER', loginName: 'mallory@example.com', displayName: 'Mallory' },
        target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'USER_APPROVAL_REQUIRED' },
        action: 'DISABLE',
      },
    },
    {
      name: 'Machine approval disabled (another rule)',
      expected: false,
      log: {
        eventTime: '2026-07-28T12:05:00.000Z',
        eventGroupID: '5b1e2f3a4b5c6d7e8f90a1b2c3d4e5f6',
        origin: 'ADMIN_CONSOLE',
        actor: { id: 'uMallory1CNTRL', type: 'USER', loginName: 'mallory@example.com', displayName: 'Mallory' },
        target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'MACHINE_APPROVAL_NEEDED' },
        action: 'DISABLE',
      },
    },
  ],
});
