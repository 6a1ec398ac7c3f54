// Tailnet lock was disabled or its authority deleted: the control plane can again add nodes nobody signed.
import { actorLabel, defineRule, isUnlisted } from '../engine/index.ts';

export default defineRule({
  id: 'Tailscale.Tailnet.Lock.Disabled',
  displayName: 'Tailscale tailnet lock disabled',
  logTypes: ['Tailscale.Audit'],
  severity: 'HIGH',
  dedupPeriodMinutes: 60,
  tags: ['Tailscale', 'Defense Evasion', 'Persistence'],
  reports: { 'MITRE ATT&CK': ['TA0005:T1562', 'TA0003:T1556'] },
  description:
    'Tailnet lock (the tailnet key authority, TKA) was disabled or deleted. Without it, new node keys need no signature ' +
    'from a trusted node, so a compromised admin account or control plane can add nodes silently.',
  runbook:
    'Tailnet lock can only be disabled with a disablement secret: find out who used it and why. If unplanned, ' +
    're-initialise tailnet lock from trusted signing nodes, rotate disablement secrets, and review nodes added since.',
  reference: 'https://tailscale.com/kb/1226/tailnet-lock',
  rule: (e) =>
    (e.event.target?.property === 'TKA' || isUnlisted(e.event.target?.type, 'TKA')) && (e.event.action === 'DISABLE' || e.event.action === 'DELETE'),
  title: (e) => `Tailscale tailnet lock ${e.event.action === 'DELETE' ? 'deleted' : 'disabled'} for ${e.event.target?.name ?? 'the tailnet'} by ${actorLabel(e.event.actor)}`,
  alertContext: (e) => ({ actor: e.event.actor, action: e.event.action, origin: e.event.origin, target: e.event.target }),
  tests: [
    {
      name: 'Tailnet lock disabled',
      expected: true,
      title: 'Tailscale tailnet lock disabled for example.com by mallory@example.com',
      severity: 'HIGH',
      alertContext: { action: 'DISABLE' },
      log: {
        eventTime: '2026-07-28T11:00:00.000Z',
        eventGroupID: '4a1e2f3a4b5c6d7e8f90a1b2c3d4e5f6',
        origin: 'NODE',
        actor: { id: 'uMallory1CNTRL', type: 'USER', loginName: 'mallory@example.com', displayName: 'Mallory' },
        target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'TKA' },
        action: 'DISABLE',
      },
    },
    {
      name: 'Tailnet lock deleted',
      expected: true,
      title: 'Tailscale tailnet lock deleted for example.com by mallory@example.com',
      severity: 'HIGH',
      log: {
        eventTime: '2026-07-28T11:01:00.000Z',
        eventGroupID: '4c1e2f3a4b5c6d7e8f90a1b2c3d4e5f6',
        origin: 'ADMIN_CONSOLE',
        actor: { id: 'uMallory1CNTRL', type: 'USER', loginName: 'mallory@example.com', displayName: 'Mallory' },
        target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'TKA' },
        action: 'DELETE',
      },
    },
    {
      name: 'Tailnet lock enabled',
      expected: false,
      log: {
        eventTime: '2026-07-28T11:05:00.000Z',
        eventGroupID: '4b1e2f3a4b5c6d7e8f90a1b2c3d4e5f6',
        origin: 'NODE',
        actor: { id: 'uAlice1CNTRL', type: 'USER', loginName: 'alice@example.com', displayName: 'Alice' },
        target: { id: 'example.com', name: 'example.com', type: 'TAILNET', property: 'TKA' },
        action: 'ENABLE',
      },
    },
  ],
});
